import type { PassKind } from '../../core/model';
import { DAY_MS } from '../../core/model';
import { createPrng, type Prng } from '../prng';
import { LoginUsageStore } from './loginUsageStore';
import {
  LOGIN_PASS_RECYCLE_MS,
  QRS_NO_DATE,
  QUARANTINE_MS,
  type QrsSimData,
  type SimAllocation,
  type SimApp,
  type SimAppObject,
  type SimCapacityPool,
  type SimCapacityUsage,
  type SimLoginGroup,
  type SimStream,
  type SimUser,
  simUser,
} from './qrsSimState';

/** Shape of the site to generate. */
export interface QrsGeneratorOptions {
  /** Total users, the built-in service and admin accounts included. */
  readonly users: number;
  readonly seed: number;
  /** Login-pass records over the last ~60 days (token model only). */
  readonly usageRecords: number;
  readonly now: number;
  readonly licenseModel: 'token' | 'userBased';
  readonly capacity: boolean;
}

const FIRST = [
  'Anna', 'Ben', 'Carla', 'David', 'Elena', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Karin', 'Lars', 'Maria',
  'Nils', 'Olga', 'Pedro', 'Quinn', 'Rosa', 'Sven', 'Tara', 'Umar', 'Vera', 'Walt', 'Xenia', 'Yusuf', 'Zoe', 'Aisha',
  'Bruno', 'Chloe', 'Diego', 'Emma', 'Felix', 'Hanna', 'Ivan', 'Julia', 'Kenji', 'Lena', 'Marco', 'Nora', 'Oscar',
  'Priya', 'Rafael', 'Sara', 'Tom', 'Ulla', 'Victor', 'Wei', 'Yara', 'Amir', 'Beatriz', 'Chen', 'Dana', 'Erik',
  'Fatima', 'George', 'Helga', 'Isak', 'Jana', 'Karl', 'Leila',
];
const LAST = [
  'Andersson', 'Bauer', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Hansen', 'Ivanova', 'Jensen', 'Kowalski',
  'Larsen', 'Martin', 'Nakamura', 'Olsen', 'Petrov', 'Quist', 'Rossi', 'Schmidt', 'Tanaka', 'Ulrich', 'Varga', 'Weber',
  'Xu', 'Yilmaz', 'Zimmermann', 'Alvarez', 'Berg', 'Conti', 'Dahl', 'Engel', 'Ferreira', 'Gruber', 'Holm', 'Iversen',
  'Jakobsen', 'Keller', 'Lindqvist', 'Moreau', 'Novak', 'Ortiz', 'Popescu', 'Richter', 'Silva', 'Torres', 'Vogel',
  'Wagner', 'Young', 'Zhang', 'Ahmed', 'Brown', 'Clarke', 'Evans', 'Fernandes', 'Green', 'Hughes', 'Ito', 'Kim',
  'Lopez', 'Meyer', 'Nielsen', 'Patel', 'Quinn', 'Reyes', 'Sato', 'Thomas', 'Wood', 'Zeller',
];

/** Built-in accounts every site has; `CORP\admin` is the RootAdmin used in header-auth tests. */
const SERVICE_ACCOUNTS: readonly { dir: string; id: string; name: string; roles: string[] }[] = [
  { dir: 'INTERNAL', id: 'sa_repository', name: 'sa_repository', roles: [] },
  { dir: 'INTERNAL', id: 'sa_api', name: 'sa_api', roles: [] },
  { dir: 'INTERNAL', id: 'sa_scheduler', name: 'sa_scheduler', roles: [] },
  { dir: 'CORP', id: 'admin', name: 'Site Administrator', roles: ['RootAdmin'] },
];

const HOUR_MS = 3_600_000;
/** Login passes go back this many days: the 28-day window and the history before it. */
const USAGE_DAYS = 60;
const LOGIN_GROUP_NAMES = ['Occasional users', 'Contractors'];

function user(prng: Prng, dir: string, userId: string, name: string, roles: string[], now: number): SimUser {
  const created = now - (60 + prng.int(900)) * DAY_MS - prng.int(DAY_MS);
  return simUser({
    id: prng.uuid(),
    userId,
    userDirectory: dir,
    userDirectoryConnectorName: dir === 'INTERNAL' ? null : dir,
    name,
    createdDate: created,
    modifiedDate: created + prng.int(30) * DAY_MS,
    roles,
  });
}

function generateUsers(prng: Prng, count: number, now: number): SimUser[] {
  const users: SimUser[] = SERVICE_ACCOUNTS.map((a) => user(prng, a.dir, a.id, a.name, a.roles, now));
  const taken = new Set(users.map((u) => u.userId));
  while (users.length < count) {
    const first = prng.pick(FIRST);
    const last = prng.pick(LAST);
    const base = `${first}.${last}`.toLowerCase();
    let id = base;
    for (let n = 2; taken.has(id); n++) {
      id = `${base}${n}`;
    }
    taken.add(id);
    const u = user(prng, 'CORP', id, `${first} ${last}`, [], now);
    // A few accounts the directory connector no longer finds, as on every real site.
    if (prng.next() < 0.02) {
      u.inactive = true;
      u.removedExternally = prng.next() < 0.5;
    }
    users.push(u);
  }
  return users;
}

/**
 * Heavy-tailed login-pass appetite per user, in passes per 28 days: some never log in, most
 * use 0-3, and a Pareto tail uses 10-60 (the people a user pass would be cheaper for).
 */
function appetite(prng: Prng): number {
  const r = prng.next();
  if (r < 0.2) {
    return 0;
  }
  // About one user in twelve is heavy: License Monitor screenshots of real sites show a short tail.
  if (r < 0.92) {
    return 0.3 + prng.next() * 2.7;
  }
  const pareto = 10 / Math.pow(1 - prng.next(), 1 / 1.6);
  // Capped below 60 because the record total is spread by weight, which stretches the tail a little.
  return Math.min(45, pareto);
}

function pickWeighted(prng: Prng, cumulative: Float64Array): number {
  const target = prng.next() * (cumulative[cumulative.length - 1] ?? 0);
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulative[mid] ?? 0) <= target) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/** Working hours, UTC, on the given day (most logins happen between 7:00 and 18:00). */
function timeOfDay(prng: Prng): number {
  const hours = prng.next() < 0.9 ? 7 + prng.next() * 11 : prng.next() * 24;
  return Math.floor(hours * HOUR_MS);
}

/**
 * Login passes for the CORP users. `passFrom` holds, per user index, when a user access pass was
 * allocated to that user: Qlik Sense serves a pass holder from the pass, so none of their login
 * passes may start after it.
 */
function generateLoginUsage(
  prng: Prng,
  seed: number,
  users: readonly SimUser[],
  options: QrsGeneratorOptions,
  passFrom: ReadonlyMap<number, number>,
): { store: LoginUsageStore; groups: SimLoginGroup[] } {
  const { now } = options;
  const corp = users.map((u, i) => (u.userDirectory === 'CORP' && u.userId !== 'admin' ? i : -1)).filter((i) => i >= 0);
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  // Passes fall on the last USAGE_DAYS days; a pass holder's only on days two or more before the
  // pass (a day's last pass may start near midnight and last an hour), and their appetite shrinks
  // with those days so that everyone keeps their daily rate.
  const firstDay = new Int32Array(corp.length);
  const cumulative = new Float64Array(corp.length);
  let sum = 0;
  corp.forEach((u, k) => {
    const limit = passFrom.get(u);
    const first = limit === undefined ? 0 : Math.min(USAGE_DAYS, Math.max(0, Math.ceil((today - limit) / DAY_MS) + 2));
    firstDay[k] = first;
    sum += (appetite(prng) * (USAGE_DAYS - first)) / USAGE_DAYS;
    cumulative[k] = sum;
  });
  // Most people draw from the first group; a fifth are contractors with their own pool.
  const groupOf = new Uint8Array(users.length);
  for (const i of corp) {
    groupOf[i] = prng.next() < 0.8 ? 0 : 1;
  }
  const n = sum > 0 ? options.usageRecords : 0;
  const starts = new Float64Array(n);
  const who = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const k = pickWeighted(prng, cumulative);
    const u = corp[k] ?? 0;
    const first = firstDay[k] ?? 0;
    let start = today - (first + prng.int(USAGE_DAYS - first)) * DAY_MS + timeOfDay(prng) + prng.int(60_000);
    // A pass lasts an hour; keep every generated one finished.
    while (start > now - HOUR_MS) {
      start -= DAY_MS;
    }
    starts[r] = start;
    who[r] = u;
  }
  // Insertion order = time order, as a repository fills its table.
  const order = new Uint32Array(n);
  for (let r = 0; r < n; r++) {
    order[r] = r;
  }
  order.sort((a, b) => (starts[a] ?? 0) - (starts[b] ?? 0));

  const store = new LoginUsageStore(seed, Math.max(16, n + 64));
  for (let k = 0; k < n; k++) {
    const r = order[k] ?? 0;
    const start = starts[r] ?? 0;
    const u = who[r] ?? 0;
    const r1 = prng.next();
    const sessions = r1 < 0.55 ? 1 : r1 < 0.8 ? 2 : r1 < 0.92 ? 3 : r1 < 0.98 ? 4 : 5;
    store.add({
      userIndex: u,
      groupIndex: groupOf[u] ?? 0,
      start,
      stop: start + HOUR_MS,
      latestActivity: start + (2 + prng.int(58)) * 60_000 + prng.int(60_000),
      sessionCount: sessions,
    });
  }

  const used = store.countByGroupSince(now - LOGIN_PASS_RECYCLE_MS, LOGIN_GROUP_NAMES.length);
  const groups = LOGIN_GROUP_NAMES.map((name, g): SimLoginGroup => {
    const created = now - (200 + prng.int(300)) * DAY_MS;
    return {
      id: prng.uuid(),
      name,
      // Sized with headroom so the pools are not exhausted on day one.
      assignedTokens: Math.ceil(((used[g] ?? 0) / 10) * 1.3) + 5,
      createdDate: created,
      modifiedDate: created + prng.int(100) * DAY_MS,
      modifiedByUserName: 'CORP\\admin',
    };
  });
  return { store, groups };
}

/** lastUsed mix: active this week, this month, stale (> 30 days) and never used. */
function lastUsed(prng: Prng, now: number): number {
  const r = prng.next();
  if (r < 0.4) {
    return now - prng.int(7 * DAY_MS);
  }
  if (r < 0.7) {
    return now - 7 * DAY_MS - prng.int(23 * DAY_MS);
  }
  if (r < 0.9) {
    return now - 31 * DAY_MS - prng.int(120 * DAY_MS);
  }
  return QRS_NO_DATE;
}

function allocationsFor(
  prng: Prng,
  kind: PassKind,
  holders: readonly SimUser[],
  deletedHolders: readonly SimUser[],
  now: number,
): SimAllocation[] {
  const out: SimAllocation[] = [];
  const quarantinedCount = Math.max(1, Math.round(holders.length * 0.04));
  holders.forEach((u, k) => {
    const quarantined = k < quarantinedCount;
    const used = quarantined ? now - prng.int(6 * DAY_MS) : lastUsed(prng, now);
    const created = Math.min(used === QRS_NO_DATE ? now : used, now) - (1 + prng.int(300)) * DAY_MS;
    out.push({
      id: prng.uuid(),
      kind,
      user: u,
      createdDate: created,
      modifiedDate: quarantined ? used + prng.int(DAY_MS) : created,
      modifiedByUserName: 'CORP\\admin',
      lastUsed: used,
      quarantined,
      quarantineEnd: quarantined ? used + QUARANTINE_MS : QRS_NO_DATE,
      excess: false,
    });
  });
  for (const u of deletedHolders) {
    // A user deleted from the directory while their pass was in use: shown until the quarantine ends.
    const used = now - prng.int(5 * DAY_MS);
    out.push({
      id: prng.uuid(),
      kind,
      user: u,
      createdDate: used - (30 + prng.int(200)) * DAY_MS,
      modifiedDate: used + prng.int(DAY_MS),
      modifiedByUserName: 'CORP\\admin',
      lastUsed: used,
      quarantined: true,
      quarantineEnd: used + QUARANTINE_MS,
      excess: false,
    });
  }
  // Creation order, as the repository lists them.
  return out.sort((a, b) => a.createdDate - b.createdDate);
}

function sample<T>(prng: Prng, items: readonly T[], count: number): T[] {
  const copy = [...items];
  for (let i = 0; i < Math.min(count, copy.length); i++) {
    const j = i + prng.int(copy.length - i);
    const a = copy[i] as T;
    copy[i] = copy[j] as T;
    copy[j] = a;
  }
  return copy.slice(0, count);
}

function deletedUsers(prng: Prng, count: number, now: number, taken: Set<string>): SimUser[] {
  const out: SimUser[] = [];
  for (let k = 0; k < count; k++) {
    const first = prng.pick(FIRST);
    const last = prng.pick(LAST);
    let id = `${first}.${last}.left`.toLowerCase();
    for (let n = 2; taken.has(id); n++) {
      id = `${first}.${last}.left${n}`.toLowerCase();
    }
    taken.add(id);
    const u = user(prng, 'CORP', id, `${first} ${last}`, [], now);
    u.deleted = true;
    out.push(u);
  }
  return out;
}

function generateCapacity(
  prng: Prng,
  users: readonly SimUser[],
  allocations: readonly SimAllocation[],
  now: number,
): { pools: SimCapacityPool[]; usage: SimCapacityUsage[] } {
  // Analyzer capacity serves users without a professional or analyzer allocation.
  const seated = new Set(allocations.map((a) => a.user));
  const people = users.filter((u) => u.userDirectory === 'CORP' && !u.deleted);
  const consumersPool = people.filter((u) => !seated.has(u));
  const pools = ['Analyzer capacity - Sales', 'Analyzer capacity - Partners'].map((name, k): SimCapacityPool => {
    const created = now - (100 + prng.int(200)) * DAY_MS;
    return {
      id: prng.uuid(),
      name,
      assignedUnits: Math.max(50, Math.round(people.length * (k === 0 ? 4 : 1.5))),
      createdDate: created,
      modifiedDate: created,
      modifiedByUserName: 'CORP\\admin',
    };
  });
  const consumers = sample(prng, consumersPool, Math.max(1, Math.round(people.length * 0.2)));
  const usage: SimCapacityUsage[] = [];
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  for (let k = 0; k < people.length * 2 && consumers.length > 0; k++) {
    const u = prng.pick(consumers);
    let start = today - prng.int(60) * DAY_MS + timeOfDay(prng);
    while (start > now - HOUR_MS) {
      start -= DAY_MS;
    }
    const stop = start + (1 + prng.int(10)) * 6 * 60_000;
    usage.push({
      id: prng.uuid(),
      user: u,
      pool: prng.next() < 0.8 ? (pools[0] as SimCapacityPool) : (pools[1] as SimCapacityPool),
      start,
      stop,
      latestActivity: stop - prng.int(60_000),
      sessions: [{ id: prng.uuid(), sessionID: prng.uuid(), latestActivity: stop - prng.int(60_000) }],
    });
  }
  usage.sort((a, b) => a.start - b.start);
  return { pools, usage };
}

/**
 * Seeds the apps' own generator, so that adding apps left every user, allocation and usage record
 * of a seed exactly as it was.
 */
const CONTENT_SEED_SALT = 0x5eed_a995;

const STREAM_NAMES = ['Everyone', 'Sales', 'Finance'];
const APP_TOPICS = ['Sales', 'Margin', 'Inventory', 'Churn', 'Pipeline', 'Budget', 'HR', 'Logistics', 'Claims', 'Forecast'];
const SHEET_TOPICS = ['Overview', 'Details', 'Trends', 'By region', 'By product', 'Top customers', 'KPIs', 'Scratch'];

/**
 * How people author: `active` saved an app or sheet within the last 60 days; `stale` authored,
 * but nothing newer than 120 days; `none` owns nothing and only consumes.
 */
type Authoring = 'active' | 'stale' | 'none';

/** Who the pass holders are as authors: about half active, a fifth stale, the rest consumers. */
function authoringOf(prng: Prng): Authoring {
  const r = prng.next();
  return r < 0.45 ? 'active' : r < 0.65 ? 'stale' : 'none';
}

/**
 * Apps and the sheets, stories and bookmarks in them. Holders of a professional (user-based) or
 * user access pass (token) author, or once did, or only consume; analyzers keep a few bookmarks on
 * published apps; the monitoring apps belong to the repository's service account and move with
 * every nightly reload. Drawn from a generator of its own (CONTENT_SEED_SALT).
 */
function generateContent(seed: number, users: readonly SimUser[], allocations: readonly SimAllocation[], now: number): { apps: SimApp[]; objects: SimAppObject[] } {
  const prng = createPrng(seed ^ CONTENT_SEED_SALT);
  const streams: SimStream[] = STREAM_NAMES.map((name) => ({ id: prng.uuid(), name }));
  const apps: SimApp[] = [];
  const objects: SimAppObject[] = [];
  const by = (u: SimUser) => `${u.userDirectory}\\${u.userId}`;
  const day = (from: number, to: number) => now - (from + prng.int(Math.max(1, to - from))) * DAY_MS - prng.int(DAY_MS);
  const addApp = (owner: SimUser, name: string, created: number, modified: number, reloaded: number): SimApp => {
    const stream = prng.next() < 0.5 ? prng.pick(streams) : null;
    const app: SimApp = {
      id: prng.uuid(),
      name,
      owner,
      createdDate: created,
      modifiedDate: modified,
      modifiedByUserName: by(owner),
      stream,
      publishTime: stream ? created + prng.int(Math.max(1, modified - created)) : QRS_NO_DATE,
      lastReloadTime: reloaded,
      fileSize: 50_000 + prng.int(40_000_000),
    };
    apps.push(app);
    return app;
  };
  const addObject = (app: SimApp, owner: SimUser, objectType: string, name: string, created: number, modified: number): void => {
    const published = app.stream !== null && objectType !== 'bookmark' && prng.next() < 0.7;
    objects.push({
      id: prng.uuid(),
      app,
      owner,
      name,
      objectType,
      engineObjectId: prng.uuid().slice(0, 8),
      createdDate: created,
      modifiedDate: modified,
      modifiedByUserName: by(owner),
      published,
      publishTime: published ? modified : QRS_NO_DATE,
      approved: published && owner === app.owner,
    });
  };

  const service = users.find((u) => u.userDirectory === 'INTERNAL' && u.userId === 'sa_repository');
  if (service) {
    for (const name of ['Operations Monitor', 'License Monitor']) {
      // Reloaded every night: the reload saves the app, so its modifiedDate is last night.
      const reloaded = Math.floor(now / DAY_MS) * DAY_MS - 2 * 3_600_000;
      const app = addApp(service, name, now - (400 + prng.int(300)) * DAY_MS, reloaded, reloaded);
      for (const sheet of ['Overview', 'Details']) {
        addObject(app, service, 'sheet', sheet, app.createdDate, app.createdDate);
      }
    }
  }
  const live = allocations.filter((a) => !a.user.deleted && !a.quarantined);
  const authors = live.filter((a) => a.kind === 'professional' || a.kind === 'user').map((a) => a.user);
  for (const owner of authors) {
    const kind = authoringOf(prng);
    if (kind === 'none') {
      continue;
    }
    // Stale authors stopped 120 to 700 days ago; active ones saved something in the last 60 days.
    const [newest, oldest] = kind === 'active' ? [0, 60] : [120, 700];
    for (let k = 1 + prng.int(3); k > 0; k--) {
      const modified = day(newest, oldest);
      const created = Math.min(modified, day(oldest, oldest + 500));
      const app = addApp(owner, `${prng.pick(APP_TOPICS)} ${prng.pick(['analysis', 'dashboard', 'review', 'monitor'])}`, created, modified, prng.next() < 0.8 ? modified : QRS_NO_DATE);
      for (let n = 2 + prng.int(5); n > 0; n--) {
        const sheetModified = created + prng.int(Math.max(1, modified - created));
        addObject(app, owner, 'sheet', prng.pick(SHEET_TOPICS), created + prng.int(Math.max(1, sheetModified - created)), sheetModified);
      }
      if (prng.next() < 0.3) {
        addObject(app, owner, 'story', 'Quarterly story', created, created + prng.int(Math.max(1, modified - created)));
      }
    }
  }
  // Analyzers keep bookmarks on apps others published.
  const published = apps.filter((a) => a.stream !== null);
  for (const a of live.filter((x) => x.kind === 'analyzer')) {
    if (published.length === 0 || prng.next() >= 0.3) {
      continue;
    }
    for (let n = 1 + prng.int(3); n > 0; n--) {
      const app = prng.pick(published);
      const created = Math.max(app.createdDate, day(0, 200));
      addObject(app, a.user, 'bookmark', `${a.user.name.split(' ')[0] ?? 'My'}'s selection`, created, created);
    }
  }
  apps.sort((x, y) => x.createdDate - y.createdDate);
  objects.sort((x, y) => x.createdDate - y.createdDate);
  return { apps, objects };
}

/**
 * Builds a deterministic site: same options, same data, byte for byte. About 1 s for
 * 20,000 users and 300,000 login-pass records.
 */
export function generateQrsData(options: QrsGeneratorOptions): QrsSimData {
  const prng = createPrng(options.seed);
  const { now } = options;
  const users = generateUsers(prng, Math.max(SERVICE_ACCOUNTS.length, options.users), now);
  const corp = users.filter((u) => u.userDirectory === 'CORP' && u.userId !== 'admin' && !u.inactive);
  const taken = new Set(users.map((u) => u.userId));
  const serverNodeConfigurationId = prng.uuid();
  const allocations: SimAllocation[] = [];
  let loginGroups: SimLoginGroup[] = [];
  let loginUsage = new LoginUsageStore(options.seed);
  let capacityPools: SimCapacityPool[] = [];
  let capacityUsage: SimCapacityUsage[] = [];
  let professionalSeats = 0;
  let analyzerSeats = 0;
  let totalTokens = 0;

  if (options.licenseModel === 'token') {
    const gone = deletedUsers(prng, Math.max(2, Math.round(users.length * 0.002)), now, taken);
    const holders = sample(prng, corp, Math.round(users.length * 0.08));
    allocations.push(...allocationsFor(prng, 'user', holders, gone, now));
    const indexOf = new Map(users.map((u, i) => [u, i]));
    const passFrom = new Map<number, number>();
    for (const a of allocations) {
      const i = indexOf.get(a.user);
      if (i !== undefined) passFrom.set(i, a.createdDate);
    }
    const usage = generateLoginUsage(prng, options.seed, users, options, passFrom);
    loginUsage = usage.store;
    loginGroups = usage.groups;
    // Added after the usage so that people who left have none.
    users.push(...gone);
    const allocated = allocations.length + loginGroups.reduce((s, g) => s + g.assignedTokens, 0);
    // Twice the head count (1,000 tokens for 500 users), never less than what is handed out.
    totalTokens = Math.max(2 * options.users, allocated + 10);
  } else {
    const gone = deletedUsers(prng, Math.max(2, Math.round(users.length * 0.004)), now, taken);
    users.push(...gone);
    const half = Math.ceil(gone.length / 2);
    const shuffled = sample(prng, corp, corp.length);
    const professionals = shuffled.slice(0, Math.round(users.length * 0.1));
    const analyzers = shuffled.slice(professionals.length, professionals.length + Math.round(users.length * 0.35));
    const pro = allocationsFor(prng, 'professional', professionals, gone.slice(0, half), now);
    const ana = allocationsFor(prng, 'analyzer', analyzers, gone.slice(half), now);
    allocations.push(...pro, ...ana);
    professionalSeats = Math.ceil(pro.length * 1.1) + 2;
    analyzerSeats = Math.ceil(ana.length * 1.15) + 5;
    if (options.capacity) {
      const capacity = generateCapacity(prng, users, allocations, now);
      capacityPools = capacity.pools;
      capacityUsage = capacity.usage;
    }
  }

  const content = generateContent(options.seed, users, allocations, now);
  return {
    users,
    allocations,
    apps: content.apps,
    appObjects: content.objects,
    loginGroups,
    loginUsage,
    capacityPools,
    capacityUsage,
    license: {
      model: options.licenseModel,
      totalTokens,
      professionalSeats,
      analyzerSeats,
      capacity: options.licenseModel === 'userBased' && options.capacity,
    },
    serverNodeConfigurationId,
  };
}
