import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { ConnectionConfig } from '../core/connectionConfig';
import type { Logger } from '../core/logger';
import type { SyncResult } from '../core/sync';
import { snapshotOf, type SyncSnapshot } from '../core/syncSnapshot';
import type { HistoryStore } from '../store/historyStore';
import { HistoryStores } from '../store/historyStores';
import { historyStoreDir } from '../store/storeDirs';
import { readSyncSnapshot, syncSnapshotPath, writeSyncSnapshot } from '../store/syncSnapshotFile';
import type { ConnectionEntry } from './connectionRegistry';

/**
 * The history store of each connection: under globalStorage for real sites (it must outlive the
 * servers' retention windows), in a temporary folder for the demo site, whose simulated data is
 * regenerated every session and would only pollute a real history.
 */
export class ConnectionHistory implements vscode.Disposable {
  private readonly real: HistoryStores;
  private demo: { stores: HistoryStores; dir: string } | undefined;

  constructor(
    private readonly globalStorageDir: string,
    private readonly logger: Logger,
    retentionDays: number,
  ) {
    this.real = new HistoryStores(globalStorageDir, { logger, retentionDays });
  }

  /** The store for a connection, opened on first use. */
  store(entry: ConnectionEntry): Promise<HistoryStore> {
    if (!entry.demo) {
      return this.real.get(entry.id);
    }
    if (!this.demo) {
      const dir = mkdtempSync(path.join(tmpdir(), 'license-steward-demo-'));
      this.demo = { stores: new HistoryStores(dir, { logger: this.logger }), dir };
    }
    return this.demo.stores.get(entry.id);
  }

  /**
   * The last sync kept for a connection, or undefined: none yet, the demo site (its data dies
   * with its window), or a file that cannot be used (logged; the next sync replaces it).
   */
  async lastSync(entry: ConnectionEntry): Promise<SyncSnapshot | undefined> {
    if (entry.demo) {
      return undefined;
    }
    const read = await readSyncSnapshot(syncSnapshotPath(this.globalStorageDir, entry.id));
    switch (read.kind) {
      case 'none':
        return undefined;
      case 'ignored':
        this.logger.warn(`[restore] ${entry.config.name}: the last sync is not restored: ${read.reason}. The next sync writes it again.`);
        return undefined;
      case 'found':
        if (read.meta.site !== siteFingerprint(entry.config)) {
          this.logger.info(`[restore] ${entry.config.name}: the last sync kept is of another site (the connection's URL changed since); not restored.`);
          return undefined;
        }
        return read.snapshot;
    }
  }

  /** Keeps a sync's result for the next window (not the demo's: see {@link lastSync}). */
  async saveLastSync(entry: ConnectionEntry, result: SyncResult): Promise<void> {
    if (entry.demo) {
      return;
    }
    await writeSyncSnapshot(syncSnapshotPath(this.globalStorageDir, entry.id), snapshotOf(result), { site: siteFingerprint(entry.config), connection: entry.config.name });
  }

  /** Where a connection's usage history is kept, or null when nothing was ever recorded for it. */
  keptHistoryDir(connectionId: string): string | null {
    const dir = historyStoreDir(this.globalStorageDir, connectionId);
    return existsSync(dir) ? dir : null;
  }

  dispose(): void {
    void this.real.closeAll();
    const demo = this.demo;
    this.demo = undefined;
    if (demo) {
      void demo.stores.closeAll().finally(() => rmSync(demo.dir, { recursive: true, force: true }));
    }
  }
}

/**
 * Which site a connection reaches: its system and URL, hashed (the file need not repeat the
 * settings). A kept sync of another site must not be shown under an edited connection.
 */
function siteFingerprint(c: ConnectionConfig): string {
  return createHash('sha256').update(`${c.kind}\n${c.url.replace(/\/+$/, '')}`).digest('hex').slice(0, 16);
}
