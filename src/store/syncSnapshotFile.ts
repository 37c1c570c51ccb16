/**
 * The last sync of a connection, kept in its history store's directory so a new window can show
 * the ranking before any request. It is a cache: losing it costs one sync, so every failure to
 * read it is an answer ("ignored, because…"), never an exception.
 */
import { mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { SyncSnapshot } from '../core/syncSnapshot';
import { writeFileAtomic } from './atomicFile';
import { decodeSyncSnapshot, encodeSyncSnapshot, SnapshotFormatError, type SnapshotMeta } from './syncSnapshotCodec';
import { historyStoreDir } from './storeDirs';

/** The file's name inside a connection's store directory (compaction leaves it alone). */
export const SYNC_SNAPSHOT_FILE = 'last-sync.json';

/** Where a connection's last sync is kept under a data directory. */
export function syncSnapshotPath(dataDir: string, connectionId: string): string {
  return path.join(historyStoreDir(dataDir, connectionId), SYNC_SNAPSHOT_FILE);
}

/** What reading found: a snapshot, no file, or a file that cannot be used and why. */
export type SnapshotRead =
  | { readonly kind: 'found'; readonly snapshot: SyncSnapshot; readonly meta: SnapshotMeta }
  | { readonly kind: 'none' }
  | { readonly kind: 'ignored'; readonly reason: string };

/** Reads and validates the file; never throws. */
export async function readSyncSnapshot(file: string): Promise<SnapshotRead> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { kind: 'none' } : { kind: 'ignored', reason: `${file} cannot be read (${code ?? (e as Error).message})` };
  }
  try {
    return { kind: 'found', ...decodeSyncSnapshot(text) };
  } catch (e) {
    const why = e instanceof SnapshotFormatError ? e.message : String(e);
    return { kind: 'ignored', reason: `${file} is ${why.startsWith('not ') || why.startsWith('written ') ? why : `unreadable: ${why}`}` };
  }
}

/** Replaces the file atomically: a crash leaves the previous snapshot or the new one, never half. */
export async function writeSyncSnapshot(file: string, snapshot: SyncSnapshot, meta: SnapshotMeta): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, encodeSyncSnapshot(snapshot, meta));
}
