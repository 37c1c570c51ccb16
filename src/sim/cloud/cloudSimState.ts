import { DAY_MS } from '../../core/model';
import type { Prng } from '../prng';
import type { SimClock } from '../simClock';
import { cloudObjectId } from './cloudIds';
import type {
  CloudUserStatus,
  CloudSubscription,
  CloudRole,
  CloudGroup,
  CloudUser,
  CloudAssignment,
  CloudSession,
  CloudConsumptionEvent,
  CloudAuditEvent,
  CloudAppEvent,
  CloudAllotment,
  CloudLicense,
  CloudSimData,
} from './cloudSimData';

// Tests and routes read the record types from the state they arrange.
export type * from './cloudSimData';

/** The license types a user-based subscription assigns (reference A.2.7). */
export const ASSIGNABLE_TYPES: readonly string[] = ['professional', 'analyzer'];

/** Audit events are kept this long, then only the archive has them (reference A.00). */
export const AUDIT_RETENTION_MS = 90 * DAY_MS;

/** Analyzer capacity is consumed in 6-minute units (reference A.00). */
export const CAPACITY_CHUNK_MINUTES = 6;

/** An answer that is an error: the routes render it in the API's error shape. */
export class CloudSimError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
  ) {
    super(detail ?? title);
    this.name = 'CloudSimError';
  }
}

/** One row of a 207 answer of assignments/actions/add|delete|update. */
export interface AssignmentRowResult {
  readonly subject?: string;
  readonly type?: string;
  readonly sourceType?: string;
  readonly sourceSubject?: string;
  readonly status: number;
  readonly code?: string;
  readonly title?: string;
}

/** Why a row of a batched assignment action failed. */
export interface AssignmentRowError {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  /** Whether Qlik documents this code (reference A.2.5); the others are the simulator's choice. */
  readonly documented: boolean;
}

/**
 * The per-row errors of the batched assignment actions. Qlik documents LICENSES-011 and
 * LICENSES-016 (reference A.2.5); for the other cases it publishes no code, so the simulator
 * answers the platform's `HTTP-<status>` form and clients must branch on the row's status.
 */
export const ASSIGNMENT_ROW_ERRORS = {
  noneLeft: { status: 403, code: 'LICENSES-011', title: 'No available allotment error, No available allotment.', documented: true },
  notFound: { status: 404, code: 'LICENSES-016', title: 'Assignment not found.', documented: true },
  alreadyAssigned: { status: 409, code: 'HTTP-409', title: 'The subject already has a license assignment.', documented: false },
  unknownSubject: { status: 404, code: 'HTTP-404', title: 'No user of this tenant has the subject.', documented: false },
  unknownType: { status: 400, code: 'HTTP-400', title: 'The license has no allotment of this type to assign.', documented: false },
} as const satisfies Record<string, AssignmentRowError>;

/** A row to add. */
export interface AddRow {
  readonly subject: string;
  readonly type: string;
}

/** A row to update: change type, or move the assignment from `sourceSubject` to `subject`. */
export interface UpdateRow {
  readonly subject: string;
  readonly type?: string;
  readonly sourceType?: string;
  readonly sourceSubject?: string;
}

function startOfMonth(t: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function rowError(e: AssignmentRowError): Pick<AssignmentRowResult, 'status' | 'code' | 'title'> {
  return { status: e.status, code: e.code, title: e.title };
}

/**
 * The live tenant. Routes read and change it; tests inspect it and arrange scenarios through
 * its helpers, which change it the way the tenant itself would (a session adds its audit events
 * and its consumption, a removed user leaves its assignment orphaned).
 */
export class CloudSimState {
  readonly tenantId: string;
  readonly license: CloudLicense;
  readonly roles: CloudRole[];
  readonly groups: CloudGroup[];
  readonly users: CloudUser[];
  readonly assignments: CloudAssignment[];
  readonly sessions: CloudSession[];
  readonly consumption: CloudConsumptionEvent[];
  /** Every session audit event, the archived ones too; the list API shows AUDIT_RETENTION_MS of them. */
  readonly audits: CloudAuditEvent[];
  /** Every app audit event, kept and listed as the session events are. */
  readonly appEvents: CloudAppEvent[];
  /** The app event types the tenant records (`/audits/types` lists them even before one happens). */
  readonly appEventTypes: readonly string[];
  readonly adminUserId: string;
  readonly oauthClient: { readonly clientId: string; readonly userId: string };
  readonly appIds: readonly string[];

  constructor(
    data: CloudSimData,
    private readonly clock: SimClock,
    private readonly prng: Prng,
  ) {
    this.tenantId = data.tenantId;
    this.license = data.license;
    this.roles = data.roles;
    this.groups = data.groups;
    this.users = data.users;
    this.assignments = data.assignments;
    this.sessions = data.sessions;
    this.consumption = data.consumption;
    this.audits = data.audits;
    this.appEvents = data.appEvents;
    this.appEventTypes = data.appEventTypes;
    this.adminUserId = data.adminUserId;
    this.oauthClient = data.oauthClient;
    this.appIds = data.appIds;
  }

  now(): number {
    return this.clock.now();
  }

  get subscription(): CloudSubscription {
    return this.license.subscription;
  }

  user(id: string): CloudUser | undefined {
    return this.users.find((u) => u.id === id);
  }

  /** The user with a subject; subjects compare exactly, as the IdP issued them. */
  userBySubject(subject: string): CloudUser | undefined {
    return this.users.find((u) => u.subject === subject);
  }

  role(id: string): CloudRole | undefined {
    return this.roles.find((r) => r.id === id);
  }

  roleByName(name: string): CloudRole | undefined {
    const lower = name.toLowerCase();
    return this.roles.find((r) => r.name.toLowerCase() === lower);
  }

  group(id: string): CloudGroup | undefined {
    return this.groups.find((g) => g.id === id);
  }

  /** Roles assigned directly; `assignedRoles` shows these. */
  userRoles(user: CloudUser): CloudRole[] {
    return user.roleIds.map((id) => this.role(id)).filter((r) => r !== undefined);
  }

  /** Whether the user administers the tenant, directly or through an active group. */
  isTenantAdmin(user: CloudUser): boolean {
    const roleIds = new Set(user.roleIds);
    for (const g of user.groupIds) {
      const group = this.group(g);
      if (group?.status === 'active') {
        group.roleIds.forEach((r) => roleIds.add(r));
      }
    }
    return [...roleIds].some((id) => this.role(id)?.name === 'TenantAdmin');
  }

  /** A new 24-hex id, as Qlik's services write them. */
  newId(): string {
    return cloudObjectId(this.prng, this.now());
  }

  /** Adds a user as the identity provider would on first sign-in (or an invite, with status 'invited'). */
  addUser(fields: { name: string; subject?: string; email?: string; status?: CloudUserStatus; roles?: readonly string[] }): CloudUser {
    const subject = fields.subject ?? `auth0|${this.newId()}`;
    if (this.userBySubject(subject)) {
      throw new CloudSimError(409, 'HTTP-409', 'Conflict', `A user with subject ${subject} exists.`);
    }
    const roleIds = (fields.roles ?? []).map((name) => {
      const role = this.roleByName(name);
      if (!role) {
        throw new CloudSimError(400, 'HTTP-400', 'Bad request', `No role named ${name}.`);
      }
      return role.id;
    });
    const now = this.now();
    const user: CloudUser = {
      id: this.newId(),
      subject,
      name: fields.name,
      ...(fields.email !== undefined ? { email: fields.email } : {}),
      status: fields.status ?? 'active',
      createdAt: now,
      lastUpdatedAt: now,
      roleIds,
      groupIds: [],
      ...(fields.status === 'invited' ? { inviteExpiry: Math.floor(now / 1000) + 7 * 86_400 } : {}),
    };
    this.users.push(user);
    return user;
  }

  /** Changes a user's status (PATCH replace /status does this). */
  setUserStatus(id: string, status: CloudUserStatus): CloudUser {
    const user = this.requireUser(id);
    user.status = status;
    user.lastUpdatedAt = this.now();
    return user;
  }

  /** Removes a user record altogether: their assignment stays and becomes an orphan. */
  removeUser(id: string): CloudUser {
    const user = this.requireUser(id);
    this.users.splice(this.users.indexOf(user), 1);
    return user;
  }

  requireUser(id: string): CloudUser {
    const user = this.user(id);
    if (!user) {
      throw new CloudSimError(404, 'USERS-7', 'Not found', `No user with id ${id}.`);
    }
    return user;
  }

  allotment(name: string): CloudAllotment | undefined {
    return this.license.allotments.find((a) => a.name === name);
  }

  /** How much of an allotment is used now. */
  unitsUsed(allotment: CloudAllotment): number {
    if (allotment.usageClass === 'time') {
      const from = startOfMonth(this.now());
      let minutes = 0;
      for (const e of this.consumption) {
        if (e.endTime >= from && e.endTime <= this.now() && e.allotmentId === allotment.id) {
          minutes += e.minutesUsed;
        }
      }
      return minutes;
    }
    if (this.subscription === 'capacity') {
      return this.fullUsersThisMonth();
    }
    return this.assignments.filter((a) => a.type === allotment.name).length;
  }

  /**
   * Users who count as Full Users this month: everyone who signed in (reference A.00: "every
   * user who signs in counts as a Full User"), per calendar month as capacity is billed.
   */
  fullUsersThisMonth(): number {
    const from = startOfMonth(this.now());
    const ids = new Set<string>();
    for (const s of this.sessions) {
      if (s.begin >= from && s.begin <= this.now()) {
        ids.add(s.userId);
      }
    }
    return [...ids].filter((id) => this.user(id)?.status !== 'deleted').length;
  }

  /** Sets an allotment's purchased units (below what is assigned makes the newest assignments excess). */
  setAllotmentUnits(name: string, units: number): void {
    const a = this.allotment(name);
    if (!a) {
      throw new RangeError(`The license has no allotment ${name}.`);
    }
    a.units = units;
  }

  /** Leaves no free unit in a pool: the next add of that type answers LICENSES-011. */
  exhaustPool(name: string): void {
    const a = this.allotment(name);
    if (!a) {
      throw new RangeError(`The license has no allotment ${name}.`);
    }
    a.units = this.unitsUsed(a);
    if (a.overage !== undefined) {
      a.overage = 0;
    }
  }

  /** Whether an assignment lies beyond its allotment's units (the oldest ones fit first). */
  isExcess(assignment: CloudAssignment): boolean {
    const a = this.allotment(assignment.type);
    if (!a) {
      return true;
    }
    const sameType = this.assignments.filter((x) => x.type === assignment.type).sort((x, y) => x.created - y.created || x.subject.localeCompare(y.subject));
    return sameType.indexOf(assignment) >= a.units;
  }

  assignmentOf(subject: string): CloudAssignment | undefined {
    return this.assignments.find((a) => a.subject === subject);
  }

  /** Assignments whose subject is no user of this tenant (reference A.2.4, S8). */
  isOrphan(assignment: CloudAssignment): boolean {
    return this.userBySubject(assignment.subject) === undefined;
  }

  private assignable(type: string): boolean {
    return this.subscription === 'user-based' && ASSIGNABLE_TYPES.includes(type) && this.allotment(type) !== undefined;
  }

  private hasRoom(type: string): boolean {
    const a = this.allotment(type);
    return a !== undefined && this.unitsUsed(a) < a.units;
  }

  /**
   * Applies add rows in order, each seeing the ones before it; answers a row each. Capacity
   * subscriptions have no user types to assign since February 2026 (reference A.00): every row
   * is refused with LICENSES-011, the code for "no allotment available".
   */
  addAssignments(rows: readonly AddRow[]): AssignmentRowResult[] {
    return rows.map(({ subject, type }) => {
      const base = { subject, type };
      if (this.subscription === 'capacity') {
        return { ...base, ...rowError(ASSIGNMENT_ROW_ERRORS.noneLeft) };
      }
      if (!this.assignable(type)) {
        return { ...base, ...rowError(ASSIGNMENT_ROW_ERRORS.unknownType) };
      }
      const user = this.userBySubject(subject);
      if (!user || user.status === 'deleted') {
        return { ...base, ...rowError(ASSIGNMENT_ROW_ERRORS.unknownSubject) };
      }
      if (this.assignmentOf(subject)) {
        return { ...base, ...rowError(ASSIGNMENT_ROW_ERRORS.alreadyAssigned) };
      }
      if (!this.hasRoom(type)) {
        return { ...base, ...rowError(ASSIGNMENT_ROW_ERRORS.noneLeft) };
      }
      this.assignments.push({ subject, type, created: this.now() });
      return { ...base, status: 201 };
    });
  }

  /** Applies delete rows in order; a row whose subject holds no assignment of that type is LICENSES-016. */
  deleteAssignments(rows: readonly AddRow[]): AssignmentRowResult[] {
    return rows.map(({ subject, type }) => {
      const found = this.assignmentOf(subject);
      if (!found || found.type !== type) {
        return { subject, type, ...rowError(ASSIGNMENT_ROW_ERRORS.notFound) };
      }
      this.assignments.splice(this.assignments.indexOf(found), 1);
      return { subject, type, status: 200 };
    });
  }

  /**
   * Applies update rows in order: a type change answers 200, moving an assignment to another
   * subject answers 201 ("a new resource was created due to a subject update", spec).
   */
  updateAssignments(rows: readonly UpdateRow[]): AssignmentRowResult[] {
    return rows.map((row) => {
      const from = row.sourceSubject ?? row.subject;
      const echo = {
        subject: row.subject,
        ...(row.type !== undefined ? { type: row.type } : {}),
        ...(row.sourceType !== undefined ? { sourceType: row.sourceType } : {}),
        ...(row.sourceSubject !== undefined ? { sourceSubject: row.sourceSubject } : {}),
      };
      const found = this.assignmentOf(from);
      if (!found || (row.sourceType !== undefined && found.type !== row.sourceType)) {
        return { ...echo, ...rowError(ASSIGNMENT_ROW_ERRORS.notFound) };
      }
      const target = row.type ?? found.type;
      if (target !== found.type) {
        if (!this.assignable(target)) {
          return { ...echo, ...rowError(ASSIGNMENT_ROW_ERRORS.unknownType) };
        }
        if (!this.hasRoom(target)) {
          return { ...echo, ...rowError(ASSIGNMENT_ROW_ERRORS.noneLeft) };
        }
      }
      const moving = from !== row.subject;
      if (moving) {
        const user = this.userBySubject(row.subject);
        if (!user || user.status === 'deleted') {
          return { ...echo, ...rowError(ASSIGNMENT_ROW_ERRORS.unknownSubject) };
        }
        if (this.assignmentOf(row.subject)) {
          return { ...echo, ...rowError(ASSIGNMENT_ROW_ERRORS.alreadyAssigned) };
        }
      }
      const sourceType = found.type;
      found.type = target;
      if (moving) {
        found.subject = row.subject;
        found.created = this.now();
      }
      return { ...echo, type: target, sourceType, status: moving ? 201 : 200 };
    });
  }

  /**
   * Records a sign-in session as the tenant would: its begin and end audit events and, on a
   * user-based tenant, its consumption event (analyzer capacity minutes when the user holds no
   * assignment; an unassigned user is first auto-assigned when the settings say so).
   */
  addSession(userId: string, begin: number, end: number, appId?: string): CloudSession {
    const user = this.requireUser(userId);
    if (end < begin) {
      throw new RangeError('A session ends after it begins.');
    }
    const session: CloudSession = { id: this.prng.uuid(), userId: user.id, appId: appId ?? this.prng.pick(this.appIds), begin, end };
    this.sessions.push(session);
    this.audits.push(
      { id: this.newId(), eventId: this.prng.uuid(), eventType: 'com.qlik.user-session.begin', eventTime: begin, userId: user.id, sessionId: session.id },
      { id: this.newId(), eventId: this.prng.uuid(), eventType: 'com.qlik.user-session.end', eventTime: end, userId: user.id, sessionId: session.id },
    );
    if (this.subscription === 'user-based') {
      this.autoAssign(user, begin);
      this.consumption.push(this.consumptionFor(session, user));
    }
    return session;
  }

  /**
   * Records an app event as the tenant would on the user's action (`com.qlik.app.created`,
   * `com.qlik.v1.app.published`, …); a type the tenant did not list before is listed from then on.
   */
  addAppEvent(userId: string, eventType: string, at: number, appId?: string): CloudAppEvent {
    const user = this.requireUser(userId);
    const event: CloudAppEvent = { id: this.newId(), eventId: this.prng.uuid(), eventType, eventTime: at, userId: user.id, appId: appId ?? this.prng.pick(this.appIds) };
    this.appEvents.push(event);
    return event;
  }

  /** Every audit event, sessions' and apps' alike, in no particular order. */
  auditTrail(): readonly (CloudAuditEvent | CloudAppEvent)[] {
    return [...this.audits, ...this.appEvents];
  }

  /** What `/audits/types` lists: every type the log holds or the tenant records, sorted. */
  auditTypes(): string[] {
    return [...new Set([...this.auditTrail().map((e) => e.eventType), ...this.appEventTypes])].sort();
  }

  /** A consumption event on its own (the engine reports sessions the audits may not show). */
  addConsumptionEvent(fields: { userId: string; endTime: number; minutesUsed: number; durationMs?: number; appId?: string; allotment?: string }): CloudConsumptionEvent {
    const allotment = this.allotment(fields.allotment ?? 'analyzer_time');
    if (!allotment) {
      throw new RangeError(`The license has no allotment ${fields.allotment ?? 'analyzer_time'}.`);
    }
    const event: CloudConsumptionEvent = {
      id: this.newId(),
      userId: fields.userId,
      appId: fields.appId ?? this.prng.pick(this.appIds),
      sessionId: this.prng.uuid(),
      allotmentId: allotment.id,
      licenseUsage: allotment.name,
      endTime: fields.endTime,
      durationMs: fields.durationMs ?? fields.minutesUsed * 60_000,
      minutesUsed: fields.minutesUsed,
      capacityUsed: Math.ceil(fields.minutesUsed / CAPACITY_CHUNK_MINUTES),
    };
    this.consumption.push(event);
    return event;
  }

  /** The consumption event of a session: which allotment covered it, and the capacity it used. */
  consumptionFor(session: CloudSession, user: CloudUser): CloudConsumptionEvent {
    const held = this.assignmentOf(user.subject);
    const covered = held !== undefined && held.created <= session.end ? this.allotment(held.type) : undefined;
    const allotment = covered ?? this.allotment('analyzer_time');
    const minutes = (session.end - session.begin) / 60_000;
    const capacityUsed = covered ? 0 : Math.max(1, Math.ceil(minutes / CAPACITY_CHUNK_MINUTES));
    return {
      id: this.newId(),
      userId: user.id,
      appId: session.appId,
      sessionId: session.id,
      allotmentId: allotment?.id ?? '',
      licenseUsage: allotment?.name ?? 'analyzer_time',
      endTime: session.end,
      durationMs: session.end - session.begin,
      minutesUsed: capacityUsed * CAPACITY_CHUNK_MINUTES,
      capacityUsed,
    };
  }

  private autoAssign(user: CloudUser, at: number): void {
    const settings = this.license.settings;
    if (!settings || this.assignmentOf(user.subject) || user.status !== 'active') {
      return;
    }
    // Documented order: professional first when available, then analyzer (licenses settings spec).
    const order = [settings.autoAssignProfessional ? 'professional' : undefined, settings.autoAssignAnalyzer ? 'analyzer' : undefined];
    const type = order.find((t) => t !== undefined && this.hasRoom(t));
    if (type) {
      // Assigned as the user signed in, so the session is covered by it.
      this.assignments.push({ subject: user.subject, type, created: at });
    }
  }

  /** The last sign-in of each user, from the session events kept. */
  lastSignIn(userId: string): number | undefined {
    let last: number | undefined;
    for (const s of this.sessions) {
      if (s.userId === userId && (last === undefined || s.begin > last)) {
        last = s.begin;
      }
    }
    return last;
  }
}
