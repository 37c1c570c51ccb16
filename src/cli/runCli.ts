import { ConfigError } from '../core/connectionConfig';
import { AuthError, CancelledError, NetworkError, TimeoutError, TlsError } from '../http/httpErrors';
import { KeychainUnavailableError, MissingSecretError } from '../secrets/credentialStore';
import type { CliContext } from './cliContext';
import { EXIT, UsageError } from './cliErrors';
import { COMMANDS } from './commands';

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'License Steward: rank Qlik users by license consumption and act on it.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Usage:',
    ...COMMANDS.map((c) => `  ${c.usage}`),
    '',
    'Exit codes: 0 ok, 1 usage error, 2 connection/auth error, 3 server refused.',
    '',
  ].join('\n');
}

/** Which exit code an error means, so schedulers can tell a typo from an outage. */
export function exitCodeOf(e: unknown): number {
  if (e instanceof UsageError || e instanceof ConfigError || e instanceof KeychainUnavailableError) {
    return EXIT.usage;
  }
  // A 403 means the sign-in worked and the server refused the action: the account lacks rights.
  if (e instanceof AuthError) {
    return e.code === 'AUTH_FORBIDDEN' ? EXIT.refused : EXIT.connection;
  }
  if (e instanceof MissingSecretError || e instanceof NetworkError || e instanceof TlsError || e instanceof TimeoutError) {
    return EXIT.connection;
  }
  if (e instanceof CancelledError) {
    return EXIT.usage;
  }
  // Status errors, refused state changes, and anything unexpected.
  return EXIT.refused;
}

/** Runs one command line; never throws, always answers an exit code. */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    ctx.out(help());
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    ctx.logger.error(`unknown command "${name}".\n\n${help()}`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    ctx.out(`${command.summary}\nUsage: ${command.usage}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, ctx);
  } catch (e) {
    ctx.logger.error((e as Error).message);
    return exitCodeOf(e);
  }
}
