import { CancelledError } from '../core/errors';
import type { CliContext } from './cliContext';
import { EXIT, exitCodeOf } from './cliErrors';
import { helpAnswer, helpText } from './commandHelp';
import { COMMANDS } from './commands';

/** Runs one command line; never throws, always answers an exit code. */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  const asked = helpAnswer(argv);
  if (asked) {
    ctx.out(asked.text);
    return asked.code;
  }
  const [name, ...rest] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    ctx.logger.error(`unknown command "${name}".\n\n${helpText()}`);
    return EXIT.usage;
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
