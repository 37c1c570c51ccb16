import { strict as assert } from 'node:assert';
import { DAY_MS, type Allocation, type LicenseOverview, type User } from '../../../src/core/model';
import { compareNames, nameSortKey, NameKeys } from '../../../src/core/nameOrder';
import { rankUsers } from '../../../src/core/ranking';
import { UsageTally } from '../../../src/core/usageTally';

const NOW = Date.UTC(2026, 10, 30);
const rules = { windowDays: 28, inactiveDays: 30, capacityBreakEvenMinutes: null };
const overview: LicenseOverview = {
  tokens: { total: 10, available: 1, userPassCost: 1, loginPassCost: 0.1, userAccess: { allocated: 0, used: 0, quarantined: 0 }, loginAccess: { allocated: 0, used: 0, unavailable: 0 } },
  professional: null,
  analyzer: null,
  capacity: null,
  offeredKinds: ['user'],
};

/** Names as sites have them: numbered fillers, cases, spaces, punctuation, accents, other scripts. */
function siteNames(): string[] {
  const names: string[] = [];
  for (let i = 0; i < 400; i++) {
    names.push(`Filler ${i}`, `filler ${(i * 7) % 50}`, `User${String(i % 30).padStart(3, '0')}`, `u${i % 12}x${i % 5}`);
  }
  names.push('Ann', 'ann', 'ANN', 'Ann Lee', 'Ann-Lee', 'Annlee', "O'Neil", 'Oneil', 'van der Berg', 'Vanderberg', 'a.b', 'a b', 'ab', 'A1', 'a01', 'a001b', '10', '9', '09', '', ' ');
  names.push('Émile', 'Emile', 'Eli', 'Emma', 'Zoë', 'Zoe', 'Åsa', 'Øyvind', 'Jürgen', 'Juergen', '山田', 'Ωmega', 'tab\tname', 'x'.repeat(3) + '1'.repeat(20));
  return names;
}

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

describe('name order (one collator, keys learnt from it)', () => {
  it('reads numbers by value and ignores case and accents, as people read names', () => {
    const sorted = ['Filler 10', 'filler 9', 'Filler 2', 'Ann', 'Filler 1', 'émile', 'Emma'].sort(compareNames);
    assert.deepEqual(sorted, ['Ann', 'émile', 'Emma', 'Filler 1', 'Filler 2', 'filler 9', 'Filler 10']);
    assert.equal(compareNames('Anna', 'anna'), 0);
    assert.equal(compareNames('Emile', 'Émile'), 0);
    assert.equal(compareNames('User007', 'User7'), 0);
  });

  it('gives keys whose plain order is the collator order, for every pair of names that have keys', () => {
    const names = siteNames();
    const keyed = names.filter((n) => nameSortKey(n) !== undefined);
    assert.ok(keyed.length > 1500, 'most names have keys');
    for (const name of ['Émile', 'Zoë', '山田', 'Ωmega', 'tab\tname', 'xxx11111111111111111111']) {
      assert.equal(nameSortKey(name), undefined, name);
    }
    // Every pair, both ways: a key order that differed anywhere would reorder a ranking.
    const sample = keyed.filter((_n, i) => i % 7 === 0).concat(keyed.slice(-30));
    for (const a of sample) {
      for (const b of sample) {
        const ka = nameSortKey(a) as string;
        const kb = nameSortKey(b) as string;
        assert.equal(ka < kb ? -1 : ka > kb ? 1 : 0, sign(compareNames(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      }
    }
  });

  it('turns keys off for a collation that pairs ASCII letters (Danish aa, Czech ch) or is not numeric', () => {
    for (const locale of ['da', 'cs']) {
      const keys = new NameKeys(new Intl.Collator(locale, { numeric: true, sensitivity: 'base' }));
      assert.equal(keys.available, false, locale);
      assert.equal(keys.key('Aaron'), undefined);
    }
    assert.equal(new NameKeys(new Intl.Collator('en', { sensitivity: 'base' })).available, false, 'not numeric');
    // Lithuanian puts y beside i: one letter's weight, which the keys learn.
    const lt = new Intl.Collator('lt', { numeric: true, sensitivity: 'base' });
    const ltKeys = new NameKeys(lt);
    assert.equal(ltKeys.available, true);
    const words = ['yra', 'ir', 'jis', 'zuikis', 'hm', 'Ya', 'i2', 'i10'];
    const byKey = [...words].sort((a, b) => ((ltKeys.key(a) as string) < (ltKeys.key(b) as string) ? -1 : 1));
    assert.deepEqual(byKey, [...words].sort(lt.compare));
  });

  it('ranks ties by that order, names with and without keys mixed, ids last, without a collator per comparison', () => {
    const names = siteNames();
    const users: User[] = names.map((name, i) => ({ id: `id-${String(i).padStart(5, '0')}`, directory: 'CORP', userId: `u${i}`, name }));
    const tally = new UsageTally({ from: NOW - 28 * DAY_MS, to: NOW });
    // Three tie groups of token use, each holding every kind of name.
    users.forEach((user, i) => tally.addRecord({ id: `r${i}`, user, start: NOW - DAY_MS, stop: null, unit: 'loginPass', amount: 1 + (i % 3), pool: null }));
    const allocations: Allocation[] = [];
    const collators = Intl.Collator;
    const localeCompare = String.prototype.localeCompare;
    let built = 0;
    let calls = 0;
    Intl.Collator = new Proxy(collators, { construct: (target, args: [string?, Intl.CollatorOptions?]) => (built++, new target(...args)) });
    // oxlint-disable-next-line no-extend-native -- a spy on the slow path, restored below
    String.prototype.localeCompare = function (this: string, ...args: Parameters<string['localeCompare']>) {
      calls++;
      return localeCompare.apply(this, args);
    };
    let ranked;
    try {
      ranked = rankUsers({ overview, tally, allocations, rules, now: NOW });
    } finally {
      Intl.Collator = collators;
      // oxlint-disable-next-line no-extend-native -- restores the original
      String.prototype.localeCompare = localeCompare;
    }
    assert.equal(built, 0, 'no collator built while ranking');
    assert.equal(calls, 0, 'no localeCompare');
    const expected = users
      .map((user, i) => ({ user, passes: 1 + (i % 3) }))
      .sort((a, b) => b.passes - a.passes || compareNames(a.user.name, b.user.name) || (a.user.id < b.user.id ? -1 : 1))
      .map((x) => x.user.id);
    assert.deepEqual(ranked.map((r) => r.user.id), expected);
    assert.deepEqual(ranked.map((r) => r.rank), ranked.map((_r, i) => i + 1));
  });
});
