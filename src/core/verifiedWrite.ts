/**
 * The one rule every write to a license system follows: it is sent once and never repeated
 * blindly; whenever its answer is not a clean success (an error status, a reset, a timeout, a
 * cancel mid-flight), the system's state is read back and decides. Pure orchestration: the
 * source supplies the request, the read and the clock.
 */
import { NotAppliedError, OutcomeUnknownError, ServerError, neverReachedServer } from './errors';

/** Marks a clean answer that does not prove the change by itself: the state must be read back. */
export const READ_BACK = Symbol('read back');

/** One write, as the source describes it. */
export interface WriteAttempt<T> {
  /** The change in words, to complete "could not …": `assign a user access pass to CORP\jdoe`. */
  readonly what: string;
  /** What the admin should check, and where, when the outcome cannot be established. */
  readonly check: string;
  /**
   * Sends the request once. Resolves with the change's result when the clean answer proves it
   * (a created allocation), or `READ_BACK` when the state must be read even after a clean
   * answer (a server may answer 200 to a change it did not make).
   */
  send(): Promise<T | typeof READ_BACK>;
  /**
   * Reads the state the write should have produced: the result when the change is there,
   * undefined when it is not. Must not use a signal the user may have aborted: a cancelled
   * write still deserves its outcome.
   */
  readBack(): Promise<T | undefined>;
  /** The error when a clean answer was not borne out by the state read back. */
  notBorneOut(answer: string): Error;
  /** Waits out a server's `Retry-After`; rejects when the wait is cancelled. */
  sleep(ms: number): Promise<void>;
  now(): number;
  /** Longest `Retry-After` waited out before the one repeat a "not processed" answer allows. */
  readonly maxRetryAfterMs?: number;
}

/** A write that the system's state shows as made. */
export interface AppliedWrite<T> {
  readonly value: T;
  /** What the request got when it was not a clean success (the change was made all the same), else null. */
  readonly unclearAnswer: string | null;
  /** The "not processed, retry after" answer that made the write go once more, else absent. */
  readonly repeatedAfter?: string;
}

const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The `Retry-After` wait of a "not processed" answer (429, 503), when the server gave one
 * that is short enough to wait out now.
 */
function notProcessedWait(failure: unknown, now: number, maxMs: number): number | undefined {
  if (!(failure instanceof ServerError) || (failure.status !== 429 && failure.status !== 503) || failure.retryAt === undefined) {
    return undefined;
  }
  const wait = Math.max(0, failure.retryAt - now);
  return wait <= maxMs ? wait : undefined;
}

/**
 * Sends a write and establishes what became of it.
 * @returns the result when the state shows the change
 * @throws NotAppliedError when the state shows it was not made (or the request never left),
 *   after one repeat for a "not processed, retry after" answer; OutcomeUnknownError when the
 *   state could not be read; the error of `notBorneOut` when a clean answer was not borne out
 */
export async function verifiedWrite<T>(w: WriteAttempt<T>): Promise<AppliedWrite<T>> {
  const maxWait = w.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  let repeatedAfter: { readonly repeatedAfter: string } | Record<string, never> = {};
  for (let attempt = 0; ; attempt++) {
    let sent: T | typeof READ_BACK;
    try {
      sent = await w.send();
    } catch (failure) {
      if (neverReachedServer(failure)) {
        throw new NotAppliedError(w.what, failure, 'notSent');
      }
      const after = await readBackOrUnknown(w, messageOf(failure));
      if (after !== undefined) {
        return { value: after, unclearAnswer: messageOf(failure), ...repeatedAfter };
      }
      const wait = attempt === 0 ? notProcessedWait(failure, w.now(), maxWait) : undefined;
      if (wait === undefined) {
        throw new NotAppliedError(w.what, failure, 'readBack');
      }
      // The server said it did not process the write, and the state agrees: once more, later.
      repeatedAfter = { repeatedAfter: messageOf(failure) };
      await w.sleep(wait);
      continue;
    }
    if (sent !== READ_BACK) {
      return { value: sent, unclearAnswer: null, ...repeatedAfter };
    }
    const after = await readBackOrUnknown(w, 'a clean answer');
    if (after === undefined) {
      throw w.notBorneOut('a clean answer');
    }
    return { value: after, unclearAnswer: null, ...repeatedAfter };
  }
}

async function readBackOrUnknown<T>(w: WriteAttempt<T>, answer: string): Promise<T | undefined> {
  try {
    return await w.readBack();
  } catch (readFailure) {
    throw new OutcomeUnknownError(w.what, answer, messageOf(readFailure), w.check);
  }
}
