import { strict as assert } from 'node:assert';
import { confirm } from '../../../src/cli/confirm';
import { CancelledError } from '../../../src/core/errors';
import { fakeTty, promptShown, settlesWithin } from './fakeTty';

const QUESTION = 'Revoke the user access pass of Jane Doe (CORP\\jdoe)?';

function isCancelledBeforeSending(e: unknown): boolean {
  assert.ok(e instanceof CancelledError, String(e));
  assert.equal(e.when, 'beforeSending');
  assert.equal(e.message, 'Cancelled: the confirmation; nothing was changed.');
  return true;
}

describe('confirm', () => {
  it('Ctrl+C at the prompt is a CancelledError (readline would otherwise just pause)', async () => {
    const tty = fakeTty();
    const asking = confirm(QUESTION, false, tty);
    await promptShown(tty, `${QUESTION} [y/N] `);
    tty.input.write('\u0003');
    await assert.rejects(settlesWithin(asking, 2_000, 'the question'), isCancelledBeforeSending);
  });

  it('a signal while the prompt waits is a CancelledError', async () => {
    const tty = fakeTty();
    const signals = new AbortController();
    const asking = confirm(QUESTION, false, tty, signals.signal);
    await promptShown(tty, `${QUESTION} [y/N] `);
    signals.abort('SIGTERM');
    await assert.rejects(settlesWithin(asking, 2_000, 'the question'), isCancelledBeforeSending);
  });
});
