import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import type { HistoryStore } from '../store/historyStore';
import { HistoryStores } from '../store/historyStores';
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
    globalStorageDir: string,
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

  dispose(): void {
    void this.real.closeAll();
    const demo = this.demo;
    this.demo = undefined;
    if (demo) {
      void demo.stores.closeAll().finally(() => rmSync(demo.dir, { recursive: true, force: true }));
    }
  }
}
