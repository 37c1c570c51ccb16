import { CancelledError } from '../core/errors';
import type { Terminal } from './confirm';

/** Ctrl+C as a raw-mode terminal delivers it: a character, not a signal. */
const CTRL_C = '\u0003';

function cancelled(): CancelledError {
  return new CancelledError('reading the secret', 'beforeSending');
}

/**
 * Reads one secret line. On a terminal the typed characters are not echoed; from a pipe the
 * whole input is read, so `printf %s "$TOKEN" | license-steward login ...` works in scripts.
 * Ctrl+C at the prompt, or `signal` aborting (SIGINT, SIGTERM), rejects with a CancelledError:
 * nothing half-typed is returned and stored.
 */
export async function readSecret(prompt: string, term: Terminal, signal?: AbortSignal): Promise<string> {
  if (signal?.aborted) {
    throw cancelled();
  }
  const input = term.input as NodeJS.ReadStream;
  if (!input.isTTY) {
    return (await readToEnd(input, signal)).trim();
  }
  term.output.write(prompt);
  input.setRawMode(true);
  input.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = '';
      const done = (): void => {
        input.off('data', onData);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        done();
        reject(cancelled());
      };
      const onData = (buf: Buffer): void => {
        for (const ch of buf.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            done();
            resolve(value);
            return;
          }
          // Raw mode turns Ctrl+C into this character; no SIGINT is raised, so it is ours to honour.
          if (ch === CTRL_C) {
            onAbort();
            return;
          }
          value = ch === '\u007f' ? value.slice(0, -1) : value + ch;
        }
      };
      input.on('data', onData);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  } finally {
    input.setRawMode(false);
    input.pause();
    term.output.write('\n');
  }
}

/** Everything a pipe carries, as UTF-8; an abort stops waiting for a writer that never closes it. */
function readToEnd(input: NodeJS.ReadableStream, signal: AbortSignal | undefined): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const done = (): void => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
    };
    const onData = (c: Buffer | string): void => {
      chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
    };
    const onEnd = (): void => {
      done();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (e: Error): void => {
      done();
      reject(e);
    };
    const onAbort = (): void => {
      done();
      input.pause();
      reject(cancelled());
    };
    input.on('data', onData);
    input.once('end', onEnd);
    input.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
