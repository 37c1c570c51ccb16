import { DEFAULT_RULES, syncSource } from '../../core/sync';
import type { CliCommand } from '../cliContext';
import { UsageError } from '../../core/errors';
import { EXIT } from '../cliErrors';
import { parseCommandArgs, positiveInt } from '../cliArgs';
import { rankingChunks, type RankFormat } from '../rankOutput';
import { featureScope, featureWords } from '../featureScope';
import { withConnection } from './withConnection';
import { helpOf } from '../commandHelp';

const { summary, usage } = helpOf('rank');

/** `rank`: users ordered by token use, with each one's verdict. */
export const rankCommand: CliCommand = {
  name: 'rank',
  summary,
  usage,
  async run(argv, ctx) {
    const v = parseCommandArgs(
      argv,
      {
        config: { type: 'string' },
        connection: { type: 'string' },
        'window-days': { type: 'string' },
        format: { type: 'string', default: 'table' },
        top: { type: 'string' },
        feature: { type: 'string' },
        verbose: { type: 'boolean' },
      },
      usage,
    );
    const format = v.format as RankFormat;
    if (!['table', 'json', 'csv'].includes(format)) {
      throw new UsageError(`--format must be table, json or csv, not "${v.format}".`);
    }
    const top = v.top === undefined ? undefined : positiveInt(v.top, '--top', 0);
    // Checked before connecting, so a typo exits 1 even when the server is down.
    const askedWindow = v['window-days'] === undefined ? undefined : positiveInt(v['window-days'], '--window-days', 0, 3650);
    return withConnection(v, usage, ctx, async (source, rules, connection) => {
      const windowDays = askedWindow ?? rules.windowDays ?? DEFAULT_RULES.windowDays;
      const chosen = await featureScope(source, v.feature, connection.name, { signal: ctx.signal });
      const result = await syncSource(source, {
        rules: { ...DEFAULT_RULES, ...rules, windowDays },
        now: ctx.now(),
        signal: ctx.signal,
        ...(chosen ? { scope: chosen.scope } : {}),
      });
      if (result.ranked.length === 0) {
        ctx.logger.warn(
          'no license usage or allocations were returned. If the site has users, the account may lack rights to read license data (QRS answers an empty list then): use an account with the RootAdmin role.',
        );
      }
      // JSON and CSV stay one document for scripts; the table says what it ranks.
      if (chosen && format === 'table') {
        ctx.out(`Hours of ${featureWords(chosen.feature)} only.\n`);
      }
      for (const chunk of rankingChunks(result.ranked, format, top)) {
        ctx.out(chunk);
      }
      return EXIT.ok;
    });
  },
};
