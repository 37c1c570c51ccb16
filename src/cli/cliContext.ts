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
  /** Resolves when the user asks a long-running command (`sim`) to stop. */
  readonly stopped: Promise<void>;
}

/** One CLI command: a name, a line of help, and what it does. */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(argv: readonly string[], ctx: CliContext): Promise<number>;
}
