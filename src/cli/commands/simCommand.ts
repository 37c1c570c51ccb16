import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startQrsSimulator } from '../../sim/qrs/qrsSimulator';
import type { CliCommand } from '../cliContext';
import { UsageError } from '../../core/errors';
import { EXIT } from '../cliErrors';
import { parseCommandArgs, positiveInt } from '../cliArgs';
import { writeSimConnectionFiles } from '../simConnectionFile';

const usage =
  'license-steward sim qrs [--port N] [--users N] [--records N] [--seed N] [--model token|userBased] [--capacity] [--dir DIR]';

/** `sim qrs`: a Qlik Sense repository simulator on loopback, plus a ready config file. */
export const simCommand: CliCommand = {
  name: 'sim',
  summary: 'run a QRS simulator on loopback and write a ready connection file',
  usage,
  endsOnSignal: true,
  async run(argv, ctx) {
    const [system, ...rest] = argv;
    if (system !== 'qrs') {
      throw new UsageError(`Only "sim qrs" exists so far.\nUsage: ${usage}`);
    }
    const v = parseCommandArgs(
      rest,
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
    const port = v.port === undefined ? 0 : v.port === '0' ? 0 : positiveInt(v.port, '--port', 0, 65535);
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
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) {
          resolve();
        }
        ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } finally {
      await sim.close();
    }
    return EXIT.ok;
  },
};
