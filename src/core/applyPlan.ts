/**
 * Carries out a plan, one change at a time in its order. Before each change the user is read
 * again and the change's premise checked, so a plan made an hour ago (or applied twice) never
 * acts on a state that moved: it skips with the reason. Every change goes through the audit
 * (intent, then outcome) and the source's verified write; the first change that fails or whose
 * outcome is unknown stops the run, and the report says exactly what was and was not done.
 * A swap is one change made of two audited writes: the new pass first, the old one released only
 * once the new one is confirmed, so a failure never leaves the user without a pass.
 */
import { auditedChange, type AuditSink, type ChangeDone } from './auditedChange';
import { assignedReport, revokedReport } from './changeReports';
import { CancelledError, SwapIncompleteError } from './errors';
import { formatDate } from './format';
import type { AuditAction, AuditReason } from './historyAudit';
import type { CallOptions, LicenseSource } from './licenseSource';
import { PASS_KIND_LABELS, userKey, type Allocation, type PassKind, type User } from './model';
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
      const audited: Audited = (action, kind, write) =>
        auditedChange(ctx.audit, { actor: ctx.actor, connection: ctx.connection, action, user: change.user, kind, reason }, { now: ctx.now, onOutcomeNotWritten: ctx.onOutcomeNotWritten }, write);
      const message =
        change.action === 'swap' ? await swap(source, change, current.allocation, audited) : (await audited(change.action, change.kind, () => run(source, change, current.allocation))).message;
      record({ change, status: 'done', message });
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

/** One write of a change, audited (intent, then outcome) with the change's user and rule. */
type Audited = <D extends ChangeDone<unknown>>(action: AuditAction, kind: PassKind, write: () => Promise<D>) => Promise<D>;

/**
 * A swap: the new pass is allocated (a verified write) and only once it is confirmed is the old
 * one released. A failed assignment changed nothing; a failed release leaves the user holding
 * both, and the error names the allocation to release by hand.
 * @returns both writes' reports in one line
 */
async function swap(source: LicenseSource, change: PlannedChange, old: Allocation | undefined, audited: Audited): Promise<string> {
  const who = userKey(change.user);
  if (!old) {
    throw new TypeError(`A planned swap of ${who} names no allocation.`);
  }
  const assigned = await audited('assign', change.kind, async () => assignedReport(who, change.kind, await source.assign(change.user, change.kind)));
  try {
    const released = await audited('revoke', old.kind, async () => revokedReport(who, old.kind, await source.revoke(old)));
    return `${assigned.message} ${released.message}`;
  } catch (error) {
    throw new SwapIncompleteError(
      who,
      { label: PASS_KIND_LABELS[change.kind], allocationId: assigned.value.id },
      { label: PASS_KIND_LABELS[old.kind], allocationId: old.id },
      error,
      manualRevoke(source, old),
    );
  }
}

/** Where to release an allocation by hand, as the source says, or in general terms. */
function manualRevoke(source: LicenseSource, allocation: Allocation): string {
  return source.manualRevokeHint?.(allocation) ?? `in the license system's administration console, deallocate the ${PASS_KIND_LABELS[allocation.kind]} of ${userKey(allocation.user)}`;
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
  if (premise.type === 'onlyConsumes') {
    return swapState(source, change, user, held, premise);
  }
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

/** A swap's premise against the state now: done already, moved, or still there (with the old allocation as read now). */
async function swapState(
  source: LicenseSource,
  change: PlannedChange,
  user: User,
  held: readonly Allocation[],
  premise: Extract<PlannedChange['premise'], { type: 'onlyConsumes' }>,
): Promise<string | { readonly allocation: Allocation }> {
  const who = userKey(change.user);
  const oldLabel = PASS_KIND_LABELS[change.fromKind ?? change.allocation?.kind ?? change.kind];
  const newLabel = PASS_KIND_LABELS[premise.kind];
  const old = held.find((a) => a.id === premise.allocationId);
  const next = held.find((a) => a.kind === premise.kind && !a.userDeleted);
  if (next && !next.quarantined && (!old || old.quarantined)) {
    const until = old?.quarantineEnd ? ` (quarantined until ${formatDate(old.quarantineEnd)})` : old ? ' (quarantined)' : '';
    return `already done: ${who} holds the ${newLabel} and the ${oldLabel} was released${until}`;
  }
  if (next?.quarantined) {
    return `${who} holds a quarantined ${newLabel}: reinstate it, then release the ${oldLabel}`;
  }
  if (next && old) {
    return `${who} already holds the ${newLabel} as well as the ${oldLabel}, which an earlier swap did not release: release it by hand: ${manualRevoke(source, old)}`;
  }
  if (!old) {
    return `the ${oldLabel} was removed meanwhile`;
  }
  if (old.quarantined) {
    return `the ${oldLabel} is quarantined meanwhile`;
  }
  if (!source.authoredSince) {
    return `cannot tell whether ${who} authored anything since ${formatDate(premise.authoredNothingSince)}: this connection does not say who owns apps and sheets`;
  }
  if ((await source.authoredSince([user], premise.authoredNothingSince)).has(user.id)) {
    return `${who} authored meanwhile (owns an app or app object created or modified since ${formatDate(premise.authoredNothingSince)}): no longer only consumes`;
  }
  return { allocation: old };
}
