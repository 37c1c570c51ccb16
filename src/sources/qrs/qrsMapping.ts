/** Maps QRS wire payloads into the core model. Pure: no I/O. */
import { boundName } from '../../core/displayText';
import { USER_FLAGS, userKey, type Allocation, type LicenseOverview, type LoginPool, type PassKind, type SeatTotals, type UsageRecord, type UsageUnit, type User, type UserFacts } from '../../core/model';
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
  const ms = Date.parse(value);
  return Number.isNaN(ms) || ms < EARLIEST_REAL_DATE ? null : ms;
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

/**
 * Maps `/table` rows of one usage kind into compact records. One mapper lives for a whole
 * `usage()` run, so a user who appears in 10,000 rows is one `User` object, and pool names are
 * one string each.
 */
/** A non-empty string cell, or undefined (absent column, null, number, empty). */
function cellText(row: readonly unknown[], index: number): string | undefined {
  if (index < 0) {
    return undefined;
  }
  const cell = row[index];
  return typeof cell === 'string' && cell.length > 0 ? cell : undefined;
}

export class UsageRowMapper {
  private readonly users = new Map<string, User>();
  private readonly pools = new Map<string, string>();
  /** Rows that cannot be counted, by reason ("without a record id"); left out, and reported by the source. */
  readonly dropped = new Map<string, number>();

  /** @param unit what the records count */
  constructor(
    private readonly unit: UsageUnit,
    private readonly columns: UsageColumns,
  ) {}

  /**
   * Maps one page. Column positions are looked up by name on every page: the server, not the
   * request, decides the order.
   * @param request for error messages
   */
  mapPage(columnNames: readonly string[], rows: readonly (readonly unknown[])[], request: string): UsageRecord[] {
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
    const id = at(c.id);
    const guid = at(c.userGuid);
    const userId = at(c.userId);
    const dir = at(c.userDirectory);
    const name = at(c.userName);
    const start = at(c.start);
    const stop = at(c.stop);
    const latest = at(c.latestActivity);
    const pool = at(c.pool);
    const records: UsageRecord[] = [];
    // This loop runs 300,000 times on a large site: no closures or lookups it can skip.
    for (const row of rows) {
      const recordId = cellText(row, id);
      const startMs = parseQrsDate(cellText(row, start));
      const user = this.userOf(row, guid, dir, userId, name);
      if (recordId === undefined || startMs === null || user === undefined) {
        this.drop(recordId === undefined ? 'without a readable record id' : user === undefined ? 'without a readable user' : 'without a readable start time');
        continue;
      }
      const stopMs = stop < 0 ? null : parseQrsDate(cellText(row, stop));
      records.push({
        id: recordId,
        user,
        start: startMs,
        stop: stopMs,
        unit: this.unit,
        amount: this.unit === 'loginPass' ? 1 : capacityMinutes(startMs, stopMs ?? parseQrsDate(cellText(row, latest))),
        pool: this.intern(cellText(row, pool)),
      });
    }
    return records;
  }

  private drop(reason: string): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + 1);
  }

  /** The row's user, shared by every record of that user; cells beyond the GUID are read once per user. */
  private userOf(row: readonly unknown[], guidAt: number, dirAt: number, userIdAt: number, nameAt: number): User | undefined {
    const guid = cellText(row, guidAt);
    if (guid !== undefined) {
      const known = this.users.get(guid);
      if (known) {
        return known;
      }
    }
    const directory = cellText(row, dirAt);
    const userId = cellText(row, userIdAt);
    if (userId === undefined || directory === undefined) {
      return undefined;
    }
    const key = guid ?? userKey({ directory, userId });
    let user = this.users.get(key);
    if (!user) {
      user = { id: key, directory, userId, name: boundName(cellText(row, nameAt) ?? userId) };
      this.users.set(key, user);
    }
    return user;
  }

  private intern(pool: string | undefined): string | null {
    if (pool === undefined) {
      return null;
    }
    const known = this.pools.get(pool);
    if (known !== undefined) {
      return known;
    }
    this.pools.set(pool, pool);
    return pool;
  }
}
