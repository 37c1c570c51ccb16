import { findConnection } from '../../core/connectionConfig';
import type { CliCommand } from '../cliContext';
import { UsageError } from '../../core/errors';
import { EXIT } from '../cliErrors';
import { parseCommandArgs, required } from '../cliArgs';
import { loadConfig } from '../loadConfig';
import { readSecret } from '../readSecret';
import { helpOf } from '../commandHelp';

const { summary, usage } = helpOf('login');

/** `login`: stores a connection's secret in the OS keychain, never on disk or in the config. */
export const loginCommand: CliCommand = {
  name: 'login',
  summary,
  usage,
  async run(argv, ctx) {
    const v = parseCommandArgs(argv, { connection: { type: 'string' }, config: { type: 'string' }, verbose: { type: 'boolean' } }, usage);
    let name = required(v.connection, '--connection', usage);
    if (v.config) {
      const loaded = await loadConfig(v.config);
      name = findConnection(loaded.config, name, loaded.file).name;
    }
    const secret = await readSecret(`Secret for connection "${name}" (input hidden): `, ctx.terminal, ctx.signal);
    if (!secret) {
      throw new UsageError('No secret was given; nothing was stored.');
    }
    await ctx.secrets.set(name, secret);
    ctx.out(`Stored the secret for "${name}" in the OS keychain.\n`);
    return EXIT.ok;
  },
};
