import type { PassKind } from '../../core/model';
import type { QrsField, QrsFieldResolver, QrsFieldType, QrsFieldValue } from './qrsFilter';
import {
  allocationJson,
  appCondensedJson,
  appJson,
  appObjectCondensedJson,
  appObjectJson,
  capacityPoolJson,
  capacityUsageJson,
  clientHostName,
  idOnlyJson,
  loginGroupCondensedJson,
  loginGroupJson,
  loginUsageJson,
  userCondensedJson,
  userJson,
  type Privileges,
} from './qrsEntityJson';
import type { QrsSimState, SimAllocation, SimApp, SimAppObject, SimCapacityUsage, SimUser } from './qrsSimState';

/**
 * One QRS entity type as the list, full, count, {id} and table endpoints see it. Members use
 * method syntax on purpose: collections of different row types share one registry.
 */
export interface QrsCollection<R> {
  /** Path under /qrs, e.g. `license/useraccesstype`. */
  readonly type: string;
  /** License data is hidden from non-admins by the default security rules (Qlik-Cli #88). */
  readonly licenseData: boolean;
  rows(): ArrayLike<R>;
  /** A number when query results may be cached until it changes; undefined for small sets. */
  version(): number | undefined;
  /** The property rows are already sorted by ascending, if any. */
  naturalOrder(): string | undefined;
  field(path: string): QrsField<R> | undefined;
  byId(id: string): R | undefined;
  full(row: R, privileges: Privileges): unknown;
  condensed(row: R, privileges: Privileges): unknown;
  /** The user a row describes, for the "users may read themselves" rule. */
  owner(row: R): SimUser | undefined;
}

type FieldTable<R> = Record<string, QrsField<R>>;

function resolver<R>(table: FieldTable<R>): QrsFieldResolver<R> {
  const byLower = new Map(Object.entries(table).map(([k, v]) => [k.toLowerCase(), v]));
  return (path) => byLower.get(path.toLowerCase());
}

function f<R>(type: QrsFieldType, get: (row: R) => QrsFieldValue): QrsField<R> {
  return { type, get };
}

function userFields<R>(prefix: string, user: (row: R) => SimUser | undefined): FieldTable<R> {
  return {
    [`${prefix}id`]: f('guid', (r) => user(r)?.id ?? null),
    [`${prefix}userId`]: f('string', (r) => user(r)?.userId ?? null),
    [`${prefix}userDirectory`]: f('string', (r) => user(r)?.userDirectory ?? null),
    [`${prefix}name`]: f('string', (r) => user(r)?.name ?? null),
  };
}

function baseFields<R extends { id: string; createdDate: number; modifiedDate: number; modifiedByUserName: string }>(): FieldTable<R> {
  return {
    id: f('guid', (r) => r.id),
    createdDate: f('date', (r) => r.createdDate),
    modifiedDate: f('date', (r) => r.modifiedDate),
    modifiedByUserName: f('string', (r) => r.modifiedByUserName),
  };
}

function usersCollection(state: QrsSimState): QrsCollection<SimUser> {
  const field = resolver<SimUser>({
    ...baseFields<SimUser>(),
    ...userFields<SimUser>('', (u) => u),
    userDirectoryConnectorName: f('string', (u) => u.userDirectoryConnectorName),
    inactive: f('boolean', (u) => u.inactive),
    removedExternally: f('boolean', (u) => u.removedExternally),
    blacklisted: f('boolean', (u) => u.blacklisted),
    deleteProhibited: f('boolean', () => false),
  });
  return {
    type: 'user',
    licenseData: false,
    rows: () => state.users.filter((u) => !u.deleted),
    version: () => undefined,
    naturalOrder: () => undefined,
    field,
    byId: (id) => state.findUser(id),
    full: (u, p) => userJson(u, p),
    condensed: (u, p) => userCondensedJson(u, p),
    owner: (u) => u,
  };
}

function allocationsCollection(state: QrsSimState, kind: PassKind): QrsCollection<SimAllocation> {
  const holder = (a: SimAllocation): SimUser | undefined => (a.user.deleted ? undefined : a.user);
  const table: FieldTable<SimAllocation> = {
    ...baseFields<SimAllocation>(),
    ...userFields<SimAllocation>('user.', holder),
    lastUsed: f('date', (a) => a.lastUsed),
    quarantined: f('boolean', (a) => a.quarantined),
    quarantineEnd: f('date', (a) => a.quarantineEnd),
    deletedUserId: f('string', (a) => (a.user.deleted ? a.user.userId : null)),
    deletedUserDirectory: f('string', (a) => (a.user.deleted ? a.user.userDirectory : null)),
  };
  if (kind !== 'user') {
    table['excess'] = f('boolean', (a) => a.excess);
  }
  return {
    type: `license/${kind}accesstype`,
    licenseData: true,
    rows: () => state.list(kind),
    version: () => undefined,
    naturalOrder: () => undefined,
    field: resolver(table),
    byId: (id) => state.allocations[kind].get(id.toLowerCase()),
    full: (a, p) => allocationJson(a, p),
    condensed: (a, p) => idOnlyJson(a.id, p),
    owner: holder,
  };
}

/** Memoizes a computation for the current clock reading and data version. */
function perMoment<T>(state: QrsSimState, compute: () => T): () => T {
  let key = '';
  let value: T | undefined;
  return () => {
    const k = `${state.now()}|${state.loginUsage.version}`;
    if (k !== key || value === undefined) {
      value = compute();
      key = k;
    }
    return value;
  };
}

function loginGroupsCollection(state: QrsSimState): QrsCollection<number> {
  const used = perMoment(state, () => state.loginPassesUsed());
  const group = (i: number) => state.loginGroups[i];
  const usedOf = (i: number): number => used()[i] ?? 0;
  const field = resolver<number>({
    id: f('guid', (i) => group(i)?.id ?? null),
    createdDate: f('date', (i) => group(i)?.createdDate ?? null),
    modifiedDate: f('date', (i) => group(i)?.modifiedDate ?? null),
    modifiedByUserName: f('string', (i) => group(i)?.modifiedByUserName ?? null),
    name: f('string', (i) => group(i)?.name ?? null),
    assignedTokens: f('number', (i) => group(i)?.assignedTokens ?? null),
    assignedAccessTypes: f('number', (i) => (group(i)?.assignedTokens ?? 0) * 10),
    usedAccessTypes: f('number', (i) => usedOf(i)),
    remainingAccessTypes: f('number', (i) => (group(i)?.assignedTokens ?? 0) * 10 - usedOf(i)),
  });
  return {
    type: 'license/loginaccesstype',
    licenseData: true,
    rows: () => state.loginGroups.map((_, i) => i),
    version: () => undefined,
    naturalOrder: () => undefined,
    field,
    byId: (id) => {
      const i = state.loginGroups.findIndex((g) => g.id === id.toLowerCase());
      return i < 0 ? undefined : i;
    },
    full: (i, p) => {
      const g = state.loginGroups[i];
      return g ? loginGroupJson(g, { used: usedOf(i) }, p) : null;
    },
    condensed: (i, p) => {
      const g = state.loginGroups[i];
      return g ? loginGroupCondensedJson(g, p) : null;
    },
    owner: () => undefined,
  };
}

function loginUsageCollection(state: QrsSimState): QrsCollection<number> {
  const store = state.loginUsage;
  const user = (i: number): SimUser | undefined => {
    const u = state.users[store.userIndexAt(i)];
    return u && !u.deleted ? u : undefined;
  };
  const group = (i: number) => state.loginGroups[store.groupIndexAt(i)];
  let identity: { version: number; rows: Int32Array } | undefined;
  const field = resolver<number>({
    id: f('guid', (i) => store.idAt(i)),
    createdDate: f('date', (i) => store.createdAt(i)),
    modifiedDate: f('date', (i) => store.modifiedAt(i)),
    modifiedByUserName: f('string', (i) => {
      const u = state.users[store.userIndexAt(i)];
      return store.literalAt(i)?.modifiedByUserName ?? (u ? `${u.userDirectory}\\${u.userId}` : null);
    }),
    useStartTime: f('date', (i) => store.startAt(i)),
    useStopTime: f('date', (i) => store.stopAt(i)),
    latestActivity: f('date', (i) => store.latestActivityAt(i)),
    hostName: f('string', (i) => store.literalAt(i)?.hostName ?? clientHostName(store.userIndexAt(i))),
    serverNodeConfigurationId: f('string', (i) => store.literalAt(i)?.serverNodeConfigurationId ?? state.serverNodeConfigurationId),
    ...userFields<number>('user.', user),
    'loginAccessType.id': f('guid', (i) => group(i)?.id ?? null),
    'loginAccessType.name': f('string', (i) => group(i)?.name ?? null),
  });
  return {
    type: 'license/loginaccessusage',
    licenseData: true,
    rows: () => {
      if (!identity || identity.version !== store.version) {
        const rows = new Int32Array(store.size);
        for (let i = 0; i < rows.length; i++) {
          rows[i] = i;
        }
        identity = { version: store.version, rows };
      }
      return identity.rows;
    },
    version: () => store.version,
    naturalOrder: () => (store.sortedByStart ? 'useStartTime' : undefined),
    field,
    byId: (id) => store.indexOf(id),
    full: (i, p) => loginUsageJson(store, i, state.users, state.loginGroups, state.serverNodeConfigurationId, p),
    condensed: (i, p) => idOnlyJson(store.idAt(i), p),
    owner: user,
  };
}

function capacityPoolsCollection(state: QrsSimState): QrsCollection<number> {
  const minutes = perMoment(state, () => state.capacityMinutesByPool());
  const pools = () => (state.license.capacity ? state.capacityPools : []);
  const pool = (i: number) => pools()[i];
  const usedOf = (i: number): number => {
    const p = pool(i);
    return p ? (minutes().get(p) ?? 0) : 0;
  };
  const field = resolver<number>({
    id: f('guid', (i) => pool(i)?.id ?? null),
    createdDate: f('date', (i) => pool(i)?.createdDate ?? null),
    modifiedDate: f('date', (i) => pool(i)?.modifiedDate ?? null),
    name: f('string', (i) => pool(i)?.name ?? null),
    assignedUnits: f('number', (i) => pool(i)?.assignedUnits ?? null),
    assignedMinutes: f('number', (i) => (pool(i)?.assignedUnits ?? 0) * 6),
    usedMinutes: f('number', (i) => usedOf(i)),
    remainingMinutes: f('number', (i) => (pool(i)?.assignedUnits ?? 0) * 6 - usedOf(i)),
  });
  return {
    type: 'license/analyzertimeaccesstype',
    licenseData: true,
    rows: () => pools().map((_, i) => i),
    version: () => undefined,
    naturalOrder: () => undefined,
    field,
    byId: (id) => {
      const i = pools().findIndex((p) => p.id === id.toLowerCase());
      return i < 0 ? undefined : i;
    },
    full: (i, p) => {
      const pl = pool(i);
      return pl ? capacityPoolJson(pl, usedOf(i), p) : null;
    },
    condensed: (i, p) => {
      const pl = pool(i);
      return pl ? loginGroupCondensedJson(pl, p) : null;
    },
    owner: () => undefined,
  };
}

function capacityUsageCollection(state: QrsSimState): QrsCollection<SimCapacityUsage> {
  const holder = (r: SimCapacityUsage): SimUser | undefined => (r.user.deleted ? undefined : r.user);
  const field = resolver<SimCapacityUsage>({
    id: f('guid', (r) => r.id),
    createdDate: f('date', (r) => r.start),
    modifiedDate: f('date', (r) => r.latestActivity),
    useStartTime: f('date', (r) => r.start),
    useStopTime: f('date', (r) => r.stop),
    latestActivity: f('date', (r) => r.latestActivity),
    hostName: f('string', (r) => clientHostName(state.userIndex(r.user))),
    ...userFields<SimCapacityUsage>('user.', holder),
    'analyzerTimeAccessType.id': f('guid', (r) => r.pool.id),
    'analyzerTimeAccessType.name': f('string', (r) => r.pool.name),
  });
  const rows = () => (state.license.capacity ? state.capacityUsage : []);
  return {
    type: 'license/analyzertimeaccessusage',
    licenseData: true,
    rows,
    version: () => undefined,
    naturalOrder: () => undefined,
    field,
    byId: (id) => rows().find((r) => r.id === id.toLowerCase()),
    full: (r, p) => capacityUsageJson(r, state.userIndex(r.user), state.serverNodeConfigurationId, p),
    condensed: (r, p) => idOnlyJson(r.id, p),
    owner: holder,
  };
}

/** Fields of an app a filter or sort may name, under `prefix` (`app.` inside an app object). */
function appFields<R>(prefix: string, app: (row: R) => SimApp): FieldTable<R> {
  return {
    [`${prefix}id`]: f('guid', (r) => app(r).id),
    [`${prefix}name`]: f('string', (r) => app(r).name),
    [`${prefix}published`]: f('boolean', (r) => app(r).stream !== null),
    [`${prefix}publishTime`]: f('date', (r) => app(r).publishTime),
    [`${prefix}stream.id`]: f('guid', (r) => app(r).stream?.id ?? null),
    [`${prefix}stream.name`]: f('string', (r) => app(r).stream?.name ?? null),
  };
}

function appsCollection(state: QrsSimState): QrsCollection<SimApp> {
  const field = resolver<SimApp>({
    ...baseFields<SimApp>(),
    ...appFields<SimApp>('', (a) => a),
    ...userFields<SimApp>('owner.', (a) => a.owner),
    lastReloadTime: f('date', (a) => a.lastReloadTime),
    fileSize: f('number', (a) => a.fileSize),
  });
  return {
    type: 'app',
    licenseData: false,
    rows: () => state.apps,
    version: () => undefined,
    naturalOrder: () => undefined,
    field,
    byId: (id) => state.apps.find((a) => a.id === id.toLowerCase()),
    full: (a, p) => appJson(a, p),
    condensed: (a, p) => appCondensedJson(a, p),
    // Users read the apps they own (a simplification of the default stream and owner rules).
    owner: (a) => a.owner,
  };
}

function appObjectsCollection(state: QrsSimState): QrsCollection<SimAppObject> {
  const field = resolver<SimAppObject>({
    ...baseFields<SimAppObject>(),
    ...userFields<SimAppObject>('owner.', (o) => o.owner),
    ...appFields<SimAppObject>('app.', (o) => o.app),
    name: f('string', (o) => o.name),
    objectType: f('string', (o) => o.objectType),
    engineObjectType: f('string', (o) => o.objectType),
    engineObjectId: f('string', (o) => o.engineObjectId),
    published: f('boolean', (o) => o.published),
    publishTime: f('date', (o) => o.publishTime),
    approved: f('boolean', (o) => o.approved),
  });
  return {
    type: 'app/object',
    licenseData: false,
    rows: () => state.appObjects,
    version: () => undefined,
    naturalOrder: () => undefined,
    field,
    byId: (id) => state.appObjects.find((o) => o.id === id.toLowerCase()),
    full: (o, p) => appObjectJson(o, p),
    condensed: (o, p) => appObjectCondensedJson(o, p),
    owner: (o) => o.owner,
  };
}

/** Every entity type the simulator serves, keyed by its path under /qrs. */
export function createQrsCollections(state: QrsSimState): ReadonlyMap<string, QrsCollection<unknown>> {
  const list: QrsCollection<unknown>[] = [
    usersCollection(state) as QrsCollection<unknown>,
    allocationsCollection(state, 'user') as QrsCollection<unknown>,
    allocationsCollection(state, 'professional') as QrsCollection<unknown>,
    allocationsCollection(state, 'analyzer') as QrsCollection<unknown>,
    loginGroupsCollection(state) as QrsCollection<unknown>,
    loginUsageCollection(state) as QrsCollection<unknown>,
    capacityPoolsCollection(state) as QrsCollection<unknown>,
    capacityUsageCollection(state) as QrsCollection<unknown>,
    appsCollection(state) as QrsCollection<unknown>,
    appObjectsCollection(state) as QrsCollection<unknown>,
  ];
  return new Map(list.map((c) => [c.type, c]));
}
