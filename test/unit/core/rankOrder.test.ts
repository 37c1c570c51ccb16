import { strict as assert } from 'node:assert';
import type { User } from '../../../src/core/model';
import { rankOrder } from '../../../src/core/rankOrder';

/** A deterministic stream of numbers in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The order a stable comparison sort gives: numbers largest first, then place, then id. */
function expected(columns: readonly Float64Array[], places: Uint32Array, users: readonly User[]): number[] {
  return users
    .map((_u, i) => i)
    .sort((i, j) => {
      for (const c of columns) {
        const d = (c[j] as number) - (c[i] as number);
        if (d) {
          return d;
        }
      }
      const id = (users[i] as User).id < (users[j] as User).id ? -1 : (users[i] as User).id > (users[j] as User).id ? 1 : 0;
      return (places[i] as number) - (places[j] as number) || id;
    });
}

describe('rankOrder (the ranking sort as counting passes)', () => {
  const kinds: Record<string, (r: () => number) => number> = {
    'thousandths with ties': (r) => Math.round(Math.floor(r() * 31) * 0.1 * 1000) / 1000,
    'whole numbers over a wide range': (r) => Math.floor(r() * 1e9),
    'any fractions, negatives and zeros of both signs': (r) => [0, -0, -1.5, 1 / 3, 2 / 3, 1e-9, 7][Math.floor(r() * 7)] as number,
    'one value': () => 5,
  };
  for (const [kind, value] of Object.entries(kinds)) {
    it(`orders as a stable comparison sort does: ${kind}`, () => {
      for (const n of [0, 1, 2, 17, 500, 3000]) {
        const r = prng(n + 1);
        const columns = [0, 1].map(() => Float64Array.from({ length: n }, () => value(r)));
        const places = Uint32Array.from({ length: n }, () => Math.floor(r() * Math.max(1, n / 20)));
        // Ids repeat too: rows tying on everything keep their given order.
        const users: User[] = Array.from({ length: n }, () => ({ id: `u${Math.floor(r() * n)}`, directory: 'D', userId: 'x', name: 'x' }));
        assert.deepEqual([...rankOrder({ descending: columns, places, users })], expected(columns, places, users), `${n} rows`);
      }
    });
  }

  it('takes NaN, which ties with everything, the way comparison always did', () => {
    const users: User[] = ['c', 'a', 'b'].map((id) => ({ id, directory: 'D', userId: id, name: id }));
    const order = rankOrder({ descending: [Float64Array.from([1, Number.NaN, 2])], places: new Uint32Array(3), users });
    assert.equal(order.length, 3);
    assert.deepEqual([...order].sort(), [0, 1, 2]);
  });
});
