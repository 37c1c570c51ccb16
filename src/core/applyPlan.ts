/**
 * Carries out a plan, one change at a time in its order. Before each change the user is read
 * again and the change's premise checked, so a plan made an hour ago (or applied twice) never
 * acts on a state that moved: it skips with the reason. Every change goes through the audit
 * (intent, then outcome) and the source's verified write; the first change that fails or whose
 * outcome is unknown stops the run, and the report says exactly what was and was not done.
 */
import { auditedChange, type AuditSink } from './auditedChange';
import { assignedReport, revokedReport } from './changeReports';
import { CancelledError } from './errors';
import type { AuditReason } from './historyAudit';
import type { CallOptions, LicenseSource } from './licenseSource';
import { PASS_KIND_LABELS, userKey, type Allocation } from './model';
import type { Plan, PlannedChange } from './plan';

/** What happened to one planned change. */
export type ChangeResult =
  | { readonly change: PlannedChange; readonly status: 'done'; readonly message: string }
  | { readonly change: PlannedChange; readonly status: 'skipped'; readonly why: string }
  | { readonly change: PlannedChange; readonly status: 'failed'; readonly error: unknown }
  /** After a failure or a cancel: not attempted. */
  | { readonly change: PlannedChange; readonly status: 'notRun' };

/** The whole run. */
export interface ApplyReport {
  readonly results: readonly ChangeResult[];
  /** The change that stopped the run, if one did. */
  readonly failure: { readonly change: PlannedChange; readonly error: unknown } | null;
  readonly cancelled: boolean;
}

/** Who runs the plan, for the audit. */
export interface ApplyContext {
  readonly actor: string;
  readonly connection: string;
  readonly audit: AuditSink;
  readonly now: () => number;
  /** Told once per change, before it starts (progress bars). */
  readonly onChange?: (index: number, change: PlannedChange) => void;
  /** Told once per change as soon as its result is known, so a view can update row by row. */
  readonly onResult?: (index: number, result: ChangeResult) => void;
  /** A change's outcome could not be written to the audit log (it happened as reported). */
  readonly onOutcomeNotWritten: (error: unknown) => void;
}

/**
 * @param options `signal` stops the run before the next change, never in the middle of one
 */
export async function applyPlan(source: LicenseSource, plan: Plan, ctx: ApplyContext, options: CallOptions = {}): Promise<ApplyReport> {
  const results: ChangeResult[] = [];
  let failure: ApplyReport['failure'] = null;
  let cancelled = false;
  const record = (result: ChangeResult): void => {
    ctx.onResult?.(results.length, result);
    results.push(result);
  };
  for (const [index, change] of plan.changes.entries()) {
    if (failure || cancelled || options.signal?.aborted) {
      cancelled ||= options.signal?.aborted === true && !failure;
      record({ change, status: 'notRun' });
      continue;
    }
    ctx.onChange?.(index, change);
    try {
      const current = await currentState(source, change);
      if (typeof current === 'string') {
        record({ change, status: 'skipped', why: current });
        continue;
      }
      const reason: AuditReason = { rule: change.rule };
      const intent = { actor: ctx.actor, connection: ctx.connection, action: change.action, user: change.user, kind: change.kind, reason };
      const done = await auditedChange(ctx.audit, intent, { now: ctx.now, onOutcomeNotWritten: ctx.onOutcomeNotWritten }, () => run(source, change, current.allocation));
      record({ change, status: 'done', message: done.message });
    } catch (error) {
      if (error instanceof CancelledError) {
        cancelled = true;
        record({ change, status: 'notRun' });
        continue;
      }
      failure = { change, error };
      record({ change, status: 'failed', error });
    }
  }
  return { results, failure, cancelled };
}

async function run(source: LicenseSource, change: PlannedChange, allocation: Allocation | undefined) {
  const who = userKey(change.user);
  if (change.action === 'assign') {
    return assignedReport(who, change.kind, await source.assign(change.user, change.kind));
  }
  if (!allocation) {
    throw new TypeError(`A planned revoke of ${who} names no allocation.`);
  }
  return revokedReport(who, change.kind, await source.revoke(allocation));
}

/**
 * The change's premise against the server's state now: why it no longer applies, or the
 * allocation as read now (for a revoke) when it still does.
 */
async function currentState(source: LicenseSource, change: PlannedChange): Promise<string | { readonly allocation?: Allocation }> {
  const user = await source.findUser(change.user.directory, change.user.userId);
  if (!user) {
    return `${userKey(change.user)} no longer exists on the server`;
  }
  const held: readonly Allocation[] = await source.allocationsOf(user);
  const premise = change.premise;
  if (premise.type === 'holdsNone') {
    const same = held.find((a) => a.kind === premise.kind && !a.userDeleted);
    return same ? `already holds a ${PASS_KIND_LABELS[premise.kind]}${same.quarantined ? ' (quarantined)' : ''}` : {};
  }
  const allocation = held.find((a) => a.id === premise.allocationId);
  if (!allocation) {
    return `the ${PASS_KIND_LABELS[change.kind]} was removed meanwhile`;
  }
  if (allocation.quarantined) {
    return `the ${PASS_KIND_LABELS[change.kind]} is quarantined meanwhile`;
  }
  if (allocation.lastUsed !== null && allocation.lastUsed > premise.unusedSince) {
    return `the ${PASS_KIND_LABELS[change.kind]} was used meanwhile`;
  }
  return { allocation };
}
