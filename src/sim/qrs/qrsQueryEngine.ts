import type { QrsCollection } from './qrsCollections';
import { compileQrsFilter, QrsQueryError, type QrsFieldValue } from './qrsFilter';
import type { QrsSortKey } from './qrsOrderBy';

/** What to select from a collection. */
export interface QrsSelection {
  readonly filter?: string;
  readonly sort?: readonly QrsSortKey[];
}

const MAX_CACHED = 8;

/** Orders pre-lowered values: nulls first, then by value (strings were lowered once, up front). */
function compareDecorated(a: QrsFieldValue, b: QrsFieldValue): number {
  if (a === b) {
    return 0;
  }
  if (a === null) {
    return -1;
  }
  if (b === null) {
    return 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Runs filter + sort over a collection. For versioned (large) collections it caches both the
 * sort permutation and the filtered result until the data changes, so a client paging through
 * `/table?skip=&take=` with the same filter pays for the scan and the sort once.
 */
export class QrsQueryEngine {
  private readonly cache = new Map<string, readonly unknown[]>();

  select<R>(collection: QrsCollection<R>, selection: QrsSelection): readonly R[] {
    const filterText = selection.filter?.trim() ?? '';
    const predicate = filterText === '' ? undefined : compileQrsFilter(filterText, (p) => collection.field(p));
    const sort = selection.sort ?? [];
    for (const k of sort) {
      if (!collection.field(k.path)) {
        throw new QrsQueryError(`Invalid sort: unknown property '${k.path}'.`);
      }
    }
    const version = collection.version();
    const sortKey = sort.map((k) => `${k.path.toLowerCase()} ${k.descending ? 'desc' : 'asc'}`).join(',');
    const key = version === undefined ? undefined : `${collection.type}\u0000${version}\u0000${filterText}\u0000${sortKey}`;
    const hit = key === undefined ? undefined : this.remember(key);
    if (hit) {
      return hit as readonly R[];
    }
    const ordered = this.ordered(collection, sort, version, sortKey);
    const result: R[] = [];
    if (predicate) {
      for (let i = 0; i < ordered.length; i++) {
        const row = ordered[i] as R;
        if (predicate(row)) {
          result.push(row);
        }
      }
    } else {
      for (let i = 0; i < ordered.length; i++) {
        result.push(ordered[i] as R);
      }
    }
    if (key !== undefined) {
      this.store(key, result);
    }
    return result;
  }

  private remember(key: string): readonly unknown[] | undefined {
    const v = this.cache.get(key);
    if (v) {
      this.cache.delete(key);
      this.cache.set(key, v);
    }
    return v;
  }

  private store(key: string, value: readonly unknown[]): void {
    this.cache.set(key, value);
    while (this.cache.size > MAX_CACHED) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) {
        break;
      }
      this.cache.delete(oldest);
    }
  }

  private ordered<R>(collection: QrsCollection<R>, sort: readonly QrsSortKey[], version: number | undefined, sortKey: string): ArrayLike<R> {
    const rows = collection.rows();
    if (sort.length === 0) {
      return rows;
    }
    const [first] = sort;
    const natural = collection.naturalOrder();
    if (sort.length === 1 && first && natural && first.path.toLowerCase() === natural.toLowerCase()) {
      if (!first.descending) {
        return rows;
      }
      const reversed: R[] = new Array<R>(rows.length);
      for (let i = 0; i < rows.length; i++) {
        reversed[i] = rows[rows.length - 1 - i] as R;
      }
      return reversed;
    }
    const key = version === undefined ? undefined : `${collection.type}\u0000${version}\u0000\u0000${sortKey}\u0000sorted`;
    const hit = key === undefined ? undefined : this.remember(key);
    if (hit) {
      return hit as readonly R[];
    }
    // Decorate once, sort indices, undecorate: accessors (ids are computed) run n times, not n log n.
    const getters = sort.map((k) => {
      const field = collection.field(k.path);
      if (!field) {
        throw new QrsQueryError(`Invalid sort: unknown property '${k.path}'.`);
      }
      return { field, sign: k.descending ? -1 : 1 };
    });
    const keys: QrsFieldValue[][] = getters.map(({ field }) => {
      const col: QrsFieldValue[] = new Array<QrsFieldValue>(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const v = field.get(rows[i] as R);
        col[i] = typeof v === 'string' ? v.toLowerCase() : v;
      }
      return col;
    });
    const order = new Uint32Array(rows.length);
    for (let i = 0; i < order.length; i++) {
      order[i] = i;
    }
    order.sort((a, b) => {
      for (let k = 0; k < keys.length; k++) {
        const col = keys[k] as QrsFieldValue[];
        const c = compareDecorated(col[a] ?? null, col[b] ?? null);
        if (c !== 0) {
          return c * (getters[k]?.sign ?? 1);
        }
      }
      return a - b;
    });
    const sorted: R[] = new Array<R>(rows.length);
    for (let i = 0; i < order.length; i++) {
      sorted[i] = rows[order[i] ?? 0] as R;
    }
    if (key !== undefined) {
      this.store(key, sorted);
    }
    return sorted;
  }
}
