import { setTimeout as delay } from 'node:timers/promises';
import type { CallOptions, LicenseSource, ReadOptions, RowChange, RowOutcome } from '../../core/licenseSource';
import { silentLogger, taggedLogger, type Logger } from '../../core/logger';
import { type Allocation, type Identity, type LicenseOverview, type Member, type PassKind, type RevokeOutcome, type UsageRecord, type UsageWindow, type User, type UserFacts } from '../../core/model';
import { READ_BACK, verifiedWrite, type AppliedWrite } from '../../core/verifiedWrite';
import { QLIK_API_VERSION } from './cloudApiVersion';
import { AUDIT_RETENTION_MS, readAuthors } from './cloudAuthoring';
import { CloudAssignmentWriter, ROWS_PER_REQUEST } from './cloudAssignmentWriter';
import { CloudClient } from './cloudClient';
import { CloudRowError, CloudStateError } from './cloudErrors';
import { consumptionRecord, holderOf, roleCheckOf, subscriptionOf, toAllocation, toOverview, toUser, toUserFacts, type CloudRoleCheck, type SubscriptionVerdict } from './cloudMapping';
import type { CloudClientOptions, SubscriptionKind } from './cloudOptions';
import { pairSessions, SESSION_BEGIN, SESSION_END } from './cloudSessions';
import {
  asAssignmentPage,
  asAuditPage,
  asConsumptionPage,
  asGroupPage,
  asLicenseStatus,
  asOverview,
  asUser,
  asUserPage,
  userApiErrors,
  type CloudAssignment,
  type CloudAuditEvent,
  type CloudOverview,
  type CloudUser,
} from './cloudWire';

const USERS = '/api/v1/users';
const ME = '/api/v1/users/me';
const GROUPS = '/api/v1/groups';
const OVERVIEW = '/api/v1/licenses/overview';
const STATUS = '/api/v1/licenses/status';
const ASSIGNMENTS = '/api/v1/licenses/assignments';
const CONSUMPTION = '/api/v1/licenses/consumption';
const AUDITS = '/api/v1/audits';

/** Each list's largest `limit` (specs/cloud): fewer requests against the rate limit. */
const LIMITS = { users: 100, groups: 100, assignments: 100, consumption: 200, audits: 100 } as const;

/** What `/users/me` is asked for: who the account is, and the roles it holds directly and through groups. */
const ME_FIELDS = 'id,subject,name,email,status,assignedRoles,assignedGroups';

/** Ids per `id eq … or …` filter: 50 keep the URL near 3 KB, under every proxy's limit. */
const FACTS_BATCH = 50;

/**
 * A sync reads the users for allocations and usage alike; one listing serves both within this
 * many milliseconds of wall-clock time. Domain time (the `now` option) plays no part.
 */
const USERS_FRESH_MS = 30_000;

/** Subjects whose assignments are read one filtered request each; more are read as one listing. */
const SUBJECTS_READ_ONE_BY_ONE = 20;

/** Usage records per page handed to the caller. */
const USAGE_PAGE = 1000;

/** A SCIM string literal: quotes and backslashes escaped, as RFC 7644 (JSON strings) has it. */
export function scimString(value: string): string {
  return JSON.stringify(value);
}

/** The tenant's users, indexed as usage and allocations join them. */
interface UserIndex {
  readonly byId: ReadonlyMap<string, CloudUser>;
  /** By lower-case subject. */
  readonly bySubject: ReadonlyMap<string, CloudUser>;
}

/** The kind of subscription of a tenant, why, and the whole sentence the log got. */
export interface TenantKind extends SubscriptionVerdict {
  /** `acme.eu.qlikcloud.com is a capacity tenant: its license overview (…) allots no …`. */
  readonly sentence: string;
}

/** The license overview and the subscription it shows, read once per source and refreshed by overview(). */
interface TenantFacts {
  readonly overview: CloudOverview;
  readonly subscription: TenantKind;
}

/**
 * One Qlik Cloud tenant. User-based tenants: license assignments (assign, change, revoke, in
 * batches), analyzer capacity consumption. Capacity tenants: activity from the audit log and
 * Disable User. Which kind a tenant is comes from its answers, or from the connection.
 */
export class CloudSource implements LicenseSource {
  readonly system = 'cloud' as const;
  readonly authoringEvidence = 'auditEvents' as const;
  readonly rowsPerRequest = ROWS_PER_REQUEST;
  readonly lastUsePerPass = false as const;
  private readonly client: CloudClient;
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly stated: SubscriptionKind | undefined;
  private readonly writer: CloudAssignmentWriter;
  private knownTenant: Promise<TenantFacts> | undefined;
  private knownUsers: { readonly at: number; readonly index: Promise<UserIndex> } | undefined;
  private lastVerdict: string | undefined;

  /** @param options the connection; its secrets arrive resolved */
  constructor(options: CloudClientOptions) {
    this.client = new CloudClient(options);
    this.now = options.now ?? Date.now;
    this.logger = taggedLogger(options.logger ?? silentLogger, 'cloud');
    this.stated = options.subscription;
    this.writer = new CloudAssignmentWriter({
      client: this.client,
      held: (subjects, call) => this.heldBySubject(subjects, call),
      heldNow: (subject) => this.assignmentsOf(subject),
      now: this.now,
    });
  }

  /** The account (its subject) and the tenant's product, with the API version spoken. */
  async whoAmI(options?: CallOptions): Promise<Identity> {
    const [me, status] = await Promise.all([this.me(options), this.client.get(STATUS, undefined, options)]);
    const license = asLicenseStatus(status, `GET ${STATUS}`);
    return { user: me.subject, server: `${license.product} tenant ${this.client.host} (qlik-api-version ${QLIK_API_VERSION})` };
  }

  /**
   * What the connected account may do, from `/users/me`: whether it can administer licenses and
   * users, with a sentence for Test Connection.
   */
  async roleCheck(options?: CallOptions): Promise<CloudRoleCheck> {
    return roleCheckOf(await this.me(options));
  }

  /**
   * The kind of subscription, and why: as the connection states it, else as the license overview
   * shows it. Logged when first read and whenever it changes; the CLI repeats it where it helps.
   */
  async subscription(options?: CallOptions): Promise<TenantKind> {
    return (await this.cachedTenant(options)).subscription;
  }

  /** Totals of the tenant; refreshes the copy the other calls rely on. */
  async overview(options?: CallOptions): Promise<LicenseOverview> {
    return toOverview((await this.refreshTenant(options)).overview);
  }

  /**
   * Use in the window. User-based tenants: each engine session's analyzer capacity minutes
   * (`/licenses/consumption`). Capacity tenants: session minutes from the audit log's session
   * begin and end events (kept 90 days by Qlik). Rows that cannot be counted are reported.
   */
  async *usage(window: UsageWindow, options?: ReadOptions): AsyncGenerator<readonly UsageRecord[]> {
    const { subscription } = await this.cachedTenant(options);
    const users = await this.users(options);
    const byId = new Map([...users.byId].map(([id, u]) => [id, toUser(u)]));
    if (subscription.kind === 'capacity') {
      yield* this.sessionPages(window, byId, users, options);
    } else {
      yield* this.consumptionPages(window, byId, options);
    }
  }

  /**
   * Every professional and analyzer assignment, joined to the tenant's users by subject. An
   * assignment whose subject is no user of the tenant is kept and marked `orphaned`; types that
   * are no pass kind are left out and reported. Capacity tenants have none.
   */
  async allocations(options?: ReadOptions): Promise<readonly Allocation[]> {
    if ((await this.cachedTenant(options)).subscription.kind === 'capacity') {
      return [];
    }
    const [users, assignments] = await Promise.all([this.users(options), this.allAssignments(options)]);
    const allocations: Allocation[] = [];
    const otherTypes = new Map<string, number>();
    for (const assignment of assignments) {
      const holder = users.bySubject.get(assignment.subject.toLowerCase());
      const allocation = toAllocation(assignment, holder ? holderOf(holder) : undefined);
      if (allocation) {
        allocations.push(allocation);
      } else {
        otherTypes.set(assignment.type, (otherTypes.get(assignment.type) ?? 0) + 1);
      }
    }
    for (const [type, count] of otherTypes) {
      this.logger.warn(`${count} license assignments of type "${type}" are neither professional nor analyzer and were left out.`);
      options?.onDropped?.({ what: 'allocations', count, reason: `of type "${type}", which is neither professional nor analyzer`, request: `GET ${ASSIGNMENTS}` });
    }
    return allocations;
  }

  /**
   * Capacity tenants: every active user with the last sign-in the audit log still holds (it
   * keeps 90 days), so the ranking can name users who stopped signing in. User-based tenants
   * license by assignment: none.
   */
  async members(options?: CallOptions): Promise<readonly Member[]> {
    if ((await this.cachedTenant(options)).subscription.kind !== 'capacity') {
      return [];
    }
    const users = await this.users(options);
    const to = this.now();
    const eventTime = `${new Date(to - AUDIT_RETENTION_MS).toISOString()}/${new Date(to).toISOString()}`;
    const last = new Map<string, number>();
    const bySubject = new Map([...users.bySubject].map(([subject, u]) => [subject, u.id]));
    for await (const page of this.client.pages(AUDITS, { eventType: SESSION_BEGIN, eventTime, limit: LIMITS.audits }, asAuditPage, { ...options, describe: 'read the audit log (sign-ins)' })) {
      for (const event of page) {
        const at = event.eventTime ? Date.parse(event.eventTime) : Number.NaN;
        const subject = typeof event.data === 'object' && event.data !== null ? (event.data as Record<string, unknown>)['subject'] : undefined;
        const id = event.userId ?? (typeof subject === 'string' ? bySubject.get(subject.toLowerCase()) : undefined);
        if (id && Number.isFinite(at) && at > (last.get(id) ?? -Infinity)) {
          last.set(id, at);
        }
      }
    }
    const members: Member[] = [];
    for (const u of users.byId.values()) {
      if (u.status === 'active') {
        members.push({ user: toUser(u), lastSignIn: last.get(u.id) ?? null });
      }
    }
    return members;
  }

  /**
   * The user whose subject, else whose email, is `userId` (compared without regard to case, as
   * the tenant compares). Cloud has no user directories: `directory` is ignored.
   */
  async findUser(_directory: string, userId: string, options?: CallOptions): Promise<User | undefined> {
    const filter = `subject eq ${scimString(userId)} or email eq ${scimString(userId)}`;
    const wanted = userId.toLowerCase();
    const found: CloudUser[] = [];
    for await (const page of this.client.pages(USERS, { filter, limit: LIMITS.users }, asUserPage, options)) {
      found.push(...page);
    }
    const match = found.find((u) => u.subject.toLowerCase() === wanted) ?? found.find((u) => u.email?.toLowerCase() === wanted);
    return match ? toUser(match) : undefined;
  }

  /** The user's assignments (at most one on Qlik Cloud); none on capacity tenants. */
  async allocationsOf(user: User, options?: CallOptions): Promise<readonly Allocation[]> {
    if ((await this.cachedTenant(options)).subscription.kind === 'capacity') {
      return [];
    }
    const held = await this.assignmentsOf(user.userId, options);
    return held.map((a) => toAllocation(a, { user, deleted: false })).filter((a): a is Allocation => a !== undefined);
  }

  /**
   * Flags (disabled → inactive, deleted → removedExternally) and groups of the given users, read
   * by id in batches. Users the tenant no longer has are absent from the map.
   */
  async userFacts(users: readonly User[], options?: CallOptions): Promise<ReadonlyMap<string, UserFacts>> {
    const facts = new Map<string, UserFacts>();
    const ids = [...new Set(users.map((u) => u.id))];
    for (let i = 0; i < ids.length; i += FACTS_BATCH) {
      const filter = ids
        .slice(i, i + FACTS_BATCH)
        .map((id) => `id eq ${scimString(id)}`)
        .join(' or ');
      for await (const page of this.client.pages(USERS, { filter, limit: LIMITS.users }, asUserPage, options)) {
        for (const wire of page) {
          facts.set(wire.id, toUserFacts(wire));
        }
      }
    }
    return facts;
  }

  /**
   * Of the given users, who created, published or reloaded an app with new data since `since`,
   * as the audit log shows (cloudAuthoring.ts); users the tenant does not list count as authors.
   * Throws AuthoringUnreadableError where the log cannot tell: the window is longer than its 90
   * days, the account sees only its own events, or the tenant records none of those events.
   */
  async authoredSince(users: readonly User[], since: number, options?: CallOptions): Promise<ReadonlySet<string>> {
    const deps = {
      client: this.client,
      now: this.now,
      readsEveryonesEvents: async (call?: CallOptions) => (await this.roleCheck(call)).canAdministerLicenses,
      listedIds: async (asked: readonly User[], call?: CallOptions) => new Set((await this.userFacts(asked, call)).keys()),
    };
    return readAuthors(deps, users, since, options);
  }

  /** The names of the tenant's groups, sorted, for never-touch lists. */
  async groups(options?: CallOptions): Promise<readonly string[]> {
    const names: string[] = [];
    for await (const page of this.client.pages(GROUPS, { limit: LIMITS.groups }, asGroupPage, options)) {
      names.push(...page.map((g) => g.name));
    }
    return names.sort((a, b) => a.localeCompare(b));
  }

  /**
   * Whether a license of `kind` can be assigned now: the tenant is user-based and allots it with
   * units left (or overage allowed), and the account holds the Tenant Admin role.
   */
  async canAssign(kind: PassKind, options?: CallOptions): Promise<boolean> {
    const [{ overview, subscription }, roles] = await Promise.all([this.cachedTenant(options), this.roleCheck(options)]);
    const allotment = overview.allotments.find((a) => a.name === kind);
    if (subscription.kind === 'capacity' || !roles.canAdministerLicenses || !allotment) {
      return false;
    }
    const overage = allotment.overage ?? 0;
    return overage === -1 || allotment.unitsUsed < allotment.units + Math.max(0, overage);
  }

  /**
   * Assigns a professional or analyzer license, after reading that the user holds none. Sent once
   * as a batch of one; the row's status decides, and any answer that is not a clean row is
   * settled by reading the user's assignments back (core/verifiedWrite).
   */
  async assign(user: User, kind: PassKind, options?: CallOptions): Promise<AppliedWrite<Allocation>> {
    await this.requireUserBased('assign licenses', options);
    return this.writer.assign(user, kind, options);
  }

  /** Removes an assignment (orphaned ones too); the license is free at once (no quarantine on Cloud). */
  async revoke(allocation: Allocation, options?: CallOptions): Promise<AppliedWrite<RevokeOutcome>> {
    await this.requireUserBased('remove licenses', options);
    return this.writer.revoke(allocation, options);
  }

  /** Changes an assignment's type in place (professional ↔ analyzer) with one update row. */
  async changeKind(allocation: Allocation, kind: PassKind, options?: CallOptions): Promise<AppliedWrite<Allocation>> {
    await this.requireUserBased('change license types', options);
    return this.writer.changeKind(allocation, kind, options);
  }

  /**
   * Many assignment changes in as few requests as the API takes (one per action and 100 rows),
   * each row's outcome established on its own: a 207 row's error (e.g. LICENSES-011, none left)
   * becomes that row's NotAppliedError, an unclear answer is settled by reading back.
   */
  async applyRows(changes: readonly RowChange[], options?: CallOptions): Promise<readonly RowOutcome[]> {
    try {
      await this.requireUserBased('change license assignments', options);
    } catch (error) {
      return changes.map((change) => ({ change, status: 'notApplied', error }));
    }
    return this.writer.apply(changes, options);
  }

  /**
   * Disables a user (`PATCH /users/{id}`, replace `/status` with `disabled`): the release action
   * of capacity tenants, where every user who signs in counts as a Full User. Sent once, then
   * the user is read back: the write resolves only when the status shows `disabled`.
   */
  async disable(user: User, options?: CallOptions): Promise<AppliedWrite<User>> {
    const path = `${USERS}/${encodeURIComponent(user.id)}`;
    const current = await this.client.find(path, undefined, options);
    if (current === undefined) {
      throw new CloudStateError('CLOUD_USER_STATUS', `${user.name} (${user.userId}) is no longer a user of ${this.client.host}: there is nobody to disable.`);
    }
    const before = asUser(current, `GET ${path}`);
    if (before.status === 'disabled' || before.status === 'deleted') {
      throw new CloudStateError('CLOUD_USER_STATUS', `${user.name} (${user.userId}) is already ${before.status}.`);
    }
    const what = `disable ${user.name} (${user.userId})`;
    const readBack = async (): Promise<User | undefined> => {
      const after = await this.client.find(path);
      const wire = after === undefined ? undefined : asUser(after, `GET ${path}`);
      return wire?.status === 'disabled' ? toUser(wire) : undefined;
    };
    const signal = options?.signal;
    return verifiedWrite<User>({
      what,
      check: `Check the user's status in the Administration activity center (Users), or sync, before trying again.`,
      now: Date.now,
      sleep: (ms) => delay(ms, undefined, signal ? { signal } : {}),
      send: async () => {
        const patch = [{ op: 'replace', path: '/status', value: 'disabled' }];
        const response = await this.client.patch(path, patch, { ...(signal ? { signal } : {}), describe: 'disable users', expect: [204, 207] });
        if (response.status === 207) {
          // Partly done: the errors say what was not; the state read back decides.
          const [first] = userApiErrors(response.body);
          throw new CloudRowError(207, first?.code, first ? this.client.redact(first.title) : undefined);
        }
        return READ_BACK;
      },
      readBack,
      notBorneOut: () => new CloudStateError('CLOUD_UNEXPECTED_STATE', `Qlik Cloud accepted the request to ${what}, but the user's status is not disabled. Sync and check the Administration activity center (Users).`),
    });
  }

  /** Closes the connections. */
  async close(): Promise<void> {
    await this.client.close();
  }

  private async me(options?: CallOptions): Promise<CloudUser> {
    const path = `${ME}?fields=${ME_FIELDS}`;
    return asUser(await this.client.getRedirected(ME, { fields: ME_FIELDS }, options), `GET ${path}`);
  }

  /** Reads the overview again; the copy other calls rely on is this read until it fails. */
  private refreshTenant(options?: CallOptions): Promise<TenantFacts> {
    const fresh = this.fetchTenant(options);
    this.knownTenant = fresh;
    fresh.catch(() => {
      if (this.knownTenant === fresh) {
        this.knownTenant = undefined;
      }
    });
    return fresh;
  }

  private cachedTenant(options?: CallOptions): Promise<TenantFacts> {
    return this.knownTenant ?? this.refreshTenant(options);
  }

  private async fetchTenant(options?: CallOptions): Promise<TenantFacts> {
    const overview = asOverview(await this.client.get(OVERVIEW, undefined, options), `GET ${OVERVIEW}`);
    const detected = subscriptionOf(overview);
    const host = this.client.host;
    const contradicted = this.stated !== undefined && this.stated !== detected.kind;
    const verdict: SubscriptionVerdict = this.stated === undefined ? detected : { kind: this.stated, reason: 'the connection states it' };
    const sentence = contradicted
      ? `The connection says ${host} is a ${verdict.kind} tenant, but ${detected.reason}, which looks ${detected.kind}; going by the connection.`
      : `${host} is a ${verdict.kind} tenant: ${verdict.reason}.`;
    // Every sync reads the overview; the verdict is worth a line when it is new, not every time.
    if (sentence !== this.lastVerdict) {
      this.lastVerdict = sentence;
      if (contradicted) {
        this.logger.warn(sentence);
      } else {
        this.logger.info(sentence);
      }
    }
    return { overview, subscription: { ...verdict, sentence } };
  }

  private async requireUserBased(what: string, options?: CallOptions): Promise<void> {
    const { subscription } = await this.cachedTenant(options);
    if (subscription.kind === 'capacity') {
      throw new CloudStateError(
        'CLOUD_NOTHING_TO_ASSIGN',
        `Cannot ${what}: ${this.client.host} is a capacity tenant (${subscription.reason}). Since February 2026 every user who signs in there counts as a Full User and there are no licenses to assign; disable users who no longer need access instead.`,
      );
    }
  }

  /** Every user of the tenant, listed once per sync (see USERS_FRESH_MS). */
  private async users(options?: CallOptions): Promise<UserIndex> {
    const at = Date.now();
    if (this.knownUsers && at - this.knownUsers.at < USERS_FRESH_MS) {
      return this.knownUsers.index;
    }
    const index = this.listUsers(options);
    const known = { at, index };
    this.knownUsers = known;
    index.catch(() => {
      if (this.knownUsers === known) {
        this.knownUsers = undefined;
      }
    });
    return index;
  }

  private async listUsers(options?: CallOptions): Promise<UserIndex> {
    const byId = new Map<string, CloudUser>();
    const bySubject = new Map<string, CloudUser>();
    for await (const page of this.client.pages(USERS, { limit: LIMITS.users }, asUserPage, { ...options, describe: 'list users' })) {
      for (const user of page) {
        byId.set(user.id, user);
        bySubject.set(user.subject.toLowerCase(), user);
      }
    }
    return { byId, bySubject };
  }

  private async allAssignments(options?: CallOptions): Promise<CloudAssignment[]> {
    const all: CloudAssignment[] = [];
    for await (const page of this.client.pages(ASSIGNMENTS, { limit: LIMITS.assignments }, asAssignmentPage, { ...options, describe: 'read license assignments' })) {
      all.push(...page);
    }
    return all;
  }

  /**
   * One subject's assignments. The filter narrows the answer where the tenant applies it (its
   * fields are undocumented); the subject is compared here too, so one that ignores it still
   * gives the right answer, only more slowly.
   */
  private async assignmentsOf(subject: string, options?: CallOptions): Promise<CloudAssignment[]> {
    const wanted = subject.toLowerCase();
    const held: CloudAssignment[] = [];
    const query = { filter: `subject eq ${scimString(subject)}`, limit: LIMITS.assignments };
    for await (const page of this.client.pages(ASSIGNMENTS, query, asAssignmentPage, { ...options, describe: 'read license assignments' })) {
      held.push(...page.filter((a) => a.subject.toLowerCase() === wanted));
    }
    return held;
  }

  /** The assignments of several subjects, by lower-case subject: filtered reads for a few, one listing for many. */
  private async heldBySubject(subjects: readonly string[], options?: CallOptions): Promise<ReadonlyMap<string, readonly CloudAssignment[]>> {
    const wanted = [...new Set(subjects.map((s) => s.toLowerCase()))];
    const held = new Map<string, CloudAssignment[]>(wanted.map((s) => [s, []]));
    if (wanted.length <= SUBJECTS_READ_ONE_BY_ONE) {
      const lists = await Promise.all(wanted.map((s) => this.assignmentsOf(subjects.find((x) => x.toLowerCase() === s) ?? s, options)));
      lists.forEach((list, i) => held.set(wanted[i] ?? '', list));
      return held;
    }
    for (const assignment of await this.allAssignments(options)) {
      held.get(assignment.subject.toLowerCase())?.push(assignment);
    }
    return held;
  }

  private async *consumptionPages(window: UsageWindow, byId: ReadonlyMap<string, User>, options?: ReadOptions): AsyncGenerator<readonly UsageRecord[]> {
    // A session counts in the window its start falls in; those end at or after the window's start.
    const query = { filter: `endTime ge ${scimString(new Date(window.from).toISOString())}`, limit: LIMITS.consumption };
    const dropped = new Map<string, { count: number; example: string | undefined }>();
    for await (const page of this.client.pages(CONSUMPTION, query, asConsumptionPage, { ...options, describe: 'read license consumption' })) {
      const records: UsageRecord[] = [];
      for (const event of page) {
        const record = consumptionRecord(event, byId);
        if (typeof record === 'string') {
          const seen = dropped.get(record);
          dropped.set(record, { count: (seen?.count ?? 0) + 1, example: seen?.example ?? event.duration ?? undefined });
        } else if (record.start >= window.from && record.start < window.to) {
          records.push(record);
        }
      }
      if (records.length > 0) {
        yield records;
      }
    }
    for (const [reason, { count, example }] of dropped) {
      const shown = reason === 'with an unreadable duration' && example !== undefined ? ` (e.g. "${example}")` : '';
      this.logger.warn(`${count} consumption events ${reason}${shown} could not be counted and were left out of the usage.`);
      options?.onDropped?.({ what: 'usage rows', count, reason, request: `GET ${CONSUMPTION}` });
    }
  }

  private async *sessionPages(window: UsageWindow, byId: ReadonlyMap<string, User>, users: UserIndex, options?: ReadOptions): AsyncGenerator<readonly UsageRecord[]> {
    const eventTime = `${new Date(window.from).toISOString()}/${new Date(window.to).toISOString()}`;
    const events = async (eventType: string): Promise<CloudAuditEvent[]> => {
      const all: CloudAuditEvent[] = [];
      for await (const page of this.client.pages(AUDITS, { eventType, eventTime, limit: LIMITS.audits }, asAuditPage, { ...options, describe: 'read the audit log (user sessions)' })) {
        all.push(...page);
      }
      return all;
    };
    const [begins, ends] = await Promise.all([events(SESSION_BEGIN), events(SESSION_END)]);
    const bySubject = new Map([...users.bySubject].map(([subject, u]) => [subject, toUser(u)]));
    const { records, dropped } = pairSessions(begins, ends, { byId, bySubject });
    for (let i = 0; i < records.length; i += USAGE_PAGE) {
      yield records.slice(i, i + USAGE_PAGE);
    }
    for (const [reason, count] of dropped) {
      this.logger.warn(`${count} session begin events ${reason} could not be counted and were left out of the activity.`);
      options?.onDropped?.({ what: 'usage rows', count, reason, request: `GET ${AUDITS}` });
    }
  }
}

/** Builds a Qlik Cloud source for one tenant. Call `close()` when done with it. */
export function createCloudSource(options: CloudClientOptions): CloudSource {
  return new CloudSource(options);
}
