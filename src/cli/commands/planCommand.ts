import { planSource } from '../../core/planSource';
import { DEFAULT_RULES } from '../../core/sync';
import { UsageError } from '../../core/errors';
import type { CliCommand } from '../cliContext';
import { EXIT } from '../cliErrors';
import { parseCommandArgs, required } from '../cliArgs';
import { loadPolicy } from '../loadConfig';
import { renderPlanTable, toPlanJson } from '../planOutput';
import { withConnection } from './withConnection';
import { helpOf } from '../commandHelp';

const { summary, usage } = helpOf('plan');

/** `plan`: what a policy would change on a connection, in run order, with what it skips and why. Changes nothing. */
export const planCommand: CliCommand = {
  name: 'plan',
  summary,
  usage,
  async run(argv, ctx) {
    const v = parseCommandArgs(
      argv,
      { config: { type: 'string' }, connection: { type: 'string' }, policy: { type: 'string' }, format: { type: 'string', default: 'table' }, verbose: { type: 'boolean' } },
      usage,
    );
    if (v.format !== 'table' && v.format !== 'json') {
      throw new UsageError(`--format must be table or json, not "${v.format}".`);
    }
    // Read before connecting: a bad policy exits 1 without touching the server.
    const { policy } = await loadPolicy(required(v.policy, '--policy', usage));
    return withConnection(v, usage, ctx, async (source, rules, conn) => {
      const { plan } = await planSource(source, policy, { connection: conn.name, rules: { ...DEFAULT_RULES, ...rules }, now: ctx.now(), signal: ctx.signal });
      ctx.out(v.format === 'json' ? `${JSON.stringify(toPlanJson(plan), null, 2)}\n` : renderPlanTable(plan, policy.keepFreeTokens));
      return EXIT.ok;
    });
  },
};
