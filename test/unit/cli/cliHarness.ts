import { PassThrough, Readable } from 'node:stream';
import type { CliContext } from '../../../src/cli/cliContext';
import { runCli } from '../../../src/cli/runCli';
import type { Logger } from '../../../src/core/logger';
import type { AuditEntry } from '../../../src/core/historyAudit';
import { CliCredentialStore } from '../../../src/secrets/cliCredentialStore';
import { HistoryStores } from '../../../src/store/historyStores';

/** What one in-process `license-steward` run produced. */
export interface CliRun {
  readonly code: number;
  /** Everything written to stdout. */
  readonly out: string;
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
  /** What the confirmation prompt wrote to the terminal. */
  readonly terminal: string;
}

/** A keychain held in memory, in the shape keytar has. */
export interface FakeKeychain {
  readonly entries: Map<string, string>;
  load(): Promise<{ keychain: { getPassword(s: string, a: string): Promise<string | null>; setPassword(s: string, a: string, p: string): Promise<void>; deletePassword(s: string, a: string): Promise<boolean> } }>;
}

export function fakeKeychain(): FakeKeychain {
  const entries = new Map<string, string>();
  return {
    entries,
    load: async () => ({
      keychain: {
        getPassword: async (s, a) => entries.get(`${s}/${a}`) ?? null,
        setPassword: async (s, a, p) => void entries.set(`${s}/${a}`, p),
        deletePassword: async (s, a) => entries.delete(`${s}/${a}`),
      },
    }),
  };
}

export interface CliRunOptions {
  /** The process environment the run sees (secrets in LICENSE_STEWARD_SECRET_*). */
  readonly env?: Record<string, string>;
  /** Clock of the run; defaults to the harness clock. */
  readonly now?: () => number;
  /** A terminal answering the y/N question with this line; without it stdin is a pipe. */
  readonly ttyAnswer?: string;
  /** What the pipe on stdin carries (no TTY). */
  readonly stdin?: string;
  /** A keychain; without one the store says keytar is not there. */
  readonly keychain?: FakeKeychain;
  /** Aborts like a signal would; its reason is the signal's name. */
  readonly signal?: AbortSignal;
  /** Called with each stdout write as it happens. */
  readonly onOut?: (text: string) => void;
}

/**
 * Runs `runCli` in-process with collected stdout and logs. Every text any run produced, at any
 * log level, is also appended to `transcript`, so a test can prove secrets never show up.
 */
export function cliHarness(defaultNow: () => number = () => Date.now()) {
  const transcript: string[] = [];

  async function cli(argv: readonly string[], o: CliRunOptions = {}): Promise<CliRun> {
    const out: string[] = [];
    const errors: string[] = [];
    const warnings: string[] = [];
    const keep = (list: string[] | undefined) => (m: string) => {
      transcript.push(m);
      list?.push(m);
    };
    const logger: Logger = { trace: keep(undefined), debug: keep(undefined), info: keep(undefined), warn: keep(warnings), error: keep(errors) };
    const env = o.env ?? {};
    let terminalText = '';
    const output = new PassThrough();
    let input: NodeJS.ReadableStream & { isTTY?: boolean };
    if (o.ttyAnswer !== undefined) {
      const tty = Object.assign(new PassThrough(), { isTTY: true });
      const answer = o.ttyAnswer;
      output.on('data', (chunk: Buffer) => {
        terminalText += chunk.toString('utf8');
        if (terminalText.endsWith('[y/N] ')) {
          tty.write(`${answer}\n`);
        }
      });
      input = tty;
    } else {
      output.on('data', (chunk: Buffer) => {
        terminalText += chunk.toString('utf8');
      });
      input = Readable.from(o.stdin === undefined ? [] : [Buffer.from(o.stdin)]);
    }
    const ctx: CliContext = {
      out: (t) => {
        transcript.push(t);
        out.push(t);
        o.onOut?.(t);
      },
      logger,
      secrets: new CliCredentialStore(env, logger, o.keychain?.load ?? (async () => ({ why: 'no keychain in unit tests' }))),
      terminal: { input, output },
      env,
      now: o.now ?? defaultNow,
      signal: o.signal ?? new AbortController().signal,
    };
    const code = await runCli(argv, ctx);
    transcript.push(terminalText);
    if (o.ttyAnswer !== undefined) {
      (input as PassThrough).end();
    }
    return { code, out: out.join(''), errors, warnings, terminal: terminalText };
  }

  return { cli, transcript };
}

/** `rank --format json` rows, as scripts read them. */
export interface JsonRow {
  rank: number;
  userDirectory: string;
  userId: string;
  name: string;
  loginPasses: number;
  tokens: number;
  capacityMinutes: number;
  allocation: null | { kind: string; id: string; quarantined: boolean; lastUsed: string | null };
  verdict: string;
  reason: string;
}

/** The audit log the CLI kept for `key` (`cli:<connection>`) under `dataDir`, oldest first. */
export async function auditLog(dataDir: string, key: string): Promise<AuditEntry[]> {
  const stores = new HistoryStores(dataDir);
  try {
    return await (await stores.get(key)).audit();
  } finally {
    await stores.closeAll();
  }
}
