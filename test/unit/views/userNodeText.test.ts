import { strict as assert } from 'node:assert';
import { DAY_MS, type Allocation, type User } from '../../../src/core/model';
import type { RankedUser } from '../../../src/core/ranking';
import type { Verdict } from '../../../src/core/verdict';
import { describeUser, userAccessibilityLabel } from '../../../src/views/userNodeText';

const NOW = Date.UTC(2026, 11, 1, 12);
const ann: User = { id: 'u1', directory: 'CORP', userId: 'ann', name: 'Ann Lee' };

function row(over: Partial<RankedUser>, verdict: Verdict = { kind: 'keep', text: 'v' }): RankedUser {
  const allocation = over.allocation ?? null;
  return { rank: 7, user: ann, loginPasses: 0, tokens: 0, capacityMinutes: 0, allocations: allocation ? [allocation] : [], allocation, lastUse: null, verdict, ...over };
}
function pass(over: Partial<Allocation>): Allocation {
  return { id: 'a1', kind: 'user', user: ann, lastUsed: NOW - 3 * DAY_MS, quarantined: false, quarantineEnd: null, userDeleted: false, excess: false, ...over };
}

describe('user node text', () => {
  it("takes a Qlik Cloud license's last use from its holder, and keeps a deleted user's license apart from quarantine", () => {
    const cloud = pass({ kind: 'professional', lastUsed: null, lastUseUnrecorded: true, allocatedAt: NOW - 400 * DAY_MS });
    assert.equal(describeUser(row({ allocation: cloud, lastUse: NOW - 2 * DAY_MS }, { kind: 'holds', text: '' }), NOW), 'professional pass · last used 2 days ago');
    assert.equal(describeUser(row({ allocation: cloud, lastUse: NOW - 45 * DAY_MS }, { kind: 'inactive', text: '' }), NOW), 'professional pass · unused 45 days');
    assert.equal(describeUser(row({ allocation: cloud }, { kind: 'inactive', text: '' }), NOW), 'professional pass · no recent use');
    assert.equal(describeUser(row({ allocation: { ...cloud, userDeleted: true } }, { kind: 'deleted', text: '' }), NOW), 'deleted user · professional pass still assigned');
    // Use before the assignment was made without the license.
    const fresh = { ...cloud, allocatedAt: NOW - 60_000 };
    assert.equal(describeUser(row({ allocation: fresh, lastUse: NOW - DAY_MS }, { kind: 'holds', text: '' }), NOW), 'professional pass · allocated 1 min ago, not used yet');
  });

  it('keeps the cost of login passes for users without a pass', () => {
    assert.equal(describeUser(row({ loginPasses: 14, tokens: 1.4 }, { kind: 'assign', text: '' }), NOW), '14 passes · 1.4 tokens · no pass');
    assert.equal(describeUser(row({ loginPasses: 1, tokens: 0.1 }), NOW), '1 pass · 0.1 tokens · no pass');
    assert.equal(describeUser(row({ capacityMinutes: 42 }), NOW), '42 capacity min · no pass');
  });

  it('says how a held pass is used, never "0 passes · 0 tokens"', () => {
    assert.equal(describeUser(row({ allocation: pass({}) }, { kind: 'holds', text: '' }), NOW), 'user pass · last used 3 days ago');
    assert.equal(describeUser(row({ allocation: pass({ lastUsed: NOW - 2 * 3_600_000 }) }, { kind: 'holds', text: '' }), NOW), 'user pass · last used 2 h ago');
    assert.equal(describeUser(row({ allocation: pass({ lastUsed: null, allocatedAt: NOW - DAY_MS }) }, { kind: 'holds', text: '' }), NOW), 'user pass · allocated 1 day ago, not used yet');
    assert.equal(describeUser(row({ allocation: pass({ kind: 'professional', lastUsed: NOW - 5 * DAY_MS }) }, { kind: 'holds', text: '' }), NOW), 'professional pass · last used 5 days ago');
  });

  it('says for how long an unused pass has been idle', () => {
    const inactive: Verdict = { kind: 'inactive', text: '' };
    assert.equal(describeUser(row({ allocation: pass({ lastUsed: NOW - 41 * DAY_MS - 3_600_000 }) }, inactive), NOW), 'user pass · unused 41 days');
    assert.equal(describeUser(row({ allocation: pass({ lastUsed: null, allocatedAt: NOW - 60 * DAY_MS }) }, inactive), NOW), 'user pass · never used in 60 days');
    assert.equal(describeUser(row({ allocation: pass({ lastUsed: null }) }, inactive), NOW), 'user pass · never used');
  });

  it('says until when a pass is quarantined', () => {
    const end = Date.UTC(2026, 11, 5);
    assert.equal(describeUser(row({ allocation: pass({ quarantined: true, quarantineEnd: end }) }, { kind: 'quarantined', text: '' }), NOW), 'user pass · quarantined until 2026-12-05');
    assert.equal(describeUser(row({ allocation: pass({ quarantined: true, quarantineEnd: null }) }, { kind: 'quarantined', text: '' }), NOW), 'user pass · quarantined');
    assert.equal(
      describeUser(row({ allocation: pass({ userDeleted: true, quarantined: true, quarantineEnd: end }) }, { kind: 'deleted', text: '' }), NOW),
      'deleted user · user pass quarantined until 2026-12-05',
    );
  });

  it('adds login passes or capacity beside a pass: why an idle pass is not a revoke candidate', () => {
    const old = pass({ lastUsed: NOW - 45 * DAY_MS });
    assert.equal(describeUser(row({ allocation: old, loginPasses: 4, tokens: 0.4 }, { kind: 'holds', text: '' }), NOW), 'user pass · last used 45 days ago · 4 login passes');
    assert.equal(describeUser(row({ allocation: pass({ kind: 'analyzer' }), capacityMinutes: 90 }, { kind: 'holds', text: '' }), NOW), 'analyzer pass · last used 3 days ago · 90 capacity min');
  });

  it('reads the label the eye sees to a screen reader, then the verdict', () => {
    const r = row({ loginPasses: 14, tokens: 1.4 }, { kind: 'assign', text: 'assign (saves 0.4 tokens per 28 days)' });
    assert.equal(userAccessibilityLabel(r, 'Ann Lee (CORP\\ann)', '14 passes · 1.4 tokens · no pass'), '7. Ann Lee (CORP\\ann), 14 passes · 1.4 tokens · no pass. assign (saves 0.4 tokens per 28 days)');
  });
});
