import { strict as assert } from 'node:assert';
import { formatHours } from '../../../src/core/format';
import { DAY_MS, type LicenseOverview, type UsageRecord, type User, type UserDenials } from '../../../src/core/model';
import { rankUsers } from '../../../src/core/ranking';
import { UsageTally } from '../../../src/core/usageTally';
import { decideVerdict } from '../../../src/core/verdict';

const NOW = Date.UTC(2026, 10, 23, 12);
const WINDOW = { from: NOW - 28 * DAY_MS, to: NOW };
const NO_PASSES: LicenseOverview = { tokens: null, professional: null, analyzer: null, capacity: null, offeredKinds: [] };
const rules = { windowDays: 28, inactiveDays: 30, capacityBreakEvenMinutes: null };
const mk = (name: string): User => ({ id: name, directory: '', userId: name, name });
const ann = mk('ann');
const bob = mk('bob');
const cid = mk('cid');

function hours(user: User, feature: string, daysAgo: number, amount: number, peak: { licenses?: number; tokens?: number } = {}): UsageRecord {
  const start = Math.floor((NOW - daysAgo * DAY_MS) / DAY_MS) * DAY_MS;
  return {
    id: `${feature}|${user.id}||${start}`,
    user,
    start,
    stop: start + DAY_MS,
    unit: 'hours',
    amount,
    pool: feature,
    ...(peak.licenses !== undefined ? { peakLicenses: peak.licenses } : {}),
    ...(peak.tokens !== undefined ? { peakTokens: peak.tokens } : {}),
  };
}

function denied(user: User, count: number): UserDenials {
  return { user, count, last: NOW - DAY_MS, features: ['acfd'] };
}

describe('ranking by hours of license use', () => {
  it('formats hours like other amounts', () => {
    assert.equal(formatHours(1), '1 hour');
    assert.equal(formatHours(12.456), '12.46 hours');
    assert.equal(formatHours(0), '0 hours');
  });

  it('tallies hours apart from login passes and capacity, with peaks as maxima', () => {
    const tally = new UsageTally(WINDOW, { byDay: true });
    assert.equal(tally.hasHours, false);
    tally.add([hours(ann, 'MATLAB', 2, 6.5, { licenses: 1 }), hours(ann, 'SIMULINK', 2, 2, { licenses: 2 }), hours(ann, 'HWHyperMesh', 3, 4, { tokens: 21 })]);
    const u = tally.users().get('ann');
    assert.equal(tally.hasHours, true);
    assert.equal(u?.hours, 12.5);
    assert.equal(u?.capacityMinutes, 0);
    assert.equal(u?.loginPasses, 0);
    assert.equal(u?.peakLicenses, 2);
    assert.equal(u?.peakTokens, 21);
    // Hours are no capacity minutes when a plan asks for shorter windows.
    assert.deepEqual(tally.totalsOver('ann', 28), { loginPasses: 0, capacityMinutes: 0 });
  });

  it('counts a day repeated by a later page once, keeping its larger hours', () => {
    const tally = new UsageTally(WINDOW);
    tally.add([hours(ann, 'MATLAB', 0, 2)]);
    tally.add([hours(ann, 'MATLAB', 0, 5), hours(ann, 'MATLAB', 0, 5)]);
    assert.equal(tally.users().get('ann')?.hours, 5);
    assert.equal(tally.recordCount, 1);
    assert.equal(tally.repeatCount, 2);
  });

  it('orders users by hours, lists users who were only denied, and flags denials in the verdict', () => {
    const tally = new UsageTally(WINDOW);
    tally.add([hours(ann, 'MATLAB', 1, 3, { licenses: 1 }), hours(bob, 'acfd', 1, 7.25, { licenses: 1 }), hours(bob, 'acfd', 2, 1)]);
    const ranked = rankUsers({ overview: NO_PASSES, tally, allocations: [], rules, now: NOW, denials: [denied(ann, 2), denied(cid, 4)] });
    assert.deepEqual(
      ranked.map((r) => [r.rank, r.user.name, r.hoursUsed, r.peakLicenses, r.denials, r.verdict.kind, r.verdict.text]),
      [
        [1, 'bob', 8.25, 1, 0, 'keep', '8.25 hours in 28 days, peak 1 license'],
        [2, 'ann', 3, 1, 2, 'keep', '3 hours in 28 days, peak 1 license; denied 2 times: needed a license that was not there'],
        [3, 'cid', 0, null, 4, 'keep', 'no license use in 28 days; denied 4 times: needed a license that was not there'],
      ],
    );
  });

  it('breaks a tie in hours by denials', () => {
    const tally = new UsageTally(WINDOW);
    tally.add([hours(ann, 'MATLAB', 1, 2), hours(bob, 'MATLAB', 1, 2)]);
    const ranked = rankUsers({ overview: NO_PASSES, tally, allocations: [], rules, now: NOW, denials: [denied(bob, 1)] });
    assert.deepEqual(ranked.map((r) => r.user.name), ['bob', 'ann']);
  });

  it('states token draws of a token feature and a single denial', () => {
    const verdict = decideVerdict(
      { loginPasses: 0, capacityMinutes: 0, lastUse: NOW, allocation: null, tokens: null, capacityOffered: false, now: NOW, hours: 40, peakLicenses: 1, peakTokens: 25, denials: 1 },
      rules,
    );
    assert.equal(verdict.text, '40 hours in 28 days, peak 1 license and 25 tokens; denied once: needed a license that was not there');
  });

  it('leaves rankings of Qlik sources as they were: no hours fields', () => {
    const tally = new UsageTally(WINDOW);
    tally.add([{ id: 'p1', user: ann, start: NOW - DAY_MS, stop: null, unit: 'loginPass', amount: 1, pool: null }]);
    const tokens = { total: 10, available: 5, userPassCost: 1, loginPassCost: 0.1, userAccess: { allocated: 0, used: 0, quarantined: 0 }, loginAccess: { allocated: 1, used: 0.1, unavailable: 0 } };
    const [row] = rankUsers({ overview: { ...NO_PASSES, tokens, offeredKinds: ['user'] }, tally, allocations: [], rules, now: NOW });
    assert.equal(row?.hoursUsed, undefined);
    assert.equal(row?.denials, undefined);
    assert.match(row?.verdict.text ?? '', /^1 login pass in 28 days = 0\.1 tokens/);
  });
});
