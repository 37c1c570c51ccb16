import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { chmod, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { CancelledError, LocalError } from '../../../src/core/errors';
import type { UsageRecord } from '../../../src/core/model';
import { openHistoryStore, type HistoryStore } from '../../../src/store/historyStore';
import { HistoryStores } from '../../../src/store/historyStores';
import { LOCK_NAME } from '../../../src/store/writeLock';
import { lastDays, NOW, pass, person, recordingLogger, sum, tempDirs, within } from './storeFixtures';

const ann = person('ann', 'Ann');
const cost = { loginPassCost: 0.1 };
const audit = { at: NOW, actor: 'CORP\\admin', connection: 'prod', action: 'assign', user: ann, kind: 'user', reason: 'manual', outcome: 'assigned' } as const;

const localError = (code: LocalError['code'], ...mentions: (string | RegExp)[]) => (e: unknown) =>
  e instanceof LocalError && e.code === code && mentions.every((m) => (typeof m === 'string' ? e.message.includes(m) : m.test(e.message)));

const missing = (dir: string) => localError('STORE_MISSING', dir, /removed or moved while License Steward was using it/, /Run the sync again/);

describe('history store: directory failures and cancellation', () => {
  const dirs = tempDirs();
  const open: HistoryStore[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    await dirs.cleanup();
  });
  const track = (s: HistoryStore) => (open.push(s), s);

  describe('opening', () => {
    it('refuses a data directory that is a file, naming it, instead of a raw ENOTDIR', async () => {
      const dataDir = path.join(await dirs.make(), 'data');
      await writeFile(dataDir, 'oops');
      const stores = new HistoryStores(dataDir);
      await assert.rejects(stores.get('c1'), localError('STORE_NOT_DIRECTORY', `${dataDir} is a file, not a directory: pass --data-dir a directory`));
      await stores.closeAll();
    });

    it('refuses a store directory path that is a file instead of a raw EEXIST', async () => {
      const file = path.join(await dirs.make(), 'store');
      await writeFile(file, 'oops');
      await assert.rejects(openHistoryStore(file), localError('STORE_NOT_DIRECTORY', `${file} is a file, not a directory`));
    });

    it('still creates a missing data directory on the first run', async () => {
      const dir = path.join(await dirs.make(), 'a', 'b', 'store');
      track(await openHistoryStore(dir, { now: () => NOW }));
      assert.ok((await stat(dir)).isDirectory());
    });

    it('says which directory it may not write (EACCES) instead of a raw errno', async function () {
      if (process.platform === 'win32') {
        this.skip(); // Windows has no chmod to deny with
      }
      const parent = await dirs.make();
      const locked = path.join(parent, 'readonly');
      await mkdir(locked);
      await chmod(locked, 0o555);
      // Root ignores permission bits, and CI runs as root: act as nobody for the attempt (the
      // saved user id stays root, so the test can switch back).
      const asRoot = process.getuid?.() === 0 && process.seteuid !== undefined;
      if (asRoot) {
        await chmod(parent, 0o755);
        process.seteuid?.(65534);
      }
      try {
        await assert.rejects(openHistoryStore(path.join(locked, 'store')), localError('STORE_UNWRITABLE', locked, /EACCES/, /pass --data-dir/));
      } finally {
        if (asRoot) {
          process.seteuid?.(0);
        }
        await chmod(locked, 0o700);
      }
    });
  });

  describe('a store directory removed after opening', () => {
    it('answers queries with STORE_MISSING, not a raw ENOENT', async () => {
      const dir = await dirs.make();
      const s = track(await openHistoryStore(dir, { now: () => NOW }));
      await rm(dir, { recursive: true });
      await assert.rejects(s.siteSeries(lastDays(3)), missing(dir));
    });

    it('refuses an audit entry with STORE_MISSING at once rather than wait for a lock forever', async () => {
      const dir = await dirs.make();
      const s = track(await openHistoryStore(dir, { now: () => NOW }));
      await rm(dir, { recursive: true });
      await assert.rejects(within(3_000, s.appendAudit(audit)), missing(dir));
    });

    it('is created again by the next sync, as on the first run', async () => {
      const dir = await dirs.make();
      const s = track(await openHistoryStore(dir, { now: () => NOW }));
      await s.recordSync({ at: NOW, records: [[pass('1', ann, 1)]], allocations: null, listedKinds: [], tokenCosts: cost });
      await rm(dir, { recursive: true });
      const r = await within(3_000, s.recordSync({ at: NOW, records: [[pass('2', ann, 1)]], allocations: null, listedKinds: [], tokenCosts: cost }));
      assert.deepEqual([r.added, r.written], [1, true]);
      assert.equal(sum(await s.siteSeries(lastDays(3))), 1, 'only what was synced since');
    });

    it('fails a sync whose directory vanishes while it writes with STORE_MISSING, not a raw ENOENT', async () => {
      const dir = await dirs.make();
      let armed = false;
      // The store reads its clock once more after taking the lock, just before writing the delta:
      // the moment to pull the directory away.
      const now = () => {
        if (armed) {
          armed = false;
          rmSync(dir, { recursive: true, force: true });
        }
        return NOW;
      };
      const logger = recordingLogger();
      const s = track(await openHistoryStore(dir, { now, logger }));
      async function* pages(): AsyncGenerator<UsageRecord[]> {
        yield [pass('1', ann, 1)];
        armed = true;
      }
      await assert.rejects(within(3_000, s.recordSync({ at: NOW, records: pages(), allocations: null, listedKinds: [], tokenCosts: cost })), missing(dir));
      assert.equal(armed, false, 'the directory went away after the lock was taken');
      assert.deepEqual(logger.warnings, [], 'no talk of a lock taken over: the lock went with its directory');
    });
  });

  describe('cancellation while another writer holds the lock', () => {
    async function heldStore(): Promise<HistoryStore> {
      const dir = await dirs.make();
      const s = track(await openHistoryStore(dir, { now: () => NOW, lock: { timeoutMs: 3_000 } }));
      await writeFile(path.join(dir, LOCK_NAME), JSON.stringify({ pid: process.ppid, host: hostname(), at: Date.now(), token: 'theirs' }));
      return s;
    }
    const cancelled = (e: unknown) => e instanceof CancelledError && e.when === 'beforeSending' && /waiting for the history store lock/.test(e.message);

    it('stops a sync waiting for the lock when its signal is aborted', async () => {
      const s = await heldStore();
      const abort = new AbortController();
      setTimeout(() => abort.abort(), 50);
      await assert.rejects(within(1_500, s.recordSync({ at: NOW, records: [[pass('1', ann, 1)]], allocations: null, listedKinds: [], tokenCosts: cost, signal: abort.signal })), cancelled);
      assert.deepEqual((await readdir(s.dir)).filter((n) => n.endsWith('.seg')), [], 'nothing written');
    });

    it('stops an audit append waiting for the lock when its signal is aborted', async () => {
      const s = await heldStore();
      const abort = new AbortController();
      setTimeout(() => abort.abort(), 50);
      await assert.rejects(within(1_500, s.appendAudit(audit, { signal: abort.signal })), cancelled);
    });
  });
});
