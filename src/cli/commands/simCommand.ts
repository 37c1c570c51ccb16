import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startCloudSimulator } from '../../sim/cloud/cloudSimulator';
import { startLicstatsSimulator } from '../../sim/licstats/licstatsSimulator';
import { startQrsSimulator } from '../../sim/qrs/qrsSimulator';
import type { CliCommand, CliContext } from '../cliContext';
import { UsageError } from '../../core/errors';
import { EXIT } from '../cliErrors';
import { parseCommandArgs, positiveInt } from '../cliArgs';
import { writeSimConnectionFiles, writeSimSecretConnectionFile } from '../simConnectionFile';
import { helpOf } from '../commandHelp';

const { summary, usage } = helpOf('sim');

/** Resolves when the command is told to stop (Ctrl+C, SIGTERM). */
function untilStopped(ctx: CliContext): Promise<void> {
  return new Promise<void>((resolve) => {
    if (ctx.signal.aborted) {
      resolve();
    }
    ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

function portOf(value: string | undefined): number {
  return value === undefined ? 0 : value === '0' ? 0 : positiveInt(value, '--port', 0, 65535);
}

/** `sim qrs|cloud|licstats`: a simulator on loopback, plus a ready config file. */
export const simCommand: CliCommand = {
  name: 'sim',
  summary,
  usage,
  endsOnSignal: true,
  async run(argv, ctx) {
    const [system, ...rest] = argv;
    switch (system) {
      case 'qrs':
        return runQrs(rest, ctx);
      case 'cloud':
        return runCloud(rest, ctx);
      case 'licstats':
        return runLicstats(rest, ctx);
      default:
        throw new UsageError(`Name the system to simulate: qrs, cloud or licstats.\nUsage: ${usage}`);
    }
  },
};

/** A running simulator whose one connection signs in with a secret, as `serveOneSecret` needs it. */
interface SecretSim {
  readonly url: string;
  readonly certificates: { readonly ca: string };
  close(): Promise<void>;
}

/**
 * Writes the simulator's config (its connection's secret goes in the environment), says how to
 * use it, and serves until Ctrl+C; the simulator is closed whatever happens.
 */
async function serveOneSecret(
  sim: SecretSim,
  dir: string | undefined,
  ctx: CliContext,
  c: { readonly title: string; readonly name: string; readonly kind: 'cloud' | 'licstats'; readonly auth: Readonly<Record<string, string>>; readonly secret: string; readonly secretName: string },
): Promise<number> {
  try {
    const where = dir ? path.resolve(dir) : await mkdtemp(path.join(tmpdir(), 'license-steward-sim-'));
    const files = await writeSimSecretConnectionFile(where, { name: c.name, kind: c.kind, url: sim.url, auth: c.auth }, sim.certificates.ca, c.secret);
    ctx.out(
      [
        `${c.title} listening on ${sim.url}.`,
        `Config: ${files.configFile}`,
        `Connection: ${c.name} (${c.secretName}; export ${files.secretEnv.name}=${files.secretEnv.value})`,
        `Try: license-steward rank --config ${files.configFile} --connection ${c.name}`,
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
    await untilStopped(ctx);
  } finally {
    await sim.close();
  }
  return EXIT.ok;
}

async function runCloud(argv: readonly string[], ctx: CliContext): Promise<number> {
  const v = parseCommandArgs(
    argv,
    { port: { type: 'string' }, users: { type: 'string' }, seed: { type: 'string' }, capacity: { type: 'boolean', default: false }, dir: { type: 'string' }, verbose: { type: 'boolean' } },
    usage,
  );
  const users = positiveInt(v.users, '--users', 300, 100_000);
  const subscription = v.capacity === true ? 'capacity' : 'user-based';
  const sim = await startCloudSimulator({ port: portOf(v.port), users, seed: positiveInt(v.seed, '--seed', 1, 2 ** 31), subscription, logger: ctx.logger });
  const title = `Qlik Cloud simulator (${subscription} tenant, ${users} users)`;
  return serveOneSecret(sim, v.dir, ctx, { title, name: 'tenant', kind: 'cloud', auth: { mode: 'apiKey' }, secret: sim.apiKey, secretName: 'API key' });
}

async function runLicstats(argv: readonly string[], ctx: CliContext): Promise<number> {
  const v = parseCommandArgs(argv, { port: { type: 'string' }, seed: { type: 'string' }, dir: { type: 'string' }, verbose: { type: 'boolean' } }, usage);
  const sim = await startLicstatsSimulator({ port: portOf(v.port), seed: positiveInt(v.seed, '--seed', 1, 2 ** 31), logger: ctx.logger });
  return serveOneSecret(sim, v.dir, ctx, { title: 'License Statistics simulator', name: 'eng', kind: 'licstats', auth: { mode: 'token' }, secret: sim.apiToken, secretName: 'API token' });
}

async function runQrs(argv: readonly string[], ctx: CliContext): Promise<number> {
  const v = parseCommandArgs(
    argv,
    {
      port: { type: 'string' },
      users: { type: 'string' },
      records: { type: 'string' },
      seed: { type: 'string' },
      model: { type: 'string', default: 'token' },
      capacity: { type: 'boolean', default: false },
      dir: { type: 'string' },
      verbose: { type: 'boolean' },
    },
    usage,
  );
  if (v.model !== 'token' && v.model !== 'userBased') {
    throw new UsageError(`--model must be token or userBased, not "${v.model}".`);
  }
  const port = portOf(v.port);
  const users = positiveInt(v.users, '--users', 500, 1_000_000);
  const sim = await startQrsSimulator({
    port,
    users,
    ...(v.records ? { usageRecords: positiveInt(v.records, '--records', users * 8, 50_000_000) } : {}),
    seed: positiveInt(v.seed, '--seed', 1, 2 ** 31),
    licenseModel: v.model,
    capacity: v.capacity === true,
    logger: ctx.logger,
  });
  try {
    const dir = v.dir ? path.resolve(v.dir) : await mkdtemp(path.join(tmpdir(), 'license-steward-sim-'));
    const files = await writeSimConnectionFiles(sim, dir);
    ctx.out(
      [
        `QRS simulator listening on ${sim.url} (${users} users).`,
        `Config: ${files.configFile}`,
        `Connections: sim (certificate), sim-header (header auth), sim-jwt (JWT; export ${files.jwtEnv.name}=${files.jwtEnv.value})`,
        `Try: license-steward rank --config ${files.configFile} --connection sim`,
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
    await untilStopped(ctx);
  } finally {
    await sim.close();
  }
  return EXIT.ok;
}
