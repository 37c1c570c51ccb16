import type { Logger } from '../core/logger';
import { openHistoryStore, type HistoryStore } from './historyStore';
import { historyStoreDir } from './storeDirs';

/** The CLI keys a connection's history by its name (VS Code uses a stable id instead). */
export function cliHistoryKey(connectionName: string): string {
  return `cli:${connectionName.toLowerCase()}`;
}

/**
 * One open history store per connection, opened on first use and closed together. Opening
 * reads segment headers, so it happens once per connection, not per query.
 */
export class HistoryStores {
  private readonly open = new Map<string, Promise<HistoryStore>>();

  constructor(
    private readonly dataDir: string,
    private readonly options: { retentionDays?: number; logger?: Logger; now?: () => number } = {},
  ) {}

  /** The store of a connection (by its stable id). */
  get(connectionId: string): Promise<HistoryStore> {
    let s = this.open.get(connectionId);
    if (!s) {
      s = openHistoryStore(historyStoreDir(this.dataDir, connectionId), this.options);
      // A failed open must not stay cached: the next sync tries again.
      s.catch(() => this.open.delete(connectionId));
      this.open.set(connectionId, s);
    }
    return s;
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.allSettled(all.map(async (s) => (await s).close()));
  }
}
