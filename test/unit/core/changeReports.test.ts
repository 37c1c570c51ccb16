import { strict as assert } from 'node:assert';
import { assignedReport, reinstatedReport, revokedReport } from '../../../src/core/changeReports';
import type { Allocation } from '../../../src/core/model';

const user = { id: 'u1', directory: 'CORP', userId: 'jdoe', name: 'Jane Doe' };
const who = 'Jane Doe (CORP\\jdoe)';
const allocation: Allocation = { id: '3f2c9a1e-7b44-4c1d-9f0e-2a6b8c5d1e7f', kind: 'user', user, lastUsed: null, quarantined: false, quarantineEnd: null, userDeleted: false, excess: false };

describe('change reports', () => {
  it('an assignment names its allocation for the CLI and leaves it out of the notification', () => {
    const r = assignedReport(who, 'user', { value: allocation, unclearAnswer: null });
    assert.equal(r.message, `Assigned a user access pass to ${who} (allocation ${allocation.id}).`);
    assert.equal(r.shortMessage, `Assigned a user access pass to ${who}.`);
    assert.equal(r.outcome, `assigned (allocation ${allocation.id})`, 'the audit keeps the allocation');
  });

  it('a reinstatement likewise', () => {
    const r = reinstatedReport(who, { value: allocation, unclearAnswer: null });
    assert.equal(r.message, `Reinstated the user access pass of ${who} (allocation ${allocation.id}).`);
    assert.equal(r.shortMessage, `Reinstated the user access pass of ${who}.`);
    assert.equal(r.outcome, `reinstated (allocation ${allocation.id})`);
  });

  it('the short message keeps the note about an unclear answer', () => {
    const r = assignedReport(who, 'professional', { value: { ...allocation, kind: 'professional' }, unclearAnswer: 'The server answered POST /qrs/license/professionalaccesstype with 502: Bad Gateway' });
    assert.equal(
      r.shortMessage,
      `Assigned a professional access to ${who}. The server's answer was not clean (The server answered POST /qrs/license/professionalaccesstype with 502: Bad Gateway), but reading back shows the change was made.`,
    );
    assert.ok(!r.shortMessage.includes(allocation.id));
    assert.equal(r.message, r.shortMessage.replace(`${who}.`, `${who} (allocation ${allocation.id}).`));
  });

  it('a revocation names no allocation, so both messages are the same', () => {
    const freed = revokedReport(who, 'user', { value: { kind: 'freed' }, unclearAnswer: null });
    assert.equal(freed.shortMessage, freed.message);
    assert.equal(freed.message, `Revoked the user access pass of ${who}; the token is freed.`);
    const until = Date.UTC(2026, 11, 1);
    const held = revokedReport(who, 'user', { value: { kind: 'quarantined', until, allocation }, unclearAnswer: null });
    assert.equal(held.shortMessage, held.message);
    assert.equal(held.outcome, 'revoked; quarantined until 2026-12-01');
  });

  it('a professional or analyzer access frees a license, not a token', () => {
    assert.equal(revokedReport(who, 'analyzer', { value: { kind: 'freed' }, unclearAnswer: null }).message, `Revoked the analyzer access of ${who}; the license is freed.`);
    const held = revokedReport(who, 'professional', { value: { kind: 'quarantined', until: Date.UTC(2026, 11, 1), allocation }, unclearAnswer: null });
    assert.equal(held.message, `Revoked the professional access of ${who}; it is quarantined until 2026-12-01 and the license is not freed before then.`);
  });
});
