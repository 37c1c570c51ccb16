/** Maps QRS wire payloads into the core model. Pure: no I/O. */
import { boundName } from '../../core/displayText';
import { USER_FLAGS, userKey, type Allocation, type LicenseOverview, type LoginPool, type PassKind, type SeatTotals, type UsageRecord, type UsageUnit, type User, type UserFacts } from '../../core/model';
import { ABSENT, GuidIndex, NOT_GUID } from './guidIndex';
import { QrsProtocolError } from './qrsErrors';
import type { AccessTypeOverview, AccessTypeOverviewDetails, LicenseAllocation, LicenseLoginAccessType, User as WireUser, UserCondensed } from './qrsWire';

/** Tokens per pass when the server does not say (every known site says 1 and 0.1). */
const DEFAULT_USER_PASS_COST = 1;
const DEFAULT_LOGIN_PASS_COST = 0.1;

/** Analyzer capacity is consumed in started 6-minute units (reference §3). */
const CAPACITY_UNIT_MINUTES = 6;

/**
 * QRS writes "no date" as .NET's DateTime.MinValue or SQL Server's 1753-01-01 on some fields;
 * anything before this is treated as absent rather than as a use in the 18th century.
 */
const EARLIEST_REAL_DATE = Date.UTC(1990, 0, 1);

/** Epoch ms of a QRS date-time, or null when absent, unreadable or a "no date" placeholder. */
export function parseQrsDate(value: unknown): number | null {
  if (typeof value !== 'string' || value.length === 0) {
    return null;
  }
  const ms = canonicalUtcMs(value) ?? Date.parse(value);
  return Number.isNaN(ms) || ms < EARLIEST_REAL_DATE ? null : ms;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * `2024-02-03T04:05:06.007Z`, the form QRS writes every date in, read by arithmetic: a sync
 * parses one per usage row, and `Date.parse` costs several times this. Anything else, a
 * valid-looking date that does not exist included (`2024-02-30`, `T24:00`), is left to
 * `Date.parse` (undefined), so both readings agree on every input.
 */
function canonicalUtcMs(s: string): number | undefined {
  if (s.length !== 24 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(19) !== 46 || s.charCodeAt(23) !== 90) {
    return undefined;
  }
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  const milli = digits(s, 20, 3);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (year < 0 || milli < 0 || month < 1 || day < 1 || day > monthDays || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return undefined;
  }
  // Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const days = era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
  return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + milli;
}

/** The decimal number in `s[at, at + n)`, or -1 when a character is not a digit. */
function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) {
      return -1;
    }
    v = v * 10 + d;
  }
  return v;
}

/** A login access group. Counts the server leaves out are derived (10 passes per token). */
export function toLoginPool(wire: LicenseLoginAccessType): LoginPool {
  const assignedTokens = wire.assignedTokens ?? 0;
  const passes = wire.assignedAccessTypes ?? assignedTokens * 10;
  const used = wire.usedAccessTypes ?? 0;
  return { name: wire.name, assignedTokens, passes, used, remaining: wire.remainingAccessTypes ?? Math.max(0, passes - used) };
}

/** A core user from an embedded QRS user; the display name falls back to the user id. */
export function toUser(wire: UserCondensed & { readonly id: string }): User {
  return { id: wire.id, directory: wire.userDirectory, userId: wire.userId, name: boundName(wire.name || wire.userId) };
}

/** The flags and directory groups of a repository user, for never-touch lists. */
export function toUserFacts(wire: WireUser): UserFacts {
  const flags = USER_FLAGS.filter((flag) => wire[flag] === true);
  const groups = (wire.attributes ?? []).filter((a) => a.attributeType.toLowerCase() === 'group' && a.attributeValue).map((a) => a.attributeValue ?? '');
  return { flags, groups };
}

/** A core allocation from any of the three allocation payloads. */
export function toAllocation(wire: LicenseAllocation, kind: PassKind): Allocation {
  const deleted = typeof wire.deletedUserId === 'string' && wire.deletedUserId.length > 0 && typeof wire.deletedUserDirectory === 'string';
  let user: User;
  // A holder without a GUID gets `DIR\id` as id: unique, and never mistaken for a GUID.
  if (deleted) {
    const directory = wire.deletedUserDirectory ?? '';
    const userId = wire.deletedUserId ?? '';
    user = { id: wire.user?.id ?? userKey({ directory, userId }), directory, userId, name: boundName(userId) };
  } else if (wire.user) {
    user = toUser({ ...wire.user, id: wire.user.id ?? userKey({ directory: wire.user.userDirectory, userId: wire.user.userId }) });
  } else {
    // The guard admits only allocations with a user or deleted-user fields; this is a bug guard.
    throw new QrsProtocolError(`license/${kind}accesstype ${wire.id}`, 'an allocation with a holder');
  }
  return {
    id: wire.id,
    kind,
    user,
    lastUsed: parseQrsDate(wire.lastUsed),
    allocatedAt: parseQrsDate(wire.createdDate),
    quarantined: wire.quarantined === true,
    quarantineEnd: parseQrsDate(wire.quarantineEnd),
    userDeleted: deleted,
    excess: 'excess' in wire && wire.excess === true,
  };
}

function seats(wire: AccessTypeOverviewDetails | undefined): SeatTotals | null {
  if (!wire?.enabled) {
    return null;
  }
  return {
    total: wire.total ?? 0,
    allocated: wire.allocated ?? 0,
    used: wire.used ?? 0,
    quarantined: wire.quarantined ?? 0,
    excess: wire.excess ?? 0,
    available: wire.available ?? 0,
  };
}

/** A core overview from `GET /license/accesstypeoverview`. */
export function toOverview(wire: AccessTypeOverview): LicenseOverview {
  const { userAccess, loginAccess, analyzerTimeAccess } = wire;
  const tokensOn = wire.tokensEnabled === true || userAccess?.enabled === true || loginAccess?.enabled === true;
  const offeredKinds: PassKind[] = [];
  if (userAccess?.enabled) {
    offeredKinds.push('user');
  }
  if (wire.professionalAccess?.enabled) {
    offeredKinds.push('professional');
  }
  if (wire.analyzerAccess?.enabled) {
    offeredKinds.push('analyzer');
  }
  return {
    tokens: tokensOn
      ? {
          total: wire.totalTokens ?? 0,
          available: wire.availableTokens ?? 0,
          userPassCost: userAccess?.tokenCost ?? DEFAULT_USER_PASS_COST,
          loginPassCost: loginAccess?.tokenCost ?? DEFAULT_LOGIN_PASS_COST,
          userAccess: { allocated: userAccess?.allocatedTokens ?? 0, used: userAccess?.usedTokens ?? 0, quarantined: userAccess?.quarantinedTokens ?? 0 },
          loginAccess: { allocated: loginAccess?.allocatedTokens ?? 0, used: loginAccess?.usedTokens ?? 0, unavailable: loginAccess?.unavailableTokens ?? 0 },
        }
      : null,
    professional: seats(wire.professionalAccess),
    analyzer: seats(wire.analyzerAccess),
    capacity: analyzerTimeAccess?.enabled
      ? {
          allocatedMinutes: analyzerTimeAccess.allocatedMinutes ?? 0,
          usedMinutes: analyzerTimeAccess.usedMinutes ?? 0,
          unavailableMinutes: analyzerTimeAccess.unavailableMinutes ?? 0,
        }
      : null,
    offeredKinds,
  };
}

/**
 * Capacity minutes one usage record costs: every started 6-minute unit of the record's span
 * counts whole. This is an approximation (reference §3, UNVERIFIED): the license server counts
 * units of *activity*, and idle stretches inside a span are free there but counted here.
 * @param end the stop time, or the latest activity of a running record
 */
export function capacityMinutes(start: number, end: number | null): number {
  const minutes = end === null ? 0 : Math.max(0, end - start) / 60_000;
  // A record exists only once use started, and a started unit is a consumed unit.
  const units = Math.max(1, Math.ceil(minutes / CAPACITY_UNIT_MINUTES));
  return units * CAPACITY_UNIT_MINUTES;
}

/** Which `/table` columns hold what; definitions double as column names. */
export interface UsageColumns {
  readonly id: string;
  readonly userGuid: string;
  readonly userId: string;
  readonly userDirectory: string;
  readonly userName: string;
  readonly start: string;
  /** Only capacity records use it: a login pass counts once, however long it ran. */
  readonly stop?: string;
  /** Only capacity records use it, to cost records that have not stopped. */
  readonly latestActivity?: string;
  readonly pool: string;
}

/** A non-empty string cell, or undefined (absent column, null, number, empty). */
function cellText(row: readonly unknown[], index: number): string | undefined {
  if (index < 0) {
    return undefined;
  }
  const cell = row[index];
  return typeof cell === 'string' && cell.length > 0 ? cell : undefined;
}

/** Where each usage column sits in one page's rows; -1 for a column the feed does not read. */
interface CellPositions {
  readonly id: number;
  readonly guid: number;
  readonly userId: number;
  readonly directory: number;
  readonly name: number;
  readonly start: number;
  readonly stop: number;
  readonly latest: number;
  readonly pool: number;
}

type MutableRecord = { -readonly [K in keyof UsageRecord]: UsageRecord[K] };

/** Stands in for the user of a scratch record no row has filled yet; never passed on. */
const NO_USER: User = { id: '', directory: '', userId: '', name: '' };

/**
 * The users of one usage read, each one `User` object with its slot (`UsageRecord.userSlot`),
 * however many rows name them.
 */
export class UsageUsers {
  /** Slots by GUID: the lookup of nearly every row. */
  private readonly byGuid = new GuidIndex();
  /** Slots by any other key: a GUID not in QRS's form, or `DIR\id` for a row without one. */
  private readonly byKey = new Map<string, number>();
  /** Users by slot. */
  private readonly users: User[] = [];

  /**
   * The slot of the row's user; -1 when the row names no user. Cells beyond the GUID are read
   * once per user.
   */
  slotOf(row: readonly unknown[], guidAt: number, dirAt: number, userIdAt: number, nameAt: number): number {
    const guid = cellText(row, guidAt);
    let found = NOT_GUID;
    if (guid !== undefined) {
      found = this.byGuid.find(guid);
      if (found >= 0) {
        return found;
      }
    }
    const directory = cellText(row, dirAt);
    const userId = cellText(row, userIdAt);
    if (userId === undefined || directory === undefined) {
      return -1;
    }
    const key = guid ?? userKey({ directory, userId });
    if (found === ABSENT) {
      this.byGuid.add(key, this.users.length);
    } else {
      const known = this.byKey.get(key);
      if (known !== undefined) {
        return known;
      }
      this.byKey.set(key, this.users.length);
    }
    return this.users.push({ id: key, directory, userId, name: boundName(cellText(row, nameAt) ?? userId) }) - 1;
  }

  /** The user of a slot `slotOf` gave. */
  at(slot: number): User {
    return this.users[slot] as User;
  }
}

/**
 * Maps `/table` rows of one usage kind into compact records. One mapper lives for a whole
 * `usage()` run, so a user who appears in 10,000 rows is one `User` object, and pool names are
 * one string each.
 */
export class UsageRowMapper {
  private readonly pools = new Map<string, string>();
  private lastPool: string | undefined;
  /** Rows that cannot be counted, by reason ("without a record id"); left out, and reported by the source. */
  readonly dropped = new Map<string, number>();
  /** The one record `forEachRecord` refills for every row. */
  private scratch: MutableRecord | undefined;

  /**
   * @param unit what the records count
   * @param users the read's users, shared by the mappers of its feeds so that a user with both
   *   login passes and capacity minutes is one `User` with one slot
   */
  constructor(
    private readonly unit: UsageUnit,
    private readonly columns: UsageColumns,
    private readonly users = new UsageUsers(),
  ) {}

  /**
   * Maps one page. Column positions are looked up by name on every page: the server, not the
   * request, decides the order.
   * @param request for error messages
   */
  mapPage(columnNames: readonly string[], rows: readonly (readonly unknown[])[], request: string): UsageRecord[] {
    const at = this.positions(columnNames, request);
    const records: UsageRecord[] = [];
    for (const row of rows) {
      const record = this.blank();
      if (this.read(row, at, record)) {
        records.push(record);
      }
    }
    return records;
  }

  /**
   * Reads one page as `mapPage` does, but hands each record to `visit` instead of collecting
   * them, in ONE object refilled for every row: `visit` must copy what it keeps. A sync that only
   * tallies then allocates nothing per row, and holds no page of records beside the page of rows.
   * @param request for error messages
   */
  forEachRecord(columnNames: readonly string[], rows: readonly (readonly unknown[])[], request: string, visit: (record: UsageRecord) => void): void {
    const at = this.positions(columnNames, request);
    const scratch = (this.scratch ??= this.blank());
    for (const row of rows) {
      if (this.read(row, at, scratch)) {
        visit(scratch);
      }
    }
  }

  private positions(columnNames: readonly string[], request: string): CellPositions {
    const at = (name: string | undefined): number => {
      if (name === undefined) {
        return -1;
      }
      const index = columnNames.indexOf(name);
      if (index < 0) {
        throw new QrsProtocolError(request, 'a usage table', `column "${name}" is missing`);
      }
      return index;
    };
    const c = this.columns;
    return {
      id: at(c.id),
      guid: at(c.userGuid),
      userId: at(c.userId),
      directory: at(c.userDirectory),
      name: at(c.userName),
      start: at(c.start),
      stop: at(c.stop),
      latest: at(c.latestActivity),
      pool: at(c.pool),
    };
  }

  /** A record with every field present, in one order: all records then share one shape. */
  private blank(): MutableRecord {
    return { id: '', user: NO_USER, start: 0, stop: null, unit: this.unit, amount: 0, pool: null, userSlot: -1 };
  }

  /**
   * Fills `out` from one row; false (and the row counted as dropped) when the row cannot be
   * counted. This runs once per usage row, 1.5 million times on a large site: no closures, no
   * lookups it can skip.
   */
  private read(row: readonly unknown[], at: CellPositions, out: MutableRecord): boolean {
    const recordId = cellText(row, at.id);
    const startMs = parseQrsDate(cellText(row, at.start));
    const slot = this.users.slotOf(row, at.guid, at.directory, at.userId, at.name);
    if (recordId === undefined || startMs === null || slot < 0) {
      this.drop(recordId === undefined ? 'without a readable record id' : slot < 0 ? 'without a readable user' : 'without a readable start time');
      return false;
    }
    const stopMs = at.stop < 0 ? null : parseQrsDate(cellText(row, at.stop));
    out.id = recordId;
    out.user = this.users.at(slot);
    out.userSlot = slot;
    out.start = startMs;
    out.stop = stopMs;
    out.amount = this.unit === 'loginPass' ? 1 : capacityMinutes(startMs, stopMs ?? parseQrsDate(cellText(row, at.latest)));
    out.pool = this.intern(cellText(row, at.pool));
    return true;
  }

  private drop(reason: string): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + 1);
  }

  private intern(pool: string | undefined): string | null {
    if (pool === undefined) {
      return null;
    }
    // A site has a handful of pools: comparing with the last one spares most rows a hash lookup.
    if (pool === this.lastPool) {
      return this.lastPool;
    }
    const known = this.pools.get(pool);
    if (known !== undefined) {
      this.lastPool = known;
      return known;
    }
    this.pools.set(pool, pool);
    this.lastPool = pool;
    return pool;
  }
}
