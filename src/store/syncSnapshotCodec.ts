/**
 * The last-sync file's JSON document: a format name and version, then the snapshot with each user
 * written once (allocations and usage totals refer to users by index, which halves a large site's
 * file). Reading validates every field and rebuilds the objects, so a damaged, hand-edited or
 * foreign file fails as a whole instead of reaching the ranking half-read.
 */
import type { DroppedData } from '../core/licenseSource';
import { PASS_KINDS, type Allocation, type LicenseOverview, type PassKind, type SeatTotals, type User, type UserDenials } from '../core/model';
import type { SyncSnapshot, UserTotals } from '../core/syncSnapshot';

/** Names the document, so another JSON file put in its place is recognised as such. */
export const SNAPSHOT_FORMAT = 'license-steward/last-sync';

/**
 * Bumped on any change an older reader would misread; newer files and those older than
 * {@link OLDEST_READABLE_VERSION} are ignored. 3 added hours, peaks, denials, orphans and Full Users.
 */
export const SNAPSHOT_VERSION = 3;

/** Version 2 files hold none of what 3 added, so they read as they always did. */
export const OLDEST_READABLE_VERSION = 2;

/** What the file says besides the snapshot, to check it belongs to the connection reading it. */
export interface SnapshotMeta {
  /** A fingerprint of the site (system and URL): an edited connection pointing elsewhere must not show this. */
  readonly site: string;
  /** The connection's name when written, for messages about a connection since removed. */
  readonly connection: string;
}

/** The file is not a last-sync document this version can read; the message says why. */
export class SnapshotFormatError extends Error {
  override readonly name = 'SnapshotFormatError';
}

/** The document for a snapshot. Holds no secrets: the snapshot is license data, the meta a hash and a name. */
export function encodeSyncSnapshot(s: SyncSnapshot, meta: SnapshotMeta): string {
  const index = new Map<string, number>();
  const users: [string, string, string, string][] = [];
  const ref = (u: User): number => {
    const key = JSON.stringify([u.id, u.directory, u.userId, u.name]);
    let i = index.get(key);
    if (i === undefined) {
      i = users.length;
      users.push([u.id, u.directory, u.userId, u.name]);
      index.set(key, i);
    }
    return i;
  };
  const allocations = s.allocations.map((a) => ({
    id: a.id,
    kind: a.kind,
    user: ref(a.user),
    lastUsed: a.lastUsed,
    ...(a.allocatedAt === undefined ? {} : { allocatedAt: a.allocatedAt }),
    quarantined: a.quarantined,
    quarantineEnd: a.quarantineEnd,
    userDeleted: a.userDeleted,
    excess: a.excess,
    ...(a.orphaned ? { orphaned: true } : {}),
  }));
  // Hours and peaks only where the source counts them, so a Qlik site's file stays as small as in version 2.
  const usage = s.usage.map((u) =>
    u.hours === undefined ? [ref(u.user), u.loginPasses, u.capacityMinutes, u.lastUse] : [ref(u.user), u.loginPasses, u.capacityMinutes, u.lastUse, u.hours, u.peakLicenses ?? null, u.peakTokens ?? null],
  );
  const denials = s.denials?.map((d) => [ref(d.user), d.count, d.last, d.features]);
  return JSON.stringify({
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    site: meta.site,
    connection: meta.connection,
    at: s.at,
    window: [s.window.from, s.window.to],
    recordCount: s.recordCount,
    repeatCount: s.repeatCount,
    overview: s.overview,
    users,
    allocations,
    usage,
    dropped: s.dropped,
    poolBurn: s.poolBurn.map((p) => [p.pool, p.days]),
    ...(denials ? { denials } : {}),
  });
}

/** Reads a document written by {@link encodeSyncSnapshot}; throws SnapshotFormatError on anything else. */
export function decodeSyncSnapshot(text: string): { readonly snapshot: SyncSnapshot; readonly meta: SnapshotMeta } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SnapshotFormatError(`not JSON (${(e as Error).message})`);
  }
  const doc = obj(raw, 'the document');
  if (doc['format'] !== SNAPSHOT_FORMAT) {
    throw new SnapshotFormatError('not a License Steward last-sync file');
  }
  const version = doc['version'];
  if (typeof version !== 'number' || version < OLDEST_READABLE_VERSION || version > SNAPSHOT_VERSION) {
    throw new SnapshotFormatError(
      typeof version === 'number' && version > SNAPSHOT_VERSION ? `written by a newer License Steward (format ${version})` : `written by an older License Steward (format ${String(version)})`,
    );
  }
  const [from, to] = tuple(doc['window'], 'window', 2).map((v, i) => time(v, `window[${i}]`)) as [number, number];
  if (from >= to) {
    throw new SnapshotFormatError('window: ends before it starts');
  }
  const users = list(doc['users'], 'users').map((u, i): User => {
    const [id, directory, userId, name] = tuple(u, `users[${i}]`, 4).map((v, j) => str(v, `users[${i}][${j}]`)) as [string, string, string, string];
    return { id, directory, userId, name };
  });
  const userAt = (v: unknown, path: string): User => {
    const u = users[count(v, path)];
    if (!u) {
      throw new SnapshotFormatError(`${path}: no user ${String(v)}`);
    }
    return u;
  };
  const allocations = list(doc['allocations'], 'allocations').map((v, i): Allocation => {
    const p = `allocations[${i}]`;
    const a = obj(v, p);
    const allocatedAt = a['allocatedAt'] === undefined ? {} : { allocatedAt: nullable(a['allocatedAt'], `${p}.allocatedAt`, time) };
    return {
      id: str(a['id'], `${p}.id`),
      kind: passKind(a['kind'], `${p}.kind`),
      user: userAt(a['user'], `${p}.user`),
      lastUsed: nullable(a['lastUsed'], `${p}.lastUsed`, time),
      ...allocatedAt,
      quarantined: bool(a['quarantined'], `${p}.quarantined`),
      quarantineEnd: nullable(a['quarantineEnd'], `${p}.quarantineEnd`, time),
      userDeleted: bool(a['userDeleted'], `${p}.userDeleted`),
      excess: bool(a['excess'], `${p}.excess`),
      ...(a['orphaned'] === undefined ? {} : { orphaned: bool(a['orphaned'], `${p}.orphaned`) }),
    };
  });
  const usage = list(doc['usage'], 'usage').map((v, i): UserTotals => {
    const p = `usage[${i}]`;
    const row = list(v, p);
    if (row.length !== 4 && row.length !== 7) {
      throw new SnapshotFormatError(`${p}: not 4 or 7 items`);
    }
    const [u, loginPasses, capacityMinutes, lastUse, hours, peakLicenses, peakTokens] = row;
    const at = time(lastUse, `${p}[3]`);
    if (at < from || at >= to) {
      throw new SnapshotFormatError(`${p}: last use outside the window`);
    }
    const totals = { user: userAt(u, `${p}[0]`), loginPasses: amount(loginPasses, `${p}[1]`), capacityMinutes: amount(capacityMinutes, `${p}[2]`), lastUse: at };
    if (row.length === 4) {
      return totals;
    }
    const licenses = nullable(peakLicenses, `${p}[5]`, amount);
    const tokens = nullable(peakTokens, `${p}[6]`, amount);
    return { ...totals, hours: amount(hours, `${p}[4]`), ...(licenses === null ? {} : { peakLicenses: licenses }), ...(tokens === null ? {} : { peakTokens: tokens }) };
  });
  const denials =
    doc['denials'] === undefined
      ? undefined
      : list(doc['denials'], 'denials').map((v, i): UserDenials => {
          const p = `denials[${i}]`;
          const [u, n, last, features] = tuple(v, p, 4);
          return { user: userAt(u, `${p}[0]`), count: count(n, `${p}[1]`), last: nullable(last, `${p}[2]`, time), features: list(features, `${p}[3]`).map((f, j) => str(f, `${p}[3][${j}]`)) };
        });
  const snapshot: SyncSnapshot = {
    at: time(doc['at'], 'at'),
    window: { from, to },
    overview: overview(doc['overview']),
    allocations,
    usage,
    recordCount: count(doc['recordCount'], 'recordCount'),
    repeatCount: count(doc['repeatCount'], 'repeatCount'),
    dropped: list(doc['dropped'], 'dropped').map((v, i) => dropped(v, `dropped[${i}]`)),
    poolBurn: list(doc['poolBurn'], 'poolBurn').map((v, i) => {
      const [pool, days] = tuple(v, `poolBurn[${i}]`, 2);
      return {
        pool: str(pool, `poolBurn[${i}][0]`),
        days: list(days, `poolBurn[${i}][1]`).map((d, j) => {
          const [day, passes] = tuple(d, `poolBurn[${i}][1][${j}]`, 2);
          return [count(day, `poolBurn[${i}][1][${j}][0]`), amount(passes, `poolBurn[${i}][1][${j}][1]`)] as const;
        }),
      };
    }),
    ...(denials ? { denials } : {}),
  };
  return { snapshot, meta: { site: str(doc['site'], 'site'), connection: str(doc['connection'], 'connection') } };
}

function overview(v: unknown): LicenseOverview {
  const o = obj(v, 'overview');
  const t = o['tokens'] === null ? null : obj(o['tokens'], 'overview.tokens');
  const tokens = t && {
    total: amount(t['total'], 'tokens.total'),
    available: num(t['available'], 'tokens.available'),
    userPassCost: amount(t['userPassCost'], 'tokens.userPassCost'),
    loginPassCost: amount(t['loginPassCost'], 'tokens.loginPassCost'),
    userAccess: numbers(t['userAccess'], 'tokens.userAccess', ['allocated', 'used', 'quarantined'] as const),
    loginAccess: numbers(t['loginAccess'], 'tokens.loginAccess', ['allocated', 'used', 'unavailable'] as const),
  };
  const seats = (key: 'professional' | 'analyzer'): SeatTotals | null =>
    o[key] === null ? null : numbers(o[key], `overview.${key}`, ['total', 'allocated', 'used', 'quarantined', 'excess', 'available'] as const);
  const capacity = o['capacity'] === null ? null : numbers(o['capacity'], 'overview.capacity', ['allocatedMinutes', 'usedMinutes', 'unavailableMinutes'] as const);
  const pools =
    o['loginPools'] === undefined
      ? {}
      : {
          loginPools: list(o['loginPools'], 'overview.loginPools').map((p, i) => ({
            name: str(obj(p, `loginPools[${i}]`)['name'], `loginPools[${i}].name`),
            ...numbers(p, `loginPools[${i}]`, ['assignedTokens', 'passes', 'used', 'remaining'] as const),
          })),
        };
  const fullUsers = o['fullUsers'] === undefined || o['fullUsers'] === null ? {} : { fullUsers: numbers(o['fullUsers'], 'overview.fullUsers', ['total', 'allocated', 'used', 'quarantined', 'excess', 'available'] as const) };
  return {
    tokens,
    professional: seats('professional'),
    analyzer: seats('analyzer'),
    capacity,
    ...fullUsers,
    ...pools,
    offeredKinds: list(o['offeredKinds'], 'overview.offeredKinds').map((k, i) => passKind(k, `offeredKinds[${i}]`)),
  };
}

function dropped(v: unknown, path: string): DroppedData {
  const d = obj(v, path);
  const what = d['what'];
  if (what !== 'usage rows' && what !== 'allocations') {
    throw new SnapshotFormatError(`${path}.what: not "usage rows" or "allocations"`);
  }
  return { what, count: count(d['count'], `${path}.count`), reason: str(d['reason'], `${path}.reason`), request: str(d['request'], `${path}.request`) };
}

function numbers<K extends string>(v: unknown, path: string, keys: readonly K[]): Record<K, number> {
  const o = obj(v, path);
  const out = {} as Record<K, number>;
  for (const k of keys) {
    out[k] = num(o[k], `${path}.${k}`);
  }
  return out;
}

function obj(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new SnapshotFormatError(`${path}: not an object`);
  }
  return v as Record<string, unknown>;
}

function list(v: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(v)) {
    throw new SnapshotFormatError(`${path}: not a list`);
  }
  return v;
}

function tuple(v: unknown, path: string, length: number): readonly unknown[] {
  const l = list(v, path);
  if (l.length !== length) {
    throw new SnapshotFormatError(`${path}: not ${length} items`);
  }
  return l;
}

function str(v: unknown, path: string): string {
  if (typeof v !== 'string') {
    throw new SnapshotFormatError(`${path}: not a string`);
  }
  return v;
}

function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') {
    throw new SnapshotFormatError(`${path}: not true or false`);
  }
  return v;
}

function num(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new SnapshotFormatError(`${path}: not a number`);
  }
  return v;
}

/** Not negative (a count, a cost, minutes). */
function amount(v: unknown, path: string): number {
  const n = num(v, path);
  if (n < 0) {
    throw new SnapshotFormatError(`${path}: negative`);
  }
  return n;
}

function count(v: unknown, path: string): number {
  const n = amount(v, path);
  if (!Number.isInteger(n)) {
    throw new SnapshotFormatError(`${path}: not a whole number`);
  }
  return n;
}

/** Epoch ms. */
function time(v: unknown, path: string): number {
  return count(v, path);
}

function nullable<T>(v: unknown, path: string, read: (v: unknown, path: string) => T): T | null {
  return v === null ? null : read(v, path);
}

function passKind(v: unknown, path: string): PassKind {
  const kind = PASS_KINDS.find((k) => k === v);
  if (!kind) {
    throw new SnapshotFormatError(`${path}: not a pass kind`);
  }
  return kind;
}
