import { CancelledError } from '../core/errors';
import type { CliContext } from './cliContext';
import { EXIT, exitCodeOf } from './cliErrors';
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
    'Exit codes: 0 ok, 1 usage or config error, 2 connection/auth error, 3 server refused, 4 outcome unknown, 130/143 interrupted.',
    '',
  ].join('\n');
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
  let code: number;
  try {
    code = await command.run(rest, ctx);
  } catch (e) {
    if (!(ctx.signal.aborted && e instanceof CancelledError)) {
      ctx.logger.error((e as Error).message);
    }
    code = exitCodeOf(e);
  }
  if (ctx.signal.aborted && !command.endsOnSignal) {
    const signal = String(ctx.signal.reason);
    ctx.logger.error(`stopped by ${signal === 'SIGINT' ? 'Ctrl+C (SIGINT)' : signal}.`);
    // A write cut short by the signal reports its own outcome; "unknown" must survive the signal.
    return code === EXIT.outcomeUnknown ? code : signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
  }
  return code;
}
