/**
 * Carries out a plan, one change at a time in its order. Before each change the user is read
 * again and the change's premise checked, so a plan made an hour ago (or applied twice) never
 * acts on a state that moved: it skips with the reason. Every change goes through the audit
 * (intent, then outcome) and the source's verified write; the first change that fails or whose
 * outcome is unknown stops the run, and the report says exactly what was and was not done.
 * Where the source takes batches (Qlik Cloud), a run of assignments or of removals goes in one
 * request per batch instead: every row is reported and audited on its own, and the run stops
 * after the first request with a row that failed or whose outcome is unknown.
 * A swap is one change made of two audited writes: the new pass first, the old one released only
 * once the new one is confirmed, so a failure never leaves the user without a pass. Where a pass
 * can change kind in place (Qlik Cloud), a swap is that one audited write instead.
 */
import { auditedChange, auditIntent, type AuditSink, type ChangeDone, type ChangeIntent, type PendingChange } from './auditedChange';
import { authoredMeanwhileText } from './authoringText';
import { assignedReport, changedKindReport, revokedReport } from './changeReports';
import { AuthoringUnreadableError, CancelledError, OutcomeUnknownError, SwapIncompleteError } from './errors';
import { formatDate } from './format';
import type { AuditAction } from './historyAudit';
import type { CallOptions, LicenseSource, RowChange, RowOutcome } from './licenseSource';
import { PASS_KIND_LABELS, userKey, type Allocation, type PassKind, type RevokeOutcome, type User } from './model';
import type { AppliedWrite } from './verifiedWrite';
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
 * @param options `signal` stops the run before the next change (or batch), never in the middle of one
 */
export async function applyPlan(source: LicenseSource, plan: Plan, ctx: ApplyContext, options: CallOptions = {}): Promise<ApplyReport> {
  const results: ChangeResult[] = [];
  let failure: ApplyReport['failure'] = null;
  let cancelled = false;
  const record = (result: ChangeResult): void => {
    ctx.onResult?.(results.length, result);
    results.push(result);
    if (result.status === 'failed' && !failure) {
      failure = { change: result.change, error: result.error };
    }
  };
  const changes = plan.changes;
  for (let index = 0; index < changes.length; ) {
    const step = changes.slice(index, index + stepLength(source, changes, index));
    if (failure || cancelled || options.signal?.aborted) {
      cancelled ||= options.signal?.aborted === true && !failure;
      step.forEach((change) => record({ change, status: 'notRun' }));
    } else {
      const stepResults = step.length > 1 && source.applyRows ? await applyBatch(source, source.applyRows.bind(source), step, index, ctx) : [await applyOne(source, step[0] as PlannedChange, index, ctx)];
      for (const result of stepResults) {
        cancelled ||= result.status === 'notRun' && !stepResults.some((r) => r.status === 'failed');
        record(result);
      }
      // Of the rows one request failed, the run is named by one whose outcome is unknown: that is the one to check by hand.
      const unknown = stepResults.find((r): r is Extract<ChangeResult, { status: 'failed' }> => r.status === 'failed' && r.error instanceof OutcomeUnknownError);
      if (unknown && failure && stepResults.some((r) => r.change === failure?.change)) {
        failure = { change: unknown.change, error: unknown.error };
      }
    }
    index += step.length;
  }
  return { results, failure, cancelled };
}

/**
 * How many changes from `index` go in one step: a run of assignments (or of removals) in one
 * batched request where the source takes batches, so a policy run makes as few calls as the API
 * allows and still stops after the first request that had a failed row; otherwise one.
 */
function stepLength(source: LicenseSource, changes: readonly PlannedChange[], index: number): number {
  const first = changes[index];
  if (!source.applyRows || !first || first.action === 'swap') {
    return 1;
  }
  const most = source.rowsPerRequest ?? 1;
  let n = 1;
  while (n < most && changes[index + n]?.action === first.action) {
    n++;
  }
  return n;
}

/** The audit context of one change: its user and rule, for the run's actor and connection. */
function intentOf(ctx: ApplyContext, change: PlannedChange, action: AuditAction, kind: PassKind): ChangeIntent {
  return { actor: ctx.actor, connection: ctx.connection, action, user: change.user, kind, reason: { rule: change.rule } };
}

/** One change on its own: premise, then its write (two for a swap), audited. */
async function applyOne(source: LicenseSource, change: PlannedChange, index: number, ctx: ApplyContext): Promise<ChangeResult> {
  ctx.onChange?.(index, change);
  try {
    const current = await currentState(source, change);
    if (typeof current === 'string') {
      return { change, status: 'skipped', why: current };
    }
    const audited: Audited = (action, kind, write) => auditedChange(ctx.audit, intentOf(ctx, change, action, kind), { now: ctx.now, onOutcomeNotWritten: ctx.onOutcomeNotWritten }, write);
    const message =
      change.action === 'swap' ? await swap(source, change, current.allocation, audited) : (await audited(change.action, change.kind, () => run(source, change, current.allocation))).message;
    return { change, status: 'done', message };
  } catch (error) {
    return error instanceof CancelledError ? { change, status: 'notRun' } : { change, status: 'failed', error };
  }
}

/**
 * Assignments (or removals) of one request: every premise read first, every intent audited, then
 * the one batched request, whose rows are each established and audited on their own. What a
 * single change would have stopped at (a premise that could not be read, an intent that could
 * not be written) stops the batch there too: the changes before it go, it fails, the rest wait.
 */
async function applyBatch(source: LicenseSource, applyRows: NonNullable<LicenseSource['applyRows']>, changes: readonly PlannedChange[], first: number, ctx: ApplyContext): Promise<ChangeResult[]> {
  const results: (ChangeResult | undefined)[] = new Array<ChangeResult | undefined>(changes.length);
  const ready: { readonly at: number; readonly row: RowChange }[] = [];
  for (const [at, change] of changes.entries()) {
    ctx.onChange?.(first + at, change);
    try {
      const current = await currentState(source, change);
      if (typeof current === 'string') {
        results[at] = { change, status: 'skipped', why: current };
      } else {
        ready.push({ at, row: rowOf(change, current.allocation) });
      }
    } catch (error) {
      results[at] = error instanceof CancelledError ? { change, status: 'notRun' } : { change, status: 'failed', error };
      break;
    }
  }
  const sent: { readonly at: number; readonly row: RowChange; readonly pending: PendingChange }[] = [];
  for (const { at, row } of ready) {
    const change = changes[at] as PlannedChange;
    try {
      sent.push({ at, row, pending: await auditIntent(ctx.audit, intentOf(ctx, change, change.action === 'assign' ? 'assign' : 'revoke', change.kind), { now: ctx.now, onOutcomeNotWritten: ctx.onOutcomeNotWritten }) });
    } catch (error) {
      results[at] = { change, status: 'failed', error };
      break;
    }
  }
  let outcomes: readonly RowOutcome[];
  try {
    outcomes = sent.length === 0 ? [] : await applyRows(sent.map((s) => s.row));
  } catch (error) {
    // applyRows reports rows rather than throwing; should it throw all the same, no row is known done.
    outcomes = sent.map((s) => ({ change: s.row, status: 'notApplied', error }));
  }
  for (const [i, { at, pending }] of sent.entries()) {
    const change = changes[at] as PlannedChange;
    const outcome = outcomes[i];
    if (outcome?.status === 'applied') {
      const report = doneReport(change, outcome.write);
      await pending.applied(report);
      results[at] = { change, status: 'done', message: report.message };
    } else {
      const error = outcome ? outcome.error : new TypeError(`The batch answered no outcome for ${userKey(change.user)}.`);
      await pending.failed(error);
      results[at] = { change, status: 'failed', error };
    }
  }
  // Past the stop, and in a batch that never went: not run.
  return changes.map((change, at) => results[at] ?? { change, status: 'notRun' });
}

/** A planned assignment or removal as a row of a batch. */
function rowOf(change: PlannedChange, allocation: Allocation | undefined): RowChange {
  if (change.action === 'assign') {
    return { action: 'assign', user: change.user, kind: change.kind };
  }
  if (!allocation) {
    throw new TypeError(`A planned revoke of ${userKey(change.user)} names no allocation.`);
  }
  return { action: 'revoke', allocation };
}

/** The admin's line and the audit's outcome for a row the state shows as made. */
function doneReport(change: PlannedChange, write: AppliedWrite<Allocation | RevokeOutcome>) {
  const who = userKey(change.user);
  const value = write.value;
  return 'user' in value ? assignedReport(who, change.kind, { ...write, value }) : revokedReport(who, change.kind, { ...write, value });
}

/** One write of a change, audited (intent, then outcome) with the change's user and rule. */
type Audited = <D extends ChangeDone<unknown>>(action: AuditAction, kind: PassKind, write: () => Promise<D>) => Promise<D>;

/**
 * A swap. Where the pass can change kind in place (Qlik Cloud, where a user holds one license and
 * an assignment beside it would be refused), that is the one audited write: the user is never
 * without a license and never holds two. Elsewhere the new pass is allocated (a verified write)
 * and only once it is confirmed is the old one released. A failed assignment changed nothing; a
 * failed release leaves the user holding both, and the error names the allocation to release by hand.
 * @returns the writes' reports in one line
 */
async function swap(source: LicenseSource, change: PlannedChange, old: Allocation | undefined, audited: Audited): Promise<string> {
  const who = userKey(change.user);
  if (!old) {
    throw new TypeError(`A planned swap of ${who} names no allocation.`);
  }
  if (source.changeKind) {
    const changeKind = source.changeKind.bind(source);
    return (await audited('changeKind', change.kind, async () => changedKindReport(who, old.kind, await changeKind(old, change.kind)))).message;
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
  // A pass changed in place may keep its id: holding it as the new kind is the swap done, not both held.
  const old = held.find((a) => a.id === premise.allocationId && a.kind !== premise.kind);
  const next = held.find((a) => a.kind === premise.kind && !a.userDeleted);
  if (next && !next.quarantined && (!old || old.quarantined)) {
    const until = old?.quarantineEnd ? ` (quarantined until ${formatDate(old.quarantineEnd)})` : old ? ' (quarantined)' : '';
    return source.changeKind && !old
      ? `already done: ${who} holds the ${newLabel} in place of the ${oldLabel}`
      : `already done: ${who} holds the ${newLabel} and the ${oldLabel} was released${until}`;
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
  return (await authoredMeanwhile(source, source.authoredSince.bind(source), user, who, premise.authoredNothingSince)) ?? { allocation: old };
}

/** Why a swap's holder no longer only consumes, or cannot be shown to; undefined when they still only consume. */
async function authoredMeanwhile(source: LicenseSource, authoredSince: NonNullable<LicenseSource['authoredSince']>, user: User, who: string, since: number): Promise<string | undefined> {
  try {
    if ((await authoredSince([user], since)).has(user.id)) {
      return `${who} authored meanwhile (${authoredMeanwhileText(source.authoringEvidence ?? 'ownership', since)}): no longer only consumes`;
    }
    return undefined;
  } catch (error) {
    if (error instanceof AuthoringUnreadableError) {
      return `cannot tell whether ${who} authored anything since ${formatDate(since)}: ${error.reason}`;
    }
    throw error;
  }
}
