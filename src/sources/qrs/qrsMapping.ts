/** Maps QRS wire payloads into the core model. Pure: no I/O. */
import { boundName } from '../../core/displayText';
import { USER_FLAGS, userKey, type Allocation, type LicenseOverview, type LoginPool, type PassKind, type SeatTotals, type User, type UserFacts } from '../../core/model';
import { QrsProtocolError } from './qrsErrors';
import type { AccessTypeOverview, AccessTypeOverviewDetails, LicenseAllocation, LicenseLoginAccessType, User as WireUser, UserCondensed } from './qrsWire';

/** Tokens per pass when the server does not say (every known site says 1 and 0.1). */
const DEFAULT_USER_PASS_COST = 1;
const DEFAULT_LOGIN_PASS_COST = 0.1;

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
