import type { Terminal } from './confirm';

/**
 * Reads one secret line. On a terminal the typed characters are not echoed; from a pipe the
 * whole input is read, so `printf %s "$TOKEN" | license-steward login ...` works in scripts.
 */
export async function readSecret(prompt: string, term: Terminal): Promise<string> {
  const input = term.input as NodeJS.ReadStream;
  if (!input.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of input) {
      chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
    }
    return Buffer.concat(chunks).toString('utf8').trim();
  }
  term.output.write(prompt);
  input.setRawMode(true);
  input.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = '';
      const onData = (buf: Buffer) => {
        for (const ch of buf.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            input.off('data', onData);
            resolve(value);
            return;
          }
          if (ch === '\u0003') {
            input.off('data', onData);
            reject(new Error('Cancelled.'));
            return;
          }
          value = ch === '\u007f' ? value.slice(0, -1) : value + ch;
        }
      };
      input.on('data', onData);
    });
  } finally {
    input.setRawMode(false);
    input.pause();
    term.output.write('\n');
  }
}
