import { createInterface } from 'node:readline/promises';
import { UsageError } from '../core/errors';

/** Terminal streams a confirmation needs; injectable for tests. */
export interface Terminal {
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly output: NodeJS.WritableStream;
}

/**
 * Asks y/N on a terminal. Without one (a scheduler, a pipe) it refuses rather than guess:
 * changes to licences are never made silently.
 */
export async function confirm(question: string, yes: boolean, term: Terminal): Promise<void> {
  if (yes) {
    return;
  }
  if (!term.input.isTTY) {
    throw new UsageError(`${question}\nNo terminal to ask on: re-run with --yes to confirm.`);
  }
  const rl = createInterface({ input: term.input, output: term.output });
  try {
    const answer = (await rl.question(`${question} [y/N] `)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') {
      throw new UsageError('Cancelled: nothing was changed.');
    }
  } finally {
    rl.close();
  }
}
