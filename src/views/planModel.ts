import * as vscode from 'vscode';
import { describeActor } from '../core/actor';
import { applyPlan, type ApplyReport, type ChangeResult } from '../core/applyPlan';
import type { AuditEntry } from '../core/historyAudit';
import type { Logger } from '../core/logger';
import type { Plan, PlannedChange } from '../core/plan';
import type { Policy } from '../core/policy';
import { planSource } from '../core/planSource';
import { selectChanges } from '../core/planSelection';
import type { VerdictRules } from '../core/verdict';
import { CONTEXT } from '../contributionIds';
import { localUser } from '../store/localUser';
import type { ConnectionHistory } from './connectionHistory';
import type { ConnectionEntry, ConnectionRegistry } from './connectionRegistry';
import { Disposable } from './disposable';

/** A plan made for one connection, and what it was made from. */
export interface PlanSession {
  /** The connection as it was when planned: applying to an edited one is refused. */
  readonly entry: ConnectionEntry;
  readonly policy: Policy;
  readonly plan: Plan;
}

/** Where the shown plan is: checkable, running, or run (outcomes shown). */
export type PlanPhase = 'ready' | 'applying' | 'applied';

/** What a change shows while and after the plan runs. */
export type ChangeState = ChangeResult | { readonly status: 'running' };

/** Hooks of one run. */
export interface ApplyOptions {
  /** Stops the run before the next change, never in the middle of one. */
  readonly signal?: AbortSignal;
  /** Told before each change starts: its position in the run (1-based) and the run's length. */
  readonly onChange?: (position: number, total: number, change: PlannedChange) => void;
  /** A change's outcome could not be written to the audit log (the change happened as reported). */
  readonly onOutcomeNotWritten: (error: unknown) => void;
}

/**
 * The one plan the Plan view shows: makes it (sync + plan through core/planSource), keeps which
 * changes the admin checked, runs the checked ones (core/applyPlan: premise re-checked, verified,
 * audited in the connection's history store) and keeps each one's outcome. The provider only maps
 * this to TreeItems.
 */
export class PlanModel extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** Fires whenever the plan, a checkbox or an outcome changes. */
  readonly onDidChange = this.changed.event;
  private session: PlanSession | undefined;
  private phaseNow: PlanPhase | undefined;
  /** Indexes into `plan.changes` the admin unchecked (all start checked). */
  private readonly unchecked = new Set<number>();
  private readonly states = new Map<number, ChangeState>();

  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly stores: ConnectionHistory,
    private readonly logger: Logger,
  ) {
    super();
    // A plan of a connection that was removed or edited acts on nothing that still exists as planned.
    this._register(
      registry.onDidChange(() => {
        const s = this.session;
        if (s && this.phaseNow !== 'applying' && !sameConnection(registry.get(s.entry.id), s.entry)) {
          this.logger.info(`[plan] ${s.entry.config.name}: the connection was edited or removed; its plan is closed.`);
          void this.clear();
        }
      }),
    );
  }

  /** The plan shown, if any. */
  current(): PlanSession | undefined {
    return this.session;
  }

  phase(): PlanPhase | undefined {
    return this.phaseNow;
  }

  isChecked(index: number): boolean {
    return !this.unchecked.has(index);
  }

  /** Indexes into `plan.changes` of the checked changes, in run order. */
  checkedIndexes(): number[] {
    return (this.session?.plan.changes ?? []).map((_, i) => i).filter((i) => this.isChecked(i));
  }

  /** Checks or unchecks changes; only a plan not yet run can change. */
  setChecked(indexes: readonly number[], checked: boolean): void {
    if (this.phaseNow !== 'ready') {
      return;
    }
    for (const i of indexes) {
      if (checked) {
        this.unchecked.delete(i);
      } else {
        this.unchecked.add(i);
      }
    }
    this.changed.fire();
  }

  /** How a change of the last run went, or is going. */
  stateOf(index: number): ChangeState | undefined {
    return this.states.get(index);
  }

  /**
   * Syncs the connection and plans by the policy (the sync keeps usage by day for the rules'
   * windows), then shows the plan with every change checked.
   * @throws CancelledError when `signal` aborts; the connection's failure otherwise
   */
  async make(entry: ConnectionEntry, policy: Policy, rules: VerdictRules, signal?: AbortSignal): Promise<Plan> {
    if (this.phaseNow === 'applying') {
      throw new Error('A plan is being applied; plan again when it has finished.');
    }
    const source = await this.registry.open(entry);
    let plan: Plan;
    try {
      ({ plan } = await planSource(source, policy, { connection: entry.config.name, rules, now: Date.now(), ...(signal ? { signal } : {}) }));
    } finally {
      await source.close();
    }
    this.session = { entry, policy, plan };
    this.unchecked.clear();
    this.states.clear();
    await this.setPhase('ready');
    return plan;
  }

  /**
   * Runs the checked changes in the plan's order. Refuses a connection edited since planning;
   * after the run the plan shows each change's outcome and cannot run again (plan again).
   */
  async apply(options: ApplyOptions): Promise<ApplyReport> {
    const s = this.session;
    if (!s || this.phaseNow !== 'ready') {
      throw new Error(this.phaseNow === 'applying' ? 'The plan is being applied already.' : 'No plan to apply: run "License Steward: Plan License Changes" first.');
    }
    const entry = this.registry.get(s.entry.id);
    if (!entry || !sameConnection(entry, s.entry)) {
      throw new Error(`"${s.entry.config.name}" was edited or removed since the plan was made: plan again.`);
    }
    const indexes = this.checkedIndexes();
    const subset = selectChanges(s.plan, (i) => this.isChecked(i));
    await this.setPhase('applying');
    let report: ApplyReport;
    try {
      const source = await this.registry.open(entry);
      try {
        report = await applyPlan(
          source,
          subset,
          {
            actor: describeActor(localUser(), 'VS Code', entry.config),
            // As the commands that change one pass: the audit names the connection by its id.
            connection: entry.id,
            audit: { append: async (e: AuditEntry) => (await this.stores.store(entry)).appendAudit(e) },
            now: Date.now,
            onChange: (position, change) => {
              const index = indexes[position];
              if (index !== undefined) {
                // Every change gets its result (onResult), so "running" needs no clearing here; the
                // rows of one batched request (Qlik Cloud) all show running until it answers.
                this.states.set(index, { status: 'running' });
                this.changed.fire();
              }
              options.onChange?.(position + 1, subset.changes.length, change);
            },
            onResult: (position, result) => {
              const index = indexes[position];
              if (index !== undefined) {
                this.states.set(index, result);
                this.changed.fire();
              }
            },
            onOutcomeNotWritten: options.onOutcomeNotWritten,
          },
          options.signal ? { signal: options.signal } : {},
        );
      } finally {
        await source.close();
      }
    } catch (e) {
      // Nothing ran (the source could not be opened): the plan can still be applied.
      this.states.clear();
      await this.setPhase('ready');
      throw e;
    }
    report.results.forEach((r, position) => {
      const index = indexes[position];
      if (index !== undefined) {
        this.states.set(index, r);
      }
    });
    await this.setPhase('applied');
    return report;
  }

  /** Closes the plan and hides the view. */
  async clear(): Promise<void> {
    if (this.phaseNow === 'applying') {
      throw new Error('The plan is being applied; cancel it first.');
    }
    this.session = undefined;
    this.unchecked.clear();
    this.states.clear();
    await this.setPhase(undefined);
  }

  private async setPhase(phase: PlanPhase | undefined): Promise<void> {
    this.phaseNow = phase;
    this.changed.fire();
    await vscode.commands.executeCommand('setContext', CONTEXT.planState, phase ?? '');
  }
}

function sameConnection(a: ConnectionEntry | undefined, b: ConnectionEntry): boolean {
  return a !== undefined && JSON.stringify(a.config) === JSON.stringify(b.config);
}
