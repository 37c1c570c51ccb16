/**
 * Maps License Statistics rows into the core model. Pure: no I/O. License Statistics knows users
 * by the name the license server logged (`un`), without a directory: a user's id, user id and
 * name are that name, and the directory is empty.
 */
import { boundName } from '../../core/displayText';
import { DAY_MS, type BorrowedLicense, type ExpiringFeature, type UsageRecord, type UsageWindow, type User, type UserDenials } from '../../core/model';
import { LicstatsProtocolError } from './licstatsErrors';
import type { BorrowedRow, DenialRow, ExpiringRow, FeatureRow, FeatureType, LicenseServerRow, ServerStatus, SessionRow, UsagePerUserRow } from './licstatsWire';

/** A license server License Statistics monitors. */
export interface LicenseServer {
  readonly id: string;
  readonly name: string;
  /** `host:port` when the server says. */
  readonly address: string | null;
  /** FlexNet Publisher, LM-X, RLM… */
  readonly manager: string | null;
  readonly vendor: string | null;
  readonly status: ServerStatus;
}

/** A feature, for choosing one to rank by. */
export interface LicstatsFeature {
  readonly id: string;
  readonly name: string;
  readonly version: string | null;
  readonly type: FeatureType | null;
  readonly server: string | null;
}

/** A license in use now. */
export interface LicenseSession {
  readonly user: User | null;
  readonly host: string | null;
  readonly feature: string;
  readonly type: FeatureType | null;
  readonly server: string | null;
  /** Licenses held (tokens, for a Token feature). */
  readonly licenses: number;
  readonly since: number;
}

/**
 * Epoch ms of a License Statistics date or date-time: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]`
 * (the v1 form, reference §6.4) or ISO 8601. Times without a zone are read as UTC: the reports do
 * not say their zone (UNVERIFIED; the server's own zone is likely). Null when unreadable.
 */
export function parseLicstatsDate(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) {
    return null;
  }
  const [, y, mo, d, h = '0', mi = '0', s = '0', zone] = m;
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(local);
  // Date.UTC rolls 2026-02-30 over into March; a real server never writes that.
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) {
    return null;
  }
  if (!zone || zone === 'Z') {
    return local;
  }
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return local - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

/** `YYYY-MM-DD` of a UTC day, as `sd` and `ed` take it. */
export function licstatsDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The whole days a window's day-granular reports cover. */
export interface ReportDays {
  /** First day, `YYYY-MM-DD` (`sd`). */
  readonly sd: string;
  /** Last day, inclusive (`ed`). */
  readonly ed: string;
  /** Start of the first day, epoch ms. */
  readonly from: number;
}

/**
 * The days whose start lies in the window: a day-granular record starts at its day's midnight,
 * and the tally counts records by their start, so these are exactly the days it keeps. Undefined
 * when no day starts inside the window.
 */
export function reportDays(window: UsageWindow): ReportDays | undefined {
  const first = Math.ceil(window.from / DAY_MS) * DAY_MS;
  const last = Math.floor((window.to - 1) / DAY_MS) * DAY_MS;
  return first > last ? undefined : { sd: licstatsDay(first), ed: licstatsDay(last), from: first };
}

/** A core user from a License Statistics user name. */
export function licstatsUser(name: string): User {
  return { id: name, directory: '', userId: name, name: boundName(name) };
}

/** A license server. */
export function toLicenseServer(row: LicenseServerRow): LicenseServer {
  const address = row.lsh ? (row.lsp !== undefined ? `${row.lsh}:${row.lsp}` : row.lsh) : null;
  return { id: row.lsid, name: row.lsn, address, manager: row.lsmn ?? null, vendor: row.vn ?? null, status: row.lss };
}

/** A feature. */
export function toFeature(row: FeatureRow): LicstatsFeature {
  return { id: row.fid, name: row.fns, version: row.fv ?? null, type: row.ftype ?? null, server: row.lsn ?? null };
}

/**
 * Maps usage-per-user rows into `hours` records. One mapper lives for a whole `usage()` run, so a
 * user in a thousand rows is one `User` object and a feature name one string.
 */
export class LicstatsUsageMapper {
  private readonly users = new Map<string, User>();
  private readonly names = new Map<string, string>();
  /** Rows that cannot be counted, by reason; left out, and reported by the source. */
  readonly dropped = new Map<string, number>();

  /**
   * @param rows one page, narrowed
   * @param request for protocol errors
   */
  mapPage(rows: readonly UsagePerUserRow[], request: string): UsageRecord[] {
    const records: UsageRecord[] = [];
    rows.forEach((row, index) => {
      const start = parseLicstatsDate(row.fud);
      if (start === null || start % DAY_MS !== 0) {
        throw new LicstatsProtocolError(request, 'a usage per user row of one day', `row ${index}: the period "${row.fud}" is not a day`);
      }
      const feature = row.fns ?? row.fid;
      if (!row.un) {
        this.drop('without a user name');
        return;
      }
      if (feature === undefined) {
        this.drop('without a feature');
        return;
      }
      const user = this.userOf(row.un);
      // Feature, user, host and day identify a row; the host matters where a server aggregates by user and host.
      const id = `${row.fid ?? `${feature}@${row.lsn ?? ''}`}|${row.un}|${row.hn ?? ''}|${row.fud}`;
      const peak = row.mu === undefined ? {} : row.ftype === 'Token' ? { peakTokens: row.mu } : { peakLicenses: row.mu };
      records.push({ id, user, start, stop: start + DAY_MS, unit: 'hours', amount: row.hu, pool: this.intern(feature), ...peak });
    });
    return records;
  }

  private userOf(name: string): User {
    let user = this.users.get(name);
    if (!user) {
      user = licstatsUser(name);
      this.users.set(name, user);
    }
    return user;
  }

  private intern(name: string): string {
    const known = this.names.get(name);
    if (known !== undefined) {
      return known;
    }
    this.names.set(name, name);
    return name;
  }

  private drop(reason: string): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + 1);
  }
}

/** Adds up denial rows, feature by feature, into per-user counts. */
export class DenialCounter {
  private readonly byUser = new Map<string, { user: User; count: number; last: number | null; features: Set<string> }>();
  /** Rows without a user name: counted here, reported by the source. */
  withoutUser = 0;

  /** @param range only denials in [from, to) count: the report's days may reach past the window's end */
  constructor(private readonly range: { readonly from: number; readonly to: number }) {}

  /**
   * @param feature the feature the rows are denials of
   * @param rows one page, narrowed
   * @param request for protocol errors
   */
  add(feature: string, rows: readonly DenialRow[], request: string): void {
    rows.forEach((row, index) => {
      const at = parseLicstatsDate(row.ldt);
      if (at === null) {
        throw new LicstatsProtocolError(request, 'a denial', `row ${index}: the denial time "${row.ldt}" is not a date`);
      }
      if (at < this.range.from || at >= this.range.to || row.ldtc <= 0) {
        return;
      }
      if (!row.un) {
        this.withoutUser++;
        return;
      }
      let entry = this.byUser.get(row.un);
      if (!entry) {
        entry = { user: licstatsUser(row.un), count: 0, last: null, features: new Set() };
        this.byUser.set(row.un, entry);
      }
      entry.count += row.ldtc;
      entry.last = entry.last === null ? at : Math.max(entry.last, at);
      entry.features.add(feature);
    });
  }

  /** Users with at least one denial, most denied first. */
  result(): UserDenials[] {
    return [...this.byUser.values()]
      .map(({ user, count, last, features }) => ({ user, count, last, features: [...features].sort() }))
      .sort((a, b) => b.count - a.count || (a.user.id < b.user.id ? -1 : a.user.id > b.user.id ? 1 : 0));
  }
}

/** A license in use now; null when its checkout time is unreadable. */
export function toSession(row: SessionRow): LicenseSession | null {
  const since = parseLicstatsDate(row.lco);
  if (since === null) {
    return null;
  }
  return { user: row.un ? licstatsUser(row.un) : null, host: row.hn ?? null, feature: row.fns, type: row.ftype ?? null, server: row.lsn ?? null, licenses: row.lus, since };
}

/** A borrowed license; null when its checkout time is unreadable. */
export function toBorrowed(row: BorrowedRow): BorrowedLicense | null {
  const since = parseLicstatsDate(row.lco);
  if (since === null) {
    return null;
  }
  const returnBy = row.lbe ? parseLicstatsDate(row.lbe) : null;
  return { feature: row.fns, server: row.lsn ?? null, user: row.un ? licstatsUser(row.un) : null, host: row.hn ?? null, licenses: row.lus, since, returnBy };
}

/** An expiring feature; null when its expiry is no date (a permanent license). */
export function toExpiring(row: ExpiringRow): ExpiringFeature | null {
  const expires = parseLicstatsDate(row.fexp);
  if (expires === null) {
    return null;
  }
  return { feature: row.fns, version: row.fv ?? null, server: row.lsn ?? null, expires, licenses: row.ft ?? null };
}
