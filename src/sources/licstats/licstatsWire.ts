/**
 * The License Statistics answers this client reads, and the guards that narrow `unknown` into
 * them. Facts from ../shared/reference/license-statistics.md: the envelope `{ success, msg, data,
 * code, totalCount }` (§3), rows keyed by column handles (§5), the standard enumerations (§3).
 * Rows are read by the handles the client knows; any other column is ignored, so a newer server
 * that adds columns is read as before. A known column of the wrong type is a protocol error.
 */
import { LicstatsProtocolError } from './licstatsErrors';

/** One report row as sent: column handle → value. */
export type LicstatsRow = Readonly<Record<string, unknown>>;

/** A successful answer: one page of rows. */
export interface LicstatsPage {
  readonly rows: readonly LicstatsRow[];
  /** Rows matching the request over all pages, when the server says (v1 did; v6.8+ UNVERIFIED). */
  readonly totalCount: number | undefined;
}

/** What a refusal carries: the envelope's `msg` and `code`, as far as they are readable. */
export interface LicstatsFailure {
  readonly msg: string;
  readonly code: number | null;
}

/** The envelope, narrowed. */
export type LicstatsEnvelope = ({ readonly success: true } & LicstatsPage) | ({ readonly success: false } & LicstatsFailure);

/** Feature types (v6.11+ names, §3); `Other` for anything else a server sends, numbers included. */
export type FeatureType = 'Floating' | 'Node-locked' | 'Token' | 'Other';

/** License server statuses (v6.11+ names, §3); `UNKNOWN` also for anything unrecognised. */
export type ServerStatus = 'ONLINE' | 'OFFLINE' | 'VERIFYING' | 'DISABLED' | 'LICSTAT_DOWN' | 'LICENSE_EXCEEDED' | 'UNKNOWN';

/** A license server (v1 columns, §5 U13). */
export interface LicenseServerRow {
  readonly lsid: string;
  readonly lsn: string;
  readonly lsh: string | undefined;
  readonly lsp: number | undefined;
  /** The license manager: FlexNet Publisher, LM-X, RLM… */
  readonly lsmn: string | undefined;
  readonly vn: string | undefined;
  readonly lss: ServerStatus;
}

/** A feature (§5 U14). */
export interface FeatureRow {
  readonly fid: string;
  readonly fns: string;
  readonly fv: string | undefined;
  readonly ftype: FeatureType | undefined;
  readonly lsn: string | undefined;
}

/** A usage-per-user row (§5 U17): one user's use of one feature in one period. */
export interface UsagePerUserRow {
  /** The period, as the granularity writes it (`2019-01-01` for DAY). */
  readonly fud: string;
  /** User name; undefined or empty when the server has none. */
  readonly un: string | undefined;
  readonly fid: string | undefined;
  readonly fns: string | undefined;
  readonly ftype: FeatureType | undefined;
  readonly lsn: string | undefined;
  /** Host; present when the server aggregates by user and host rather than by user alone. */
  readonly hn: string | undefined;
  /** Hours used. */
  readonly hu: number;
  /** Max licenses used at once; tokens drawn for a Token feature (§5, "Token features"). */
  readonly mu: number | undefined;
}

/** A denial (§5 U18). */
export interface DenialRow {
  /** Denial time, `YYYY-MM-DD HH:MM`. */
  readonly ldt: string;
  /** Denied count. */
  readonly ldtc: number;
  readonly un: string | undefined;
  readonly hn: string | undefined;
}

/** A license session in use now (§5 U19). */
export interface SessionRow {
  readonly un: string | undefined;
  readonly hn: string | undefined;
  readonly fns: string;
  readonly ftype: FeatureType | undefined;
  readonly lsn: string | undefined;
  /** Licenses used (tokens, for a Token feature). */
  readonly lus: number;
  /** Checkout time. */
  readonly lco: string;
}

/** A borrowed license (§5 U22; the user, host and borrow-expiry columns are read when present). */
export interface BorrowedRow {
  readonly fns: string;
  readonly lsn: string | undefined;
  readonly lus: number;
  readonly lco: string;
  readonly un: string | undefined;
  readonly hn: string | undefined;
  /** Borrow expiry; "" when none (§5 U20). */
  readonly lbe: string | undefined;
}

/** An expiring feature (§5 U24; the expiry column `fexp` as the server current usage report names it). */
export interface ExpiringRow {
  readonly fns: string;
  readonly fv: string | undefined;
  readonly lsn: string | undefined;
  readonly fexp: string;
  /** Feature total. */
  readonly ft: number | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A number, or a string holding one (report JSON sometimes quotes numbers); undefined otherwise. */
function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : undefined;
  }
  if (typeof value === 'string' && /^\s*-?\d+(?:\.\d+)?\s*$/.test(value)) {
    return Number(value);
  }
  return undefined;
}

/**
 * Narrows any answer body. Success needs `data` to be an array of rows; `totalCount`, when
 * present, a whole number. A refusal is read as far as it goes: it is reported, not parsed.
 * @param request `GET /api/...`, for the protocol error
 */
export function asEnvelope(value: unknown, request: string): LicstatsEnvelope {
  if (!isRecord(value) || typeof value['success'] !== 'boolean') {
    throw new LicstatsProtocolError(request, 'a License Statistics JSON answer', typeof value === 'string' ? 'the answer is text, not JSON' : 'no "success" field');
  }
  if (!value['success']) {
    return { success: false, ...failureOf(value) };
  }
  const data = value['data'];
  if (!Array.isArray(data)) {
    throw new LicstatsProtocolError(request, 'a report answer', '"data" is not a list of rows');
  }
  const bad = data.findIndex((row) => !isRecord(row));
  if (bad >= 0) {
    throw new LicstatsProtocolError(request, 'a report answer', `row ${bad} is not an object`);
  }
  const total = value['totalCount'];
  if (total !== undefined && total !== null && !(typeof total === 'number' && Number.isInteger(total) && total >= 0)) {
    throw new LicstatsProtocolError(request, 'a report answer', '"totalCount" is not a whole number');
  }
  return { success: true, rows: data as LicstatsRow[], totalCount: typeof total === 'number' ? total : undefined };
}

/** The `msg` and `code` of a refusal, from an envelope or any other JSON a server answers an error with. */
export function failureOf(value: unknown): LicstatsFailure {
  if (typeof value === 'string') {
    return { msg: value, code: null };
  }
  if (!isRecord(value)) {
    return { msg: '', code: null };
  }
  const msg = [value['msg'], value['message'], value['error']].find((m): m is string => typeof m === 'string') ?? '';
  const code = numeric(value['code']);
  return { msg, code: code !== undefined && Number.isInteger(code) ? code : null };
}

const FEATURE_TYPES: Readonly<Record<string, FeatureType>> = { floating: 'Floating', nodelocked: 'Node-locked', token: 'Token' };

/** A feature type from its v6.11+ name (any case, with or without the hyphen); `Other` for the rest. */
export function featureTypeOf(value: unknown): FeatureType | undefined {
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  return typeof value === 'string' ? (FEATURE_TYPES[value.toLowerCase().replace(/[^a-z]/g, '')] ?? 'Other') : 'Other';
}

/** Server statuses before v6.11, by number (§3, U11). UP and DOWN became ONLINE and OFFLINE. */
const NUMERIC_STATUSES: Readonly<Record<number, ServerStatus>> = { 1: 'UNKNOWN', 2: 'ONLINE', 3: 'OFFLINE', 5: 'VERIFYING', 6: 'DISABLED', 7: 'LICSTAT_DOWN', 8: 'LICENSE_EXCEEDED' };

const NAMED_STATUSES: Readonly<Record<string, ServerStatus>> = {
  ONLINE: 'ONLINE',
  UP: 'ONLINE',
  OFFLINE: 'OFFLINE',
  DOWN: 'OFFLINE',
  VERIFYING: 'VERIFYING',
  DISABLED: 'DISABLED',
  LICSTAT_DOWN: 'LICSTAT_DOWN',
  LICENSE_EXCEEDED: 'LICENSE_EXCEEDED',
  UNKNOWN: 'UNKNOWN',
};

/** A server status from the v6.11+ name or the earlier number; `UNKNOWN` for anything else. */
export function serverStatusOf(value: unknown): ServerStatus {
  const n = numeric(value);
  if (n !== undefined) {
    return NUMERIC_STATUSES[n] ?? 'UNKNOWN';
  }
  return typeof value === 'string' ? (NAMED_STATUSES[value.trim().toUpperCase().replace(/[\s-]+/g, '_')] ?? 'UNKNOWN') : 'UNKNOWN';
}

/** Reads the known columns of one row; a known column of the wrong type is a protocol error. */
class RowReader {
  constructor(
    private readonly row: LicstatsRow,
    private readonly index: number,
    private readonly request: string,
    private readonly expected: string,
  ) {}

  /** A string column; undefined when absent or null. */
  optText(handle: string): string | undefined {
    const value = this.row[handle];
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== 'string') {
      throw this.wrong(handle, 'is not text');
    }
    return value;
  }

  text(handle: string): string {
    return this.optText(handle) ?? this.missing(handle);
  }

  /** An id column: ids are numbers in every example, but only compared, so text is as good. */
  optId(handle: string): string | undefined {
    const value = this.row[handle];
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value === 'number' && Number.isFinite(value)) {
      return String(value);
    }
    if (typeof value === 'string' && value !== '') {
      return value;
    }
    throw this.wrong(handle, 'is not an id');
  }

  id(handle: string): string {
    return this.optId(handle) ?? this.missing(handle);
  }

  optNumber(handle: string): number | undefined {
    const value = this.row[handle];
    if (value === undefined || value === null) {
      return undefined;
    }
    const n = numeric(value);
    if (n === undefined) {
      throw this.wrong(handle, 'is not a number');
    }
    return n;
  }

  number(handle: string): number {
    return this.optNumber(handle) ?? this.missing(handle);
  }

  featureType(handle: string): FeatureType | undefined {
    return featureTypeOf(this.row[handle]);
  }

  serverStatus(handle: string): ServerStatus {
    return serverStatusOf(this.row[handle]);
  }

  private missing(handle: string): never {
    throw new LicstatsProtocolError(this.request, this.expected, `row ${this.index} has no column "${handle}"`);
  }

  private wrong(handle: string, problem: string): LicstatsProtocolError {
    return new LicstatsProtocolError(this.request, this.expected, `row ${this.index}: column "${handle}" ${problem}`);
  }
}

function readRows<T>(rows: readonly LicstatsRow[], request: string, expected: string, read: (r: RowReader) => T): T[] {
  return rows.map((row, index) => read(new RowReader(row, index, request, expected)));
}

/** Narrows license server rows. */
export function asLicenseServerRows(rows: readonly LicstatsRow[], request: string): LicenseServerRow[] {
  return readRows(rows, request, 'a license server', (r) => ({
    lsid: r.id('lsid'),
    lsn: r.text('lsn'),
    lsh: r.optText('lsh'),
    lsp: r.optNumber('lsp'),
    lsmn: r.optText('lsmn'),
    vn: r.optText('vn'),
    lss: r.serverStatus('lss'),
  }));
}

/** Narrows feature rows. */
export function asFeatureRows(rows: readonly LicstatsRow[], request: string): FeatureRow[] {
  return readRows(rows, request, 'a feature', (r) => ({
    fid: r.id('fid'),
    fns: r.text('fns'),
    fv: r.optText('fv'),
    ftype: r.featureType('ftype'),
    lsn: r.optText('lsn'),
  }));
}

/** Narrows usage-per-user rows. */
export function asUsagePerUserRows(rows: readonly LicstatsRow[], request: string): UsagePerUserRow[] {
  return readRows(rows, request, 'a usage per user row', (r) => ({
    fud: r.text('fud'),
    un: r.optText('un'),
    fid: r.optId('fid'),
    fns: r.optText('fns'),
    ftype: r.featureType('ftype'),
    lsn: r.optText('lsn'),
    hn: r.optText('hn'),
    hu: r.number('hu'),
    mu: r.optNumber('mu'),
  }));
}

/** Narrows denial rows. */
export function asDenialRows(rows: readonly LicstatsRow[], request: string): DenialRow[] {
  return readRows(rows, request, 'a denial', (r) => ({
    ldt: r.text('ldt'),
    ldtc: r.number('ldtc'),
    un: r.optText('un'),
    hn: r.optText('hn'),
  }));
}

/** Narrows current-user rows. */
export function asSessionRows(rows: readonly LicstatsRow[], request: string): SessionRow[] {
  return readRows(rows, request, 'a current user row', (r) => ({
    un: r.optText('un'),
    hn: r.optText('hn'),
    fns: r.text('fns'),
    ftype: r.featureType('ftype'),
    lsn: r.optText('lsn'),
    lus: r.number('lus'),
    lco: r.text('lco'),
  }));
}

/** Narrows borrowed-license rows. */
export function asBorrowedRows(rows: readonly LicstatsRow[], request: string): BorrowedRow[] {
  return readRows(rows, request, 'a borrowed license', (r) => ({
    fns: r.text('fns'),
    lsn: r.optText('lsn'),
    lus: r.number('lus'),
    lco: r.text('lco'),
    un: r.optText('un'),
    hn: r.optText('hn'),
    lbe: r.optText('lbe'),
  }));
}

/** Narrows expiring-feature rows. */
export function asExpiringRows(rows: readonly LicstatsRow[], request: string): ExpiringRow[] {
  return readRows(rows, request, 'an expiring feature', (r) => ({
    fns: r.text('fns'),
    fv: r.optText('fv'),
    lsn: r.optText('lsn'),
    fexp: r.text('fexp'),
    ft: r.optNumber('ft'),
  }));
}
