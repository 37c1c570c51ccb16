import * as vscode from 'vscode';
import type { ApplyReport } from '../core/applyPlan';
import { resultDetail, summarizeApply } from '../core/applyReportText';
import { CancelledError } from '../core/errors';
import { describeChange, planHeadline } from '../core/planText';
import { approvalFor, typedNameProblem } from '../core/planSelection';
import { COMMAND, SETTING } from '../contributionIds';
import { UserCancelled, type Command, type CommandServices } from './command';
import { failureOf } from './connectionFailure';
import { requireTrust } from './passCommands';
import { connectionFrom, requireWritable } from './pickers';

const SETTING_ID = `${SETTING.section}.${SETTING.policies}`;

/**
 * Why there is no policy for the connection `name` (for any of several when undefined), and which
 * keys of the setting name no connection: a renamed connection leaves its policy behind.
 */
export function noPolicyMessage(name: string | undefined, keys: readonly string[], connectionNames: readonly string[]): string {
  const known = new Set(connectionNames.map((n) => n.toLowerCase()));
  const orphans = keys.filter((k) => !known.has(k.toLowerCase()));
  const hint = orphans.length === 0 ? '' : ` ${SETTING_ID} names ${orphans.map((k) => `"${k}"`).join(', ')}, which no connection is called (renamed?).`;
  return `No policy for ${name === undefined ? 'any connection' : `"${name}"`}: add one to the ${SETTING_ID} setting under the connection's name (README, "Policies").${hint}`;
}

/**
 * Plans a connection's license changes by its policy in settings (from the connection's node, or
 * the palette with a picker) and shows the plan in the Plan view. Reads only: nothing changes
 * until Apply Plan.
 */
export class PlanChangesCommand implements Command {
  readonly id = COMMAND.planChanges;
  constructor(private readonly s: CommandServices) {}

  async execute(arg?: unknown): Promise<void> {
    if (this.s.plans.phase() === 'applying') {
      throw new Error('A plan is being applied; plan again when it has finished.');
    }
    const keys = this.s.settings.policyNames();
    const names = () => this.s.model.connections().map((x) => x.entry.config.name);
    const hasPolicy = (name: string) => keys.some((k) => k.toLowerCase() === name.toLowerCase());
    // The palette lists only connections with a policy; a node is taken as it is.
    const c = await connectionFrom(arg, this.s, 'Plan License Changes', {
      fits: (x) => hasPolicy(x.entry.config.name),
      none: (these) => noPolicyMessage(these.length === 1 ? these[0]?.entry.config.name : undefined, keys, names()),
    });
    const entry = c.entry;
    // Policies assign and revoke: nothing to plan where licenses are managed elsewhere.
    requireWritable(entry);
    const name = entry.config.name;
    const policy = await this.s.settings.policyFor(name);
    if (!policy) {
      throw new Error(noPolicyMessage(name, keys, names()));
    }
    const plan = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Planning license changes for "${name}"`, cancellable: true }, async (_progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        return await this.s.plans.make(entry, policy, this.s.settings.rules(), abort.signal);
      } catch (e) {
        if (e instanceof CancelledError || abort.signal.aborted) {
          this.s.logger.info(`[plan] ${name}: planning cancelled`);
          throw new UserCancelled();
        }
        throw failureOf(entry, e);
      } finally {
        sub.dispose();
      }
    });
    this.s.logger.info(`[plan] ${name}: ${planHeadline(plan)}${plan.notes.map((n) => `; note: ${n}`).join('')}`);
    await this.s.planView.reveal();
  }
}

/**
 * Applies the checked changes of the plan shown, after a confirmation that grows with the run:
 * a modal naming the count and the connection, or the connection's name typed out for more than
 * half the policy's cap. Cancel stops before the next change. Afterwards each change shows its
 * outcome, the connection is synced again, and a message sums the run up (a failure is an error).
 */
export class ApplyPlanCommand implements Command {
  readonly id = COMMAND.applyPlan;
  constructor(private readonly s: CommandServices) {}

  async execute(): Promise<ApplyReport | undefined> {
    requireTrust();
    const plans = this.s.plans;
    const session = plans.current();
    if (!session || plans.phase() !== 'ready') {
      throw new Error(plans.phase() === 'applied' ? 'This plan has run: plan again to see what is left to do.' : 'No plan to apply: run "License Steward: Plan License Changes" first.');
    }
    const name = session.entry.config.name;
    const checked = plans.checkedIndexes().map((i) => session.plan.changes[i]).filter((c) => c !== undefined);
    if (checked.length === 0) {
      throw new Error('No change is checked in the plan: check the ones to apply.');
    }
    const approval = approvalFor(checked, name, session.policy.maxChangesPerRun);
    if (approval.kind === 'click') {
      if (!(await this.s.prompter.confirm(approval.message, approval.detail, approval.action))) {
        return undefined;
      }
    } else {
      await this.s.prompter.input({ title: approval.title, prompt: approval.prompt, placeHolder: approval.name, validateInput: (v) => typedNameProblem(v, approval.name) });
    }
    const n = checked.length;
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Applying ${n} license ${n === 1 ? 'change' : 'changes'} to "${name}"`, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => {
          abort.abort();
          progress.report({ message: 'stopping after the change under way…' });
        });
        try {
          return await plans.apply({
            signal: abort.signal,
            onChange: (position, total, change) => progress.report({ message: `${position} of ${total}: ${describeChange(change)}`, increment: position === 1 ? 0 : 100 / total }),
            onOutcomeNotWritten: (e) => {
              // The change is as reported; only its audit line is missing: loud, but not a failure.
              this.s.logger.error(`[audit] ${name}: the outcome of a change could not be written to the audit log: ${(e as Error).message}`);
              void vscode.window.showWarningMessage(`The outcome of a change on ${name} could not be written to the audit log; see the log.`);
            },
          });
        } finally {
          sub.dispose();
        }
      },
    );
    report.results.forEach((r, i) => {
      const detail = resultDetail(r);
      const line = `[plan] ${name}: ${i + 1}/${n} ${r.status}: ${describeChange(r.change)} (${r.change.rule})${detail ? `: ${detail}` : ''}`;
      if (r.status === 'failed') {
        this.s.logger.error(line);
      } else {
        this.s.logger.info(line);
      }
    });
    // Also after a failure: an unclear answer may still have changed something.
    await this.s.model.sync([session.entry.id]);
    const summary = summarizeApply(report, name);
    if (summary.severity === 'error') {
      throw new Error(summary.message);
    }
    void (summary.severity === 'warning' ? vscode.window.showWarningMessage(summary.message) : vscode.window.showInformationMessage(summary.message));
    return report;
  }
}

/** Closes the Plan view's plan (the view hides until the next plan). */
export class ClosePlanCommand implements Command {
  readonly id = COMMAND.closePlan;
  constructor(private readonly s: CommandServices) {}

  async execute(): Promise<void> {
    await this.s.plans.clear();
  }
}
