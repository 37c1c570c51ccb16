import { strict as assert } from 'node:assert';
import { ACTION_GROUP_ORDER, actionGroupLabel, actionGroupOf, groupByAction } from '../../../src/core/actionGroups';
import { DAY_MS, type Allocation, type LicenseOverview, type UsageRecord, type User } from '../../../src/core/model';
import { rankUsers, type RankedUser } from '../../../src/core/ranking';
import { summarize } from '../../../src/core/siteSummary';
import { UsageTally } from '../../../src/core/usageTally';
import type { Verdict } from '../../../src/core/verdict';

const NOW = Date.UTC(2026, 10, 23, 12);
const overview: LicenseOverview = {
  tokens: {
    total: 100, available: 5, userPassCost: 1, loginPassCost: 0.1,
    userAccess: { allocated: 4, used: 2, quarantined: 1 },
    loginAccess: { allocated: 10, used: 3, unavailable: 0 },
  },
  professional: null,
  analyzer: null,
  capacity: null,
  offeredKinds: ['user'],
};
const rules = { windowDays: 28, inactiveDays: 30, capacityBreakEvenMinutes: null };
const mk = (id: string): User => ({ id, directory: 'CORP', userId: id, name: id });

let seq = 0;
function passes(user: User, n: number): UsageRecord[] {
  return Array.from({ length: n }, () => ({ id: `r${seq++}`, user, start: NOW - DAY_MS, stop: null, unit: 'loginPass' as const, amount: 1, pool: null }));
}
function pass(user: User, over: Partial<Allocation>): Allocation {
  return { id: `a-${user.id}`, kind: 'user', user, lastUsed: NOW - DAY_MS, quarantined: false, quarantineEnd: null, userDeleted: false, excess: false, ...over };
}

/** A site with one or more users of every verdict. */
function site(): RankedUser[] {
  const tally = new UsageTally({ from: NOW - 28 * DAY_MS, to: NOW });
  tally.add([...passes(mk('heavy1'), 14), ...passes(mk('heavy2'), 23), ...passes(mk('light'), 3)]);
  const allocations = [
    pass(mk('idle1'), { lastUsed: NOW - 41 * DAY_MS }),
    pass(mk('idle2'), { lastUsed: NOW - 90 * DAY_MS }),
    pass(mk('active'), {}),
    pass(mk('waiting'), { quarantined: true, quarantineEnd: NOW + 5 * DAY_MS }),
    pass({ id: '', directory: 'CORP', userId: 'left', name: 'left' }, { id: 'a-left', userDeleted: true, quarantined: true, quarantineEnd: NOW + 3 * DAY_MS }),
  ];
  return rankUsers({ overview, tally, allocations, rules, now: NOW });
}

describe('action groups', () => {
  it('puts the two jobs first and labels each group as the admin reads it', () => {
    const groups = groupByAction(site());
    assert.deepEqual(groups.map((g) => g.label), [
      'Should get a pass (2 · saves 1.7 tokens / 28 days)',
      'Unused passes (2 · frees 2 tokens)',
      'Quarantined (1)',
      'Deleted users holding passes (1)',
      'Uses its pass (1)',
      'Fine on login passes (1)',
    ]);
    // Orphaned assignments and denials are Qlik Cloud's and License Statistics' own groups.
    assert.deepEqual(groups.map((g) => g.kind), ACTION_GROUP_ORDER.filter((k) => k !== 'orphaned' && k !== 'denied'));
  });

  it('keeps rank order inside a group and loses nobody', () => {
    const ranked = site();
    const groups = groupByAction(ranked);
    assert.deepEqual(groups[0]?.users.map((r) => r.user.id), ['heavy2', 'heavy1']);
    assert.equal(groups.reduce((n, g) => n + g.users.length, 0), ranked.length);
    for (const g of groups) {
      assert.ok(g.users.every((r) => actionGroupOf(r) === g.kind));
      const ranks = g.users.map((r) => r.rank);
      assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
    }
  });

  it('adds up to the summary the CLI prints', () => {
    const ranked = site();
    const s = summarize(ranked);
    const groups = new Map(groupByAction(ranked).map((g) => [g.kind, g.users.length]));
    assert.equal(groups.get('assign'), s.assignCandidates);
    assert.equal(groups.get('revoke'), s.revokeCandidates);
    assert.equal((groups.get('quarantined') ?? 0) + (groups.get('deleted') ?? 0), s.quarantined);
  });

  it('hides empty groups', () => {
    const tally = new UsageTally({ from: NOW - 28 * DAY_MS, to: NOW });
    tally.add(passes(mk('light'), 2));
    const groups = groupByAction(rankUsers({ overview, tally, allocations: [], rules, now: NOW }));
    assert.deepEqual(groups.map((g) => g.label), ['Fine on login passes (1)']);
    assert.deepEqual(groupByAction([]), []);
  });

  it('leaves out a token effect no verdict of the group counts', () => {
    const row = (verdict: Verdict, over: Partial<RankedUser> = {}): RankedUser => ({
      rank: 1, user: mk('x'), loginPasses: 0, tokens: 0, capacityMinutes: 0, allocations: [], allocation: null, lastUse: null, verdict, ...over,
    });
    // Unused professional access frees a seat, not tokens; a capacity verdict saves no tokens either.
    assert.equal(actionGroupLabel('revoke', [row({ kind: 'inactive', text: '' })]), 'Unused passes (1)');
    assert.equal(actionGroupLabel('assign', [row({ kind: 'assign', text: '', suggestedKind: 'analyzer' })]), 'Should get a pass (1)');
    assert.equal(actionGroupLabel('assign', [row({ kind: 'assign', text: '', tokensSaved: 0 })]), 'Should get a pass (1 · saves 0 tokens / 28 days)');
    assert.equal(actionGroupLabel('revoke', [row({ kind: 'inactive', text: '', tokensSaved: 1 })]), 'Unused passes (1 · frees 1 token)');
  });

  it('says what users without a pass ride on', () => {
    const keep = (loginPasses: number, capacityMinutes: number): RankedUser => ({
      rank: 1, user: mk('x'), loginPasses, tokens: loginPasses / 10, capacityMinutes, allocations: [], allocation: null, lastUse: null, verdict: { kind: 'keep', text: '' },
    });
    assert.equal(actionGroupLabel('keep', [keep(3, 0), keep(1, 0)]), 'Fine on login passes (2)');
    assert.equal(actionGroupLabel('keep', [keep(0, 30)]), 'Fine on analyzer capacity (1)');
    assert.equal(actionGroupLabel('keep', [keep(0, 30), keep(2, 0)]), 'Fine without a pass (2)');
  });
});
