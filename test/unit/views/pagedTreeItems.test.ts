import { strict as assert } from 'node:assert';
import { DAY_MS, type Allocation, type LicenseOverview, type User } from '../../../src/core/model';
import { rankUsers, type RankedUser } from '../../../src/core/ranking';
import type { SyncResult } from '../../../src/core/sync';
import { UsageTally } from '../../../src/core/usageTally';
import { PagedTreeItems } from '../../../src/views/pagedTreeItems';
import { RankingIndex, type ListKey } from '../../../src/views/rankingIndex';
import { describeUser, describeUserChangesAt } from '../../../src/views/userNodeText';

const NOW = Date.UTC(2026, 10, 30, 12);
const PAGE = 50;

const overview: LicenseOverview = {
  tokens: { total: 500, available: 10, userPassCost: 1, loginPassCost: 0.1, userAccess: { allocated: 40, used: 40, quarantined: 0 }, loginAccess: { allocated: 10, used: 1, unavailable: 0 } },
  professional: null,
  analyzer: null,
  capacity: null,
  offeredKinds: ['user'],
};

/** 260 heavy users (assign), 130 light ones (keep), 40 idle passes (revoke), 5 passes used today (holds). */
function bigResult(): SyncResult {
  const tally = new UsageTally({ from: NOW - 28 * DAY_MS, to: NOW });
  const user = (i: number): User => ({ id: `u${i}`, directory: 'CORP', userId: `user${i}`, name: `User ${i}` });
  let seq = 0;
  const passes = (u: User, n: number) => {
    for (let k = 0; k < n; k++) {
      tally.addRecord({ id: `r${seq++}`, user: u, start: NOW - DAY_MS, stop: null, unit: 'loginPass', amount: 1, pool: null });
    }
  };
  for (let i = 0; i < 260; i++) {
    passes(user(i), 10 + (i % 7));
  }
  for (let i = 260; i < 390; i++) {
    passes(user(i), 1 + (i % 5));
  }
  const pass = (u: User, lastUsed: number): Allocation => ({ id: `a-${u.id}`, kind: 'user', user: u, lastUsed, quarantined: false, quarantineEnd: null, userDeleted: false, excess: false });
  const allocations = [
    ...Array.from({ length: 40 }, (_, i) => pass(user(400 + i), NOW - (40 + i) * DAY_MS)),
    ...Array.from({ length: 5 }, (_, i) => pass(user(500 + i), NOW - (i + 1) * 60_000)),
  ];
  const rules = { windowDays: 28, inactiveDays: 30, capacityBreakEvenMinutes: null };
  return { overview, allocations, tally, ranked: rankUsers({ overview, tally, allocations, rules, now: NOW }), at: NOW, dropped: [] };
}

/** Items as strings, and a count of the builds per list. */
function pagedItems(index: RankingIndex): { items: PagedTreeItems<string>; builds: Map<ListKey, number> } {
  const builds = new Map<ListKey, number>();
  let building: ListKey = 'flat';
  const list = (key: ListKey): readonly RankedUser[] => {
    building = key;
    return index.list(key);
  };
  const items = new PagedTreeItems<string>(PAGE, list, (r, now) => {
    builds.set(building, (builds.get(building) ?? 0) + 1);
    return { item: `${r.rank} ${describeUser(r, now)}`, validUntil: describeUserChangesAt(r, now) };
  });
  return { items, builds };
}

/** What VS Code does after each "Show more": asks for the item of every user shown so far. */
function showPages(items: PagedTreeItems<string>, index: RankingIndex, key: ListKey, pages: number, now = NOW): string[] {
  const shown = index.list(key).slice(0, pages * PAGE);
  return shown.map((_r, i) => items.item(key, i, now));
}

describe('PagedTreeItems (the Users tree builds each page of a list once)', () => {
  it('builds only the new page on each "Show more" of the flat ranking, and reuses the shown ones', () => {
    const index = new RankingIndex('c1', bigResult());
    const { items } = pagedItems(index);
    const total = index.list('flat').length;
    const perClick: number[] = [];
    for (let pages = 1; pages * PAGE < total + PAGE; pages++) {
      const before = items.built;
      const shown = showPages(items, index, 'flat', pages);
      perClick.push(items.built - before);
      assert.equal(shown.length, Math.min(total, pages * PAGE));
      assert.equal(shown[shown.length - 1], `${shown.length} ${describeUser(index.list('flat')[shown.length - 1] as RankedUser, NOW)}`);
    }
    assert.deepEqual(perClick, perClick.map((_n, i) => Math.min(PAGE, total - i * PAGE)));
    assert.equal(items.built, total, 'every user built exactly once');
  });

  it('gives each group of the grouped tree pages of its own', () => {
    const index = new RankingIndex('c1', bigResult());
    const { items, builds } = pagedItems(index);
    assert.deepEqual(index.groups().map((g) => [g.kind, g.users.length]), [['assign', 260], ['revoke', 40], ['holds', 5], ['keep', 130]]);
    // Page through "Should get a pass" three times: only its first three pages are built.
    for (let pages = 1; pages <= 3; pages++) {
      showPages(items, index, 'assign', pages);
    }
    assert.deepEqual([...builds], [['assign', 3 * PAGE]]);
    // Opening "Fine on login passes" builds its first page and nothing of the other lists.
    showPages(items, index, 'keep', 1);
    showPages(items, index, 'assign', 3);
    assert.deepEqual([...builds], [['assign', 3 * PAGE], ['keep', PAGE]]);
    // A user is at a different place in the flat ranking: that list is paged apart.
    const r = index.list('keep')[7] as RankedUser;
    assert.equal(items.item('flat', r.rank - 1, NOW), `${r.rank} ${describeUser(r, NOW)}`);
    assert.equal(builds.get('flat'), PAGE);
    assert.equal(items.built, 5 * PAGE);
    assert.throws(() => items.item('holds', 5, NOW), RangeError);
  });

  it('builds a page again once an age in it would read differently, and only that page', () => {
    const index = new RankingIndex('c1', bigResult());
    const { items } = pagedItems(index);
    // The "holds" group's passes were used minutes ago: its description ages by the minute.
    const holds = index.list('holds');
    assert.match(items.item('holds', 0, NOW), /last used 1 min ago/);
    showPages(items, index, 'revoke', 1);
    const built = items.built;
    const later = NOW + 2 * 60_000;
    assert.match(items.item('holds', 0, later), /last used 3 min ago/);
    assert.equal(items.built, built + holds.length, 'the holds page was built again');
    // The idle passes read "unused N days": nothing there changes within the day.
    assert.equal(showPages(items, index, 'revoke', 1, later)[0], showPages(items, index, 'revoke', 1, NOW)[0]);
    assert.equal(items.built, built + holds.length, 'the revoke page was kept');
    // A clock set back must not show ages from the future.
    items.item('revoke', 0, NOW - DAY_MS);
    assert.equal(items.built, built + holds.length + 40);
  });
});
