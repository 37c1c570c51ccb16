import * as path from 'node:path';
import { DEFAULT_RULES, syncSource } from '../../core/sync';
import { describeDropped } from '../../core/droppedSummary';
import { describeOutlook, outlookKindOf, summarize } from '../../core/siteSummary';
import type { LicenseSource } from '../../core/licenseSource';
import type { VerdictRules } from '../../core/verdict';
import { formatTokens } from '../../core/format';
import { findConnection } from '../../core/connectionConfig';
import { cliHistoryKey, HistoryStores } from '../../store/historyStores';
import { defaultDataDir } from '../../store/storeDirs';
import type { RecordSyncResult } from '../../store/historyStore';
import type { CliCommand } from '../cliContext';
import { EXIT } from '../cliErrors';
import { parseCommandArgs, positiveInt, required } from '../cliArgs';
import { loadConfig } from '../loadConfig';
import { featureScope, featureWords } from '../featureScope';
import { withConnection } from './withConnection';
import { helpOf } from '../commandHelp';

const { summary, usage } = helpOf('sync');

/**
 * `sync`: what a scheduler runs daily. Reads the site like `rank` and keeps what it saw in the
 * local history store, which outlives the server's ~28-day memory of login passes.
 *
 * `--feature` is allowed, as in the view, where choosing a feature re-syncs too: it narrows the
 * ranking and the summary to one feature, while the history still records every feature, so a
 * scheduled job with a feature left in its command line loses no history.
 */
export const syncCommand: CliCommand = {
  name: 'sync',
  summary,
  usage,
  async run(argv, ctx) {
    const v = parseCommandArgs(
      argv,
      {
        config: { type: 'string' },
        connection: { type: 'string' },
        'data-dir': { type: 'string' },
        'window-days': { type: 'string' },
        'retention-days': { type: 'string' },
        feature: { type: 'string' },
        verbose: { type: 'boolean' },
      },
      usage,
    );
    const dataDir = path.resolve(v['data-dir'] ?? defaultDataDir());
    const loaded = await loadConfig(required(v.config, '--config', usage));
    const name = findConnection(loaded.config, required(v.connection, '--connection', usage), loaded.file).name;
    const retentionDays = positiveInt(v['retention-days'], '--retention-days', 400, 3650);
    const stores = new HistoryStores(dataDir, { logger: ctx.logger, now: ctx.now, retentionDays });
    try {
      const store = await stores.get(cliHistoryKey(name));
      let recorded: RecordSyncResult | undefined;
      let rules: VerdictRules = DEFAULT_RULES;
      let system: LicenseSource['system'] = 'qrs';
      let only: string | undefined;
      const result = await withConnection(v, usage, ctx, async (source, configured) => {
        rules = { ...DEFAULT_RULES, ...configured, windowDays: positiveInt(v['window-days'], '--window-days', configured.windowDays ?? DEFAULT_RULES.windowDays, 3650) };
        system = source.system;
        const chosen = await featureScope(source, v.feature, name, { signal: ctx.signal });
        only = chosen && featureWords(chosen.feature);
        return syncSource(source, {
          rules,
          now: ctx.now(),
          signal: ctx.signal,
          history: { recordSync: async (input) => (recorded = await store.recordSync(input)) },
          ...(chosen ? { scope: chosen.scope } : {}),
        });
      });
      const kind = outlookKindOf(system, result.overview);
      const s = summarize(result.ranked);
      const dropped = describeDropped(result.dropped);
      const repeats = result.tally.repeatCount;
      ctx.out(
        [
          `Synced "${name}": ${result.tally.recordCount} usage records${only ? ` of ${only}, ranked alone (the history keeps every feature)` : ''}, ${result.allocations.length} allocations.`,
          ...(dropped ? [dropped] : []),
          ...(repeats > 0 ? [`The server sent ${repeats} usage records more than once; each was counted once.`] : []),
          recorded
            ? `History: ${recorded.added} new records, ${Math.max(0, recorded.duplicates - repeats)} already kept, ${recorded.events} allocation changes (${store.dir}).`
            : 'History: nothing recorded.',
          kind === 'qrs'
            ? `${s.assignCandidates} users would be cheaper on a user access pass (saving ${formatTokens(s.tokensSaved)} per 28 days); ${s.revokeCandidates} passes are unused.`
            : describeOutlook(kind, result.ranked, rules),
          '',
        ].join('\n'),
      );
      return EXIT.ok;
    } finally {
      await stores.closeAll();
    }
  },
};
