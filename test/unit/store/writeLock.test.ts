import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readdir, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { HistoryLockedError, LOCK_NAME, withWriteLock } from '../../../src/store/writeLock';
import { recordingLogger, tempDirs } from './storeFixtures';

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
});
