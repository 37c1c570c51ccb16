/**
 * Every change License Steward makes is audited twice: its intent before the request, its
 * outcome after. A crash between the two leaves an intent with no outcome, which is exactly
 * what an auditor needs to see ("this was attempted; check it"). Without a written intent no
 * request is sent: an unaudited change is worse than a change not made.
 */
import { LocalError, NotAppliedError, OutcomeUnknownError } from './errors';
import type { AuditEntry, AuditResult } from './historyAudit';

/** Where audit entries go (the connection's history store). */
export interface AuditSink {
  append(entry: AuditEntry): Promise<void>;
}

/** Who asks for which change, and why: the part every audit line of the change repeats. */
export type ChangeIntent = Pick<AuditEntry, 'actor' | 'connection' | 'action' | 'user' | 'kind' | 'reason'>;

/** A change the system's state shows as made, in words for the audit and the admin. */
export interface ChangeDone<T> {
  readonly value: T;
  /** "assigned (allocation …)", "revoked; quarantined until 2026-12-01". */
  readonly outcome: string;
  /** What the request got when it was not a clean success though the change was made. */
  readonly unclearAnswer: string | null;
}

/** What to do besides throwing when an outcome entry could not be written. */
export interface AuditedChangeOptions {
  readonly now: () => number;
  /** The change happened (or not) as reported; only its outcome line is missing. Must not throw. */
  readonly onOutcomeNotWritten: (error: unknown) => void;
}

/** The result an error means for the audit. */
export function auditResultOf(error: unknown): AuditResult {
  return error instanceof OutcomeUnknownError ? 'unknown' : 'notApplied';
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function newChangeId(at: number): string {
  return `${at.toString(36)}-${Math.floor(Math.random() * 36 ** 8).toString(36).padStart(8, '0')}`;
}

/** A change whose intent is in the audit log, waiting for its outcome line. */
export interface PendingChange {
  /** Writes the outcome of a change the state shows as made. */
  applied(done: ChangeDone<unknown>): Promise<void>;
  /** Writes the outcome an error means: not applied, or unknown. */
  failed(error: unknown): Promise<void>;
}

/**
 * Writes the intent of a change and returns how to write its outcome; for changes sent together
 * (a batch), whose intents must all be written before the one request goes.
 * @throws LocalError AUDIT_UNWRITABLE when the intent could not be written (send nothing)
 */
export async function auditIntent(sink: AuditSink, intent: ChangeIntent, options: AuditedChangeOptions): Promise<PendingChange> {
  const started = options.now();
  const changeId = newChangeId(started);
  try {
    await sink.append({ ...intent, at: started, changeId, phase: 'intent', outcome: 'requested' });
  } catch (e) {
    throw new LocalError('AUDIT_UNWRITABLE', `Nothing was changed: the audit entry of the change could not be written (${messageOf(e)}). Fix the history store's directory, then try again.`);
  }
  return {
    applied: (done) =>
      appendOutcome(sink, options, {
        ...intent,
        at: options.now(),
        changeId,
        phase: 'outcome',
        result: 'applied',
        outcome: done.outcome,
        ...(done.unclearAnswer === null ? {} : { serverAnswer: done.unclearAnswer }),
      }),
    failed: (error) => {
      const result = auditResultOf(error);
      // What the request itself got; the read-back's part is in the error the admin sees.
      const answer = error instanceof OutcomeUnknownError ? error.answer : messageOf(error instanceof NotAppliedError ? error.cause : error);
      return appendOutcome(sink, options, {
        ...intent,
        at: options.now(),
        changeId,
        phase: 'outcome',
        result,
        outcome: result === 'unknown' ? 'outcome unknown' : 'not applied',
        serverAnswer: answer,
      });
    },
  };
}

/**
 * Writes the intent, runs the change, writes its outcome, and returns or rethrows what the
 * change did.
 * @throws LocalError AUDIT_UNWRITABLE when the intent could not be written (nothing was sent)
 */
export async function auditedChange<D extends ChangeDone<unknown>>(sink: AuditSink, intent: ChangeIntent, options: AuditedChangeOptions, run: () => Promise<D>): Promise<D> {
  const pending = await auditIntent(sink, intent, options);
  let done: D;
  try {
    done = await run();
  } catch (error) {
    await pending.failed(error);
    throw error;
  }
  await pending.applied(done);
  return done;
}

async function appendOutcome(sink: AuditSink, options: AuditedChangeOptions, entry: AuditEntry): Promise<void> {
  try {
    await sink.append(entry);
  } catch (e) {
    options.onOutcomeNotWritten(e);
  }
}
