/**
 * One writer at a time per store directory, across processes: two VS Code windows share
 * globalStorage, and the CLI may run from a scheduler meanwhile. Readers never take the lock
 * (segments are immutable once renamed into place).
 *
 * The lock is a file created exclusively holding the holder's pid, host and a token. It is stale
 * when its holder process is gone (same host), or when nobody has touched it for `staleMs` (the
 * holder refreshes its mtime while it works, so a long compaction is not mistaken for a crash).
 * Breaking a stale lock re-reads it first and only removes the content it judged; two processes
 * breaking the same stale lock in the same millisecond could still both proceed, a window we
 * accept for a store written a few times an hour.
 */
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CancelledError, LocalError } from '../core/errors';
import type { Logger } from '../core/logger';
import { tempNameFor } from './atomicFile';

/** The lock file's name inside a store directory. */
export const LOCK_NAME = 'write.lock';

/** Thrown when another live writer holds the lock for longer than the caller waits. */
export class HistoryLockedError extends LocalError {
  override readonly name = 'HistoryLockedError';

  constructor(readonly holder: string) {
    super('STORE_LOCKED', `The history store is being written by another process (${holder}); try again when it is done.`);
  }
}

/** How patient a writer is, and when a lock counts as abandoned. */
export interface WriteLockOptions {
  readonly logger: Logger;
  /** A lock untouched this long is stale even if its pid looks alive (pids get reused). */
  readonly staleMs?: number;
  /** How long to wait for a live holder before giving up. */
  readonly timeoutMs?: number;
  /** Stops the wait for the lock (not the work done once it is held). */
  readonly signal?: AbortSignal;
}

/**
 * The store directory vanished (or became a file) under a running store: someone deleted or
 * moved it. Nothing to wait for, and a sync starting afresh creates it again.
 */
export function storeMissingError(dir: string): LocalError {
  return new LocalError(
    'STORE_MISSING',
    `The history store directory ${dir} was removed or moved while License Steward was using it. Run the sync again: it recreates the directory.`,
  );
}

/** Whether `dir` no longer exists as a directory, which turns an ENOENT inside it from a race into a missing store. */
export async function isDirGone(dir: string): Promise<boolean> {
  try {
    return !(await stat(dir)).isDirectory();
  } catch (e) {
    const code = errnoOf(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return true;
    }
    throw e;
  }
}

/** The errno code of a Node file-system error, if it is one. */
export function errnoOf(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code;
}

interface LockContent {
  readonly pid: number;
  readonly host: string;
  readonly at: number;
  readonly token: string;
}

/** An unparseable lock younger than this is a writer between create and write, not debris. */
const UNREADABLE_GRACE_MS = 5_000;

/** Runs `fn` holding the store's write lock. */
export async function withWriteLock<T>(dir: string, options: WriteLockOptions, fn: () => Promise<T>): Promise<T> {
  const file = path.join(dir, LOCK_NAME);
  const staleMs = options.staleMs ?? 120_000;
  const token = await acquire(file, staleMs, options.timeoutMs ?? 30_000, options.logger, options.signal);
  const beat = setInterval(() => {
    const now = new Date();
    utimes(file, now, now).catch(() => undefined);
  }, Math.max(1_000, staleMs / 4));
  beat.unref();
  try {
    return await fn();
  } finally {
    clearInterval(beat);
    await release(file, token, options.logger);
  }
}

/**
 * Every pass ends at the deadline check and a pause, whatever it found: a lock that vanishes or
 * is broken as stale on every pass must not turn the wait into a busy loop.
 */
async function acquire(file: string, staleMs: number, timeoutMs: number, logger: Logger, signal: AbortSignal | undefined): Promise<string> {
  const token = randomBytes(8).toString('hex');
  const content = JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now(), token } satisfies LockContent);
  const deadline = Date.now() + timeoutMs;
  let delay = 10;
  let lastHolder = '';
  for (;;) {
    if (signal?.aborted) {
      throw waitCancelled();
    }
    if (await tryCreate(file, content)) {
      return token;
    }
    const held = await inspect(file);
    if (held) {
      lastHolder = held.text;
      const stale = staleReason(held.text, held.ageMs, staleMs);
      if (stale) {
        const again = await readFile(file, 'utf8').catch(() => null);
        if (again === held.text) {
          await rm(file, { force: true });
          logger.warn(`Removed a stale history lock: ${stale}.`);
          lastHolder = ''; // whoever holds it at the deadline is not the holder just judged gone
        }
      }
    }
    if (Date.now() >= deadline) {
      throw new HistoryLockedError(describe(lastHolder));
    }
    await pause(delay + Math.random() * delay, signal);
    delay = Math.min(delay * 2, 200);
  }
}

function waitCancelled(): CancelledError {
  return new CancelledError('waiting for the history store lock', 'beforeSending');
}

async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
  } catch (e) {
    throw signal?.aborted ? waitCancelled() : e;
  }
}

/**
 * Creates the lock with its content in one step: a hard link of a complete temp file fails if
 * the lock exists, so no other process ever sees an empty lock (as it could between an O_EXCL
 * create and the write, and a kill there would leave a lock nobody could judge for seconds).
 * File systems without hard links fall back to O_EXCL.
 */
async function tryCreate(file: string, content: string): Promise<boolean> {
  const tmp = tempNameFor(file);
  try {
    await writeFile(tmp, content, { flag: 'wx' });
    await link(tmp, file);
    return true;
  } catch (e) {
    const code = errnoOf(e);
    if (code === 'EEXIST') {
      return false; // held
    }
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      if (await isDirGone(path.dirname(file))) {
        throw storeMissingError(path.dirname(file));
      }
      return false; // a compaction swept our temp file: try again
    }
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') {
      throw e;
    }
  } finally {
    // A temp file left behind is debris compaction sweeps; failing here would hide why creating failed.
    await rm(tmp, { force: true }).catch(() => undefined);
  }
  try {
    const fh = await open(file, 'wx');
    try {
      await fh.writeFile(content);
    } finally {
      await fh.close();
    }
    return true;
  } catch (e) {
    const code = errnoOf(e);
    if (code === 'EEXIST') {
      return false;
    }
    throw code === 'ENOENT' || code === 'ENOTDIR' ? storeMissingError(path.dirname(file)) : e;
  }
}

async function inspect(file: string): Promise<{ text: string; ageMs: number } | null> {
  try {
    const [text, st] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    return { text, ageMs: Date.now() - st.mtimeMs };
  } catch (e) {
    const code = errnoOf(e);
    if (code === 'ENOENT') {
      return null; // released meanwhile, or the directory is gone: the next pass tells which
    }
    throw code === 'ENOTDIR' ? storeMissingError(path.dirname(file)) : e;
  }
}

function parse(text: string): LockContent | null {
  try {
    const v = JSON.parse(text) as Partial<LockContent>;
    return typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.token === 'string' ? (v as LockContent) : null;
  } catch {
    return null;
  }
}

/** Why a lock may be broken, or null when its holder may still be working. */
function staleReason(text: string, ageMs: number, staleMs: number): string | null {
  const held = parse(text);
  if (!held) {
    return ageMs > UNREADABLE_GRACE_MS ? 'its content is unreadable' : null;
  }
  if (held.host === hostname() && !isAlive(held.pid)) {
    return `process ${held.pid} that held it is gone`;
  }
  if (ageMs > staleMs) {
    return `untouched for ${Math.round(ageMs / 1000)} s`;
  }
  return null;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) {
    return true;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function describe(text: string): string {
  const held = parse(text);
  return held ? `pid ${held.pid} on ${held.host}` : 'unknown holder';
}

async function release(file: string, token: string, logger: Logger): Promise<void> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text !== null && parse(text)?.token === token) {
    await rm(file, { force: true });
  } else if (text === null && (await isDirGone(path.dirname(file)).catch(() => false))) {
    // The lock went with its directory; the work's own error says so, a takeover warning would mislead.
  } else {
    logger.warn('The history lock was taken over while this process held it; another writer judged it stale.');
  }
}
