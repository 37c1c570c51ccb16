import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { CLI_PATH } from './builtCli';
import { jsonReader, type PipeReader } from './pipeReaders';

/** How to run the CLI. */
export interface CliRunOptions {
  /**
   * Added to the inherited environment (PATH, HOME, ...), from which LICENSE_STEWARD_* and
   * NODE_OPTIONS are removed so a developer's shell cannot change a result. Pass `site.env`.
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * What stdin carries: text written and then closed; 'open' for a pipe the test writes to
   * (`proc.stdin`); absent for /dev/null, as under a scheduler.
   */
  readonly stdin?: string | Buffer | 'open';
  /** Working directory (default the repository root). */
  readonly cwd?: string;
  /** SIGKILL and fail after this long (default 30 s). */
  readonly timeoutMs?: number;
}

/** A finished process. */
export interface CliResult {
  /** Exit code; null when a signal ended it. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  /** stdout as UTF-8. */
  readonly out: string;
  /** stderr as UTF-8. */
  readonly err: string;
  readonly durationMs: number;
  /** stdout parsed as JSON (throws with the text when it is not). */
  json<T = unknown>(): T;
}

/** Where `waitForOutput` looks. */
export type OutputStream = 'stdout' | 'stderr' | 'either';

/** A running process. */
export interface CliProcess {
  readonly pid: number;
  /** What ran, for messages. */
  readonly label: string;
  /** The stdin pipe when started with `stdin: 'open'`, else null. */
  readonly stdin: Writable | null;
  /** stdout so far. */
  readonly stdout: Buffer;
  /** stderr so far. */
  readonly stderr: Buffer;
  /** Sends a signal (default SIGTERM); nothing when it has ended. */
  kill(signal?: NodeJS.Signals): void;
  /**
   * Resolves once the stream (default 'either') contains `text`; rejects when the process ends
   * first or after `timeoutMs` (default 10 s), quoting what it printed.
   */
  waitForOutput(text: string | RegExp, options?: { readonly stream?: OutputStream; readonly timeoutMs?: number }): Promise<void>;
  /** Settles when it ends; rejects when the run's timeout had to kill it. */
  readonly done: Promise<CliResult>;
}

/** A shell pipe `license-steward ARGS | reader`. */
export interface CliPipeline {
  /** The CLI; its stdout goes into the pipe, so its `stdout` here stays empty. */
  readonly cli: CliProcess;
  /** The reader; its stdin is the pipe's other end, its stdout its report. */
  readonly reader: CliProcess;
  /** Both results, once both ended; rejects when a timeout had to kill either. */
  readonly done: Promise<{ readonly cli: CliResult; readonly reader: CliResult }>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const live = new Set<ChildProcess>();

function inheritedEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('LICENSE_STEWARD_') && k !== 'NODE_OPTIONS') {
      env[k] = v;
    }
  }
  return { ...env, ...extra };
}

function tail(b: Buffer, max = 4_000): string {
  const s = b.toString('utf8');
  return s.length > max ? `…${s.slice(-max)}` : s;
}

function describeOutput(stdout: Buffer, stderr: Buffer): string {
  return `\n--- stdout (${stdout.length} bytes) ---\n${tail(stdout)}\n--- stderr (${stderr.length} bytes) ---\n${tail(stderr)}`;
}

/** Starts `command argv` with the bookkeeping every process here gets: output, timeout, waits. */
function startProcess(command: string, argv: readonly string[], label: string, options: CliRunOptions): CliProcess {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const stdinMode = options.stdin === undefined ? 'ignore' : 'pipe';
  const child = spawn(command, [...argv], {
    cwd: options.cwd ?? path.dirname(path.dirname(CLI_PATH)),
    env: inheritedEnv(options.env),
    stdio: [stdinMode, 'pipe', 'pipe'],
  });
  live.add(child);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  // Decoded as it comes, so waiting for a line in megabytes of output stays linear.
  const text = { stdout: '', stderr: '' };
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  const listeners = new Set<() => void>();
  const changed = (): void => {
    for (const l of listeners) {
      l();
    }
  };
  child.stdout?.on('data', (c: Buffer) => {
    out.push(c);
    text.stdout += decoders.stdout.write(c);
    changed();
  });
  child.stderr?.on('data', (c: Buffer) => {
    err.push(c);
    text.stderr += decoders.stderr.write(c);
    changed();
  });
  if (child.stdin) {
    // A process that exits without reading its stdin must not fail the test with EPIPE.
    child.stdin.on('error', () => undefined);
    if (options.stdin !== 'open' && options.stdin !== undefined) {
      child.stdin.end(options.stdin);
    }
  }
  let timedOut = false;
  let ended = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);

  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', (e) => {
      clearTimeout(timer);
      live.delete(child);
      ended = true;
      changed();
      reject(new Error(`${label}: could not start: ${e.message}`));
    });
    // 'close' rather than 'exit': it comes after stdout and stderr have been read to their end.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      ended = true;
      changed();
      const stdout = Buffer.concat(out);
      const stderr = Buffer.concat(err);
      if (timedOut) {
        reject(new Error(`${label}: still running after ${timeoutMs} ms, killed with SIGKILL.${describeOutput(stdout, stderr)}`));
        return;
      }
      const outText = stdout.toString('utf8');
      resolve({
        code,
        signal,
        stdout,
        stderr,
        out: outText,
        err: stderr.toString('utf8'),
        durationMs: Math.round(performance.now() - started),
        json: <T>() => {
          try {
            return JSON.parse(outText) as T;
          } catch (e) {
            throw new Error(`${label}: stdout is not JSON (${(e as Error).message}).${describeOutput(stdout, stderr)}`, { cause: e });
          }
        },
      });
    });
  });
  // Marked handled here; a test that awaits `done` still gets the rejection.
  done.catch(() => undefined);

  return {
    pid: child.pid ?? -1,
    label,
    stdin: options.stdin === 'open' ? child.stdin : null,
    get stdout() {
      return Buffer.concat(out);
    },
    get stderr() {
      return Buffer.concat(err);
    },
    kill: (signal = 'SIGTERM') => {
      if (!ended) {
        child.kill(signal);
      }
    },
    waitForOutput: (wanted, o = {}) => {
      const stream = o.stream ?? 'either';
      const waitMs = o.timeoutMs ?? 10_000;
      const test = (): boolean => {
        const where = stream === 'stdout' ? [text.stdout] : stream === 'stderr' ? [text.stderr] : [text.stdout, text.stderr];
        return where.some((s) => {
          if (typeof wanted === 'string') {
            return s.includes(wanted);
          }
          // A /g or /y pattern remembers where it stopped; every look here starts from the top.
          wanted.lastIndex = 0;
          return wanted.test(s);
        });
      };
      return new Promise<void>((resolve, reject) => {
        const fail = (why: string): void => {
          listeners.delete(check);
          clearTimeout(t);
          reject(new Error(`${label}: ${why} before ${stream === 'either' ? 'its output' : stream} showed ${String(wanted)}.${describeOutput(Buffer.concat(out), Buffer.concat(err))}`));
        };
        const check = (): void => {
          if (test()) {
            listeners.delete(check);
            clearTimeout(t);
            resolve();
          } else if (ended) {
            fail('it ended');
          }
        };
        const t = setTimeout(() => fail(`${waitMs} ms passed`), waitMs);
        listeners.add(check);
        check();
      });
    },
    done,
  };
}

/**
 * Starts the built CLI as users run it: `node dist/cli.js ARGS`, a separate process with real
 * stdio. Build it first (`useBuiltCli()` in the describe).
 */
export function startCli(args: readonly string[], options: CliRunOptions = {}): CliProcess {
  return startProcess(process.execPath, [CLI_PATH, ...args], `license-steward ${args.join(' ')}`, options);
}

/** Runs the built CLI to its end; see `startCli`. */
export function runCliProcess(args: readonly string[], options: CliRunOptions = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

/**
 * Runs `license-steward ARGS | node -e READER` with a real kernel pipe between them, as a shell
 * would. Node cannot make a pipe(2) for a child itself: its stdio 'pipe' is a socketpair, and
 * `a.stdout.pipe(b.stdin)` puts this process in the middle with its own buffering. So a FIFO (the
 * kernel's pipe object, opened by name) is made, and each side is started by `sh` opening its end
 * and `exec`ing node: the CLI writes straight into the pipe with its 64 KiB buffer and gets
 * EPIPE when the reader leaves, and each side keeps its own pid, so a test can signal the CLI
 * alone (or both, like Ctrl-C in a terminal) and see each exit status. The reader defaults to
 * `jsonReader()`; `options` apply to the CLI (the reader gets the same env and timeout).
 */
export function pipeCli(args: readonly string[], options: CliRunOptions & { readonly reader?: PipeReader } = {}): CliPipeline {
  const dir = mkdtempSync(path.join(tmpdir(), 'ls-pipe-'));
  const fifo = path.join(dir, 'pipe');
  execFileSync('mkfifo', [fifo]);
  const reader = options.reader ?? jsonReader();
  const readerOptions: CliRunOptions = { env: options.env, cwd: options.cwd, timeoutMs: options.timeoutMs };
  // `sh` opens the FIFO (blocking until the other side opens it) and then becomes node.
  const readerProc = startProcess('/bin/sh', ['-c', 'f=$1; shift; exec "$@" < "$f"', 'sh', fifo, process.execPath, '-e', reader.script, ...(reader.args ?? [])], 'pipe reader', readerOptions);
  const cliProc = startProcess('/bin/sh', ['-c', 'f=$1; shift; exec "$@" > "$f"', 'sh', fifo, process.execPath, CLI_PATH, ...args], `license-steward ${args.join(' ')} | reader`, options);
  const done = Promise.all([cliProc.done, readerProc.done]).then(
    ([cli, r]) => ({ cli, reader: r }),
    (e: unknown) => {
      // One side failing must not leave the other blocked on the pipe.
      cliProc.kill('SIGKILL');
      readerProc.kill('SIGKILL');
      throw e;
    },
  );
  const cleanUp = (): void => rmSync(dir, { recursive: true, force: true });
  done.then(cleanUp, cleanUp);
  done.catch(() => undefined);
  return { cli: cliProc, reader: readerProc, done };
}

/** SIGKILLs every process started here that is still running (`useBuiltCli` does it after each test). */
export function killLeftoverProcesses(): void {
  for (const child of live) {
    child.kill('SIGKILL');
  }
}
