import { summarize, describeOutlook, describeOverview, describeSummary } from '../../core/siteSummary';
import { terminalSafe } from '../../core/displayText';
import type { Identity } from '../../core/model';
import { DEFAULT_RULES, syncSource } from '../../core/sync';
import { UsageError } from '../../core/errors';
import { startCloudSimulator } from '../../sim/cloud/cloudSimulator';
import { startLicstatsSimulator } from '../../sim/licstats/licstatsSimulator';
import { startQrsSimulator } from '../../sim/qrs/qrsSimulator';
import { createCloudSource } from '../../sources/cloud/cloudSource';
import { createLicstatsSource } from '../../sources/licstats/licstatsSource';
import { createQrsSource } from '../../sources/qrs/qrsSource';
import type { CliCommand, CliContext } from '../cliContext';
import { EXIT } from '../cliErrors';
import { parseCommandArgs, positiveInt } from '../cliArgs';
import type { OpenedSource } from '../openSource';
import { renderRanking } from '../rankOutput';
import { helpOf } from '../commandHelp';

const { summary, usage } = helpOf('demo');

/** A simulated system running for the demo, the source that reads it, and how to describe it. */
interface DemoSystem {
  readonly source: OpenedSource;
  readonly title: string;
  readonly url: string;
  /** How the demo signs in, for the first line. */
  readonly signIn: string;
  /** What the usage records are, for the "Synced …" line. */
  readonly records: string;
  /** The `license-steward sim` argument that runs the same system. */
  readonly simKind: string;
  /** What to call it in the closing hint: site, tenant, server. */
  readonly noun: string;
  /** The commands the closing hint suggests pointing at it. */
  readonly commands: string;
  close(): Promise<void>;
}

type DemoKind = 'qrs' | 'cloud' | 'capacity' | 'licstats';

/**
 * Every demo reaches its simulator through the real client over TLS, as a live system would be.
 */
async function startDemo(kind: DemoKind, users: number, seed: number, ctx: CliContext): Promise<DemoSystem> {
  const now = ctx.now();
  const logger = ctx.logger;
  switch (kind) {
    case 'qrs': {
      const sim = await startQrsSimulator({ users, seed, now, logger });
      const c = sim.certificates;
      const source = createQrsSource({
        baseUrl: sim.url,
        ca: c.ca,
        auth: { mode: 'certificate', cert: c.clientCert, key: c.clientKey, userDirectory: 'INTERNAL', userId: 'sa_api' },
        now: () => sim.clock.now(),
        logger,
      });
      return { source, title: 'Demo site', url: sim.url, signIn: 'with a client certificate', records: 'login-pass records', simKind: 'qrs', noun: 'site', commands: 'rank, assign, revoke and reinstate', close: () => sim.close() };
    }
    case 'cloud':
    case 'capacity': {
      const sim = await startCloudSimulator({ users, seed, now, subscription: kind === 'cloud' ? 'user-based' : 'capacity', logger });
      const source = createCloudSource({ baseUrl: sim.url, ca: sim.certificates.ca, auth: { mode: 'apiKey', apiKey: sim.apiKey }, now: () => sim.clock.now(), logger });
      const title = kind === 'cloud' ? 'Demo tenant (user-based)' : 'Demo tenant (capacity)';
      const records = kind === 'cloud' ? 'analyzer-capacity consumption events' : 'sign-in sessions';
      return { source, title, url: sim.url, signIn: 'with an API key', records, simKind: kind === 'cloud' ? 'cloud' : 'cloud --capacity', noun: 'tenant', commands: kind === 'cloud' ? 'rank, assign and revoke' : 'rank and disable', close: () => sim.close() };
    }
    case 'licstats': {
      const sim = await startLicstatsSimulator({ seed, now, logger });
      const source = createLicstatsSource({ baseUrl: sim.url, ca: sim.certificates.ca, token: sim.apiToken, now: () => sim.clock.now(), logger });
      return { source, title: 'Demo License Statistics', url: sim.url, signIn: 'with an API token', records: 'usage-per-user rows', simKind: 'licstats', noun: 'server', commands: 'rank and sync', close: () => sim.close() };
    }
  }
}

function demoKind(v: { cloud?: boolean | undefined; capacity?: boolean | undefined; licstats?: boolean | undefined }): DemoKind {
  const picked = (['cloud', 'capacity', 'licstats'] as const).filter((k) => v[k] === true);
  if (picked.length > 1) {
    throw new UsageError(`Pick one demo: ${picked.map((k) => `--${k}`).join(' or ')}.`);
  }
  return picked[0] ?? 'qrs';
}

/**
 * `demo`: the main job end to end on an embedded system: by default a simulated Qlik Sense
 * repository; `--cloud` / `--capacity` a simulated Qlik Cloud tenant of either subscription;
 * `--licstats` a simulated License Statistics server. Ranked with verdicts.
 */
export const demoCommand: CliCommand = {
  name: 'demo',
  summary,
  usage,
  async run(argv, ctx) {
    const v = parseCommandArgs(
      argv,
      {
        cloud: { type: 'boolean' },
        capacity: { type: 'boolean' },
        licstats: { type: 'boolean' },
        users: { type: 'string' },
        seed: { type: 'string' },
        top: { type: 'string' },
        verbose: { type: 'boolean' },
      },
      usage,
    );
    const kind = demoKind(v);
    const users = positiveInt(v.users, '--users', kind === 'qrs' ? 500 : 300, 100_000);
    const top = positiveInt(v.top, '--top', 25);
    const demo = await startDemo(kind, users, positiveInt(v.seed, '--seed', 7, 2 ** 31), ctx);
    const { source } = demo;
    try {
      const started = performance.now();
      const me: Identity = await source.whoAmI({ signal: ctx.signal });
      const result = await syncSource(source, { rules: DEFAULT_RULES, now: ctx.now(), signal: ctx.signal });
      const ms = Math.round(performance.now() - started);
      const s = summarize(result.ranked);
      ctx.out(
        [
          // The version, the account and the pool names are the server's words, even on a demo.
          `${demo.title}: ${terminalSafe(me.server)} at ${demo.url}, connected${me.user ? ` as ${terminalSafe(me.user)}` : ''} ${demo.signIn}.`,
          // License Statistics counts licenses per feature on the license servers: no pool to total here.
          ...(kind === 'licstats' ? [] : [`${kind === 'qrs' ? 'Tokens' : 'Licenses'}: ${terminalSafe(describeOverview(result.overview))}.`]),
          `Synced ${result.tally.recordCount} ${demo.records} of the last ${DEFAULT_RULES.windowDays} days and ${result.allocations.length} allocations in ${ms} ms.`,
          '',
          renderRanking(result.ranked, 'table', top).trimEnd(),
          result.ranked.length > top ? `… ${result.ranked.length - top} more users (license-steward rank --format csv lists all).` : '',
          '',
          ...(kind === 'qrs' ? describeSummary(s, DEFAULT_RULES.inactiveDays) : [describeOutlook(kind, result.ranked, DEFAULT_RULES)]),
          '',
          // From a clone the package is not on PATH: npx runs the project's own bin once it is built.
          `Next: "npx license-steward sim ${demo.simKind}" (in the project folder, after "npm run build"; or "node dist/cli.js sim ${demo.simKind}") runs this ${demo.noun} for you to point ${demo.commands} at.`,
          `In VS Code, the License Steward extension shows the same ${demo.noun} as a tree you can act on: run "License Steward: Open Demo Site" from the Command Palette.`,
          '',
        ].join('\n'),
      );
    } finally {
      await source.close();
      await demo.close();
    }
    return EXIT.ok;
  },
};
