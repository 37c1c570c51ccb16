import { createHash } from 'node:crypto';
import type { LoginUsageStore, SimSession } from './loginUsageStore';
import type {
  SimAllocation,
  SimApp,
  SimAppObject,
  SimCapacityPool,
  SimCapacityUsage,
  SimLoginGroup,
  SimOverview,
  SimUser,
} from './qrsSimState';
import { QRS_SPEC_VERSION } from './qrsSpec';

/**
 * JSON shapes of the spec's definitions, property order as real servers write it. Real
 * servers send `"privileges": null`, but the spec types privileges as an array, so it is
 * left out unless the caller asked with `privileges=true` (then it is an array of strings).
 */

/** Privileges to include, or undefined to omit the property. */
export type Privileges = readonly string[] | undefined;

/** ISO 8601 with milliseconds and Z, the way QRS writes every date. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}

function tail<T extends Record<string, unknown>>(o: T, privileges: Privileges, schemaPath?: string): T {
  const out: Record<string, unknown> = o;
  if (privileges) {
    out['privileges'] = [...privileges];
  }
  if (schemaPath) {
    out['schemaPath'] = schemaPath;
  }
  return o;
}

/** `userDirectoryConnectorName` is left out when empty: INTERNAL's real "" breaks the spec's minLength. */
function connectorName(u: SimUser): string | undefined {
  return u.userDirectoryConnectorName ?? undefined;
}

/** UserCondensed. */
export function userCondensedJson(u: SimUser, privileges?: Privileges): Record<string, unknown> {
  const connector = connectorName(u);
  return tail(
    {
      id: u.id,
      userId: u.userId,
      userDirectory: u.userDirectory,
      ...(connector ? { userDirectoryConnectorName: connector } : {}),
      name: u.name,
    },
    privileges,
  );
}

/** A UUID derived from `text`, so a rendered attribute keeps its id from answer to answer. */
function stableUuid(text: string): string {
  const h = createHash('sha1').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** User (full). */
export function userJson(u: SimUser, privileges?: Privileges): Record<string, unknown> {
  const connector = connectorName(u);
  return tail(
    {
      id: u.id,
      createdDate: isoDate(u.createdDate),
      modifiedDate: isoDate(u.modifiedDate),
      modifiedByUserName: u.modifiedByUserName,
      customProperties: [],
      userId: u.userId,
      userDirectory: u.userDirectory,
      ...(connector ? { userDirectoryConnectorName: connector } : {}),
      name: u.name,
      roles: [...u.roles],
      attributes: u.groups.map((group) => ({
        id: stableUuid(`${u.id}/${group}`),
        createdDate: isoDate(u.createdDate),
        modifiedDate: isoDate(u.modifiedDate),
        modifiedByUserName: u.modifiedByUserName,
        attributeType: 'Group',
        attributeValue: group,
        externalId: group,
      })),
      inactive: u.inactive,
      removedExternally: u.removedExternally,
      blacklisted: u.blacklisted,
      deleteProhibited: false,
      tags: [],
      favorites: [],
    },
    privileges,
    'User',
  );
}

const ALLOCATION_SCHEMA = {
  user: 'License.UserAccessType',
  professional: 'License.ProfessionalAccessType',
  analyzer: 'License.AnalyzerAccessType',
} as const;

/** License{User,Professional,Analyzer}AccessType. A deleted holder shows only as deletedUserId/Directory. */
export function allocationJson(a: SimAllocation, privileges?: Privileges): Record<string, unknown> {
  return tail(
    {
      id: a.id,
      createdDate: isoDate(a.createdDate),
      modifiedDate: isoDate(a.modifiedDate),
      modifiedByUserName: a.modifiedByUserName,
      ...(a.user.deleted ? {} : { user: userCondensedJson(a.user) }),
      lastUsed: isoDate(a.lastUsed),
      ...(a.kind === 'user' ? {} : { excess: a.excess }),
      quarantined: a.quarantined,
      quarantineEnd: isoDate(a.quarantineEnd),
      ...(a.user.deleted ? { deletedUserId: a.user.userId, deletedUserDirectory: a.user.userDirectory } : {}),
    },
    privileges,
    ALLOCATION_SCHEMA[a.kind],
  );
}

/** The condensed form the spec gives list endpoints: the id. */
export function idOnlyJson(id: string, privileges?: Privileges): Record<string, unknown> {
  return tail({ id }, privileges);
}

/**
 * AppCondensed. Real servers send `"stream": null` for an unpublished app; the spec types stream
 * as a StreamCondensed object, so it is left out instead, as privileges are.
 */
export function appCondensedJson(app: SimApp, privileges?: Privileges): Record<string, unknown> {
  return tail(
    {
      id: app.id,
      name: app.name,
      appId: '',
      publishTime: isoDate(app.publishTime),
      published: app.stream !== null,
      ...(app.stream ? { stream: { id: app.stream.id, name: app.stream.name } } : {}),
      availabilityStatus: 0,
    },
    privileges,
  );
}

/** App. */
export function appJson(app: SimApp, privileges?: Privileges): Record<string, unknown> {
  return tail(
    {
      id: app.id,
      createdDate: isoDate(app.createdDate),
      modifiedDate: isoDate(app.modifiedDate),
      modifiedByUserName: app.modifiedByUserName,
      customProperties: [],
      owner: userCondensedJson(app.owner),
      name: app.name,
      appId: '',
      publishTime: isoDate(app.publishTime),
      published: app.stream !== null,
      tags: [],
      description: '',
      ...(app.stream ? { stream: { id: app.stream.id, name: app.stream.name } } : {}),
      fileSize: app.fileSize,
      lastReloadTime: isoDate(app.lastReloadTime),
      thumbnail: '',
      dynamicColor: '',
      availabilityStatus: 0,
    },
    privileges,
    'App',
  );
}

/** AppObjectCondensed. */
export function appObjectCondensedJson(o: SimAppObject, privileges?: Privileges): Record<string, unknown> {
  return tail(
    {
      id: o.id,
      name: o.name,
      engineObjectId: o.engineObjectId,
      contentHash: '',
      engineObjectType: o.objectType,
      description: '',
      objectType: o.objectType,
      publishTime: isoDate(o.publishTime),
      published: o.published,
    },
    privileges,
  );
}

/** AppObject. */
export function appObjectJson(o: SimAppObject, privileges?: Privileges): Record<string, unknown> {
  return tail(
    {
      id: o.id,
      createdDate: isoDate(o.createdDate),
      modifiedDate: isoDate(o.modifiedDate),
      modifiedByUserName: o.modifiedByUserName,
      owner: userCondensedJson(o.owner),
      name: o.name,
      engineObjectId: o.engineObjectId,
      app: appCondensedJson(o.app),
      contentHash: '',
      size: 2_048,
      engineObjectType: o.objectType,
      description: '',
      attributes: '',
      objectType: o.objectType,
      publishTime: isoDate(o.publishTime),
      published: o.published,
      approved: o.approved,
      tags: [],
      sourceObject: '',
      draftObject: '',
    },
    privileges,
    'App.Object',
  );
}

/** Usage of one login access group, computed by the caller over the last 28 days. */
export interface LoginGroupUse {
  readonly used: number;
}

/** LicenseLoginAccessType. Ten login passes per token (tokenCost 0.1). */
export function loginGroupJson(g: SimLoginGroup, use: LoginGroupUse, privileges?: Privileges): Record<string, unknown> {
  const assigned = g.assignedTokens * 10;
  return tail(
    {
      id: g.id,
      createdDate: isoDate(g.createdDate),
      modifiedDate: isoDate(g.modifiedDate),
      modifiedByUserName: g.modifiedByUserName,
      name: g.name,
      assignedTokens: g.assignedTokens,
      assignedAccessTypes: assigned,
      usedAccessTypes: use.used,
      remainingAccessTypes: assigned - use.used,
    },
    privileges,
    'License.LoginAccessType',
  );
}

/** LicenseLoginAccessTypeCondensed. */
export function loginGroupCondensedJson(g: SimLoginGroup | SimCapacityPool, privileges?: Privileges): Record<string, unknown> {
  return tail({ id: g.id, name: g.name }, privileges);
}

function sessionJson(s: SimSession, by: string, node: string, schemaPath: string): Record<string, unknown> {
  return {
    id: s.id,
    createdDate: isoDate(s.createdDate),
    modifiedDate: isoDate(s.modifiedDate),
    modifiedByUserName: s.modifiedByUserName ?? by,
    sessionID: s.sessionID,
    latestActivity: isoDate(s.latestActivity),
    serverNodeConfigurationId: node,
    schemaPath,
  };
}

/** The client address a generated user logs in from (the 2018 sample shows "::1"). */
export function clientHostName(userIndex: number): string {
  return `10.20.${(userIndex >> 8) & 255}.${userIndex & 255}`;
}

/** LicenseLoginAccessUsage, read from the compact store. */
export function loginUsageJson(
  store: LoginUsageStore,
  i: number,
  users: readonly SimUser[],
  groups: readonly SimLoginGroup[],
  serverNode: string,
  privileges?: Privileges,
): Record<string, unknown> {
  const literal = store.literalAt(i);
  const userIndex = store.userIndexAt(i);
  const user = users[userIndex];
  const group = groups[store.groupIndexAt(i)];
  const by = literal?.modifiedByUserName ?? (user ? `${user.userDirectory}\\${user.userId}` : 'INTERNAL\\sa_repository');
  const node = literal?.serverNodeConfigurationId ?? serverNode;
  const stop = store.stopAt(i);
  return tail(
    {
      id: store.idAt(i),
      createdDate: isoDate(store.createdAt(i)),
      modifiedDate: isoDate(store.modifiedAt(i)),
      modifiedByUserName: by,
      ...(user && !user.deleted ? { user: userCondensedJson(user) } : {}),
      sessions: store.sessionsAt(i).map((s) => sessionJson(s, by, node, 'License.LoginAccessUsage.Session')),
      ...(group ? { loginAccessType: loginGroupCondensedJson(group) } : {}),
      useStartTime: isoDate(store.startAt(i)),
      ...(stop === null ? {} : { useStopTime: isoDate(stop) }),
      latestActivity: isoDate(store.latestActivityAt(i)),
      hostName: literal?.hostName ?? clientHostName(userIndex),
      serverNodeConfigurationId: node,
    },
    privileges,
    'License.LoginAccessUsage',
  );
}

/** LicenseAnalyzerTimeAccessType. A unit is taken as one 6-minute block. */
export function capacityPoolJson(p: SimCapacityPool, usedMinutes: number, privileges?: Privileges): Record<string, unknown> {
  const assigned = p.assignedUnits * 6;
  return tail(
    {
      id: p.id,
      createdDate: isoDate(p.createdDate),
      modifiedDate: isoDate(p.modifiedDate),
      modifiedByUserName: p.modifiedByUserName,
      name: p.name,
      assignedUnits: p.assignedUnits,
      assignedMinutes: assigned,
      usedMinutes,
      remainingMinutes: assigned - usedMinutes,
    },
    privileges,
    'License.AnalyzerTimeAccessType',
  );
}

/** LicenseAnalyzerTimeAccessUsage. */
export function capacityUsageJson(
  r: SimCapacityUsage,
  userIndex: number,
  serverNode: string,
  privileges?: Privileges,
): Record<string, unknown> {
  const by = `${r.user.userDirectory}\\${r.user.userId}`;
  return tail(
    {
      id: r.id,
      createdDate: isoDate(r.start),
      modifiedDate: isoDate(r.latestActivity),
      modifiedByUserName: by,
      ...(r.user.deleted ? {} : { user: userCondensedJson(r.user) }),
      sessions: r.sessions.map((s) =>
        sessionJson(
          { id: s.id, sessionID: s.sessionID, createdDate: r.start, modifiedDate: r.latestActivity, latestActivity: s.latestActivity },
          by,
          serverNode,
          'License.AnalyzerTimeAccessUsage.Session',
        ),
      ),
      analyzerTimeAccessType: loginGroupCondensedJson(r.pool),
      useStartTime: isoDate(r.start),
      useStopTime: isoDate(r.stop),
      latestActivity: isoDate(r.latestActivity),
      hostName: clientHostName(userIndex),
      serverNodeConfigurationId: serverNode,
    },
    privileges,
    'License.AnalyzerTimeAccessUsage',
  );
}

/** AccessTypeOverview. */
export function overviewJson(o: SimOverview): Record<string, unknown> {
  const seats = (enabled: boolean, s: SimOverview['professional']): Record<string, unknown> => ({
    enabled,
    total: s.total,
    allocated: s.allocated,
    used: s.used,
    quarantined: s.quarantined,
    excess: s.excess,
    available: s.available,
  });
  return {
    totalTokens: o.totalTokens,
    availableTokens: o.availableTokens,
    tokensEnabled: o.tokensEnabled,
    userAccess: {
      enabled: o.tokensEnabled,
      tokenCost: 1.0,
      allocatedTokens: o.userAccess.allocated,
      usedTokens: o.userAccess.used,
      quarantinedTokens: o.userAccess.quarantined,
    },
    loginAccess: {
      enabled: o.tokensEnabled,
      tokenCost: 0.1,
      allocatedTokens: o.loginAccess.allocated,
      usedTokens: o.loginAccess.used,
      unavailableTokens: o.loginAccess.unavailable,
    },
    professionalAccess: seats(!o.tokensEnabled, o.professional),
    analyzerAccess: seats(!o.tokensEnabled, o.analyzer),
    analyzerTimeAccess: {
      enabled: o.capacity.enabled,
      allocatedMinutes: o.capacity.allocatedMinutes,
      usedMinutes: o.capacity.usedMinutes,
      unavailableMinutes: o.capacity.unavailableMinutes,
    },
    schemaPath: 'AccessTypeOverview',
  };
}

/**
 * The spec carries no build date, and none was found published for QSEoW November 2022 Patch 2
 * (the spec's release). Patches follow their release by weeks, so the simulator
 * dates its build in December: an approximation, which clients show but never compute with.
 */
const SPEC_RELEASE_BUILD_DATE = '12/1/2022 12:00:00 AM';

/** About: a central node of the release the spec was taken from, reporting that spec's build. */
export function aboutJson(): Record<string, unknown> {
  return {
    buildVersion: QRS_SPEC_VERSION,
    buildDate: SPEC_RELEASE_BUILD_DATE,
    databaseProvider: 'Devart.Data.PostgreSql',
    nodeType: 1,
    sharedPersistence: true,
    requiresBootstrap: false,
    singleNodeOnly: false,
    schemaPath: 'About',
  };
}
