import { DAY_MS } from '../../core/model';
import { createPrng, type Prng } from '../prng';
import { APP_EVENT_TYPES, makeAppEvents, type Professional } from './cloudAppEvents';
import { cloudObjectId, cloudTenantId, randomHex, randomText } from './cloudIds';
import {
  AUDIT_RETENTION_MS,
  type AppEventNames,
  type CloudAllotment,
  type CloudAppEvent,
  type CloudAssignment,
  type CloudAuditEvent,
  type CloudConsumptionEvent,
  type CloudGroup,
  type CloudLicense,
  type CloudRole,
  type CloudSession,
  type CloudSimData,
  type CloudSubscription,
  type CloudUser,
  type CloudUserStatus,
  CloudSimState,
} from './cloudSimState';

/** Shape of the tenant to generate. */
export interface CloudGeneratorOptions {
  /** User records, the admin and the OAuth client's user included. */
  readonly users: number;
  readonly seed: number;
  readonly now: number;
  readonly subscription: CloudSubscription;
  /** Assignments whose subject is no user of the tenant (user-based only). */
  readonly orphans: number;
  /** Users with status 'deleted' that still hold assignments (user-based) or left audit trails. */
  readonly deletedUsers: number;
  /**
   * What the audit log calls app events (user-based tenants; default `current`). Capacity tenants
   * get none: with nothing to swap there, nothing reads them.
   */
  readonly appEvents?: AppEventNames;
}

const FIRST = [
  'Anna', 'Ben', 'Carla', 'David', 'Elena', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Karin', 'Lars', 'Maria',
  'Nils', 'Olga', 'Pedro', 'Quinn', 'Rosa', 'Sven', 'Tara', 'Umar', 'Vera', 'Walt', 'Xenia', 'Yusuf', 'Zoe', 'Aisha',
  'Bruno', 'Chloe', 'Diego', 'Emma', 'Felix', 'Hanna', 'Ivan', 'Julia', 'Kenji', 'Lena', 'Marco', 'Nora', 'Oscar',
  'Priya', 'Rafael', 'Sara', 'Tom', 'Ulla', 'Victor', 'Wei', 'Yara', 'Amir', 'Beatriz', 'Chen', 'Dana', 'Erik',
];
const LAST = [
  'Andersson', 'Bauer', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Hansen', 'Ivanova', 'Jensen', 'Kowalski',
  'Larsen', 'Martin', 'Nakamura', 'Olsen', 'Petrov', 'Quist', 'Rossi', 'Schmidt', 'Tanaka', 'Ulrich', 'Varga', 'Weber',
  'Xu', 'Yilmaz', 'Zimmermann', 'Alvarez', 'Berg', 'Conti', 'Dahl', 'Engel', 'Ferreira', 'Gruber', 'Holm', 'Iversen',
  'Keller', 'Lindqvist', 'Moreau', 'Novak', 'Ortiz', 'Popescu', 'Richter', 'Silva', 'Torres', 'Vogel', 'Wagner',
];
const DOMAIN = 'acme-analytics.example';
const LOCALES: readonly [string, string][] = [
  ['en-US', 'America/New_York'],
  ['en-GB', 'Europe/London'],
  ['de-DE', 'Europe/Berlin'],
  ['sv-SE', 'Europe/Stockholm'],
  ['fr-FR', 'Europe/Paris'],
  ['ja-JP', 'Asia/Tokyo'],
];

/** Default roles of a Qlik Cloud tenant (names as the roles API lists them) and a few of their permissions. */
const DEFAULT_ROLES: readonly { name: string; level: 'admin' | 'user'; description: string; permissions: string[]; fullUser?: boolean }[] = [
  { name: 'TenantAdmin', level: 'admin', description: 'Administers the tenant: users, licenses, settings.', permissions: ['licenses:manage', 'users:manage', 'roles:read'] },
  { name: 'AnalyticsAdmin', level: 'admin', description: 'Administers analytics content and spaces.', permissions: ['spaces:manage', 'apps:manage'] },
  { name: 'AuditAdmin', level: 'admin', description: 'Reads the audit log.', permissions: ['audits:read'] },
  { name: 'DataAdmin', level: 'admin', description: 'Administers data content and connections.', permissions: ['data-connections:manage'] },
  { name: 'SharedSpaceCreator', level: 'user', description: 'Creates shared spaces.', permissions: ['spaces:create'], fullUser: true },
  { name: 'ManagedSpaceCreator', level: 'user', description: 'Creates managed spaces.', permissions: ['spaces:create'], fullUser: true },
  { name: 'DataSpaceCreator', level: 'user', description: 'Creates data spaces.', permissions: ['spaces:create'], fullUser: true },
  { name: 'PrivateAnalyticsContentCreator', level: 'user', description: 'Creates apps in the personal space.', permissions: ['apps:create'], fullUser: true },
  { name: 'AutomationCreator', level: 'user', description: 'Creates automations.', permissions: ['automations:create'], fullUser: true },
];
const CUSTOM_ROLES: readonly { name: string; description: string }[] = [
  { name: 'License Viewer', description: 'Reads license consumption for the finance team.' },
  { name: 'Report Distributor', description: 'Distributes tabular reports.' },
];
const GROUPS: readonly { name: string; providerType: 'idp' | 'custom'; role?: string }[] = [
  { name: 'Finance', providerType: 'idp' },
  { name: 'Sales', providerType: 'idp' },
  { name: 'Marketing', providerType: 'idp' },
  { name: 'HR', providerType: 'idp' },
  { name: 'Operations', providerType: 'idp' },
  { name: 'Engineering', providerType: 'idp', role: 'SharedSpaceCreator' },
  { name: 'Data Team', providerType: 'idp', role: 'DataSpaceCreator' },
  { name: 'Executives', providerType: 'idp' },
  { name: 'Qlik Admins', providerType: 'custom', role: 'TenantAdmin' },
  { name: 'Contractors', providerType: 'custom' },
];
const CAPACITY_PRODUCTS = ['Qlik Cloud Analytics Standard', 'Qlik Cloud Analytics Premium', 'Qlik Cloud Analytics Enterprise'];
const OAUTH_CLIENT_NAME = 'License Steward automation';

/** How a user uses the tenant. */
type Activity = 'heavy' | 'regular' | 'light' | 'dormant' | 'never';
const SESSIONS_PER_30_DAYS: Readonly<Record<Activity, [number, number]>> = {
  heavy: [18, 40],
  regular: [5, 14],
  light: [1, 4],
  dormant: [0, 0],
  never: [0, 0],
};
const AVERAGE_MINUTES: Readonly<Record<Activity, number>> = { heavy: 55, regular: 35, light: 20, dormant: 25, never: 0 };
/** Consumption covers this many days before `now` (audits keep AUDIT_RETENTION_MS). */
const CONSUMPTION_DAYS = 60;

function between(prng: Prng, [lo, hi]: readonly [number, number]): number {
  return lo + prng.int(hi - lo + 1);
}

function pickActivity(prng: Prng): Activity {
  const r = prng.next();
  return r < 0.12 ? 'heavy' : r < 0.45 ? 'regular' : r < 0.7 ? 'light' : r < 0.85 ? 'dormant' : 'never';
}

/** A subject as the tenant's identity providers issue them: Qlik Account (auth0) or Okta-style ids. */
function subjectFor(prng: Prng): string {
  return prng.next() < 0.65 ? `auth0|${randomHex(prng, 24)}` : `00u${randomText(prng, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 17)}`;
}

/** Sessions start on working days in office hours, so a history looks like one. */
function sessionStart(prng: Prng, from: number, to: number): number {
  for (let attempt = 0; attempt < 8; attempt++) {
    const day = Math.floor((from + prng.next() * Math.max(1, to - from)) / DAY_MS) * DAY_MS;
    const weekday = new Date(day).getUTCDay();
    if ((weekday === 0 || weekday === 6) && prng.next() < 0.85) {
      continue;
    }
    const t = day + (7 + prng.int(11)) * 3_600_000 + prng.int(3_600_000);
    if (t >= from && t < to) {
      return t;
    }
  }
  return from + prng.int(Math.max(1, to - from));
}

function makeRoles(prng: Prng, subscription: CloudSubscription): CloudRole[] {
  const created = Date.UTC(2021, 2, 23, 16, 34, 55);
  const roles: CloudRole[] = DEFAULT_ROLES.map((r) => ({
    id: cloudObjectId(prng, created),
    name: r.name,
    description: r.description,
    type: 'default',
    level: r.level,
    permissions: r.permissions,
    createdAt: created,
    lastUpdatedAt: created + prng.int(400) * DAY_MS,
    ...(subscription === 'capacity' && r.fullUser ? { userEntitlementType: 'fullUser' } : {}),
  }));
  for (const r of CUSTOM_ROLES) {
    const at = Date.UTC(2023, 0, 10) + prng.int(500) * DAY_MS;
    roles.push({ id: cloudObjectId(prng, at), name: r.name, description: r.description, type: 'custom', level: 'user', permissions: ['licenses:read'], createdAt: at, lastUpdatedAt: at });
  }
  return roles;
}

function makeGroups(prng: Prng, roles: readonly CloudRole[]): CloudGroup[] {
  return GROUPS.map((g) => {
    const at = Date.UTC(2022, 1, 1) + prng.int(700) * DAY_MS;
    const role = g.role ? roles.find((r) => r.name === g.role) : undefined;
    return {
      id: cloudObjectId(prng, at),
      name: g.name,
      ...(g.providerType === 'custom' ? { description: `${g.name} (managed in the tenant)` } : {}),
      status: 'active',
      providerType: g.providerType,
      roleIds: role ? [role.id] : [],
      createdAt: at,
      lastUpdatedAt: at + prng.int(60) * DAY_MS,
    };
  });
}

interface Person {
  readonly user: CloudUser;
  readonly activity: Activity;
  /** No session after this instant (disabled or deleted users). */
  readonly activeUntil: number;
}

function makeUsers(prng: Prng, options: CloudGeneratorOptions, roles: readonly CloudRole[], groups: readonly CloudGroup[]): { people: Person[]; clientId: string } {
  const { now } = options;
  const roleId = (name: string): string => roles.find((r) => r.name === name)?.id ?? '';
  const takenNames = new Set<string>();
  const takenSubjects = new Set<string>();
  const person = (): { name: string; email: string } => {
    for (;;) {
      const first = prng.pick(FIRST);
      const last = prng.pick(LAST);
      let name = `${first} ${last}`;
      let n = 2;
      while (takenNames.has(name)) {
        name = `${first} ${last} ${n++}`;
      }
      takenNames.add(name);
      const local = name.toLowerCase().replace(/ (\d+)$/, '$1').replace(/ /g, '.');
      return { name, email: `${local}@${DOMAIN}` };
    }
  };
  const subject = (): string => {
    let s = subjectFor(prng);
    while (takenSubjects.has(s)) {
      s = subjectFor(prng);
    }
    takenSubjects.add(s);
    return s;
  };
  const base = (status: CloudUserStatus, roleNames: readonly string[]): CloudUser => {
    const created = now - (40 + prng.int(900)) * DAY_MS - prng.int(DAY_MS);
    const { name, email } = person();
    const [locale, zone] = prng.pick(LOCALES);
    const groupIds = groups.filter((g) => g.providerType === 'idp' && g.roleIds.length === 0 && prng.next() < 0.18).map((g) => g.id);
    return {
      id: cloudObjectId(prng, created),
      subject: subject(),
      name,
      email,
      status,
      createdAt: created,
      lastUpdatedAt: Math.min(now - DAY_MS, created + prng.int(300) * DAY_MS),
      roleIds: roleNames.map(roleId),
      groupIds,
      locale,
      zoneinfo: zone,
    };
  };

  const people: Person[] = [];
  const admin = base('active', ['TenantAdmin', 'AnalyticsAdmin']);
  people.push({ user: admin, activity: 'regular', activeUntil: now });

  const clientId = randomHex(prng, 32);
  const clientCreated = now - (20 + prng.int(100)) * DAY_MS;
  people.push({
    user: {
      id: cloudObjectId(prng, clientCreated),
      // UNVERIFIED: how a tenant writes an M2M client's own user; it must be unique and never sign in.
      subject: `qlik-oauth-client|${clientId}`,
      name: OAUTH_CLIENT_NAME,
      status: 'active',
      createdAt: clientCreated,
      lastUpdatedAt: clientCreated,
      roleIds: [roleId('TenantAdmin')],
      groupIds: [],
      clientId,
    },
    activity: 'never',
    activeUntil: now,
  });

  const extraAdmins = ['AnalyticsAdmin', 'DataAdmin', 'AuditAdmin'];
  const creators = ['SharedSpaceCreator', 'ManagedSpaceCreator', 'DataSpaceCreator', 'PrivateAnalyticsContentCreator', 'AutomationCreator'];
  const regular = Math.max(0, options.users - people.length - options.deletedUsers);
  for (let i = 0; i < regular; i++) {
    const r = prng.next();
    const status: CloudUserStatus = r < 0.06 ? 'disabled' : r < 0.1 ? 'invited' : r < 0.115 ? 'provisioned' : 'active';
    const roleNames = i < extraAdmins.length ? [extraAdmins[i] ?? 'AnalyticsAdmin'] : prng.next() < 0.2 ? [prng.pick(creators)] : [];
    if (prng.next() < 0.04) {
      roleNames.push('License Viewer');
    }
    const user = base(status, roleNames);
    if (status === 'invited' || status === 'provisioned') {
      if (status === 'invited') {
        user.inviteExpiry = Math.floor(now / 1000) + (1 + prng.int(7)) * 86_400;
      }
      people.push({ user, activity: 'never', activeUntil: now });
    } else if (status === 'disabled') {
      const activity: Activity = prng.next() < 0.5 ? 'dormant' : 'light';
      people.push({ user, activity, activeUntil: user.lastUpdatedAt });
    } else {
      people.push({ user, activity: pickActivity(prng), activeUntil: now });
    }
  }
  for (let i = 0; i < options.deletedUsers; i++) {
    const user = base('deleted', []);
    user.groupIds = [];
    user.lastUpdatedAt = now - (3 + prng.int(25)) * DAY_MS;
    people.push({ user, activity: 'dormant', activeUntil: user.lastUpdatedAt });
  }
  return { people, clientId };
}

function makeSessions(prng: Prng, people: readonly Person[], now: number, appIds: readonly string[]): CloudSession[] {
  const from = now - AUDIT_RETENTION_MS + DAY_MS;
  const sessions: CloudSession[] = [];
  for (const { user, activity, activeUntil } of people) {
    const until = Math.min(now, activeUntil);
    const start = Math.max(from, user.createdAt);
    if (activity === 'never' || until <= start) {
      continue;
    }
    let count: number;
    let lo = start;
    let hi = until;
    if (activity === 'dormant') {
      // Last sign-in more than 30 days ago: the inactive users a capacity tenant's admin looks for.
      hi = Math.min(until, now - 31 * DAY_MS);
      count = hi > lo ? 1 + prng.int(5) : 0;
    } else {
      count = Math.round((between(prng, SESSIONS_PER_30_DAYS[activity]) * (hi - lo)) / (30 * DAY_MS));
    }
    const at = prng.int(Math.max(1, appIds.length - 2));
    const favourite = appIds.slice(at, at + 3);
    for (let i = 0; i < count; i++) {
      const begin = sessionStart(prng, lo, hi);
      const minutes = Math.max(2, Math.round(AVERAGE_MINUTES[activity] * (0.2 + prng.next() * 1.6)));
      const end = Math.min(now, begin + minutes * 60_000 + prng.int(60_000));
      const appId = prng.next() < 0.7 && favourite.length > 0 ? prng.pick(favourite) : prng.pick(appIds);
      sessions.push({ id: prng.uuid(), userId: user.id, appId, begin, end });
    }
  }
  return sessions.sort((a, b) => a.begin - b.begin || a.id.localeCompare(b.id));
}

function makeAssignments(prng: Prng, people: readonly Person[], orphans: number, now: number): CloudAssignment[] {
  const out: CloudAssignment[] = [];
  const chance: Readonly<Record<Activity, [number, number]>> = {
    // [professional, analyzer] probabilities by activity: heavy users hold professional, dormant ones idle licenses.
    heavy: [0.6, 0.25],
    regular: [0.25, 0.45],
    light: [0.05, 0.4],
    dormant: [0.2, 0.4],
    never: [0.02, 0.08],
  };
  for (const { user, activity } of people) {
    if (user.clientId !== undefined || user.status === 'invited') {
      continue;
    }
    const [p, a] = user.status === 'deleted' ? [0.5, 0.5] : chance[activity];
    const r = prng.next();
    const type = user.roleIds.length > 0 && r < 0.5 ? 'professional' : r < p ? 'professional' : r < p + a ? 'analyzer' : undefined;
    if (type) {
      out.push({ subject: user.subject, type, created: Math.min(now - DAY_MS, user.createdAt + prng.int(120) * DAY_MS) });
    }
  }
  for (let i = 0; i < orphans; i++) {
    // Subjects of users in another tenant on the same entitlement, or purged long ago (reference A.2.4, S8).
    out.push({ subject: `auth0|${randomHex(prng, 24)}`, type: prng.next() < 0.5 ? 'professional' : 'analyzer', created: now - (100 + prng.int(500)) * DAY_MS });
  }
  return out.sort((x, y) => x.created - y.created || x.subject.localeCompare(y.subject));
}

function makeLicense(prng: Prng, options: CloudGeneratorOptions, assignments: readonly CloudAssignment[], people: readonly Person[]): CloudLicense {
  const { now, subscription } = options;
  const validFrom = Date.UTC(new Date(now).getUTCFullYear() - 1, new Date(now).getUTCMonth(), 1);
  const validTo = Date.UTC(new Date(now).getUTCFullYear() + 1, new Date(now).getUTCMonth(), 0);
  const id = (): string => cloudObjectId(prng, validFrom);
  const allotments: CloudAllotment[] = [];
  if (subscription === 'user-based') {
    const count = (type: string): number => assignments.filter((a) => a.type === type).length;
    allotments.push(
      { id: id(), name: 'professional', units: count('professional') + 2 + prng.int(4), usageClass: 'assigned' },
      { id: id(), name: 'analyzer', units: count('analyzer') + 3 + prng.int(8), usageClass: 'assigned' },
      // Units fixed below once the month's consumption is known.
      { id: id(), name: 'analyzer_time', units: 0, overage: 0, usageClass: 'time' },
    );
  } else {
    const signingIn = people.filter((p) => p.activity !== 'never' && p.user.status !== 'deleted' && p.user.clientId === undefined).length;
    const units = Math.max(5, Math.ceil((signingIn * 1.1) / 5) * 5);
    // Reference A.00: overage up to 10× the purchased amount.
    allotments.push({ id: id(), name: 'fullUser', units, overage: units * 10, usageClass: 'assigned' });
  }
  return {
    subscription,
    product: subscription === 'user-based' ? 'Qlik Sense Enterprise SaaS' : prng.pick(CAPACITY_PRODUCTS),
    licenseNumber: `9999${String(100_000_000_000 + prng.int(899_999_999)).padStart(12, '0')}`,
    secondaryNumber: String(10_000 + prng.int(89_999)),
    licenseKey: `${randomText(prng, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', 36)}.${randomText(prng, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', 80)}`,
    customerId: randomHex(prng, 10),
    validFrom,
    validTo,
    updated: now - (5 + prng.int(60)) * DAY_MS,
    allotments,
    settings: subscription === 'user-based' ? { autoAssignProfessional: false, autoAssignAnalyzer: false } : undefined,
  };
}

/** Roles whose holders build apps: the admins and the creators. */
const AUTHORING_ROLES = new Set(DEFAULT_ROLES.filter((r) => r.level === 'admin' || r.fullUser).map((r) => r.name));

/**
 * The app events of a user-based tenant's professionals who can sign in. Drawn from a PRNG of
 * their own, so the rest of a seeded tenant is what it was before app events existed.
 */
function appEventsOf(data: CloudSimData, options: CloudGeneratorOptions): CloudAppEvent[] {
  const prng = createPrng(options.seed ^ 0xa99e);
  const bySubject = new Map(data.users.map((u) => [u.subject, u]));
  const roleNames = new Map(data.roles.map((r) => [r.id, r.name]));
  const professionals: Professional[] = [];
  for (const a of data.assignments) {
    const user = a.type === 'professional' ? bySubject.get(a.subject) : undefined;
    if (user && user.status === 'active' && user.clientId === undefined) {
      professionals.push({ user, creatorRole: user.roleIds.some((id) => AUTHORING_ROLES.has(roleNames.get(id) ?? '')) });
    }
  }
  return makeAppEvents(prng, professionals, { now: options.now, appIds: data.appIds, names: data.appEventTypes.length > 0 ? (options.appEvents ?? 'current') : 'none', when: (lo, hi) => sessionStart(prng, lo, hi) });
}

/**
 * Generates a tenant: roles, groups and users (an admin, the OAuth client's user, people with
 * every status), 90 days of sign-in sessions, and on user-based tenants assignments (orphans
 * and deleted users' ones included) with 60 days of consumption and their professionals' app
 * events (some author, the others only open apps). Same options, same tenant.
 */
export function generateCloudData(options: CloudGeneratorOptions): CloudSimData {
  if (!Number.isInteger(options.users) || options.users < 2 + options.deletedUsers) {
    throw new RangeError(`A tenant needs at least ${2 + options.deletedUsers} users (the admin, the OAuth client and the deleted ones).`);
  }
  const prng = createPrng(options.seed);
  const { now } = options;
  const tenantId = cloudTenantId(prng);
  const roles = makeRoles(prng, options.subscription);
  const groups = makeGroups(prng, roles);
  const { people, clientId } = makeUsers(prng, options, roles, groups);
  const appIds = Array.from({ length: 24 }, () => prng.uuid());
  const sessions = makeSessions(prng, people, now, appIds);
  const assignments = options.subscription === 'user-based' ? makeAssignments(prng, people, options.orphans, now) : [];
  const license = makeLicense(prng, options, assignments, people);
  const users = people.map((p) => p.user);
  const data: CloudSimData = {
    tenantId,
    license,
    roles,
    groups,
    users,
    assignments,
    sessions,
    consumption: [],
    audits: [],
    appEvents: [],
    appEventTypes: options.subscription === 'user-based' ? APP_EVENT_TYPES[options.appEvents ?? 'current'] : [],
    adminUserId: users[0]?.id ?? '',
    oauthClient: { clientId, userId: users[1]?.id ?? '' },
    appIds,
  };
  // The state computes consumption the way live sessions get it, so generated and added data agree.
  const state = new CloudSimState(data, { now: () => now, advance: () => undefined, set: () => undefined }, createPrng(options.seed ^ 0x5eed));
  const byId = new Map(users.map((u) => [u.id, u]));
  const audits: CloudAuditEvent[] = [];
  const consumption: CloudConsumptionEvent[] = [];
  for (const s of sessions) {
    audits.push(
      { id: cloudObjectId(prng, s.begin), eventId: prng.uuid(), eventType: 'com.qlik.user-session.begin', eventTime: s.begin, userId: s.userId, sessionId: s.id },
      { id: cloudObjectId(prng, s.end), eventId: prng.uuid(), eventType: 'com.qlik.user-session.end', eventTime: s.end, userId: s.userId, sessionId: s.id },
    );
    const user = byId.get(s.userId);
    if (options.subscription === 'user-based' && user && s.end >= now - CONSUMPTION_DAYS * DAY_MS) {
      consumption.push(state.consumptionFor(s, user));
    }
  }
  audits.sort((a, b) => a.eventTime - b.eventTime || a.id.localeCompare(b.id));
  data.audits.push(...audits);
  data.appEvents.push(...appEventsOf(data, options));
  data.consumption.push(...consumption.sort((a, b) => a.endTime - b.endTime || a.id.localeCompare(b.id)));
  const time = license.allotments.find((a) => a.name === 'analyzer_time');
  if (time) {
    // A month's minutes as bought: the last 30 days' use plus a fifth, in hundreds; overage a quarter of that.
    const recent = consumption.filter((e) => e.endTime >= now - 30 * DAY_MS && e.allotmentId === time.id).reduce((sum, e) => sum + e.minutesUsed, 0);
    time.units = Math.max(600, Math.ceil((recent * 1.2) / 100) * 100);
    time.overage = Math.ceil(time.units / 400) * 100;
  }
  return data;
}
