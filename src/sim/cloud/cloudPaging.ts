import { createHash } from 'node:crypto';
import { CloudCursorError, type CloudCursorCodec, type CursorKey, type CursorPayload } from './cloudCursor';
import { CloudSimError } from './cloudSimState';

/** A value rows sort by. */
export type SortValue = string | number | boolean | null;

/** How a list sorts and pages. */
export interface CloudListSpec<T> {
  /** Name cursors are bound to, e.g. `users`. */
  readonly list: string;
  /** Sortable fields by the name the `sort` parameter uses. */
  readonly sortFields: Readonly<Record<string, (row: T) => SortValue>>;
  /** E.g. `+name`. */
  readonly defaultSort: string;
  /** A unique, stable id: the tie-breaker that makes keyset paging exact. */
  id(row: T): string;
}

/** A parsed `sort` parameter. */
export interface CloudSort<T> {
  /** Canonical form, `+field` or `-field`. */
  readonly text: string;
  readonly descending: boolean;
  readonly get: (row: T) => SortValue;
}

/** One page of a list and the cursors around it. */
export interface CloudPage<T> {
  readonly rows: readonly T[];
  /** Cursor token for the rows after this page, when there are some. */
  readonly next?: string;
  /** Cursor token for the rows before this page, when there are some. */
  readonly prev?: string;
  /** All rows the query matched (for `totalResults`). */
  readonly total: number;
}

/** Parses `sort` (`name`, `+name`, `-name`) against a list's fields; an unknown field is a 400. */
export function parseSort<T>(spec: CloudListSpec<T>, text: string | undefined, code: string): CloudSort<T> {
  const raw = text === undefined || text === '' ? spec.defaultSort : text;
  const descending = raw.startsWith('-');
  const name = raw.replace(/^[+-]/, '');
  const get = spec.sortFields[name];
  if (!get) {
    throw new CloudSimError(400, code, 'Bad request', `Cannot sort by '${name}'; sortable: ${Object.keys(spec.sortFields).join(', ')}.`);
  }
  return { text: `${descending ? '-' : '+'}${name}`, descending, get };
}

function compareValues(a: SortValue, b: SortValue): number {
  if (a === b) {
    return 0;
  }
  if (a === null) {
    return -1;
  }
  if (b === null) {
    return 1;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    const la = a.toLowerCase();
    const lb = b.toLowerCase();
    return la < lb ? -1 : la > lb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === typeof b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return String(a) < String(b) ? -1 : 1;
}

function compareKeys(a: CursorKey, b: CursorKey, descending: boolean): number {
  const byValue = compareValues(a[0] ?? null, b[0] ?? null);
  if (byValue !== 0) {
    return descending ? -byValue : byValue;
  }
  return compareValues(a[1] ?? null, b[1] ?? null);
}

/** A short digest of the parameters that decide which rows a query matches. */
export function queryDigest(params: Readonly<Record<string, string | undefined>>): string {
  const entries = Object.entries(params)
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash('sha256').update(JSON.stringify(entries)).digest('base64url').slice(0, 16);
}

/** Opens a cursor for a list, sort and query; anything else is the 400 the specs declare for a bad request. */
export function openCursor(
  codec: CloudCursorCodec,
  token: string,
  expect: { list: string; dir: 'next' | 'prev' | 'either'; sort: string; query: string },
  code: string,
): CursorPayload {
  let payload: CursorPayload;
  try {
    payload = codec.decode(token);
  } catch (e) {
    if (e instanceof CloudCursorError) {
      throw new CloudSimError(400, code, 'Bad request', `Invalid cursor: ${e.message}`);
    }
    throw e;
  }
  if (payload.list !== expect.list || (expect.dir !== 'either' && payload.dir !== expect.dir)) {
    throw new CloudSimError(400, code, 'Bad request', `Invalid cursor: it is not a ${expect.dir === 'either' ? '' : `${expect.dir} `}cursor of ${expect.list}.`);
  }
  if (payload.sort !== expect.sort || payload.query !== expect.query) {
    throw new CloudSimError(400, code, 'Bad request', 'Invalid cursor: it continues a query with another filter or sort; follow links.next.href as given.');
  }
  return payload;
}

/**
 * Sorts rows and cuts one page by keyset: a cursor holds the sort key of the row it stopped at,
 * so rows added or removed between pages neither repeat nor skip the others.
 */
export function pageRows<T>(
  spec: CloudListSpec<T>,
  rows: readonly T[],
  request: { readonly sort: CloudSort<T>; readonly limit: number; readonly cursor?: CursorPayload; readonly query: string },
  codec: CloudCursorCodec,
): CloudPage<T> {
  const key = (row: T): CursorKey => [request.sort.get(row), spec.id(row)];
  const keyed = rows.map((row) => ({ row, key: key(row) }));
  keyed.sort((a, b) => compareKeys(a.key, b.key, request.sort.descending));
  const cursor = request.cursor;
  let start = 0;
  let end = keyed.length;
  if (cursor) {
    const at = keyed.findIndex((k) => compareKeys(k.key, cursor.key, request.sort.descending) >= 0);
    const pos = at < 0 ? keyed.length : at;
    if (cursor.dir === 'next') {
      start = pos < keyed.length && compareKeys(keyed[pos]?.key ?? [], cursor.key, request.sort.descending) === 0 ? pos + 1 : pos;
      end = Math.min(keyed.length, start + request.limit);
    } else {
      end = pos;
      start = Math.max(0, end - request.limit);
    }
  } else {
    end = Math.min(keyed.length, request.limit);
  }
  const page = keyed.slice(start, end);
  const seal = (dir: 'next' | 'prev', k: CursorKey): string =>
    codec.encode({ list: spec.list, dir, sort: request.sort.text, query: request.query, key: k });
  const first = page[0];
  const last = page[page.length - 1];
  return {
    rows: page.map((k) => k.row),
    ...(last && end < keyed.length ? { next: seal('next', last.key) } : {}),
    ...(first && start > 0 ? { prev: seal('prev', first.key) } : {}),
    total: keyed.length,
  };
}

/** An absolute link to the same list with the cursor parameter replaced (the query's other parameters repeated). */
export function pageHref(baseUrl: string, path: string, query: Readonly<Record<string, string>>, cursorParam: { name: string; value: string } | undefined, drop: readonly string[]): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (!drop.includes(k)) {
      params.append(k, v);
    }
  }
  if (cursorParam) {
    params.append(cursorParam.name, cursorParam.value);
  }
  const qs = params.toString();
  return `${baseUrl}${path}${qs ? `?${qs}` : ''}`;
}
