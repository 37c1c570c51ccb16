import { strict as assert } from 'node:assert';
import { DAY_MS, type Allocation, type LicenseOverview, type UsageRecord, type User } from '../../../src/core/model';
import { rankUsers } from '../../../src/core/ranking';
import { DEFAULT_RULES, syncSource, type SyncResult } from '../../../src/core/sync';
import { restoreSyncResult, snapshotOf, snapshotWindowDays } from '../../../src/core/syncSnapshot';
import { UsageTally } from '../../../src/core/usageTally';
import { startQrsSimulator } from '../../../src/sim/qrs/qrsSimulator';
import { createQrsSource } from '../../../src/sources/qrs/qrsSource';
import { certificateOptions } from '../sources/qrs/simConnection';

const NOW = Date.UTC(2026, 10, 23, 12);
const overview: LicenseOverview = {
  tokens: {
    total: 100,
    available: 5,
    userPassCost: 1,
    loginPassCost: 0.1,
    userAccess: { allocated: 1, used: 1, quarantined: 0 },
    loginAccess: { allocated: 10, used: 3, unavailable: 0 },
  },
  professional: null,
  analyzer: null,
  capacity: null,
  offeredKinds: ['user'],
};
const mk = (id: string, name: string): User => ({ id, directory: 'CORP', userId: id, name });
const ann = mk('ann', 'Ann');
const bob = mk('bob', 'Bob');
const dee = mk('dee', 'Dee');
let seq = 0;
const passes = (user: User, n: number, daysAgo: number): UsageRecord[] =>
  Array.from({ length: n }, () => ({ id: `r${seq++}`, user, start: NOW - daysAgo * DAY_MS, stop: null, unit: 'loginPass' as const, amount: 1, pool: null }));

/** A sync result as syncSource builds it, from records and allocations. */
function synced(records: readonly UsageRecord[], allocations: readonly Allocation[], windowDays = 28): SyncResult {
  const rules = { ...DEFAULT_RULES, windowDays };
  const tally = new UsageTally({ from: NOW - windowDays * DAY_MS, to: NOW });
  tally.add(records);
  tally.add(records.slice(0, 1)); // a repeat the server sent: counted once, reported
  return { overview, allocations, tally, ranked: rankUsers({ overview, tally, allocations, rules, now: NOW }), at: NOW, dropped: [{ what: 'usage rows', count: 2, reason: 'without a record id', request: 'GET /x' }] };
}

describe('sync snapshots', () => {
  // Dee's pass was last used 35 days ago: a revoke candidate at 30 days, not at 40.
  const deePass: Allocation = { id: 'a-dee', kind: 'user', user: dee, lastUsed: NOW - 35 * DAY_MS, quarantined: false, quarantineEnd: null, userDeleted: false, excess: false };
  const result = synced([...passes(ann, 3, 2), ...passes(bob, 14, 1)], [deePass]);

  it('ranks exactly as the sync did with the same rules, and keeps the counts, the time and what was dropped', () => {
    const restored = restoreSyncResult(snapshotOf(result), DEFAULT_RULES);
    assert.deepEqual(restored.ranked, result.ranked);
    assert.equal(restored.at, NOW);
    assert.deepEqual(restored.tally.window, result.tally.window);
    assert.equal(restored.tally.recordCount, 17);
    assert.equal(restored.tally.repeatCount, 1);
    assert.deepEqual(restored.dropped, result.dropped);
    assert.deepEqual(restored.overview, overview);
  });

  it('applies a changed inactivity threshold at once', () => {
    const snapshot = snapshotOf(result);
    assert.equal(restoreSyncResult(snapshot, { ...DEFAULT_RULES, inactiveDays: 30 }).ranked.find((r) => r.user.id === 'dee')?.verdict.kind, 'inactive');
    assert.equal(restoreSyncResult(snapshot, { ...DEFAULT_RULES, inactiveDays: 40 }).ranked.find((r) => r.user.id === 'dee')?.verdict.kind, 'holds');
  });

  it('keeps the window the totals were counted in when the window setting changed', () => {
    const snapshot = snapshotOf(result);
    assert.equal(snapshotWindowDays(snapshot), 28);
    const restored = restoreSyncResult(snapshot, { ...DEFAULT_RULES, windowDays: 90 });
    // 14 passes in 28 days is over the break-even; scaled as if over 90 days it would not be.
    assert.equal(restored.ranked.find((r) => r.user.id === 'bob')?.verdict.kind, 'assign');
    assert.deepEqual(restored.tally.window, result.tally.window);
  });

  it('gives verdicts as of the sync, not of the day it is restored', () => {
    const restored = restoreSyncResult(snapshotOf(result), DEFAULT_RULES);
    assert.match(restored.ranked.find((r) => r.user.id === 'dee')?.verdict.text ?? '', /unused for 35 days/);
  });

  for (const site of [{ licenseModel: 'token' as const }, { licenseModel: 'userBased' as const, capacity: true }]) {
    it(`round-trips a simulated ${site.licenseModel} site`, async () => {
      const sim = await startQrsSimulator({ users: 200, seed: 11, ...site });
      try {
        const source = createQrsSource(certificateOptions(sim));
        const live = await syncSource(source, { rules: DEFAULT_RULES, now: sim.clock.now() });
        await source.close();
        assert.ok(live.ranked.some((r) => (site.licenseModel === 'token' ? r.allocation?.quarantined : r.capacityMinutes > 0)), 'the site has what it is here for');
        const restored = restoreSyncResult(snapshotOf(live), DEFAULT_RULES);
        assert.deepEqual(restored.ranked, live.ranked);
        assert.equal(restored.tally.recordCount, live.tally.recordCount);
      } finally {
        await sim.close();
      }
    });
  }
});
