import type { Logger } from '../core/logger';
import type { CredentialStore } from '../secrets/credentialStore';
import type { Terminal } from './confirm';

/** Everything a command touches outside itself, so tests can run commands in-process. */
export interface CliContext {
  readonly out: (text: string) => void;
  readonly logger: Logger;
  readonly secrets: CredentialStore;
  readonly terminal: Terminal;
  readonly env: NodeJS.ProcessEnv;
  readonly now: () => number;
  /**
   * Aborted by the first SIGINT or SIGTERM, with the signal's name as its reason. Commands pass
   * it to every request and lock wait, so a signal stops them cleanly; `sim` stops serving.
   */
  readonly signal: AbortSignal;
}

/** One CLI command: a name, a line of help, and what it does. */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(argv: readonly string[], ctx: CliContext): Promise<number>;
  /** A signal is how this command normally ends (a server): it exits 0 then, not 130/143. */
  readonly endsOnSignal?: boolean;
}
