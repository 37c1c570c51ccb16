import { strict as assert } from 'node:assert';
import { PassThrough } from 'node:stream';
import { readSecret } from '../../../src/cli/readSecret';
import { CancelledError } from '../../../src/core/errors';
import { fakeTty, promptShown, settlesWithin } from './fakeTty';

const PROMPT = 'Secret (input hidden): ';

function isCancelledBeforeSending(e: unknown): boolean {
  assert.ok(e instanceof CancelledError, String(e));
  assert.equal(e.when, 'beforeSending');
  assert.equal(e.message, 'Cancelled: reading the secret.');
  return true;
}

describe('readSecret', () => {
  it('Ctrl+C on a raw-mode terminal is a CancelledError, and the terminal leaves raw mode', async () => {
    const tty = fakeTty();
    const reading = readSecret(PROMPT, tty);
    await promptShown(tty, PROMPT);
    tty.input.write('half-typ\u0003ed\r');
    await assert.rejects(settlesWithin(reading, 2_000, 'the read'), isCancelledBeforeSending);
    assert.deepEqual(tty.rawModes, [true, false]);
  });

  it('a signal while typing on a terminal rejects the read; nothing typed is returned', async () => {
    const tty = fakeTty();
    const signals = new AbortController();
    const reading = readSecret(PROMPT, tty, signals.signal);
    await promptShown(tty, PROMPT);
    tty.input.write('half-typ');
    signals.abort('SIGTERM');
    await assert.rejects(settlesWithin(reading, 2_000, 'the read'), isCancelledBeforeSending);
    assert.deepEqual(tty.rawModes, [true, false]);
  });

  it('a signal while a pipe stays open rejects the read', async () => {
    const pipe = new PassThrough();
    const signals = new AbortController();
    const reading = readSecret(PROMPT, { input: pipe, output: new PassThrough() }, signals.signal);
    pipe.write('eyJhbGciOi');
    await new Promise((resolve) => setTimeout(resolve, 20));
    signals.abort('SIGINT');
    await assert.rejects(settlesWithin(reading, 2_000, 'the read'), isCancelledBeforeSending);
  });
});
