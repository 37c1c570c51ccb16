import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeSimConnectionFiles } from '../../src/cli/simConnectionFile';
import { startQrsSimulator, type QrsSimulator, type QrsSimulatorOptions } from '../../src/sim/qrs/qrsSimulator';
import { startFaultProxy, type FaultProxy } from './faultProxy';

/** The connections `writeSimConnectionFiles` writes: certificate, header and JWT auth. */
export type SiteConnection = 'sim' | 'sim-header' | 'sim-jwt';

/** The config file as JSON, for `editConfig`. */
export interface SiteConfigJson {
  connections: Record<string, unknown>[];
  rules?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A simulator's options, plus what the fixture adds. */
export interface FaultSiteOptions extends QrsSimulatorOptions {
  /**
   * `timeoutSeconds` for every connection (the product's default is 30 s; a test of a hanging
   * answer wants about 1). Fractions are allowed.
   */
  readonly timeoutSeconds?: number;
  /** The config's `rules` section (windowDays, inactiveDays, ...). */
  readonly rules?: Record<string, unknown>;
}

/** A simulated site behind a fault proxy, with the files a user of the CLI would have. */
export interface FaultSite {
  readonly sim: QrsSimulator;
  readonly proxy: FaultProxy;
  /** The temp folder holding everything below; removed by `close()`. */
  readonly dir: string;
  /** license-steward.json: connections sim, sim-header and sim-jwt, all pointing at the proxy. */
  readonly configFile: string;
  /** The same connections straight to the simulator, for comparing with and without the proxy. */
  readonly directConfigFile: string;
  /**
   * The CLI's data directory (history, audit). `env` makes it the default one, so commands need
   * no --data-dir, and nothing lands in the real home directory.
   */
  readonly dataDir: string;
  /**
   * Environment for CLI runs: the sim-jwt connection's token (LICENSE_STEWARD_SECRET_SIM_JWT)
   * and XDG_DATA_HOME (making `dataDir` the default data directory).
   */
  readonly env: Readonly<Record<string, string>>;
  /** `[command, '--config', configFile, '--connection', connection, ...rest]`. */
  cliArgs(command: string, connection?: SiteConnection, ...rest: string[]): string[];
  /** Rewrites the proxied config file (e.g. a shorter timeout for one test). */
  editConfig(edit: (config: SiteConfigJson) => void): Promise<void>;
  /** Closes the proxy and the simulator and removes `dir`. */
  close(): Promise<void>;
}

/** Points `url` at the proxy, keeping its path (a virtual proxy prefix such as /jwt). */
function viaProxy(url: string, proxy: FaultProxy): string {
  const u = new URL(url);
  const p = new URL(proxy.url);
  u.hostname = p.hostname;
  u.port = p.port;
  return u.toString().replace(/\/$/, '');
}

/**
 * Starts a simulator (with `options`) and a fault proxy in front of it, and writes the CLI's
 * connection files (root.pem, client.pem, client_key.pem, license-steward.json) into a temp
 * folder with every connection URL rewritten to the proxy.
 */
export async function startFaultSite(options: FaultSiteOptions = {}): Promise<FaultSite> {
  const { timeoutSeconds, rules, ...simOptions } = options;
  const dir = await mkdtemp(path.join(tmpdir(), 'ls-fault-'));
  let sim: QrsSimulator | undefined;
  let proxy: FaultProxy | undefined;
  try {
    sim = await startQrsSimulator(simOptions);
    proxy = await startFaultProxy({ upstream: sim });
    const files = await writeSimConnectionFiles(sim, dir);
    const direct = JSON.parse(await readFile(files.configFile, 'utf8')) as SiteConfigJson;
    for (const c of direct.connections) {
      if (timeoutSeconds !== undefined) {
        c['timeoutSeconds'] = timeoutSeconds;
      }
    }
    if (rules) {
      direct.rules = { ...rules };
    }
    const directConfigFile = path.join(dir, 'direct.json');
    await writeFile(directConfigFile, JSON.stringify(direct, null, 2) + '\n');
    const proxied: SiteConfigJson = structuredClone(direct);
    for (const c of proxied.connections) {
      c['url'] = viaProxy(String(c['url']), proxy);
    }
    const configFile = files.configFile;
    const writeConfig = (config: SiteConfigJson): Promise<void> => writeFile(configFile, JSON.stringify(config, null, 2) + '\n');
    await writeConfig(proxied);

    const xdgDataHome = path.join(dir, 'xdg-data');
    // What defaultDataDir() picks on Linux from XDG_DATA_HOME.
    const dataDir = path.join(xdgDataHome, 'license-steward');
    await mkdir(dataDir, { recursive: true });
    const env = { [files.jwtEnv.name]: files.jwtEnv.value, XDG_DATA_HOME: xdgDataHome };

    const started = { sim, proxy };
    return {
      sim,
      proxy,
      dir,
      configFile,
      directConfigFile,
      dataDir,
      env,
      cliArgs: (command, connection = 'sim', ...rest) => [command, '--config', configFile, '--connection', connection, ...rest],
      editConfig: async (edit) => {
        const config = JSON.parse(await readFile(configFile, 'utf8')) as SiteConfigJson;
        edit(config);
        await writeConfig(config);
      },
      close: async () => {
        try {
          await started.proxy.close();
          await started.sim.close();
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (e) {
    await proxy?.close();
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
