import type { User } from './model';

/** What a ranking sorts by, one entry per row (see `rankOrder`). */
export interface RankColumns {
  /** Numbers sorted largest first, each deciding only where the ones before it tie. */
  readonly descending: readonly Float64Array[];
  /** Each row's name as its place in reading order (`namePlaces`), smallest first, after the numbers. */
  readonly places: Uint32Array;
  /** Their ids the last resort, in code-unit order; rows tying on everything keep their given order. */
  readonly users: readonly User[];
}

/**
 * A column as small integers in sort order (0 first), and how many there are. A column of one
 * value (count 1) decides nothing and has no integers: most sites' capacity minutes are all 0.
 */
interface Digits {
  readonly of: Uint32Array;
  readonly count: number;
}

const ONE_VALUE: Digits = { of: new Uint32Array(0), count: 1 };

/**
 * The rows' positions in ranking order. A ranking of 80,000 users made a million calls into a
 * comparator; instead each column becomes small integers (its values' order) and the rows are
 * counted into place column by column, last column first (a radix sort: a few passes over typed
 * arrays, no calls, no objects). Only rows tying on every column (same use, same name) are then
 * compared, by id, a run at a time: a run's ids stay in cache while it is sorted.
 */
export function rankOrder({ descending, places, users }: RankColumns): Uint32Array {
  const n = users.length;
  const digits: Digits[] = [];
  for (const column of descending) {
    const d = descendingDigits(column);
    if (d === undefined) {
      return comparedOrder({ descending, places, users });
    }
    // A column with one value decides nothing.
    if (d.count > 1) {
      digits.push(d);
    }
  }
  let placeCount = 0;
  for (let i = 0; i < n; i++) {
    placeCount = Math.max(placeCount, (places[i] as number) + 1);
  }
  digits.push({ of: places, count: placeCount });
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    order[i] = i;
  }
  let spare = new Uint32Array(n);
  for (let c = digits.length - 1; c >= 0; c--) {
    countInto(order, spare, digits[c] as Digits);
    [order, spare] = [spare, order];
  }
  breakTiesById(order, digits, users, spare);
  return order;
}

/** One stable counting pass: `from` reordered by `digits` into `to`. */
function countInto(from: Uint32Array, to: Uint32Array, { of, count }: Digits): void {
  const starts = new Uint32Array(count + 1);
  for (let k = 0; k < from.length; k++) {
    const next = (of[from[k] as number] as number) + 1;
    starts[next] = (starts[next] as number) + 1;
  }
  for (let d = 1; d <= count; d++) {
    starts[d] = (starts[d] as number) + (starts[d - 1] as number);
  }
  for (let k = 0; k < from.length; k++) {
    const i = from[k] as number;
    const d = of[i] as number;
    to[starts[d] as number] = i;
    starts[d] = (starts[d] as number) + 1;
  }
}

/** Sorts each run of rows tying on every digit by id, in place, through `scratch`. */
function breakTiesById(order: Uint32Array, digits: readonly Digits[], users: readonly User[], scratch: Uint32Array): void {
  const n = order.length;
  const ties = (a: number, b: number): boolean => {
    for (const d of digits) {
      if (d.of[a] !== d.of[b]) {
        return false;
      }
    }
    return true;
  };
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && ties(order[start] as number, order[end] as number)) {
      end++;
    }
    if (end - start > 1) {
      sortById(order, start, end, users, scratch);
    }
    start = end;
  }
}

/** Runs this short are sorted by insertion before they are merged. */
const INSERTION_RUN = 12;

/**
 * Stable: `order[from..to)` by user id in code-unit order, equal ids keeping their order. A merge
 * sort through one scratch buffer: sorting each run as an array of its own cost a few arrays per
 * run, thousands of runs per ranking.
 */
function sortById(order: Uint32Array, from: number, to: number, users: readonly User[], scratch: Uint32Array): void {
  for (let lo = from; lo < to; lo += INSERTION_RUN) {
    const hi = Math.min(lo + INSERTION_RUN, to);
    for (let i = lo + 1; i < hi; i++) {
      const pos = order[i] as number;
      const id = (users[pos] as User).id;
      let j = i - 1;
      while (j >= lo && (users[order[j] as number] as User).id > id) {
        order[j + 1] = order[j] as number;
        j--;
      }
      order[j + 1] = pos;
    }
  }
  for (let width = INSERTION_RUN; width < to - from; width *= 2) {
    for (let lo = from; lo < to - width; lo += 2 * width) {
      const mid = lo + width;
      const hi = Math.min(lo + 2 * width, to);
      for (let i = lo; i < mid; i++) {
        scratch[i] = order[i] as number;
      }
      let a = lo;
      let b = mid;
      let k = lo;
      while (a < mid && b < hi) {
        // Left first on equal ids: that is what keeps the sort stable.
        order[k++] = (users[order[b] as number] as User).id < (users[scratch[a] as number] as User).id ? (order[b++] as number) : (scratch[a++] as number);
      }
      while (a < mid) {
        order[k++] = scratch[a++] as number;
      }
    }
  }
}

/** Thousandths are as fine as a ranking's numbers go (tokens); finer ones are sorted instead. */
const SCALE = 1000;

/**
 * Each value's place among the column's distinct values, largest first (-0 and 0 one value, as
 * comparison takes them); undefined when a value is NaN. Values in whole thousandths over a
 * range no wider than the column is long (token use, hours, counts) are counted without a sort.
 */
function descendingDigits(column: Float64Array): Digits | undefined {
  const n = column.length;
  let min = Infinity;
  let max = -Infinity;
  let scaled = true;
  for (let i = 0; i < n; i++) {
    const v = column[i] as number;
    if (Number.isNaN(v)) {
      return undefined;
    }
    min = Math.min(min, v);
    max = Math.max(max, v);
    scaled &&= Math.round(v * SCALE) / SCALE === v;
  }
  if (n === 0 || min === max) {
    return ONE_VALUE;
  }
  const top = Math.round(max * SCALE);
  const range = top - Math.round(min * SCALE) + 1;
  if (!scaled || range > Math.max(n, 1024) || !Number.isSafeInteger(range)) {
    return sortedDigits(column);
  }
  // Distinct thousandths are distinct numbers in the same order, so they can stand for them.
  const present = new Uint8Array(range);
  for (let i = 0; i < n; i++) {
    present[top - Math.round((column[i] as number) * SCALE)] = 1;
  }
  const rank = new Uint32Array(range);
  let count = 0;
  for (let d = 0; d < range; d++) {
    rank[d] = count;
    count += present[d] as number;
  }
  const of = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    of[i] = rank[top - Math.round((column[i] as number) * SCALE)] as number;
  }
  return { of, count };
}

/** `descendingDigits` for any numbers: a sorted copy of the column, and a search in it per row. */
function sortedDigits(column: Float64Array): Digits {
  const n = column.length;
  const sorted = column.slice().sort();
  const distinct: number[] = [];
  for (let k = 0; k < n; k++) {
    const v = sorted[k] as number;
    if (distinct.length === 0 || v !== distinct[distinct.length - 1]) {
      distinct.push(v);
    }
  }
  const count = distinct.length;
  const of = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const v = column[i] as number;
    let lo = 0;
    let hi = count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((distinct[mid] as number) < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    of[i] = count - 1 - lo;
  }
  return { of, count };
}

/** The order by comparison, for a column holding NaN (which ties with everything, as before). */
function comparedOrder({ descending, places, users }: RankColumns): Uint32Array {
  const positions = Array.from({ length: users.length }, (_v, i) => i);
  positions.sort((i, j) => {
    for (const column of descending) {
      // Signs, not differences: a fractional difference returned is a number allocated per call.
      const a = column[i] as number;
      const b = column[j] as number;
      if (a > b) {
        return -1;
      }
      if (a < b) {
        return 1;
      }
    }
    const byPlace = (places[i] as number) - (places[j] as number);
    if (byPlace !== 0) {
      return byPlace;
    }
    const x = (users[i] as User).id;
    const y = (users[j] as User).id;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return Uint32Array.from(positions);
}
