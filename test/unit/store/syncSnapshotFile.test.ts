import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../../../src/core/logger';
import { DAY_MS, type Allocation, type LicenseOverview, type User } from '../../../src/core/model';
import { DEFAULT_RULES, type SyncResult } from '../../../src/core/sync';
import { restoreSyncResult, snapshotOf, type SyncSnapshot } from '../../../src/core/syncSnapshot';
import { UsageTally } from '../../../src/core/usageTally';
import { decodeSyncSnapshot, encodeSyncSnapshot, OLDEST_READABLE_VERSION, SNAPSHOT_FORMAT, SNAPSHOT_VERSION, SnapshotFormatError } from '../../../src/store/syncSnapshotCodec';
import { readSyncSnapshot, syncSnapshotPath, writeSyncSnapshot } from '../../../src/store/syncSnapshotFile';
import { ConnectionHistory } from '../../../src/views/connectionHistory';
import type { ConnectionEntry } from '../../../src/views/connectionRegistry';

const NOW = Date.UTC(2026, 10, 23, 12);
const ann: User = { id: 'g-ann', directory: 'CORP', userId: 'ann', name: 'Ann "Quote" Lee' };
const gone: User = { id: 'deleted:x', directory: 'CORP', userId: 'gone', name: 'gone' };
const overview: LicenseOverview = {
  tokens: { total: 100, available: 5, userPassCost: 1, loginPassCost: 0.1, userAccess: { allocated: 2, used: 1, quarantined: 1 }, loginAccess: { allocated: 10, used: 3, unavailable: 0 } },
  professional: { total: 10, allocated: 4, used: 3, quarantined: 0, excess: 0, available: 6 },
  analyzer: null,
  capacity: { allocatedMinutes: 6000, usedMinutes: 120, unavailableMinutes: 0 },
  loginPools: [{ name: 'Occasional', assignedTokens: 1, passes: 10, used: 3, remaining: 7 }],
  offeredKinds: ['user', 'professional'],
};
const allocations: Allocation[] = [
  { id: 'a1', kind: 'user', user: ann, lastUsed: NOW - DAY_MS, allocatedAt: null, quarantined: false, quarantineEnd: null, userDeleted: false, excess: false },
  { id: 'a2', kind: 'professional', user: gone, lastUsed: null, quarantined: true, quarantineEnd: NOW + 3 * DAY_MS, userDeleted: true, excess: true },
];

function result(): SyncResult {
  const tally = new UsageTally({ from: NOW - 28 * DAY_MS, to: NOW });
  tally.add([
    { id: 'r1', user: ann, start: NOW - 2 * DAY_MS, stop: null, unit: 'loginPass', amount: 1, pool: 'Occasional' },
    { id: 'r2', user: ann, start: NOW - DAY_MS, stop: null, unit: 'capacityMinutes', amount: 36, pool: null },
  ]);
  return { overview, allocations, tally, ranked: [], at: NOW, dropped: [{ what: 'allocations', count: 1, reason: 'without a holder', request: 'GET /qrs/license/useraccesstype/full' }] };
}

const meta = { site: 'f00d', connection: 'Prod' };

describe('the last-sync file', () => {
  let dir: string;
  let file: string;
  const snapshot: SyncSnapshot = snapshotOf(result());

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ls-snapshot-'));
    file = path.join(dir, 'store', 'last-sync.json');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads back exactly what was written, each user once', async () => {
    await writeSyncSnapshot(file, snapshot, meta);
    const read = await readSyncSnapshot(file);
    assert.equal(read.kind, 'found');
    assert.ok(read.kind === 'found');
    assert.deepEqual(read.snapshot, snapshot);
    assert.deepEqual(read.meta, meta);
    const doc = JSON.parse(await readFile(file, 'utf8')) as { users: unknown[]; format: string; version: number };
    assert.equal(doc.users.length, 2, 'Ann holds a pass and has usage: written once');
    assert.deepEqual([doc.format, doc.version], [SNAPSHOT_FORMAT, SNAPSHOT_VERSION]);
    assert.deepEqual(await readdir(path.dirname(file)), ['last-sync.json'], 'no temp file left behind');
  });

  it('replaces the previous file whole', async () => {
    await writeSyncSnapshot(file, snapshot, meta);
    const later = { ...snapshot, at: NOW + DAY_MS };
    await writeSyncSnapshot(file, later, meta);
    const read = await readSyncSnapshot(file);
    assert.ok(read.kind === 'found');
    assert.equal(read.snapshot.at, NOW + DAY_MS);
  });

  it('says there is none when no sync was kept', async () => {
    assert.deepEqual(await readSyncSnapshot(file), { kind: 'none' });
  });

  const damaged: readonly [string, (doc: Record<string, unknown>) => unknown, RegExp][] = [
    ['an older format', (d) => ({ ...d, version: OLDEST_READABLE_VERSION - 1 }), new RegExp(`written by an older License Steward \\(format ${OLDEST_READABLE_VERSION - 1}\\)`)],
    ['a newer format', (d) => ({ ...d, version: SNAPSHOT_VERSION + 1 }), new RegExp(`written by a newer License Steward \\(format ${SNAPSHOT_VERSION + 1}\\)`)],
    ['foreign content', () => ({ hello: 'world' }), /not a License Steward last-sync file/],
    ['a user index out of range', (d) => ({ ...d, usage: [[7, 1, 0, NOW - DAY_MS]] }), /usage\[0\]\[0\]: no user 7/],
    ['a last use outside the window', (d) => ({ ...d, usage: [[0, 1, 0, NOW + DAY_MS]] }), /usage\[0\]: last use outside the window/],
    ['a pass kind it does not know', (d) => ({ ...d, allocations: [{ ...(d['allocations'] as object[])[0], kind: 'tourist' }] }), /allocations\[0\]\.kind: not a pass kind/],
    ['a missing overview', (d) => ({ ...d, overview: undefined }), /overview: not an object/],
    ['a negative token cost', (d) => ({ ...d, overview: { ...(d['overview'] as object), tokens: { ...overview.tokens, loginPassCost: -1 } } }), /tokens\.loginPassCost: negative/],
  ];
  for (const [what, change, reason] of damaged) {
    it(`ignores a file with ${what}, saying why`, async () => {
      const doc = JSON.parse(encodeSyncSnapshot(snapshot, meta)) as Record<string, unknown>;
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify(change(doc)));
      const read = await readSyncSnapshot(file);
      assert.equal(read.kind, 'ignored');
      assert.ok(read.kind === 'ignored');
      assert.match(read.reason, reason);
      assert.ok(read.reason.startsWith(file), read.reason);
    });
  }

  it('ignores a truncated file, and one it cannot read', async () => {
    await writeSyncSnapshot(file, snapshot, meta);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.slice(0, text.length / 2));
    const cut = await readSyncSnapshot(file);
    assert.ok(cut.kind === 'ignored' && /not JSON/.test(cut.reason), JSON.stringify(cut));
    await rm(file);
    await mkdir(file);
    const dirInstead = await readSyncSnapshot(file);
    assert.ok(dirInstead.kind === 'ignored' && /cannot be read \(EISDIR\)/.test(dirInstead.reason), JSON.stringify(dirInstead));
  });

  it('throws its own error type from the codec', () => {
    assert.throws(() => decodeSyncSnapshot('[]'), SnapshotFormatError);
  });
});

describe('ConnectionHistory keeps the last sync per connection', () => {
  let dir: string;
  const lines: string[] = [];
  const logger: Logger = { trace: () => undefined, debug: () => undefined, info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
  const entry = (url: string, demo = false): ConnectionEntry => ({
    id: demo ? 'demo' : 'c-1',
    demo,
    config: { name: 'Prod', kind: 'qrs', url, auth: { mode: 'header', headerName: 'X-User', headerValue: 'CORP\\admin' }, tlsVerify: true },
  });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ls-history-'));
    lines.length = 0;
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('next to its history store, and restores it ranked by the rules of the day', async () => {
    const history = new ConnectionHistory(dir, logger, 400);
    try {
      await history.saveLastSync(entry('https://qlik.example.com:4242'), result());
      const file = syncSnapshotPath(dir, 'c-1');
      assert.ok(file.startsWith(path.join(dir, 'history')), file);
      // A trailing slash is the same site.
      const kept = await history.lastSync(entry('https://qlik.example.com:4242/'));
      assert.ok(kept);
      assert.equal(restoreSyncResult(kept, DEFAULT_RULES).ranked[0]?.user.name, 'Ann "Quote" Lee');
      assert.equal(history.keptHistoryDir('c-1'), path.dirname(file));
      assert.equal(history.keptHistoryDir('c-2'), null);
      assert.doesNotMatch(await readFile(file, 'utf8'), /X-User|CORP\\\\admin|qlik\.example/, 'no connection settings in the file');
    } finally {
      history.dispose();
    }
  });

  it('not when the connection now points at another site', async () => {
    const history = new ConnectionHistory(dir, logger, 400);
    try {
      await history.saveLastSync(entry('https://qlik.example.com:4242'), result());
      assert.equal(await history.lastSync(entry('https://other.example.com:4242')), undefined);
      assert.match(lines.join('\n'), /Prod: the last sync kept is of another site/);
    } finally {
      history.dispose();
    }
  });

  it('not for the demo site, whose data dies with its window', async () => {
    const history = new ConnectionHistory(dir, logger, 400);
    try {
      await history.saveLastSync(entry('https://127.0.0.1:1234', true), result());
      assert.equal(await history.lastSync(entry('https://127.0.0.1:1234', true)), undefined);
      assert.equal(history.keptHistoryDir('demo'), null);
    } finally {
      history.dispose();
    }
  });

  it('logs a damaged file and goes on without it', async () => {
    const history = new ConnectionHistory(dir, logger, 400);
    try {
      const file = syncSnapshotPath(dir, 'c-1');
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, '{"format":"license-steward/last-sync","version":1,');
      assert.equal(await history.lastSync(entry('https://qlik.example.com:4242')), undefined);
      assert.match(lines.join('\n'), /\[restore\] Prod: the last sync is not restored: .*last-sync\.json is not JSON .* The next sync writes it again\./);
    } finally {
      history.dispose();
    }
  });
});
