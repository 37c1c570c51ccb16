/** Maps Qlik Cloud wire payloads into the core model. Pure: no I/O. */
import { boundName } from '../../core/displayText';
import type { Allocation, LicenseOverview, PassKind, SeatTotals, UsageRecord, User, UserFacts, UserFlag } from '../../core/model';
import type { SubscriptionKind } from './cloudOptions';
import type { CloudAllotment, CloudAssignment, CloudConsumptionEvent, CloudOverview, CloudRoleRef, CloudUser } from './cloudWire';

/** The license types a user-based tenant assigns, as the licenses API names them. */
const ASSIGNABLE: Readonly<Record<string, PassKind>> = { professional: 'professional', analyzer: 'analyzer' };

/** The allotment of analyzer capacity, in minutes (usage class "time"). */
const CAPACITY_ALLOTMENT = 'analyzer_time';

/** The allotment a capacity subscription counts its purchased Full Users in. */
const FULL_USER_ALLOTMENT = 'fullUser';

/** The role that may assign licenses and manage users (the only one, per Qlik's documentation). */
export const TENANT_ADMIN_ROLE = 'TenantAdmin';

/** The core pass kind of a Cloud license type, or undefined for types nobody assigns (fullUser, analyzer_time). */
export function passKindOf(type: string): PassKind | undefined {
  return ASSIGNABLE[type];
}

/**
 * A core user: the Cloud user id as id, the subject as user id, no directory (Cloud has none; the
 * subject alone is how Qlik Cloud shows a user), and the name, else the email, else the subject.
 */
export function toUser(wire: CloudUser): User {
  return { id: wire.id, directory: '', userId: wire.subject, name: boundName(wire.name || wire.email || wire.subject) };
}

/**
 * The holder of an orphaned assignment: known only by its subject, which also serves as its id
 * (no user record exists to give one).
 */
export function orphanUser(subject: string): User {
  return { id: subject, directory: '', userId: subject, name: boundName(subject) };
}

/**
 * Flags and groups for never-touch lists. A disabled user maps to `inactive` and a deleted one to
 * `removedExternally`, the flags that mean the same on a client-managed site.
 */
export function toUserFacts(wire: CloudUser): UserFacts {
  const flags: UserFlag[] = [];
  if (wire.status === 'disabled') {
    flags.push('inactive');
  }
  if (wire.status === 'deleted') {
    flags.push('removedExternally');
  }
  return { flags, groups: (wire.assignedGroups ?? []).map((g) => g.name) };
}

/** The id an assignment goes by: Cloud has none, and a subject holds at most one of each type. */
export function assignmentId(kind: PassKind, subject: string): string {
  return `${kind}:${subject}`;
}

/** The holder of an assignment as the tenant lists it, or undefined when it lists none (an orphan). */
export interface Holder {
  readonly user: User;
  readonly deleted: boolean;
}

/** The holder of an assignment, from the tenant's user record. */
export function holderOf(wire: CloudUser): Holder {
  return { user: toUser(wire), deleted: wire.status === 'deleted' };
}

/**
 * A core allocation from an assignment and its holder (looked up by subject), or undefined for a
 * type that is no pass kind. Without a holder the assignment is orphaned: kept, and marked.
 * Cloud keeps no last use per assignment (only the holder's sessions tell) and no quarantine.
 */
export function toAllocation(wire: CloudAssignment, holder: Holder | undefined): Allocation | undefined {
  const kind = passKindOf(wire.type);
  if (kind === undefined) {
    return undefined;
  }
  const created = wire.created ? Date.parse(wire.created) : Number.NaN;
  return {
    id: assignmentId(kind, wire.subject),
    kind,
    user: holder ? holder.user : orphanUser(wire.subject),
    lastUsed: null,
    lastUseUnrecorded: true,
    allocatedAt: Number.isNaN(created) ? null : created,
    quarantined: false,
    quarantineEnd: null,
    userDeleted: holder?.deleted === true,
    excess: wire.excess === true,
    ...(holder ? {} : { orphaned: true }),
  };
}

/** Analyzer capacity is consumed in chunks of 6 minutes (reference A.00). */
const CAPACITY_CHUNK_MINUTES = 6;

/**
 * A usage record from one consumption event (one engine session), or why it cannot be counted.
 * The session started `duration` before its end; the amount is the analyzer capacity minutes
 * the tenant charged (`minutesUsed`, else the 6-minute chunks), 0 for a session on an assigned
 * license.
 * @param usersById the tenant's users by Cloud user id (events name the user id, not the subject)
 */
export function consumptionRecord(event: CloudConsumptionEvent, usersById: ReadonlyMap<string, User>): UsageRecord | string {
  if (!event.id) {
    return 'without an id';
  }
  const stop = event.endTime ? Date.parse(event.endTime) : Number.NaN;
  if (Number.isNaN(stop)) {
    return 'without a readable end time';
  }
  const duration = event.duration ? parseDurationMs(event.duration) : undefined;
  if (duration === undefined) {
    return 'with an unreadable duration';
  }
  const user = event.userId ? usersById.get(event.userId) : undefined;
  if (!user) {
    return 'of a user the tenant does not list';
  }
  const amount = event.minutesUsed ?? (event.capacityUsed ?? 0) * CAPACITY_CHUNK_MINUTES;
  return { id: event.id, user, start: stop - duration, stop, unit: 'capacityMinutes', amount, pool: null };
}

function seats(allotment: CloudAllotment | undefined): SeatTotals | null {
  if (!allotment) {
    return null;
  }
  const { units, unitsUsed } = allotment;
  return {
    total: units,
    allocated: unitsUsed,
    // Every assigned license counts as used: Cloud bills assignments, not sign-ins.
    used: unitsUsed,
    quarantined: 0,
    excess: Math.max(0, unitsUsed - units),
    available: Math.max(0, units - unitsUsed),
  };
}

/** A core overview from `GET /licenses/overview`; Cloud has no tokens and no login passes. */
export function toOverview(wire: CloudOverview): LicenseOverview {
  const find = (name: string): CloudAllotment | undefined => wire.allotments.find((a) => a.name === name);
  const capacity = find(CAPACITY_ALLOTMENT);
  const professional = seats(find('professional'));
  const analyzer = seats(find('analyzer'));
  const offeredKinds: PassKind[] = [];
  if (professional) {
    offeredKinds.push('professional');
  }
  if (analyzer) {
    offeredKinds.push('analyzer');
  }
  return {
    tokens: null,
    professional,
    analyzer,
    capacity: capacity ? { allocatedMinutes: capacity.units, usedMinutes: capacity.unitsUsed, unavailableMinutes: 0 } : null,
    fullUsers: seats(find(FULL_USER_ALLOTMENT)),
    offeredKinds,
  };
}

/** Which kind of subscription a tenant runs, and why that is believed, as a sentence for the log. */
export interface SubscriptionVerdict {
  readonly kind: SubscriptionKind;
  readonly reason: string;
}

function allotmentText(a: CloudAllotment): string {
  return a.name === CAPACITY_ALLOTMENT ? `analyzer capacity (${a.units} minutes)` : `${a.name} (${a.units})`;
}

/**
 * The kind of subscription, read from the overview: a tenant that allots professional or analyzer
 * licenses or analyzer capacity is user-based; one that allots none of them is capacity-based
 * (since February 2026 those have no user types to assign).
 */
export function subscriptionOf(wire: CloudOverview): SubscriptionVerdict {
  const userBased = wire.allotments.filter((a) => passKindOf(a.name) !== undefined || a.name === CAPACITY_ALLOTMENT);
  if (userBased.length > 0) {
    return { kind: 'user-based', reason: `its license overview (${wire.product}) allots ${listText(userBased.map(allotmentText))}` };
  }
  const others = wire.allotments.map(allotmentText);
  return {
    kind: 'capacity',
    reason: `its license overview (${wire.product}) allots no professional or analyzer licenses and no analyzer capacity${others.length > 0 ? `, only ${listText(others)}` : ''}`,
  };
}

/** What the connected account may do, from its roles, as Test Connection reports it. */
export interface CloudRoleCheck {
  /** Assign, change and remove professional and analyzer licenses. */
  readonly canAdministerLicenses: boolean;
  /** Disable users (the release action on capacity tenants). */
  readonly canAdministerUsers: boolean;
  /** Every role the account holds, directly or through a group, by name, each once. */
  readonly roles: readonly string[];
  /** The verdict in one sentence for the admin. */
  readonly sentence: string;
}

/**
 * The role check of `/users/me`: roles held directly and through groups both count. Only the
 * Tenant Admin role assigns licenses and manages users; the permissions of custom roles are
 * readable by tenant admins only, so they are not guessed at.
 */
export function roleCheckOf(me: CloudUser): CloudRoleCheck {
  const refs: CloudRoleRef[] = [...(me.assignedRoles ?? []), ...(me.assignedGroups ?? []).flatMap((g) => g.assignedRoles ?? [])];
  const roles = [...new Set(refs.map((r) => r.name))].sort();
  const who = me.name || me.email || me.subject;
  if (roles.includes(TENANT_ADMIN_ROLE)) {
    return { canAdministerLicenses: true, canAdministerUsers: true, roles, sentence: `${who} holds the Tenant Admin role: License Steward can assign licenses and disable users.` };
  }
  const held = roles.length > 0 ? `holds ${listText(roles)} but not the Tenant Admin role` : 'holds no role';
  return {
    canAdministerLicenses: false,
    canAdministerUsers: false,
    roles,
    sentence: `${who} ${held}: License Steward can read what the account may read, but assigning licenses and disabling users need a tenant admin's API key or an OAuth client.`,
  };
}

/**
 * Milliseconds of a session duration. The contract leaves the format open, so the forms services
 * write are all read: ISO 8601 (`PT1H2M3.5S`), Go (`1h2m3.5s`, `350ms`), clock (`01:02:03`).
 * @returns undefined when the text is none of them
 */
export function parseDurationMs(text: string): number | undefined {
  const trimmed = text.trim();
  const iso = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(trimmed);
  if (iso && trimmed.length > 1 && !/T$/i.test(trimmed)) {
    const [, d, h, m, s] = iso;
    return Math.round(((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(m ?? 0)) * 60_000 + Number(s ?? 0) * 1000);
  }
  const clock = /^(\d+):([0-5]\d):([0-5]\d(?:\.\d+)?)$/.exec(trimmed);
  if (clock) {
    const [, h, m, s] = clock;
    return Math.round((Number(h) * 60 + Number(m)) * 60_000 + Number(s) * 1000);
  }
  const units: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000_001 };
  const go = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g;
  if (!/^(?:\d+(?:\.\d+)?(?:ms|us|µs|ns|h|m|s))+$/.test(trimmed)) {
    return undefined;
  }
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(go)) {
    total += Number(amount) * (units[unit ?? ''] ?? 0);
  }
  return Math.round(total);
}

/** `a`, `a and b`, `a, b and c`. */
function listText(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}
