import { CSV_EOL, csvCell } from '../core/csv';
import { terminalSafe } from '../core/displayText';
import { formatAmount, formatDate } from '../core/format';
import { userKey } from '../core/model';
import type { RankedUser } from '../core/ranking';

/** Output formats of `rank`. */
export type RankFormat = 'table' | 'json' | 'csv';

/** The documented JSON row of `rank --format json`; scripts depend on these names. */
export interface RankRow {
  readonly rank: number;
  /** Null where the system has no user directories (Qlik Cloud, License Statistics). */
  readonly userDirectory: string | null;
  /** The QRS user id; the subject on Qlik Cloud; the user name on License Statistics. */
  readonly userId: string;
  readonly name: string;
  readonly loginPasses: number;
  readonly tokens: number;
  readonly capacityMinutes: number;
  readonly allocation: null | { readonly kind: string; readonly id: string; readonly quarantined: boolean; readonly lastUsed: string | null };
  /** The verdict's kind: assign, keep, holds, inactive, quarantined, deleted. */
  readonly verdict: string;
  /** The verdict with its arithmetic. */
  readonly reason: string;
  /** License Statistics only: hours of license use in the window. */
  readonly hoursUsed?: number;
  /** License Statistics only: the most licenses of one feature held at once (null: not reported). */
  readonly peakLicenses?: number | null;
  /** License Statistics only: checkouts refused for want of a free license in the window. */
  readonly denials?: number;
}

/** Maps a ranked user to its JSON row. */
export function toRankRow(r: RankedUser): RankRow {
  const a = r.allocation;
  return {
    rank: r.rank,
    userDirectory: r.user.directory === '' ? null : r.user.directory,
    userId: r.user.userId,
    name: r.user.name,
    loginPasses: r.loginPasses,
    tokens: r.tokens,
    capacityMinutes: r.capacityMinutes,
    allocation: a
      ? { kind: a.kind, id: a.id, quarantined: a.quarantined, lastUsed: a.lastUsed === null ? null : new Date(a.lastUsed).toISOString() }
      : null,
    verdict: r.verdict.kind,
    reason: r.verdict.text,
    ...(r.hoursUsed === undefined ? {} : { hoursUsed: r.hoursUsed, peakLicenses: r.peakLicenses ?? null, denials: r.denials ?? 0 }),
  };
}

/**
 * Renders the ranking in the asked format; `limit` only applies to the table. Names come from the
 * site's user directory and land on a terminal: the table and the CSV show control characters as
 * U+FFFD, the JSON escapes them, so it still parses to exactly what the server sent.
 */
export function renderRanking(rows: readonly RankedUser[], format: RankFormat, limit?: number): string {
  return [...rankingChunks(rows, format, limit)].join('');
}

/**
 * `renderRanking`'s text in pieces to write one after the other. A ranking of 100,000 users as
 * JSON is 30 MB: rendered whole, its rows' text, the joined text and its UTF-8 copy were all held
 * at once (a process ranking 100,000 synthetic users peaked at 366 MB; in pieces, at 210 MB).
 */
export function* rankingChunks(rows: readonly RankedUser[], format: RankFormat, limit?: number): Generator<string> {
  switch (format) {
    case 'json':
      yield* rankJsonChunks(rows, escapeDelAndC1);
      yield '\n';
      return;
    case 'csv':
      yield renderCsv(rows.map(toRankRow));
      return;
    case 'table':
      yield renderTable(limit === undefined ? rows : rows.slice(0, limit));
      return;
  }
}

/**
 * `JSON.stringify(rows.map(toRankRow), null, 2)`, byte for byte, written directly: 100,000 rows
 * made 100,000 row objects and nested allocations only to be walked once by the indenting
 * serializer. Strings still go through JSON.stringify, so escaping is exactly its own.
 * @param eachRow applied to each row's JSON (renderRanking's escaping of DEL and C1 controls)
 */
export function rankJson(rows: readonly RankedUser[], eachRow: (json: string) => string = (json) => json): string {
  return [...rankJsonChunks(rows, eachRow)].join('');
}

/** Rows per piece of `rankJsonChunks`: about half a megabyte of JSON. */
const ROWS_PER_CHUNK = 2000;

/** `rankJson`'s text in pieces of {@link ROWS_PER_CHUNK} rows, which joined are `rankJson`. */
export function* rankJsonChunks(rows: readonly RankedUser[], eachRow: (json: string) => string = (json) => json): Generator<string> {
  if (rows.length === 0) {
    yield '[]';
    return;
  }
  for (let start = 0; start < rows.length; start += ROWS_PER_CHUNK) {
    const end = Math.min(start + ROWS_PER_CHUNK, rows.length);
    const out = new Array<string>(end - start);
    for (let i = start; i < end; i++) {
      // `eachRow` (the escaping) row by row: one regular expression over a 30 MB ranking runs
      // interpreted (V8 tiers a regular expression up only after several runs): a quarter second.
      out[i - start] = eachRow(rowJson(rows[i] as RankedUser));
    }
    yield `${start === 0 ? '[\n' : ',\n'}${out.join(',\n')}${end === rows.length ? '\n]' : ''}`;
  }
}

/** One row of `rankJson`, indented as an element of its array. */
function rowJson(r: RankedUser): string {
  const a = r.allocation;
  const allocation = a
    ? `{\n      "kind": ${JSON.stringify(a.kind)},\n      "id": ${JSON.stringify(a.id)},\n      "quarantined": ${a.quarantined},\n      "lastUsed": ${a.lastUsed === null ? 'null' : JSON.stringify(new Date(a.lastUsed).toISOString())}\n    }`
    : 'null';
  const hours = r.hoursUsed === undefined ? '' : `,\n    "hoursUsed": ${jsonNumber(r.hoursUsed)},\n    "peakLicenses": ${r.peakLicenses == null ? 'null' : jsonNumber(r.peakLicenses)},\n    "denials": ${jsonNumber(r.denials ?? 0)}`;
  return (
    `  {\n    "rank": ${jsonNumber(r.rank)},\n    "userDirectory": ${r.user.directory === '' ? 'null' : JSON.stringify(r.user.directory)},\n    "userId": ${JSON.stringify(r.user.userId)},\n` +
    `    "name": ${JSON.stringify(r.user.name)},\n    "loginPasses": ${jsonNumber(r.loginPasses)},\n    "tokens": ${jsonNumber(r.tokens)},\n    "capacityMinutes": ${jsonNumber(r.capacityMinutes)},\n` +
    `    "allocation": ${allocation},\n    "verdict": ${JSON.stringify(r.verdict.kind)},\n    "reason": ${JSON.stringify(r.verdict.text)}${hours}\n  }`
  );
}

/** A number as JSON writes it (NaN and the infinities as null). */
function jsonNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

/**
 * JSON.stringify escapes C0 controls but writes DEL and C1 controls (U+009B is CSI to terminals
 * that read 8-bit controls) as they are. Both can only occur inside strings, where `\u00XX` is
 * the same character to any JSON reader.
 */
function escapeDelAndC1(json: string): string {
  return json.replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function pass(r: RankedUser): string {
  const a = r.allocation;
  if (!a) {
    return 'no pass';
  }
  if (a.userDeleted) {
    return `${a.kind} (deleted user)`;
  }
  return a.quarantined ? `${a.kind} (quarantined${a.quarantineEnd ? ' to ' + formatDate(a.quarantineEnd) : ''})` : a.kind;
}

/** Columns right-aligned in the table: numbers. */
const NUMERIC = new Set(['#', 'passes', 'tokens', 'minutes', 'hours', 'peak', 'denied']);

function renderTable(rows: readonly RankedUser[]): string {
  // License Statistics ranks by hours: no passes or tokens to show there.
  const byHours = rows.some((r) => r.hoursUsed !== undefined);
  const byMinutes = !byHours && rows.some((r) => r.capacityMinutes > 0) && !rows.some((r) => r.loginPasses > 0);
  const header = byHours
    ? ['#', 'user', 'name', 'hours', 'peak', 'denied', 'verdict']
    : byMinutes
      ? ['#', 'user', 'name', 'minutes', 'license', 'verdict']
      : ['#', 'user', 'name', 'passes', 'tokens', 'pass', 'verdict'];
  const body = rows.map((r) =>
    (byHours
      ? [String(r.rank), userKey(r.user), r.user.name, formatAmount(r.hoursUsed ?? 0), r.peakLicenses == null ? '' : String(r.peakLicenses), String(r.denials ?? 0), r.verdict.text]
      : byMinutes
        ? [String(r.rank), userKey(r.user), r.user.name, formatAmount(r.capacityMinutes), pass(r), r.verdict.text]
        : [String(r.rank), userKey(r.user), r.user.name, String(r.loginPasses), formatAmount(r.tokens), pass(r), r.verdict.text]
    ).map(terminalSafe),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (i === header.length - 1 ? 0 : (b[i] ?? '').length))));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : NUMERIC.has(header[i] ?? '') ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ');
  return [line(header), ...body.map(line)].join('\n') + '\n';
}

const CSV_COLUMNS = ['rank', 'userDirectory', 'userId', 'name', 'loginPasses', 'tokens', 'capacityMinutes', 'allocationKind', 'allocationId', 'quarantined', 'lastUsed', 'verdict', 'reason'];
/** Appended when the ranking is by hours (License Statistics). */
const HOURS_COLUMNS = ['hoursUsed', 'peakLicenses', 'denials'];

function renderCsv(rows: readonly RankRow[]): string {
  const byHours = rows.some((r) => r.hoursUsed !== undefined);
  const lines = [(byHours ? [...CSV_COLUMNS, ...HOURS_COLUMNS] : CSV_COLUMNS).join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.rank, r.userDirectory ?? '', r.userId, r.name, r.loginPasses, r.tokens, r.capacityMinutes,
        r.allocation?.kind ?? '', r.allocation?.id ?? '', r.allocation ? r.allocation.quarantined : '', r.allocation?.lastUsed ?? '',
        r.verdict, r.reason,
        ...(byHours ? [r.hoursUsed ?? 0, r.peakLicenses ?? '', r.denials ?? 0] : []),
      ]
        .map((cell) => csvCell(typeof cell === 'string' ? terminalSafe(cell) : cell))
        .join(','),
    );
  }
  return lines.join(CSV_EOL) + CSV_EOL;
}
