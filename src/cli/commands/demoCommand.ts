import { summarize, describeOverview, describeSummary } from '../../core/siteSummary';
import { terminalSafe } from '../../core/displayText';
import { DEFAULT_RULES, syncSource } from '../../core/sync';
import { startQrsSimulator } from '../../sim/qrs/qrsSimulator';
import { createQrsSource } from '../../sources/qrs/qrsSource';
import type { CliCommand } from '../cliContext';
import { EXIT } from '../cliErrors';
import { parseCommandArgs, positiveInt } from '../cliArgs';
import { renderRanking } from '../rankOutput';

const usage = 'license-steward demo [--users N] [--seed N] [--top N]';

/**
 * `demo`: the main job end to end on an embedded site: a simulated Qlik Sense repository on
 * loopback, reached through the real client over mutual TLS, ranked with verdicts.
 */
export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'rank the users of an embedded demo site (a simulated Qlik Sense repository)',
  usage,
  async run(argv, ctx) {
    const v = parseCommandArgs(argv, { users: { type: 'string' }, seed: { type: 'string' }, top: { type: 'string' }, verbose: { type: 'boolean' } }, usage);
    const users = positiveInt(v.users, '--users', 500, 100_000);
    const top = positiveInt(v.top, '--top', 25);
    const now = ctx.now();
    const sim = await startQrsSimulator({ users, seed: positiveInt(v.seed, '--seed', 7, 2 ** 31), now, logger: ctx.logger });
    const source = createQrsSource({
      baseUrl: sim.url,
      ca: sim.certificates.ca,
      auth: { mode: 'certificate', cert: sim.certificates.clientCert, key: sim.certificates.clientKey, userDirectory: 'INTERNAL', userId: 'sa_api' },
      now: () => sim.clock.now(),
      logger: ctx.logger,
    });
    try {
      const started = performance.now();
      const me = await source.whoAmI({ signal: ctx.signal });
      const result = await syncSource(source, { rules: DEFAULT_RULES, now, signal: ctx.signal });
      const ms = Math.round(performance.now() - started);
      const s = summarize(result.ranked);
      ctx.out(
        [
          // The version, the account and the pool names are the server's words, even on a demo.
          `Demo site: ${terminalSafe(me.server)} at ${sim.url}, connected as ${terminalSafe(me.user ?? 'unknown')} with a client certificate.`,
          `Tokens: ${terminalSafe(describeOverview(result.overview))}.`,
          `Synced ${result.tally.recordCount} login-pass records of the last ${DEFAULT_RULES.windowDays} days and ${result.allocations.length} allocations in ${ms} ms.`,
          '',
          renderRanking(result.ranked, 'table', top).trimEnd(),
          result.ranked.length > top ? `… ${result.ranked.length - top} more users (license-steward rank --format csv lists all).` : '',
          '',
          ...describeSummary(s, DEFAULT_RULES.inactiveDays),
          '',
          // From a clone the package is not on PATH: npx runs the project's own bin once it is built.
          'Next: "npx license-steward sim qrs" (in the project folder, after "npm run build"; or "node dist/cli.js sim qrs") runs this site for you to point rank, assign, revoke and reinstate at.',
          'In VS Code, the License Steward extension shows the same site as a tree you can act on: run "License Steward: Open Demo Site" from the Command Palette.',
          '',
        ].join('\n'),
      );
    } finally {
      await source.close();
      await sim.close();
    }
    return EXIT.ok;
  },
};
