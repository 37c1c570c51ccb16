import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import { syncSource, type SyncResult } from '../core/sync';
import { describeDropped } from '../core/droppedSummary';
import { CancelledError, failureKindOf, type FailureKind } from '../core/errors';
import type { ConnectionHistory } from './connectionHistory';
import { CONTEXT } from '../contributionIds';
import type { ConnectionEntry, ConnectionRegistry } from './connectionRegistry';
import { Disposable } from './disposable';
import type { Settings } from './settings';

/** What the tree knows about one connection. */
export interface ConnectionState {
  readonly entry: ConnectionEntry;
  readonly status: 'idle' | 'syncing' | 'synced' | 'failed';
  /** The last good sync; kept through a later failure so the admin still sees data. */
  readonly result?: SyncResult;
  readonly error?: string;
  /** The kind of failure, for the welcome view's advice. */
  readonly errorKind?: SyncErrorKind;
  /** Users shown before "Show more". */
  readonly shown: number;
}

/** What kind of failure a sync met; each has its own advice in the welcome view. */
export type SyncErrorKind = 'network' | 'tls' | 'auth' | 'config' | 'server';

const WELCOME_OF_KIND: Readonly<Record<FailureKind, SyncErrorKind>> = {
  usage: 'config',
  config: 'config',
  local: 'config',
  network: 'network',
  tls: 'tls',
  auth: 'auth',
  rights: 'auth',
  server: 'server',
  protocol: 'server',
  outcomeUnknown: 'server',
  cancelled: 'server',
};

function errorKindOf(e: unknown): SyncErrorKind {
  return WELCOME_OF_KIND[failureKindOf(e)];
}

/** Progress of a sync, for the notification. */
export type SyncReport = (message: string) => void;

/**
 * Fetches, ranks and caches per connection, and fires change events; the provider only maps
 * what is here to TreeItems. Ranking happens once per sync, never per render.
 */
export class UsersTreeModel extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<string | undefined>());
  /** Fires with the connection id that changed, or undefined for the whole list. */
  readonly onDidChange = this.changed.event;
  private readonly synced = this._register(new vscode.EventEmitter<string>());
  /** Fires with the connection id after a sync succeeded (and was recorded in history). */
  readonly onDidSync = this.synced.event;
  private readonly states = new Map<string, ConnectionState>();

  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly settings: Settings,
    private readonly logger: Logger,
    private readonly history: ConnectionHistory,
  ) {
    super();
    this._register(registry.onDidChange(() => this.reconcile()));
    this.reconcile();
  }

  /** Connection states in the order of the settings. */
  connections(): readonly ConnectionState[] {
    return this.registry.list().map((e) => this.states.get(e.id) ?? { entry: e, status: 'idle', shown: this.settings.pageSize() });
  }

  state(id: string): ConnectionState | undefined {
    return this.connections().find((s) => s.entry.id === id);
  }

  /** Shows another page of users under a connection. */
  showMore(id: string): void {
    const s = this.state(id);
    if (s) {
      this.put({ ...s, shown: s.shown + this.settings.pageSize() });
    }
  }

  /**
   * Syncs the given connections (all when none given) one after another. Cancelling aborts the
   * HTTP requests in flight; what was synced before stays.
   */
  async sync(ids: readonly string[] | undefined, token?: vscode.CancellationToken, report?: SyncReport): Promise<void> {
    const targets = this.connections().filter((s) => !ids || ids.includes(s.entry.id));
    await vscode.commands.executeCommand('setContext', CONTEXT.syncing, true);
    try {
      for (const s of targets) {
        if (token?.isCancellationRequested) {
          break;
        }
        await this.syncOne(s, token, report);
      }
    } finally {
      await vscode.commands.executeCommand('setContext', CONTEXT.syncing, false);
      await this.updateContext();
    }
  }

  private async syncOne(s: ConnectionState, token: vscode.CancellationToken | undefined, report?: SyncReport): Promise<void> {
    const name = s.entry.config.name;
    const abort = new AbortController();
    const sub = token?.onCancellationRequested(() => abort.abort());
    this.put({ ...s, status: 'syncing' });
    const started = Date.now();
    try {
      const source = await this.registry.open(s.entry);
      try {
        const store = await this.history.store(s.entry);
        const result = await syncSource(source, {
          history: {
            recordSync: async (input) => {
              const r = await store.recordSync(input);
              this.logger.info(`[history] ${name}: ${r.added} new records, ${r.duplicates} already kept, ${r.events} allocation changes`);
            },
          },
          rules: this.settings.rules(),
          now: Date.now(),
          signal: abort.signal,
          progress: (step, d) => report?.(step === 'usage' ? `${name}: ${d.records ?? 0} usage records read` : `${name}: reading ${step}`),
        });
        this.logger.info(`[sync] ${name}: ${result.tally.recordCount} usage records, ${result.allocations.length} allocations, ${result.ranked.length} users ranked in ${Date.now() - started} ms`);
        const dropped = describeDropped(result.dropped);
        if (dropped) {
          this.logger.warn(`[sync] ${name}: ${dropped}`);
        }
        if (result.tally.repeatCount > 0) {
          this.logger.info(`[sync] ${name}: the server sent ${result.tally.repeatCount} usage records more than once; each counted once.`);
        }
        this.put({ entry: s.entry, status: 'synced', result, shown: this.settings.pageSize() });
        this.synced.fire(s.entry.id);
      } finally {
        await source.close();
      }
    } catch (e) {
      const current = this.state(s.entry.id) ?? s;
      if (e instanceof CancelledError || abort.signal.aborted) {
        this.logger.info(`[sync] ${name}: cancelled`);
        this.put({ ...current, status: current.result ? 'synced' : 'idle' });
        return;
      }
      const message = (e as Error).message;
      this.logger.error(`[sync] ${name}: ${message}`);
      this.put({ ...current, status: 'failed', error: message, errorKind: errorKindOf(e) });
    } finally {
      sub?.dispose();
    }
  }

  private put(s: ConnectionState): void {
    this.states.set(s.entry.id, s);
    this.changed.fire(s.entry.id);
  }

  private reconcile(): void {
    const live = new Map(this.registry.list().map((e) => [e.id, e]));
    for (const [id, s] of this.states) {
      const entry = live.get(id);
      if (!entry) {
        this.states.delete(id);
      } else if (entry !== s.entry) {
        // Edited connection: its old data may belong to another site.
        this.states.set(id, JSON.stringify(entry.config) === JSON.stringify(s.entry.config) ? { ...s, entry } : { entry, status: 'idle', shown: s.shown });
      }
    }
    this.changed.fire(undefined);
    void this.updateContext();
  }

  private async updateContext(): Promise<void> {
    const all = this.connections();
    await vscode.commands.executeCommand('setContext', CONTEXT.connectionCount, all.length);
    await vscode.commands.executeCommand('setContext', CONTEXT.syncError, this.allFailed() ? (all[0]?.errorKind ?? 'server') : '');
  }

  /** Every connection failed and none has data: the tree is empty and the welcome view explains. */
  allFailed(): boolean {
    const all = this.connections();
    return all.length > 0 && all.every((s) => s.status === 'failed' && !s.result);
  }
}
