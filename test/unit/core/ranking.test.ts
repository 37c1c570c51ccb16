import { strict as assert } from 'node:assert';
import { DAY_MS, type Allocation, type LicenseOverview, type UsageRecord, type User } from '../../../src/core/model';
import { rankUsers } from '../../../src/core/ranking';
import { UsageTally } from '../../../src/core/usageTally';

const NOW = Date.UTC(2026, 10, 23);
const overview: LicenseOverview = {
  tokens: {
    total: 100,
    available: 5,
    userPassCost: 1,
    loginPassCost: 0.1,
    userAccess: { allocated: 2, used: 1, quarantined: 0 },
    loginAccess: { allocated: 10, used: 3, unavailable: 0 },
  },
  professional: null,
  analyzer: null,
  capacity: null,
  offeredKinds: ['user'],
};
const rules = { windowDays: 28, inactiveDays: 30, capacityBreakEvenMinutes: null };
const mk = (id: string, name: string): User => ({ id, directory: 'CORP', userId: id, name });
const ann = mk('ann', 'Ann');
const bob = mk('bob', 'Bob');
const cid = mk('cid', 'Cid');
const dee = mk('dee', 'Dee');

let seq = 0;
function passes(user: User, n: number, daysAgo = 1): UsageRecord[] {
  return Array.from({ length: n }, () => ({
    id: `r${seq++}`,
    user,
    start: NOW - daysAgo * DAY_MS,
    stop: null,
    unit: 'loginPass' as const,
    amount: 1,
    pool: 'Occasional',
  }));
}

describe('rankUsers', () => {
  it('orders by token-equivalents and attaches verdicts and holdings', () => {
    const tally = new UsageTally({ from: NOW - 28 * DAY_MS, to: NOW });
    tally.add(passes(ann, 3));
    tally.add([...passes(bob, 14), ...passes(cid, 7)]);
    const held: Allocation = {
      id: 'a-dee', kind: 'user', user: dee, lastUsed: NOW - 40 * DAY_MS, quarantined: false, quarantineEnd: null, userDeleted: false, excess: false,
    };
    const ranked = rankUsers({ overview, tally, allocations: [held], rules, now: NOW });
    assert.deepEqual(ranked.map((r) => [r.rank, r.user.name, r.loginPasses, r.tokens, r.verdict.kind]), [
      [1, 'Bob', 14, 1.4, 'assign'],
      [2, 'Cid', 7, 0.7, 'keep'],
      [3, 'Ann', 3, 0.3, 'keep'],
      [4, 'Dee', 0, 0, 'inactive'],
    ]);
    assert.equal(ranked[3]?.allocation?.id, 'a-dee');
  });

  it('gives each row its numbers exactly: fractions, counts past 32 bits, and every field as its own', () => {
    const tally = new UsageTally({ from: NOW - 28 * DAY_MS, to: NOW });
    const at = NOW - DAY_MS;
    tally.add([
      { id: 'c1', user: ann, start: at, stop: at + 750, unit: 'capacityMinutes', amount: 12.5, pool: null },
      { id: 'l1', user: bob, start: at, stop: null, unit: 'loginPass', amount: 3_000_000_000, pool: 'Occasional' },
      { id: 'l2', user: cid, start: at, stop: null, unit: 'loginPass', amount: 2, pool: 'Occasional' },
    ]);
    const ranked = rankUsers({ overview, tally, allocations: [], rules, now: NOW });
    assert.deepEqual(ranked.map((r) => [r.user.name, r.loginPasses, r.tokens, r.capacityMinutes]), [
      ['Bob', 3_000_000_000, 300_000_000, 0],
      ['Cid', 2, 0.2, 0],
      ['Ann', 0, 0, 12.5],
    ]);
    // A row is plain data to whoever copies or prints it.
    const row = ranked[1];
    assert.deepEqual(Object.keys({ ...row }), ['rank', 'user', 'loginPasses', 'tokens', 'capacityMinutes', 'allocations', 'allocation', 'lastUse', 'verdict']);
    assert.equal(JSON.parse(JSON.stringify(row)).lastUse, at);
  });

  it('ignores records outside the window', () => {
    const tally = new UsageTally({ from: NOW - 28 * DAY_MS, to: NOW });
    tally.add([...passes(ann, 2, 1), ...passes(ann, 5, 29)]);
    assert.equal(tally.recordCount, 2);
    const [top] = rankUsers({ overview, tally, allocations: [], rules, now: NOW });
    assert.equal(top?.loginPasses, 2);
  });

  it('keeps deleted users with their own row, even when several share an id', () => {
    const gone = (id: string): Allocation => ({
      id, kind: 'user', user: { id: '', directory: 'CORP', userId: `left-${id}`, name: `left-${id}` },
      lastUsed: NOW - DAY_MS, quarantined: true, quarantineEnd: NOW + 6 * DAY_MS, userDeleted: true, excess: false,
    });
    const ranked = rankUsers({ overview, tally: new UsageTally({ from: 0, to: NOW }), allocations: [gone('x'), gone('y')], rules, now: NOW });
    assert.deepEqual(ranked.map((r) => r.verdict.kind), ['deleted', 'deleted']);
  });

  it('breaks ties by name the way people read them: numbers by value, case aside', () => {
    const names = ['Filler 10', 'filler 9', 'Filler 2', 'Ann', 'Filler 1', 'ann'];
    const allocations = names.map((name, i): Allocation => ({
      id: `a${i}`, kind: 'user', user: mk(`u${i}`, name), lastUsed: NOW - DAY_MS, quarantined: false, quarantineEnd: null, userDeleted: false, excess: false,
    }));
    const ranked = rankUsers({ overview, tally: new UsageTally({ from: NOW - 28 * DAY_MS, to: NOW }), allocations, rules, now: NOW });
    // "Ann" and "ann" tie on the name; their ids (u3, u5) order them.
    assert.deepEqual(ranked.map((r) => r.user.name), ['Ann', 'ann', 'Filler 1', 'Filler 2', 'filler 9', 'Filler 10']);
  });
});
