import { createInterface } from 'node:readline/promises';
import { CancelledError, UsageError } from '../core/errors';

/** Terminal streams a confirmation needs; injectable for tests. */
export interface Terminal {
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly output: NodeJS.WritableStream;
}

/**
 * Asks y/N on a terminal. Without one (a scheduler, a pipe) it refuses rather than guess:
 * changes to licences are never made silently. Ctrl+C at the prompt, or `signal` aborting
 * (SIGINT, SIGTERM), rejects with a CancelledError before anything is sent.
 */
export async function confirm(question: string, yes: boolean, term: Terminal, signal?: AbortSignal): Promise<void> {
  if (yes) {
    return;
  }
  if (!term.input.isTTY) {
    throw new UsageError(`${question}\nNo terminal to ask on: re-run with --yes to confirm.`);
  }
  const cancelled = (): CancelledError => new CancelledError('the confirmation; nothing was changed', 'beforeSending');
  if (signal?.aborted) {
    throw cancelled();
  }
  const rl = createInterface({ input: term.input, output: term.output });
  // A terminal readline reads in raw mode, so Ctrl+C arrives as a key, not as SIGINT. Without a
  // listener readline would only pause the input, and the question would wait forever.
  const interrupted = new AbortController();
  rl.on('SIGINT', () => interrupted.abort());
  const stop = signal ? AbortSignal.any([signal, interrupted.signal]) : interrupted.signal;
  try {
    const answer = (await rl.question(`${question} [y/N] `, { signal: stop })).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') {
      throw new UsageError('Cancelled: nothing was changed.');
    }
  } catch (e) {
    if (stop.aborted) {
      // The question is left unanswered on its line; what follows starts on the next.
      term.output.write('\n');
      throw cancelled();
    }
    throw e;
  } finally {
    rl.close();
  }
}
