import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readdir, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { CancelledError, LocalError } from '../../../src/core/errors';
import { HistoryLockedError, LOCK_NAME, withWriteLock } from '../../../src/store/writeLock';
import { recordingLogger, tempDirs, within } from './storeFixtures';

const storeMissing = (dir: string) => (e: unknown) =>
  e instanceof LocalError && e.code === 'STORE_MISSING' && e.message.includes(dir) && /removed or moved while License Steward was using it/.test(e.message) && /Run the sync again/.test(e.message);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Takes the directory away in one step, as an admin moving or deleting it does from the waiter's
 * point of view: `rm -r` deletes the lock file before the directory, and a waiter that sees the
 * lock gone in between rightly takes it.
 */
async function removeAtOnce(dir: string): Promise<void> {
  const moved = `${dir}.moved`;
  await rename(dir, moved);
  await rm(moved, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 });
}

describe('write lock', () => {
  const dirs = tempDirs();
  afterEach(() => dirs.cleanup());

  const lockOf = (pid: number, host = hostname()) => JSON.stringify({ pid, host, at: Date.now(), token: 'theirs' });

  it('runs writers one at a time', async () => {
    const dir = await dirs.make();
    const logger = recordingLogger();
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 5 }, () =>
        withWriteLock(dir, { logger }, async () => {
          most = Math.max(most, ++inside);
          await new Promise((r) => setTimeout(r, 5));
          inside--;
        }),
      ),
    );
    assert.equal(most, 1);
    assert.deepEqual(await readdir(dir), []);
  });

  it('breaks a lock whose process is gone, with a warning', async () => {
    const dir = await dirs.make();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    await writeFile(path.join(dir, LOCK_NAME), lockOf(dead));
    const logger = recordingLogger();
    assert.equal(await withWriteLock(dir, { logger }, async () => 'ran'), 'ran');
    assert.match(logger.warnings[0] ?? '', new RegExp(`process ${dead} that held it is gone`));
  });

  it('waits for a live holder, then gives up with a clear error', async () => {
    const dir = await dirs.make();
    await writeFile(path.join(dir, LOCK_NAME), lockOf(process.ppid));
    await assert.rejects(
      withWriteLock(dir, { logger: recordingLogger(), timeoutMs: 150 }, async () => 'ran'),
      (e: unknown) => e instanceof HistoryLockedError && /pid \d+/.test(e.message),
    );
  });

  it('breaks a lock nobody touched for longer than staleMs, even from another host', async () => {
    const dir = await dirs.make();
    const file = path.join(dir, LOCK_NAME);
    await writeFile(file, lockOf(12345, 'elsewhere'));
    const old = new Date(Date.now() - 10_000);
    await utimes(file, old, old);
    const logger = recordingLogger();
    assert.equal(await withWriteLock(dir, { logger, staleMs: 5_000 }, async () => 'ran'), 'ran');
    assert.match(logger.warnings[0] ?? '', /untouched for 10 s/);
  });

  describe('when the store directory goes away', () => {
    it('rejects at once with STORE_MISSING for a directory that does not exist', async () => {
      const dir = path.join(await dirs.make(), 'gone');
      let ran = false;
      await assert.rejects(
        within(2_000, withWriteLock(dir, { logger: recordingLogger(), timeoutMs: 60_000 }, async () => (ran = true))),
        storeMissing(dir),
      );
      assert.equal(ran, false);
    });

    it('stops waiting for a live holder once the directory is removed', async () => {
      const dir = await dirs.make();
      await writeFile(path.join(dir, LOCK_NAME), lockOf(process.ppid));
      const logger = recordingLogger();
      const waiting = withWriteLock(dir, { logger, timeoutMs: 60_000 }, async () => 'ran');
      await sleep(100);
      await removeAtOnce(dir);
      await assert.rejects(within(2_000, waiting), storeMissing(dir));
      assert.deepEqual(logger.warnings, []);
    });

    it('stops waiting with STORE_MISSING when the directory is replaced by a file', async () => {
      const dir = await dirs.make();
      await writeFile(path.join(dir, LOCK_NAME), lockOf(process.ppid));
      const waiting = withWriteLock(dir, { logger: recordingLogger(), timeoutMs: 60_000 }, async () => 'ran');
      await sleep(50);
      await removeAtOnce(dir);
      await writeFile(dir, 'not a store');
      await assert.rejects(within(2_000, waiting), storeMissing(dir));
    });
  });

  describe('cancellation', () => {
    it('stops waiting for a live holder when its signal is aborted', async () => {
      const dir = await dirs.make();
      await writeFile(path.join(dir, LOCK_NAME), lockOf(process.ppid));
      const abort = new AbortController();
      const started = Date.now();
      setTimeout(() => abort.abort(), 50);
      await assert.rejects(
        within(1_500, withWriteLock(dir, { logger: recordingLogger(), timeoutMs: 10_000, signal: abort.signal }, async () => 'ran')),
        (e: unknown) => e instanceof CancelledError && e.when === 'beforeSending' && /waiting for the history store lock/.test(e.message),
      );
      assert.ok(Date.now() - started < 1_000, `took ${Date.now() - started} ms`);
    });

    it('does not take the lock at all once the signal is aborted', async () => {
      const dir = await dirs.make();
      let ran = false;
      await assert.rejects(
        withWriteLock(dir, { logger: recordingLogger(), signal: AbortSignal.abort() }, async () => (ran = true)),
        CancelledError,
      );
      assert.equal(ran, false);
      assert.deepEqual(await readdir(dir), []);
    });
  });
});
