import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { AuditEntry } from '../../../src/core/historyAudit';
import { DAY_MS, type Allocation, type UsageRecord, type User } from '../../../src/core/model';
import type { ConnectionConfig } from '../../../src/core/connectionConfig';
import { historyCsv } from '../../../src/panels/historyCsv';
import { StoreHistoryProvider } from '../../../src/panels/storeHistoryProvider';
import { siteTable, userTable } from '../../../src/protocol/historySeries';
import { openHistoryStore, type HistoryStore } from '../../../src/store/historyStore';

const NOW = Date.UTC(2026, 10, 20, 15);
const TODAY = Date.UTC(2026, 10, 20);
const ann: User = { id: 'g-ann', directory: 'CORP', userId: 'ann', name: 'Ann Lee' };
const bob: User = { id: 'g-bob', directory: 'CORP', userId: 'bob', name: 'Bob Roe' };
let seq = 0;
const rec = (user: User, daysAgo: number): UsageRecord => ({ id: `r${seq++}`, user, start: NOW - daysAgo * DAY_MS, stop: null, unit: 'loginPass', amount: 1, pool: null });

describe('StoreHistoryProvider', () => {
  let dir: string;
  let store: HistoryStore;
  let provider: StoreHistoryProvider;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ls-provider-'));
    store = await openHistoryStore(dir, { now: () => NOW });
    const pass: Allocation = { id: 'a1', kind: 'user', user: bob, lastUsed: null, quarantined: false, quarantineEnd: null, userDeleted: false, excess: false };
    await store.recordSync({ at: NOW - 10 * DAY_MS, records: [[rec(ann, 12), rec(ann, 11), rec(bob, 11)]], allocations: [], listedKinds: ['user'], tokenCosts: { loginPassCost: 0.1 }, pool: { totalTokens: 100, availableTokens: 40, usedTokens: 60 } });
    await store.recordSync({ at: NOW, records: [[rec(ann, 1), rec(ann, 1), rec(ann, 0), rec(bob, 2)]], allocations: [pass], listedKinds: ['user'], tokenCosts: { loginPassCost: 0.1 }, pool: { totalTokens: 100, availableTokens: 39, usedTokens: 61 } });
    await store.appendAudit({ at: NOW, actor: 'admin', connection: 'c1', action: 'assign', user: bob, kind: 'user', reason: 'manual', outcome: 'assigned' });
    provider = new StoreHistoryProvider(
      {
        name: (id) => (id === 'c1' ? 'Prod' : undefined),
        kind: (id) => (id === 'c1' ? 'qrs' : undefined),
        store: async () => store,
        overview: () => undefined,
        userName: (_c, key) => (key === 'CORP\\ann' ? 'Ann Lee' : undefined),
      },
      () => NOW,
    );
  });

  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("gives a user's whole-day series for the range, today included, with the lead-in before it", async () => {
    const h = await provider.userHistory('c1', 'CORP\\ann', '28d');
    assert.equal(h.days.length, 28);
    assert.equal(h.days.at(-1)?.day, TODAY);
    assert.equal(h.days[0]?.day, TODAY - 27 * DAY_MS);
    assert.equal(h.leadIn.length, 27);
    assert.ok(h.leadIn.every((p) => p.day < TODAY - 27 * DAY_MS));
    assert.equal(h.days.reduce((n, p) => n + p.loginPasses, 0), 5);
    assert.equal(h.user.name, 'Ann Lee');
    assert.equal(h.measure, 'tokens');
    assert.equal(h.breakEvenPasses, 10);
    assert.equal(h.connection, 'Prod');
  });

  it('marks a change the audit log holds once, though the sync saw it too (chartEvents.test.ts has the cases)', async () => {
    const h = await provider.userHistory('c1', 'CORP\\bob', '90d');
    assert.deepEqual(
      h.events.map((e) => [e.day, e.kind, e.user, e.source]),
      [[TODAY, 'assigned', 'CORP\\bob', 'manual']],
    );
  });

  it('says where the history begins: the first day the store holds', async () => {
    // The first sync's records start 12 days ago (its pool reading is at 10 days ago).
    assert.equal((await provider.userHistory('c1', 'CORP\\ann', '28d')).historyStart, TODAY - 12 * DAY_MS);
    assert.equal((await provider.siteHistory('c1', '90d')).historyStart, TODAY - 12 * DAY_MS);
  });

  it('stacks the top users and carries the pool for the site', async () => {
    const h = await provider.siteHistory('c1', '90d');
    assert.deepEqual(h.top.map((t) => t.key), ['CORP\\ann', 'CORP\\bob']);
    assert.equal(h.top[0]?.values.length, h.topDays.length);
    assert.equal(h.totals.reduce((n, p) => n + p.loginPasses, 0), 7);
    assert.deepEqual(h.pool.map((p) => p.available), [40, 39]);
  });

  it('adds DIR\\id to a name two of the stacked users show, so the legend and the CSV tell them apart', async () => {
    const dir3 = await mkdtemp(path.join(tmpdir(), 'ls-provider-names-'));
    const s3 = await openHistoryStore(dir3, { now: () => NOW });
    try {
      const pedro = (directory: string, userId: string): User => ({ id: `g-${userId}`, directory, userId, name: 'Pedro Ahmed' });
      const nameless: User = { id: 'g-svc', directory: 'INTERNAL', userId: 'svc_reload', name: '' };
      await s3.recordSync({ at: NOW, records: [[...[1, 2, 3, 4].map((d) => rec(pedro('CORP', 'pahmed'), d)), ...[1, 2, 3].map((d) => rec(ann, d)), ...[1, 2].map((d) => rec(pedro('EXT', 'pedro.ahmed'), d)), rec(nameless, 4)]], allocations: null, listedKinds: [], tokenCosts: { loginPassCost: 0.1 } });
      const p = new StoreHistoryProvider({ name: () => 'Prod', kind: () => 'qrs', store: async () => s3, overview: () => undefined, userName: () => undefined }, () => NOW);
      const site = await p.siteHistory('c1', '28d');
      // Largest first.
      assert.deepEqual(
        site.top.map((t) => [t.key, t.name]),
        [
          ['CORP\\pahmed', 'Pedro Ahmed (CORP\\pahmed)'],
          ['CORP\\ann', 'Ann Lee'],
          ['EXT\\pedro.ahmed', 'Pedro Ahmed (EXT\\pedro.ahmed)'],
          ['INTERNAL\\svc_reload', 'svc_reload'],
        ],
      );
      assert.deepEqual(historyCsv(site).split('\r\n')[0]?.split(',').slice(2, 6), ['Pedro Ahmed (CORP\\pahmed)', 'Ann Lee (CORP\\ann)', 'Pedro Ahmed (EXT\\pedro.ahmed)', 'svc_reload (INTERNAL\\svc_reload)']);
    } finally {
      await s3.close();
      await rm(dir3, { recursive: true, force: true });
    }
  });

  it('says what to do when a connection is gone or has no history', async () => {
    await assert.rejects(provider.userHistory('gone', 'CORP\\ann', '28d'), /The connection this tab showed was removed from the settings/);
    const emptyDir = await mkdtemp(path.join(tmpdir(), 'ls-provider-empty-'));
    const empty = await openHistoryStore(emptyDir, { now: () => NOW });
    try {
      const p = new StoreHistoryProvider({ name: () => 'Fresh', kind: () => 'qrs', store: async () => empty, overview: () => undefined, userName: () => undefined }, () => NOW);
      await assert.rejects(p.siteHistory('x', 'all'), /No usage history is recorded for "Fresh" yet: sync it first/);
    } finally {
      await empty.close();
      await rm(emptyDir, { recursive: true, force: true });
    }
  });

  it('marks only the changes the audit log shows as applied, not intents, refusals or unknown outcomes', async () => {
    const cid: User = { id: 'g-cid', directory: 'CORP', userId: 'cid', name: 'Cid Poe' };
    const dir2 = await mkdtemp(path.join(tmpdir(), 'ls-provider-audit-'));
    const s = await openHistoryStore(dir2, { now: () => NOW });
    try {
      await s.recordSync({ at: NOW, records: [[rec(cid, 1)]], allocations: null, listedKinds: [], tokenCosts: { loginPassCost: 0.1 } });
      const base = { actor: 'admin', connection: 'c1', user: cid, kind: 'user', reason: 'manual' } as const;
      const write = (e: Partial<AuditEntry> & Pick<AuditEntry, 'action' | 'outcome'>) => s.appendAudit({ ...base, at: NOW - 3 * DAY_MS, ...e });
      // Applied: its intent and its outcome make one marker.
      await write({ changeId: 'c1', phase: 'intent', action: 'assign', outcome: 'requested' });
      await write({ changeId: 'c1', phase: 'outcome', result: 'applied', action: 'assign', outcome: 'assigned (allocation a9)' });
      // An intent whose outcome was never written (a crash between the two).
      await write({ changeId: 'c2', phase: 'intent', action: 'revoke', outcome: 'requested' });
      // Refused by the server, and one nobody could establish.
      await write({ changeId: 'c3', phase: 'intent', action: 'reinstate', outcome: 'requested' });
      await write({ changeId: 'c3', phase: 'outcome', result: 'notApplied', action: 'reinstate', outcome: 'not reinstated', serverAnswer: '409 Conflict' });
      await write({ changeId: 'c4', phase: 'intent', action: 'revoke', outcome: 'requested' });
      await write({ changeId: 'c4', phase: 'outcome', result: 'unknown', action: 'revoke', outcome: 'outcome unknown', serverAnswer: 'socket hang up' });
      // Written before intents existed: an applied change.
      await write({ action: 'revoke', reason: { rule: 'inactive-30-days' }, outcome: 'quarantined until 2026-11-24', at: NOW - 2 * DAY_MS });

      const p = new StoreHistoryProvider({ name: () => 'Prod', kind: () => 'qrs', store: async () => s, overview: () => undefined, userName: () => undefined }, () => NOW);
      const expected = [
        [TODAY - 3 * DAY_MS, 'assigned', 'manual'],
        [TODAY - 2 * DAY_MS, 'quarantined', 'rule: inactive-30-days'],
      ];
      const user = await p.userHistory('c1', 'CORP\\cid', '28d');
      assert.deepEqual(user.events.map((e) => [e.day, e.kind, e.source]), expected);
      const site = await p.siteHistory('c1', '28d');
      assert.deepEqual(site.events.map((e) => [e.day, e.kind, e.source]), expected);
    } finally {
      await s.close();
      await rm(dir2, { recursive: true, force: true });
    }
  });

  describe('License Statistics, whose hours the store keeps as minutes', () => {
    let hoursDir: string;
    let hoursStore: HistoryStore;
    const eng = (userId: string): User => ({ id: userId, directory: '', userId, name: userId });
    const hours = (user: User, daysAgo: number, amount: number): UsageRecord => ({ id: `h${seq++}`, user, start: NOW - daysAgo * DAY_MS, stop: null, unit: 'hours', amount, pool: 'MATLAB', peakLicenses: 1 });
    const of = (kind: ConnectionConfig['kind']) => new StoreHistoryProvider({ name: () => 'Eng', kind: () => kind, store: async () => hoursStore, overview: () => undefined, userName: () => undefined }, () => NOW);

    before(async () => {
      hoursDir = await mkdtemp(path.join(tmpdir(), 'ls-provider-hours-'));
      hoursStore = await openHistoryStore(hoursDir, { now: () => NOW });
      // 35 minutes each on day 2: 0.58 h apiece, while the 70 minutes together round to 1.17 h.
      await hoursStore.recordSync({
        at: NOW,
        records: [[hours(eng('ann'), 2, 35 / 60), hours(eng('bob'), 2, 35 / 60), hours(eng('ann'), 1, 1.5), hours(eng('ann'), 0, 0.25)]],
        allocations: null,
        listedKinds: [],
        tokenCosts: { loginPassCost: 0.1 },
      });
    });

    after(async () => {
      await hoursStore.close();
      await rm(hoursDir, { recursive: true, force: true });
    });

    it("gives a user's days in hours to 2 decimals, labelled as hours, with no capacity minutes", async () => {
      const h = await of('licstats').userHistory('c1', 'ann', '28d');
      assert.equal(h.measure, 'hours');
      assert.deepEqual(h.days.slice(-3).map((d) => d.hours), [0.58, 1.5, 0.25]);
      assert.ok([...h.days, ...h.leadIn].every((d) => d.capacityMinutes === 0 && d.loginPasses === 0), 'no minutes reach the panel as capacity');
      const t = userTable(h);
      assert.deepEqual(t.series.map((s) => [s.role, s.label]), [
        ['hours', 'Hours of license use per day'],
        ['rolling', 'Hours in the last 28 days'],
      ]);
      assert.equal(t.series[1]?.values.at(-1), 2.33);
    });

    it('reads the same store as capacity minutes for a Qlik Cloud connection: the kind decides, not the data', async () => {
      const h = await of('cloud').userHistory('c1', 'ann', '28d');
      assert.equal(h.measure, 'capacity');
      assert.deepEqual(h.days.slice(-3).map((d) => [d.capacityMinutes, d.hours]), [[35, 0], [90, 0], [15, 0]]);
    });

    it('stacks the site in hours, its totals the sum of the rounded parts so no phantom "Other users" appears', async () => {
      const site = await of('licstats').siteHistory('c1', '28d');
      assert.equal(site.measure, 'hours');
      assert.deepEqual(site.top.map((u) => [u.key, u.values.slice(-3)]), [
        ['ann', [0.58, 1.5, 0.25]],
        ['bob', [0.58, 0, 0]],
      ]);
      assert.deepEqual(site.totals.slice(-3).map((d) => d.hours), [1.16, 1.5, 0.25]);
      const t = siteTable(site);
      assert.deepEqual(t.series.map((s) => s.label), ['Site hours of license use per day', 'ann', 'bob']);
      assert.equal(historyCsv(site).split('\r\n')[0], 'day,Site hours of license use per day,ann (ann),bob (bob)');
    });

    it('says hours even for a range with no use at all', async () => {
      const empty = await mkdtemp(path.join(tmpdir(), 'ls-provider-hours-empty-'));
      const s = await openHistoryStore(empty, { now: () => NOW });
      try {
        const p = new StoreHistoryProvider({ name: () => 'Eng', kind: () => 'licstats', store: async () => s, overview: () => undefined, userName: () => undefined }, () => NOW);
        assert.equal((await p.userHistory('c1', 'ann', '28d')).measure, 'hours');
        assert.equal((await p.siteHistory('c1', '28d')).measure, 'hours');
      } finally {
        await s.close();
        await rm(empty, { recursive: true, force: true });
      }
    });
  });
});
