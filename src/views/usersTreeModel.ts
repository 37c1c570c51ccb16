import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import type { EstateFacts } from '../core/model';
import { syncSource, type SyncResult } from '../core/sync';
import { describeDropped } from '../core/droppedSummary';
import { CancelledError, failureKindOf, type FailureKind } from '../core/errors';
import { midSyncFailure, type SyncStep } from '../core/syncNotices';
import { restoreSyncResult, snapshotWindowDays } from '../core/syncSnapshot';
import type { ConnectionHistory } from './connectionHistory';
import { CONTEXT } from '../contributionIds';
import type { ConnectionEntry, ConnectionRegistry } from './connectionRegistry';
import { capacityTenantRules, connectionRules } from './connectionRules';
import { Disposable } from './disposable';
import type { FeatureChoice, FeatureChoices } from './featureChoices';
import type { Settings } from './settings';

/** What the tree knows about one connection. */
export interface ConnectionState {
  readonly entry: ConnectionEntry;
  /** What happened in this window: `idle` until a sync of this window ran (a restored result may be shown). */
  readonly status: 'idle' | 'syncing' | 'synced' | 'failed';
  /**
   * The last good sync; kept through a later failure or cancel so the admin still sees data.
   * `result.at` is when it was synced, also for a restored one: its age is `now - result.at`.
   */
  readonly result?: SyncResult;
  /**
   * True while `result` is the one kept on disk by an earlier window (shown at activation, before
   * any request, re-ranked with the current rules) and no sync of this window has replaced it.
   */
  readonly restored?: boolean;
  readonly error?: string;
  /** The kind of failure, for the welcome view's advice. */
  readonly errorKind?: SyncErrorKind;
  /** License Statistics: idle borrowed licenses and features near expiry, read with the last sync. */
  readonly estate?: EstateFacts;
  /** Qlik Cloud: which kind of tenant this is and why, as the last sync found. */
  readonly tenant?: string;
  /** License Statistics: the one feature `result` ranks; all features when absent. */
  readonly feature?: FeatureChoice;
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

/** How one connection's part of a sync ended; `skipped` when it was cancelled before its turn. */
export interface SyncOutcome {
  readonly id: string;
  readonly outcome: 'synced' | 'cancelled' | 'failed' | 'skipped';
}

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
  /** Syncs under way by connection: a second request for one waits for it instead of racing it. */
  private readonly running = new Map<string, Promise<SyncOutcome['outcome']>>();

  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly settings: Settings,
    private readonly logger: Logger,
    private readonly history: ConnectionHistory,
    /** License Statistics connections' chosen features; none chosen when absent. */
    private readonly features?: FeatureChoices,
  ) {
    super();
    this._register(registry.onDidChange(() => this.reconcile()));
    this.reconcile();
  }

  /** Connection states in the order of the settings. */
  connections(): readonly ConnectionState[] {
    return this.registry.list().map((e) => this.states.get(e.id) ?? { entry: e, status: 'idle' });
  }

  state(id: string): ConnectionState | undefined {
    return this.connections().find((s) => s.entry.id === id);
  }

  /**
   * Shows each connection's last sync kept on disk, ranked again with the current rules, before
   * any request: a reloaded window shows what the last one knew. A connection that a sync (or an
   * edit) reached first keeps what it has.
   */
  async restore(): Promise<void> {
    const rules = this.settings.rules();
    await Promise.all(
      this.registry.list().map(async (entry) => {
        try {
          const snapshot = await this.history.lastSync(entry);
          const current = this.state(entry.id);
          if (!snapshot || !current || current.result || JSON.stringify(current.entry.config) !== JSON.stringify(entry.config)) {
            return;
          }
          const result = restoreSyncResult(snapshot, connectionRules(entry.config, rules));
          const days = snapshotWindowDays(snapshot);
          const window = days === rules.windowDays ? '' : `, over the ${days} days it counted (the ${rules.windowDays}-day window applies from the next sync)`;
          this.logger.info(`[restore] ${entry.config.name}: showing the ranking synced ${new Date(snapshot.at).toISOString()}, ${result.ranked.length} users${window}.`);
          // The kept ranking was synced with the choice in force then, which a later choice re-synced away.
          const feature = entry.config.kind === 'licstats' ? this.features?.get(entry.id) : undefined;
          this.put({ ...current, result, restored: true, ...(feature ? { feature } : {}) });
        } catch (e) {
          this.logger.warn(`[restore] ${entry.config.name}: the last sync could not be shown: ${(e as Error).message}`);
        }
      }),
    );
    await this.updateContext();
  }

  /**
   * Syncs the given connections (all when none given) one after another. Cancelling aborts the
   * HTTP requests in flight; what was shown before stays. Says how each connection's sync ended.
   */
  async sync(ids: readonly string[] | undefined, token?: vscode.CancellationToken, report?: SyncReport): Promise<SyncOutcome[]> {
    const targets = this.connections().filter((s) => !ids || ids.includes(s.entry.id));
    const outcomes: SyncOutcome[] = [];
    await vscode.commands.executeCommand('setContext', CONTEXT.syncing, true);
    try {
      for (const s of targets) {
        const id = s.entry.id;
        if (token?.isCancellationRequested) {
          outcomes.push({ id, outcome: 'skipped' });
          continue;
        }
        let run = this.running.get(id);
        if (!run) {
          run = this.syncOne(s, token, report).finally(() => this.running.delete(id));
          this.running.set(id, run);
        }
        outcomes.push({ id, outcome: await run });
      }
    } finally {
      // A background sync may still run for other connections.
      await vscode.commands.executeCommand('setContext', CONTEXT.syncing, this.running.size > 0);
      await this.updateContext();
    }
    return outcomes;
  }

  private async syncOne(target: ConnectionState, token: vscode.CancellationToken | undefined, report?: SyncReport): Promise<SyncOutcome['outcome']> {
    const s = this.state(target.entry.id) ?? target;
    const name = s.entry.config.name;
    const abort = new AbortController();
    const sub = token?.onCancellationRequested(() => abort.abort());
    this.put({ ...s, status: 'syncing' });
    const started = Date.now();
    // How far the sync got, so a server that goes away halfway can be described as such.
    const where = { step: 'overview' as SyncStep['step'], records: 0 };
    try {
      const source = await this.registry.open(s.entry);
      try {
        let rules = connectionRules(s.entry.config, this.settings.rules());
        let tenant: string | undefined;
        if (source.system === 'cloud') {
          const kind = await source.subscription({ signal: abort.signal });
          tenant = kind.sentence;
          if (kind.kind === 'capacity') {
            rules = capacityTenantRules(rules);
          }
        }
        const store = await this.history.store(s.entry);
        const feature = source.system === 'licstats' ? this.features?.get(s.entry.id) : undefined;
        const result = await syncSource(source, {
          ...(feature ? { scope: { feature: feature.id } } : {}),
          history: {
            recordSync: async (input) => {
              const r = await store.recordSync(input);
              this.logger.info(`[history] ${name}: ${r.added} new records, ${r.duplicates} already kept, ${r.events} allocation changes`);
            },
          },
          rules,
          now: Date.now(),
          // The connection's tooltip forecasts each login access group from its daily burn.
          tally: { poolBurn: true },
          signal: abort.signal,
          progress: (step, d) => {
            where.step = step;
            where.records = d.records ?? where.records;
            report?.(step === 'usage' ? `${name}: ${d.records ?? 0} usage records read` : `${name}: reading ${step}`);
          },
        });
        this.logger.info(`[sync] ${name}: ${result.tally.recordCount} usage records, ${result.allocations.length} allocations, ${result.ranked.length} users ranked in ${Date.now() - started} ms`);
        const dropped = describeDropped(result.dropped);
        if (dropped) {
          this.logger.warn(`[sync] ${name}: ${dropped}`);
        }
        if (result.tally.repeatCount > 0) {
          this.logger.info(`[sync] ${name}: the server sent ${result.tally.repeatCount} usage records more than once; each counted once.`);
        }
        // Borrowed and expiring licenses belong to no user: the connection node shows them.
        const estate = source.system === 'licstats' ? await source.estateFacts({ signal: abort.signal }) : undefined;
        this.put({ entry: s.entry, status: 'synced', result, ...(estate ? { estate } : {}), ...(tenant ? { tenant } : {}), ...(feature ? { feature } : {}) });
        await this.keep(s.entry, result);
        this.synced.fire(s.entry.id);
        return 'synced';
      } finally {
        await source.close();
      }
    } catch (e) {
      const current = this.state(s.entry.id) ?? s;
      if (e instanceof CancelledError || abort.signal.aborted) {
        this.logger.info(`[sync] ${name}: cancelled${current.result ? `; still showing the ranking synced ${new Date(current.result.at).toISOString()}` : ''}`);
        // Back to what the last finished sync left (its failure included): this one did not happen.
        this.put({ ...current, status: s.status === 'syncing' ? (current.result ? 'synced' : 'idle') : s.status });
        return 'cancelled';
      }
      const message = midSyncFailure(e, where, current.result?.at, Date.now()) ?? (e as Error).message;
      this.logger.error(`[sync] ${name}: ${message}`);
      this.put({ ...current, status: 'failed', error: message, errorKind: errorKindOf(e) });
      return 'failed';
    } finally {
      sub?.dispose();
    }
  }

  /** Writes a sync's result for the next window; a failure costs only the restore, so it is logged. */
  private async keep(entry: ConnectionEntry, result: SyncResult): Promise<void> {
    try {
      await this.history.saveLastSync(entry, result);
    } catch (e) {
      this.logger.warn(`[restore] ${entry.config.name}: the ranking could not be kept for the next window: ${(e as Error).message}`);
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
        this.states.set(id, JSON.stringify(entry.config) === JSON.stringify(s.entry.config) ? { ...s, entry } : { entry, status: 'idle' });
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
