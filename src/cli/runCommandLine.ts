import { CliCredentialStore } from '../secrets/cliCredentialStore';
import type { CliContext } from './cliContext';
import { runCli } from './runCli';
import { stderrLogger } from './stderrLogger';

/**
 * The CLI behind `main`: the logger, the keychain and every command. Bundled apart and loaded
 * only for a command to run, so `--help` reads none of it.
 */
export function runCommandLine(argv: readonly string[], io: Omit<CliContext, 'logger' | 'secrets'>): Promise<number> {
  const logger = stderrLogger(argv.includes('--verbose'));
  return runCli(argv, { ...io, logger, secrets: new CliCredentialStore(io.env, logger) });
}
