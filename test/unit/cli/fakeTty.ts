import { PassThrough } from 'node:stream';
import type { Terminal } from '../../../src/cli/confirm';

/** A keyboard on a TTY: what the test types arrives as raw input, as from a real terminal. */
export interface FakeTty extends Terminal {
  readonly input: PassThrough & { isTTY: true; setRawMode(mode: boolean): PassThrough };
  readonly output: PassThrough & { isTTY: true; columns: number };
  /** Every raw-mode switch, in order. */
  readonly rawModes: boolean[];
  /** Everything written to the terminal so far. */
  shown(): string;
}

/** A terminal whose input and output are in-memory streams that say they are TTYs. */
export function fakeTty(): FakeTty {
  const rawModes: boolean[] = [];
  const input = Object.assign(new PassThrough(), {
    isTTY: true as const,
    setRawMode(mode: boolean) {
      rawModes.push(mode);
      return input;
    },
  });
  const output = Object.assign(new PassThrough(), { isTTY: true as const, columns: 80 });
  let text = '';
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { input, output, rawModes, shown: () => text };
}

/** Resolves once `tty` has shown `prompt`. */
export async function promptShown(tty: FakeTty, prompt: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!tty.shown().includes(prompt)) {
    if (Date.now() > deadline) {
      throw new Error(`the prompt "${prompt}" never showed; the terminal shows ${JSON.stringify(tty.shown())}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** `promise`, or a failure naming `what` when it is still pending after `ms`: a hang fails fast. */
export function settlesWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} still waits after ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
