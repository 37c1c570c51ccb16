import { EXIT } from './cliErrors';
import { helpAnswer } from './commandHelp';
import { runCommandLine } from './runCommandLine';

/** The exit code of a process stopped by `signal`, as shells report it. */
function signalExit(signal: NodeJS.Signals): number {
  return signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
}

/**
 * Resolves once everything written to `stream` so far has left this process. A pipe takes
 * what fits in its buffer and the rest waits in the stream: exiting before then cuts the
 * output off (a 6 MB ranking piped to jq arrived as 128 KiB).
 */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || !stream.writable) {
    return Promise.resolve();
  }
  // A stream writes its chunks in order, so an empty chunk's callback comes after all earlier ones.
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/** The `license-steward` binary: wires real streams, env and signals into the commands (`runCommandLine`). */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  // A reader that goes away (`| head`) is not an error of ours: stop writing, keep the exit code.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') {
      throw e;
    }
  });
  const stop = new AbortController();
  let finished = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    // A second signal means "now": the first one's clean-up is taking too long for the admin. So
    // does a first one once the command is done and only its output waits on a stuck reader.
    if (stop.signal.aborted || finished) {
      process.exit(signalExit(signal));
    }
    stop.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const out = (t: string): void => {
    if (!process.stdout.destroyed) {
      process.stdout.write(t);
    }
  };
  // Help is answered from its own small module: loading every command to print it was most of
  // `--help`'s start-up.
  const asked = helpAnswer(argv);
  if (asked) {
    out(asked.text);
  }
  const code = asked?.code ?? await runCommandLine(argv, {
    out,
    // A getter: opening stdin costs a stream, and most commands never read it.
    terminal: {
      get input() {
        return process.stdin;
      },
      output: process.stderr,
    },
    env: process.env,
    now: () => Date.now(),
    signal: stop.signal,
  });
  process.exitCode = code;
  finished = true;
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  // Nothing must keep a finished command alive (a signal listener, an idle keep-alive socket).
  process.exit(code);
}

void main();
