import { randomUUID } from 'node:crypto';
import { DAY_MS, type PassKind, type SeatTotals } from '../../core/model';
import type { SimClock } from '../simClock';
import type { LoginUsageStore } from './loginUsageStore';

/**
 * QRS writes "no date" as SQL Server's smallest datetime instead of null (seen on tasks,
 * apps and bookmarks); the simulator does the same for `lastUsed` and `quarantineEnd`.
 */
export const QRS_NO_DATE = Date.UTC(1753, 0, 1);

/** How long a removed pass stays quarantined after its last use (reference §3). */
export const QUARANTINE_MS = 7 * DAY_MS;

/** Login passes return to their group's pool this long after use (reference §3). */
export const LOGIN_PASS_RECYCLE_MS = 28 * DAY_MS;

// Still exported from here, where QRS code has always imported it.
export type { SimClock };

/** A person in the repository. */
export interface SimUser {
  readonly id: string;
  readonly userId: string;
  readonly userDirectory: string;
  /** Null where QRS writes none (INTERNAL) or the source did not show one (the 2018 sample). */
  readonly userDirectoryConnectorName: string | null;
  name: string;
  readonly createdDate: number;
  modifiedDate: number;
  modifiedByUserName: string;
  roles: string[];
  inactive: boolean;
  removedExternally: boolean;
  blacklisted: boolean;
  /** Directory groups, which QRS keeps as user attributes of type Group. */
  groups: string[];
  /** Deleted from the repository: hidden from /user, shown on allocations as deletedUserId. */
  deleted: boolean;
}

/** The parts of a user that vary; the rest starts as the repository service creates people. */
export type SimUserIdentity = Pick<SimUser, 'id' | 'userId' | 'userDirectory' | 'userDirectoryConnectorName' | 'name' | 'createdDate' | 'modifiedDate' | 'roles'>;

/** A user as the repository service's directory sync creates one: active, not removed, not deleted. */
export function simUser(identity: SimUserIdentity): SimUser {
  return {
    ...identity,
    modifiedByUserName: 'INTERNAL\\sa_repository',
    inactive: false,
    removedExternally: false,
    blacklisted: false,
    groups: [],
    deleted: false,
  };
}

/** A user, professional or analyzer allocation. */
export interface SimAllocation {
  readonly id: string;
  readonly kind: PassKind;
  /** The holder; kept after the user is deleted so reinstating can refuse and JSON can show deletedUserId. */
  readonly user: SimUser;
  readonly createdDate: number;
  modifiedDate: number;
  modifiedByUserName: string;
  /** QRS_NO_DATE when never used. */
  lastUsed: number;
  quarantined: boolean;
  /** QRS_NO_DATE unless quarantined. */
  quarantineEnd: number;
  excess: boolean;
}

/** A login access group: a pool of login passes bought with tokens. */
export interface SimLoginGroup {
  readonly id: string;
  name: string;
  assignedTokens: number;
  readonly createdDate: number;
  modifiedDate: number;
  modifiedByUserName: string;
}

/** An analyzer capacity pool. */
export interface SimCapacityPool {
  readonly id: string;
  name: string;
  /** One unit is one 6-minute block (assumed; reference §3 says minutes are consumed in 6-minute units). */
  assignedUnits: number;
  readonly createdDate: number;
  modifiedDate: number;
  modifiedByUserName: string;
}

/** One analyzer capacity consumption record. */
export interface SimCapacityUsage {
  readonly id: string;
  readonly user: SimUser;
  readonly pool: SimCapacityPool;
  readonly start: number;
  readonly stop: number;
  readonly latestActivity: number;
  readonly sessions: readonly { readonly id: string; readonly sessionID: string; readonly latestActivity: number }[];
}

/** A stream, where published apps are. */
export interface SimStream {
  readonly id: string;
  readonly name: string;
}

/** An app (QRS `App`). Its owner made it; saving it, or a reload, moves its `modifiedDate`. */
export interface SimApp {
  readonly id: string;
  name: string;
  owner: SimUser;
  readonly createdDate: number;
  modifiedDate: number;
  modifiedByUserName: string;
  /** Null while unpublished. */
  stream: SimStream | null;
  /** QRS_NO_DATE while unpublished. */
  publishTime: number;
  /** QRS_NO_DATE when never reloaded. */
  lastReloadTime: number;
  fileSize: number;
}

/**
 * Something a user made inside an app (QRS `App.Object`): a sheet, story, bookmark, master item…
 * Its owner is whoever created it, which is how the repository tells authors from consumers.
 */
export interface SimAppObject {
  readonly id: string;
  readonly app: SimApp;
  owner: SimUser;
  name: string;
  /** As QRS writes it: `sheet`, `story`, `bookmark`, `masterobject`, `dimension`, `measure`. */
  readonly objectType: string;
  readonly engineObjectId: string;
  readonly createdDate: number;
  modifiedDate: number;
  modifiedByUserName: string;
  published: boolean;
  /** QRS_NO_DATE while unpublished. */
  publishTime: number;
  approved: boolean;
}

/** What the site's license provides. */
export interface SimLicense {
  readonly model: 'token' | 'userBased';
  totalTokens: number;
  professionalSeats: number;
  analyzerSeats: number;
  readonly capacity: boolean;
}

/** Everything a site starts with (from the generator or the community sample). */
export interface QrsSimData {
  readonly users: SimUser[];
  readonly allocations: SimAllocation[];
  readonly loginGroups: SimLoginGroup[];
  readonly loginUsage: LoginUsageStore;
  readonly capacityPools: SimCapacityPool[];
  readonly capacityUsage: SimCapacityUsage[];
  readonly license: SimLicense;
  readonly serverNodeConfigurationId: string;
  /** Apps and the objects in them; none when absent (the 2018 community sample has none). */
  readonly apps?: SimApp[];
  readonly appObjects?: SimAppObject[];
}

/** A request the repository refuses for a business reason; the HTTP layer answers `status`. */
export class QrsSimError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'QrsSimError';
  }
}

/** The numbers GET /license/accesstypeoverview reports, before JSON shaping. */
export interface SimOverview {
  readonly tokensEnabled: boolean;
  readonly totalTokens: number;
  readonly availableTokens: number;
  readonly userAccess: { allocated: number; used: number; quarantined: number };
  readonly loginAccess: { allocated: number; used: number; unavailable: number };
  readonly professional: SeatTotals;
  readonly analyzer: SeatTotals;
  readonly capacity: { enabled: boolean; allocatedMinutes: number; usedMinutes: number; unavailableMinutes: number };
}

const KIND_LABEL: Record<PassKind, string> = {
  user: 'a user access pass',
  professional: 'professional access',
  analyzer: 'analyzer access',
};

/**
 * The live data of a simulated site and the repository's license rules over it. Tests read
 * and arrange it directly; the HTTP layer calls the same methods, so both see one truth.
 */
export class QrsSimState {
  readonly users: SimUser[];
  /** Allocations by kind, in creation order. */
  readonly allocations: Readonly<Record<PassKind, Map<string, SimAllocation>>>;
  readonly loginGroups: SimLoginGroup[];
  readonly loginUsage: LoginUsageStore;
  readonly capacityPools: SimCapacityPool[];
  readonly capacityUsage: SimCapacityUsage[];
  readonly license: SimLicense;
  readonly serverNodeConfigurationId: string;
  /** Apps, in creation order. */
  readonly apps: SimApp[];
  /** Sheets, stories, bookmarks… of every app, in creation order. */
  readonly appObjects: SimAppObject[];
  /** How proxy requests authenticated: a session cookie alone, or credentials (header/JWT). */
  readonly auth = { byCookie: 0, byCredentials: 0 };
  private readonly userById = new Map<string, SimUser>();
  private readonly userIndexById = new Map<string, number>();

  constructor(
    data: QrsSimData,
    private readonly clock: SimClock,
  ) {
    this.users = data.users;
    this.loginGroups = data.loginGroups;
    this.loginUsage = data.loginUsage;
    this.capacityPools = data.capacityPools;
    this.capacityUsage = data.capacityUsage;
    this.license = data.license;
    this.serverNodeConfigurationId = data.serverNodeConfigurationId;
    this.apps = data.apps ?? [];
    this.appObjects = data.appObjects ?? [];
    this.allocations = { user: new Map(), professional: new Map(), analyzer: new Map() };
    for (const a of data.allocations) {
      this.allocations[a.kind].set(a.id, a);
    }
    this.users.forEach((u, i) => {
      this.userById.set(u.id, u);
      this.userIndexById.set(u.id, i);
    });
  }

  /** The simulator's current time. */
  now(): number {
    return this.clock.now();
  }

  /** A live (not deleted) user by GUID. */
  findUser(id: string): SimUser | undefined {
    const u = this.userById.get(id.toLowerCase());
    return u && !u.deleted ? u : undefined;
  }

  /** A live user by `DIR` and `id`, compared without case as QRS does. */
  findUserByKey(userDirectory: string, userId: string): SimUser | undefined {
    const d = userDirectory.toLowerCase();
    const id = userId.toLowerCase();
    return this.users.find((u) => !u.deleted && u.userDirectory.toLowerCase() === d && u.userId.toLowerCase() === id);
  }

  /** Position of a user in `users` (login usage records refer to users by it). */
  userIndex(user: SimUser): number {
    return this.userIndexById.get(user.id) ?? -1;
  }

  /** Adds a user (tests use it to arrange a site). */
  addUser(fields: { userDirectory: string; userId: string; name?: string; roles?: string[] }): SimUser {
    if (this.findUserByKey(fields.userDirectory, fields.userId)) {
      throw new QrsSimError(400, `User ${fields.userDirectory}\\${fields.userId} already exists.`);
    }
    const now = this.now();
    const user = simUser({
      id: randomUUID(),
      userId: fields.userId,
      userDirectory: fields.userDirectory,
      userDirectoryConnectorName: fields.userDirectory === 'INTERNAL' ? null : fields.userDirectory,
      name: fields.name ?? fields.userId,
      createdDate: now,
      modifiedDate: now,
      roles: fields.roles ?? [],
    });
    this.userIndexById.set(user.id, this.users.length);
    this.users.push(user);
    this.userById.set(user.id, user);
    return user;
  }

  /** Records one consumed login pass for a user (tests use it to push someone over 10). */
  addLoginUsage(user: SimUser, start: number, options: { groupIndex?: number; sessions?: number } = {}): number {
    const index = this.userIndex(user);
    if (index < 0) {
      throw new QrsSimError(400, `Unknown user ${user.id}.`);
    }
    return this.loginUsage.add({
      userIndex: index,
      groupIndex: options.groupIndex ?? 0,
      start,
      stop: start + 60 * 60_000,
      latestActivity: start + 5 * 60_000,
      sessionCount: options.sessions ?? 1,
    });
  }

  /** Adds an app `owner` made now, unpublished (tests use it to make someone an author). */
  addApp(owner: SimUser, fields: { name?: string } = {}): SimApp {
    const now = this.now();
    const app: SimApp = {
      id: randomUUID(),
      name: fields.name ?? `${owner.name}'s app`,
      owner,
      createdDate: now,
      modifiedDate: now,
      modifiedByUserName: `${owner.userDirectory}\\${owner.userId}`,
      stream: null,
      publishTime: QRS_NO_DATE,
      lastReloadTime: QRS_NO_DATE,
      fileSize: 250_000,
    };
    this.apps.push(app);
    return app;
  }

  /** Adds a sheet (or story, bookmark…) `owner` made now in `app`, unpublished. */
  addAppObject(app: SimApp, owner: SimUser, fields: { objectType?: string; name?: string } = {}): SimAppObject {
    const now = this.now();
    const objectType = fields.objectType ?? 'sheet';
    const object: SimAppObject = {
      id: randomUUID(),
      app,
      owner,
      name: fields.name ?? `My new ${objectType}`,
      objectType,
      engineObjectId: randomUUID().slice(0, 8),
      createdDate: now,
      modifiedDate: now,
      modifiedByUserName: `${owner.userDirectory}\\${owner.userId}`,
      published: false,
      publishTime: QRS_NO_DATE,
      approved: false,
    };
    this.appObjects.push(object);
    return object;
  }

  /** Saves an app or app object now, as its owner (or `actor`) editing it would. */
  modifyContent(content: SimApp | SimAppObject, actor?: string): void {
    content.modifiedDate = this.stamp(content.modifiedDate);
    content.modifiedByUserName = actor ?? `${content.owner.userDirectory}\\${content.owner.userId}`;
  }

  /** A later modifiedDate than before, even when the clock has not moved (keeps 409 checks honest). */
  private stamp(previous: number): number {
    return Math.max(this.now(), previous + 1);
  }

  /** Removes quarantined allocations whose quarantine has ended; runs before every request. */
  purgeExpired(): number {
    const now = this.now();
    let purged = 0;
    for (const byId of Object.values(this.allocations)) {
      for (const [id, a] of byId) {
        if (a.quarantined && now >= a.quarantineEnd) {
          byId.delete(id);
          purged++;
        }
      }
    }
    return purged;
  }

  /** Allocations of a kind, in creation order. */
  list(kind: PassKind): SimAllocation[] {
    return [...this.allocations[kind].values()];
  }

  private enabled(kind: PassKind): boolean {
    return this.license.model === 'token' ? kind === 'user' : kind !== 'user';
  }

  /** Allocates a pass of `kind` to a user, as POST /license/{kind}accesstype does. */
  allocate(kind: PassKind, userGuid: string, actor: string): SimAllocation {
    const user = this.findUser(userGuid);
    if (!user) {
      throw new QrsSimError(400, `Cannot allocate ${KIND_LABEL[kind]}: no user with id ${userGuid}.`);
    }
    const existing = this.list(kind).find((a) => a.user.id === user.id);
    if (existing) {
      const state = existing.quarantined ? ' (quarantined: reinstate it instead)' : '';
      throw new QrsSimError(
        400,
        `User ${user.userDirectory}\\${user.userId} already has ${KIND_LABEL[kind]} (allocation ${existing.id})${state}.`,
      );
    }
    if (!this.enabled(kind)) {
      throw new QrsSimError(400, `Cannot allocate ${KIND_LABEL[kind]}: the license does not include it.`);
    }
    const o = this.overview();
    const left =
      kind === 'user' ? o.availableTokens : kind === 'professional' ? o.professional.available : o.analyzer.available;
    if (left < 1) {
      throw new QrsSimError(
        400,
        kind === 'user'
          ? 'Cannot allocate a user access pass: no tokens are available.'
          : `Cannot allocate ${KIND_LABEL[kind]}: no allocations are available.`,
      );
    }
    const now = this.now();
    const allocation: SimAllocation = {
      id: randomUUID(),
      kind,
      user,
      createdDate: now,
      modifiedDate: now,
      modifiedByUserName: actor,
      lastUsed: QRS_NO_DATE,
      quarantined: false,
      quarantineEnd: QRS_NO_DATE,
      excess: false,
    };
    this.allocations[kind].set(allocation.id, allocation);
    return allocation;
  }

  /** An allocation by id, or a 404. */
  allocation(kind: PassKind, id: string): SimAllocation {
    const a = this.allocations[kind].get(id.toLowerCase());
    if (!a) {
      throw new QrsSimError(404, `No ${KIND_LABEL[kind]} allocation with id ${id}.`);
    }
    return a;
  }

  /**
   * DELETE: a pass used in the last 7 days is quarantined until 7 days after that use and
   * keeps its token; otherwise it is removed and the token or seat is free at once.
   */
  revoke(kind: PassKind, id: string, actor: string): 'freed' | 'quarantined' {
    const a = this.allocation(kind, id);
    if (a.quarantined) {
      // Deleting again cannot free the token early; the quarantine runs its course.
      return 'quarantined';
    }
    const now = this.now();
    if (a.lastUsed !== QRS_NO_DATE && now - a.lastUsed < QUARANTINE_MS) {
      a.quarantined = true;
      a.quarantineEnd = a.lastUsed + QUARANTINE_MS;
      a.modifiedDate = this.stamp(a.modifiedDate);
      a.modifiedByUserName = actor;
      return 'quarantined';
    }
    this.allocations[kind].delete(a.id);
    return 'freed';
  }

  /**
   * PUT: optimistic concurrency on modifiedDate; `quarantined: false` reinstates a quarantined
   * pass to the same user while the quarantine lasts and the user still exists.
   */
  update(kind: PassKind, id: string, changes: { modifiedDate?: number; quarantined?: boolean; userId?: string }, actor: string): SimAllocation {
    const a = this.allocation(kind, id);
    if (changes.modifiedDate === undefined) {
      throw new QrsSimError(400, 'modifiedDate is required when updating an allocation.');
    }
    if (changes.modifiedDate !== a.modifiedDate) {
      throw new QrsSimError(
        409,
        `Conflict: the allocation was modified at ${new Date(a.modifiedDate).toISOString()}, after the copy you sent (${new Date(changes.modifiedDate).toISOString()}).`,
      );
    }
    if (changes.userId !== undefined && changes.userId.toLowerCase() !== a.user.id) {
      throw new QrsSimError(400, 'An allocation cannot be moved to another user; remove it and allocate a new one.');
    }
    if (changes.quarantined === true && !a.quarantined) {
      throw new QrsSimError(400, 'Quarantine an allocation by deleting it.');
    }
    if (changes.quarantined === false && a.quarantined) {
      if (a.user.deleted) {
        throw new QrsSimError(400, 'Cannot reinstate: the user has been deleted.');
      }
      if (this.now() >= a.quarantineEnd) {
        throw new QrsSimError(400, 'Cannot reinstate: the quarantine has ended.');
      }
      a.quarantined = false;
      a.quarantineEnd = QRS_NO_DATE;
    }
    a.modifiedDate = this.stamp(a.modifiedDate);
    a.modifiedByUserName = actor;
    return a;
  }

  /**
   * Deletes a user. Their passes behave as if revoked: quarantined (showing the deleted user)
   * when used in the last 7 days, otherwise freed.
   */
  deleteUser(id: string, actor: string): void {
    const user = this.findUser(id);
    if (!user) {
      throw new QrsSimError(404, `No user with id ${id}.`);
    }
    for (const kind of Object.keys(this.allocations) as PassKind[]) {
      for (const a of this.list(kind)) {
        if (a.user === user && !a.quarantined) {
          this.revoke(kind, a.id, actor);
        }
      }
    }
    user.deleted = true;
    user.modifiedDate = this.stamp(user.modifiedDate);
  }

  /** Login passes used per group in the last 28 days. */
  loginPassesUsed(): number[] {
    return this.loginUsage.countByGroupSince(this.now() - LOGIN_PASS_RECYCLE_MS, Math.max(1, this.loginGroups.length));
  }

  /** Capacity minutes consumed this calendar month, in whole 6-minute units per record. */
  capacityMinutesByPool(): Map<SimCapacityPool, number> {
    const now = new Date(this.now());
    const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
    const used = new Map<SimCapacityPool, number>();
    for (const r of this.capacityUsage) {
      if (r.start >= monthStart && r.start <= this.now()) {
        const minutes = Math.ceil((r.stop - r.start) / 360_000) * 6;
        used.set(r.pool, (used.get(r.pool) ?? 0) + minutes);
      }
    }
    return used;
  }

  private seats(kind: PassKind, total: number): SeatTotals {
    const all = this.list(kind);
    const quarantined = all.filter((a) => a.quarantined).length;
    const used = all.filter((a) => !a.quarantined && a.lastUsed !== QRS_NO_DATE).length;
    return {
      total,
      allocated: all.length,
      used,
      quarantined,
      excess: Math.max(0, all.length - total),
      available: Math.max(0, total - all.length),
    };
  }

  /** The totals the access type overview reports, computed from the live data. */
  overview(): SimOverview {
    const token = this.license.model === 'token';
    const uap = this.seats('user', 0);
    const loginAllocated = token ? this.loginGroups.reduce((s, g) => s + g.assignedTokens, 0) : 0;
    const lapsUsed = token ? this.loginPassesUsed().reduce((s, n) => s + n, 0) : 0;
    const total = token ? this.license.totalTokens : 0;
    const none: SeatTotals = { total: 0, allocated: 0, used: 0, quarantined: 0, excess: 0, available: 0 };
    const pools = this.license.capacity ? this.capacityPools : [];
    const minutes = this.capacityMinutesByPool();
    return {
      tokensEnabled: token,
      totalTokens: total,
      availableTokens: Math.max(0, total - uap.allocated - loginAllocated),
      userAccess: { allocated: uap.allocated, used: uap.used, quarantined: uap.quarantined },
      loginAccess: { allocated: loginAllocated, used: Math.ceil(lapsUsed / 10), unavailable: 0 },
      professional: token ? none : this.seats('professional', this.license.professionalSeats),
      analyzer: token ? none : this.seats('analyzer', this.license.analyzerSeats),
      capacity: {
        enabled: this.license.capacity,
        allocatedMinutes: pools.reduce((s, p) => s + p.assignedUnits * 6, 0),
        usedMinutes: pools.reduce((s, p) => s + (minutes.get(p) ?? 0), 0),
        unavailableMinutes: 0,
      },
    };
  }
}
