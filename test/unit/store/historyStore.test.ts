import { strict as assert } from 'node:assert';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { dayStart, utcDay } from '../../../src/core/history';
import { DAY_MS, type PassKind, type UsageRecord } from '../../../src/core/model';
import { openHistoryStore, type HistoryStore, type HistoryStoreOptions } from '../../../src/store/historyStore';
import { allocation, capacity, lastDays, NOW, pass, person, sum, tempDirs } from './storeFixtures';

const ann = person('ann', 'Ann');
const bob = person('bob', 'Bob');
const cid = person('cid', 'Cid');
const cost = { loginPassCost: 0.1 };

describe('HistoryStore', () => {
  const dirs = tempDirs();
  const open: HistoryStore[] = [];
  async function store(options: HistoryStoreOptions = {}, dir?: string): Promise<HistoryStore> {
    const s = await openHistoryStore(dir ?? (await dirs.make()), { now: () => NOW, ...options });
    open.push(s);
    return s;
  }
  const sync = (s: HistoryStore, records: UsageRecord[], extra: Partial<Parameters<HistoryStore['recordSync']>[0]> = {}) =>
    s.recordSync({ at: NOW, records: [records], allocations: null, listedKinds: [], tokenCosts: cost, ...extra });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    await dirs.cleanup();
  });

  describe('aggregation', () => {
    it('counts login passes, token-equivalents and capacity minutes per user and UTC day', async () => {
      const s = await store();
      // 23:59:59.999 and 00:00 are different UTC days; local time zones play no part.
      const today = dayStart(utcDay(NOW));
      const r = await s.recordSync({
        at: NOW,
        records: [
          [
            { ...pass('p1', ann, 0), start: today - 1 },
            { ...pass('p2', ann, 0), start: today },
            pass('p3', ann, 0),
          ],
          [pass('p4', bob, 2), capacity('c1', bob, 2, 42), capacity('c2', bob, 2, 18)],
        ],
        allocations: null,
        listedKinds: [],
        tokenCosts: { loginPassCost: 0.25 },
      });
      assert.deepEqual([r.added, r.duplicates], [6, 0]);
      const days = await s.userSeries('ann', lastDays(3));
      assert.deepEqual(
        days.map((p) => [p.day, p.loginPasses, p.tokens, p.capacityMinutes]),
        [
          [today - 2 * DAY_MS, 0, 0, 0],
          [today - DAY_MS, 1, 0.25, 0],
          [today, 2, 0.5, 0],
        ],
      );
      const bobs = await s.userSeries('CORP\\bob', lastDays(3));
      assert.deepEqual(bobs[0], { day: today - 2 * DAY_MS, loginPasses: 1, tokens: 0.25, capacityMinutes: 60 });
      const site = await s.siteSeries(lastDays(3));
      assert.deepEqual(site.map((p) => [p.loginPasses, p.tokens, p.capacityMinutes]), [[1, 0.25, 60], [1, 0.25, 0], [2, 0.5, 0]]);
      assert.deepEqual(await s.userSeries('nobody', lastDays(2)), [
        { day: today - DAY_MS, loginPasses: 0, tokens: 0, capacityMinutes: 0 },
        { day: today, loginPasses: 0, tokens: 0, capacityMinutes: 0 },
      ]);
    });

    it('adds a user re-created under the same DIR\\id when asked by key, not by id', async () => {
      const s = await store();
      const ann2 = { ...ann, id: 'ann-2' };
      await sync(s, [pass('a', ann, 3), pass('b', ann2, 1)]);
      assert.equal(sum(await s.userSeries('CORP\\ann', lastDays(5))), 2);
      assert.equal(sum(await s.userSeries('ann-2', lastDays(5))), 1);
    });
  });

  describe('deduplication', () => {
    it('never double-counts a sync recorded twice, or records repeated across pages', async () => {
      const s = await store();
      const records = [pass('1', ann, 1), pass('2', ann, 1), pass('3', bob, 2)];
      const first = await s.recordSync({ at: NOW, records: [records, [records[0] as UsageRecord]], allocations: null, listedKinds: [], tokenCosts: cost });
      assert.deepEqual([first.added, first.duplicates], [3, 1]);
      const again = await sync(s, records);
      assert.deepEqual([again.added, again.duplicates, again.written], [0, 3, false]);
      assert.equal(sum(await s.siteSeries(lastDays(5))), 3);
    });

    it('merges overlapping windows synced on different days', async () => {
      const s = await store({ compactAfterSyncs: 2 });
      const day = (d: number) => [pass(`a${d}`, ann, d), pass(`b${d}`, bob, d)];
      // Monday's sync sees days 10..4 ago, Tuesday's 7..1 ago, Wednesday's 3..0 ago (with a compaction between).
      for (const [from, to] of [[10, 4], [7, 1], [3, 0]] as const) {
        const recs = [];
        for (let d = from; d >= to; d--) {
          recs.push(...day(d));
        }
        await sync(s, recs);
      }
      const series = await s.siteSeries(lastDays(12));
      assert.equal(sum(series), 22);
      assert.ok(series.slice(-11).every((p) => p.loginPasses === 2), 'every day counted exactly once');
    });

    it('adds only the growth of a capacity session seen again with more minutes', async () => {
      const s = await store();
      await sync(s, [capacity('sess', cid, 1, 30)]);
      const r = await sync(s, [capacity('sess', cid, 1, 48)]);
      assert.deepEqual([r.added, r.updated], [0, 1]);
      const again = await sync(s, [capacity('sess', cid, 1, 48)]);
      assert.equal(again.duplicates, 1);
      assert.equal((await s.userSeries('cid', lastDays(2)))[0]?.capacityMinutes, 48);
    });

    it('refuses records of sealed days, whose ids are no longer kept', async () => {
      const s = await store({ openDays: 30 });
      const r = await sync(s, [pass('old', ann, 30), pass('new', ann, 29)]);
      assert.deepEqual([r.added, r.tooOld], [1, 1]);
    });

    it('refuses records that start long after the sync, or carry no usable amount', async () => {
      const s = await store();
      const r = await sync(s, [pass('future', ann, -30), { ...pass('nan', ann, 1), amount: Number.NaN }, pass('ok', ann, 1)]);
      assert.deepEqual([r.added, r.invalid], [1, 2]);
    });

    it('dedups against a sync another process committed while this one streamed', async () => {
      const dir = await dirs.make();
      const a = await store({}, dir);
      const b = await store({}, dir);
      const records = [pass('x', ann, 1), pass('y', bob, 1)];
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      async function* slowPages() {
        await gate; // b streams its pages only after a has committed the same records
        yield records;
      }
      const pending = b.recordSync({ at: NOW, records: slowPages(), allocations: null, listedKinds: [], tokenCosts: cost });
      await sync(a, records);
      release();
      const r = await pending;
      assert.deepEqual([r.added, r.duplicates], [0, 2]);
      assert.equal(sum(await a.siteSeries(lastDays(3))), 2);
    });

    it('serialises concurrent writers on one directory without losing or doubling anything', async () => {
      const dir = await dirs.make();
      const writers = await Promise.all([1, 2, 3].map(() => store({ compactAfterSyncs: 2 }, dir)));
      await Promise.all(
        writers.flatMap((w, i) => [0, 1, 2].map((k) => sync(w, [pass(`w${i}-${k}`, ann, k), pass('shared', bob, 1)]))),
      );
      assert.equal(sum(await writers[0]!.siteSeries(lastDays(5))), 10);
      assert.ok(!(await readdir(dir)).includes('write.lock'));
    });
  });

  describe('allocation changes', () => {
    it('records assigned, revoked, quarantined, reinstated and user-deleted between syncs', async () => {
      const s = await store();
      const day1 = NOW - 2 * DAY_MS;
      const first = await s.recordSync({
        at: day1,
        records: [],
        allocations: [allocation('A1', ann), allocation('B1', bob), allocation('C1', cid, { quarantined: true }), allocation('D1', person('dee'))],
        listedKinds: ['user', 'professional'],
        tokenCosts: cost,
      });
      assert.equal(first.events, 0, 'the first sync has nothing to compare with');
      const second = await s.recordSync({
        at: NOW,
        records: [],
        allocations: [
          allocation('A1', ann, { quarantined: true }),
          allocation('C1', cid),
          allocation('D1', person('dee'), { userDeleted: true }),
          allocation('E1', person('eve'), {}, 'professional'),
        ],
        listedKinds: ['user', 'professional'],
        tokenCosts: cost,
      });
      assert.equal(second.events, 5);
      const events = await s.events(lastDays(5));
      assert.deepEqual(
        events.map((e) => [e.allocationId, e.change, e.user.id, e.day]),
        [
          ['A1', 'quarantined', 'ann', dayStart(utcDay(NOW))],
          ['C1', 'reinstated', 'cid', dayStart(utcDay(NOW))],
          ['D1', 'userDeleted', 'dee', dayStart(utcDay(NOW))],
          ['E1', 'assigned', 'eve', dayStart(utcDay(NOW))],
          ['B1', 'revoked', 'bob', dayStart(utcDay(NOW))],
        ],
      );
      assert.deepEqual((await s.events(lastDays(5), 'CORP\\bob')).map((e) => e.change), ['revoked']);
      assert.deepEqual(await s.events(lastDays(1, day1)), []);
      const third = await s.recordSync({ at: NOW + 1000, records: [], allocations: [allocation('A1', ann, { quarantined: true }), allocation('C1', cid), allocation('D1', person('dee'), { userDeleted: true }), allocation('E1', person('eve'), {}, 'professional')], listedKinds: ['user', 'professional'], tokenCosts: cost });
      assert.deepEqual([third.events, third.written], [0, false], 'an unchanged set writes nothing');
    });

    it('takes no allocation of a kind the sync did not list as revoked, and compares with it when listed again', async () => {
      const s = await store();
      const all = [allocation('A1', ann), allocation('B1', bob), allocation('P1', cid, {}, 'professional')];
      const both: PassKind[] = ['user', 'professional'];
      await s.recordSync({ at: NOW - 3 * DAY_MS, records: [], allocations: all, listedKinds: both, tokenCosts: cost });
      // The overview answered `{}`: no kind offered, so no allocation list was read.
      const blind = await s.recordSync({ at: NOW - 2 * DAY_MS, records: [], allocations: [], listedKinds: [], tokenCosts: cost });
      assert.equal(blind.events, 0);
      const again = await s.recordSync({ at: NOW - DAY_MS, records: [], allocations: all, listedKinds: both, tokenCosts: cost });
      assert.equal(again.events, 0, 'the allocations are the ones last seen, not newly assigned');
      assert.deepEqual(await s.events(lastDays(5)), []);

      // Listing users only: bob's pass is gone, cid's professional pass was not looked at.
      const usersOnly = await s.recordSync({ at: NOW, records: [], allocations: [allocation('A1', ann)], listedKinds: ['user'], tokenCosts: cost });
      assert.equal(usersOnly.events, 1);
      const profOnly = await s.recordSync({ at: NOW + 1000, records: [], allocations: [], listedKinds: ['professional'], tokenCosts: cost });
      assert.equal(profOnly.events, 1, "cid's pass was carried over, so its absence now counts");
      assert.deepEqual(
        (await s.events(lastDays(5))).map((e) => [e.allocationId, e.change]),
        [['B1', 'revoked'], ['P1', 'revoked']],
      );
    });

    it('keeps the last allocations across compaction', async () => {
      const s = await store();
      await s.recordSync({ at: NOW - DAY_MS, records: [], allocations: [allocation('A1', ann)], listedKinds: ['user'], tokenCosts: cost });
      await s.compact();
      const r = await s.recordSync({ at: NOW, records: [], allocations: [], listedKinds: ['user'], tokenCosts: cost });
      assert.equal(r.events, 1);
      assert.deepEqual((await s.events(lastDays(3))).map((e) => e.change), ['revoked']);
    });
  });

  it('tells the span of days it holds', async () => {
    const s = await store({ retentionDays: 30 });
    assert.equal(await s.extent(), null);
    await sync(s, [pass('a', ann, 40), pass('b', ann, 20), pass('c', bob, 3)]);
    assert.deepEqual(await s.extent(), { from: dayStart(utcDay(NOW) - 20), to: dayStart(utcDay(NOW) - 2) }, 'day 40 is past retention');
    await s.recordSync({ at: NOW, records: [], allocations: null, listedKinds: [], tokenCosts: cost, pool: { totalTokens: 1, availableTokens: 1, usedTokens: 0 } });
    assert.deepEqual(await s.extent(), { from: dayStart(utcDay(NOW) - 20), to: dayStart(utcDay(NOW) + 1) }, 'a pool reading counts');
  });

  it('keeps the pool as the last sync of each day saw it', async () => {
    const s = await store();
    const pool = (available: number) => ({ totalTokens: 100, availableTokens: available, usedTokens: 100 - available });
    await s.recordSync({ at: NOW - 3 * DAY_MS, records: [], allocations: null, listedKinds: [], tokenCosts: cost, pool: pool(30) });
    await s.recordSync({ at: NOW - 60_000, records: [], allocations: null, listedKinds: [], tokenCosts: cost, pool: pool(20) });
    await s.recordSync({ at: NOW, records: [], allocations: null, listedKinds: [], tokenCosts: cost, pool: pool(12) });
    const site = await s.siteSeries(lastDays(4));
    assert.deepEqual(site.map((p) => p.pool?.availableTokens ?? null), [30, null, null, 12]);
  });

  describe('topUsers', () => {
    it('ranks by token-equivalents, then capacity minutes, with each one’s daily series', async () => {
      const s = await store();
      await sync(s, [
        ...[1, 2, 3].map((i) => pass(`a${i}`, ann, i)),
        ...[1, 2, 3, 4, 5].map((i) => pass(`b${i}`, bob, 1)),
        capacity('c', cid, 1, 600),
        pass('d', person('dee'), 1),
        capacity('d2', person('dee'), 1, 6),
      ]);
      const top = await s.topUsers(lastDays(7), 3);
      assert.deepEqual(top.map((t) => [t.user.name, t.total.loginPasses, t.total.tokens]), [['Bob', 5, 0.5], ['Ann', 3, 0.3], ['DEE', 1, 0.1]]);
      assert.equal(top[1]?.series.length, 7);
      assert.deepEqual(top[1]?.series.slice(-4).map((p) => p.loginPasses), [1, 1, 1, 0]);
      assert.deepEqual((await s.topUsers(lastDays(2), 1)).map((t) => t.user.id), ['bob']);
      assert.deepEqual(await s.topUsers(lastDays(7), 0), []);
    });

    it('gives each user their own series whether it seeks to a few users or reads every block (a whole site)', async () => {
      const s = await store({ compactAfterSyncs: 1000 });
      const users = Array.from({ length: 40 }, (_, i) => person(`u${String(i).padStart(2, '0')}`));
      const recs: UsageRecord[] = [];
      users.forEach((u, i) => {
        // Every user a different total, over three months, so January and February are whole months.
        for (let d = 0; d < 70; d += 1 + (i % 4)) {
          recs.push(pass(`${u.id}-${d}`, u, d), ...(d % 9 === 0 ? [pass(`${u.id}-${d}-b`, u, d)] : []));
        }
      });
      await sync(s, recs);
      await s.compact();
      const range = lastDays(90);
      const own = new Map(await Promise.all(users.map(async (u) => [u.id, await s.userSeries(u.id, range)] as const)));
      const all = await s.topUsers(range, users.length);
      const few = await s.topUsers(range, 2);
      assert.equal(all.length, users.length);
      assert.deepEqual(few, all.slice(0, 2));
      for (const t of all) {
        assert.deepEqual(t.series, own.get(t.user.id), t.user.id);
      }
      assert.ok(all.every((t, i) => i === 0 || (all[i - 1]?.total.tokens ?? 0) >= t.total.tokens));
    });
  });

  describe('retention and compaction', () => {
    it('drops days older than the retention from queries, and their months from disk', async () => {
      let now = NOW;
      const dir = await dirs.make();
      const s = await store({ retentionDays: 30, now: () => now }, dir);
      await sync(s, [pass('old', ann, 25), pass('new', ann, 1)]);
      assert.equal(sum(await s.userSeries('ann', lastDays(60, now))), 2);
      now = NOW + 10 * DAY_MS; // 'old' is now 35 days back
      assert.equal(sum(await s.userSeries('ann', lastDays(60, now))), 1);
      assert.equal(sum(await s.siteSeries(lastDays(60, now))), 1);
      assert.deepEqual((await s.topUsers(lastDays(60, now), 5)).map((t) => t.total.loginPasses), [1]);
      await s.compact();
      now = NOW + 60 * DAY_MS;
      await s.compact();
      assert.deepEqual((await readdir(dir)).filter((n) => n.startsWith('m-')), [], 'every month is past retention');
      assert.equal(sum(await s.siteSeries(lastDays(100, now))), 0);
    });

    it('answers every query the same before and after compaction, and still dedups after', async () => {
      const dir = await dirs.make();
      const s = await store({ compactAfterSyncs: 1000 }, dir);
      const users = [ann, bob, cid, person('dee'), person('eve')];
      // Five daily syncs of overlapping 20-day windows, reaching back into February.
      for (let k = 4; k >= 0; k--) {
        const recs: UsageRecord[] = [];
        for (let d = k; d < k + 20; d++) {
          users.forEach((u, i) => {
            for (let n = 0; n < ((d + i) % 3); n++) {
              recs.push(pass(`${u.id}-${d}-${n}`, u, d));
            }
          });
          recs.push(capacity(`cap-${d}`, cid, d, 6 * (d % 4)));
        }
        await s.recordSync({ at: NOW - k * DAY_MS, records: [recs], allocations: users.slice(k).map((u) => allocation(`A-${u.id}`, u)), listedKinds: ['user'], tokenCosts: cost, pool: { totalTokens: 50, availableTokens: k, usedTokens: 50 - k } });
      }
      const range = lastDays(40);
      const partial = { from: NOW - 17 * DAY_MS + 5, to: NOW - 3 * DAY_MS };
      const snapshot = async () => ({
        users: await Promise.all(users.map((u) => s.userSeries(u.id, range))),
        site: await s.siteSeries(range),
        top: await s.topUsers(range, 3),
        topPartial: await s.topUsers(partial, 5),
        events: await s.events(range),
      });
      const before = await snapshot();
      assert.ok(sum(before.site) > 100);
      const deltas = (await readdir(dir)).filter((n) => n.startsWith('d-'));
      assert.equal(deltas.length, 5);
      await mkdir(path.join(dir, 'aside'));
      await Promise.all(deltas.map((n) => copyFile(path.join(dir, n), path.join(dir, 'aside', n))));

      const result = await s.compact();
      assert.deepEqual([result.deltasMerged, result.monthsWritten], [5, 2]);
      assert.deepEqual((await readdir(dir)).filter((n) => n.startsWith('d-')), []);
      assert.deepEqual(await snapshot(), before);

      // A crash after the months were written but before the deltas were removed leaves both: nothing may count twice.
      await Promise.all(deltas.map((n) => copyFile(path.join(dir, 'aside', n), path.join(dir, n))));
      assert.deepEqual(await snapshot(), before);

      const r = await sync(s, [pass('ann-4-0', ann, 4), pass('fresh', ann, 0)]);
      assert.deepEqual([r.added, r.duplicates], [1, 1]);
    });
  });
});
