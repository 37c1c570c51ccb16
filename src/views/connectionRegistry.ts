import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CloudConnectionConfig, ConnectionConfig, LicstatsConnectionConfig, QrsConnectionConfig } from '../core/connectionConfig';
import type { Logger } from '../core/logger';
import { ConfigError, MissingSecretError } from '../core/errors';
import type { ConnectionSecret, VscodeCredentialStore } from '../secrets/vscodeCredentialStore';
import { createCloudSource, type CloudSource } from '../sources/cloud/cloudSource';
import type { CloudAuth } from '../sources/cloud/cloudOptions';
import { resolveReportPaths } from '../sources/licstats/licstatsReports';
import { createLicstatsSource, type LicstatsSource } from '../sources/licstats/licstatsSource';
import type { QrsAuth, QrsClientOptions } from '../sources/qrs/qrsOptions';
import { createQrsSource, type QrsSource } from '../sources/qrs/qrsSource';
import { DEMOS, type DemoKind } from './demos';
import { Disposable } from './disposable';
import type { Settings } from './settings';

/**
 * A live source the caller closes: a LicenseSource with `close()`, and by `system` the source of
 * that kind, for what only one system has (a tenant's role check, a token check).
 */
export type OpenedSource = QrsSource | CloudSource | LicstatsSource;

/** A connection the tree shows: from settings, or the in-memory demo site. */
export interface ConnectionEntry {
  /** Key for secrets and tree state. */
  readonly id: string;
  readonly config: ConnectionConfig;
  /** The demo site lives only as long as this window. */
  readonly demo: boolean;
}

/** A simulator running for a demo, and how to open a source on it. */
interface RunningDemo {
  readonly entry: ConnectionEntry;
  open(logger: Logger): OpenedSource;
  close(): Promise<void>;
}

/** Settings entries without an id are keyed by name, so hand-written settings still work. */
export function entryId(c: ConnectionConfig): string {
  return c.id ?? `name:${c.name.toLowerCase()}`;
}

function expandPath(p: string): string {
  return p.startsWith('~/') ? path.join(homedir(), p.slice(2)) : p;
}

async function readPem(file: string, what: string, connection: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(expandPath(file), 'utf8');
  } catch (e) {
    throw new ConfigError(
      `Connection "${connection}": the ${what} ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Run "License Steward: Edit Connection" to pick it again.`,
      { cause: e },
    );
  }
  if (!text.includes('-----BEGIN ')) {
    throw new ConfigError(`Connection "${connection}": ${file} is not PEM. Export the certificates from the QMC in PEM format.`);
  }
  return text;
}

/**
 * Connections from settings plus the demo site, and the one place that turns a connection
 * into a live source (files from disk, secrets from SecretStorage).
 */
export class ConnectionRegistry extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** Fires when connections are added, edited or removed (here or in settings.json). */
  readonly onDidChange = this.changed.event;
  private readonly demos = new Map<DemoKind, RunningDemo>();
  /** Demos being started, so a second click waits for the first instead of starting another simulator. */
  private readonly starting = new Map<DemoKind, Promise<RunningDemo>>();

  constructor(
    private readonly settings: Settings,
    private readonly credentials: VscodeCredentialStore,
    private readonly logger: Logger,
  ) {
    super();
    this._register(settings.onDidChange(() => this.changed.fire()));
    this._register(credentials.onDidChange(() => this.changed.fire()));
  }

  list(): readonly ConnectionEntry[] {
    const fromSettings = this.settings.connections().connections.map((config) => ({ id: entryId(config), config, demo: false }));
    return [...fromSettings, ...[...this.demos.values()].map((d) => d.entry)];
  }

  /** Settings entries that could not be used, with the reason. */
  problems(): readonly string[] {
    return this.settings.connections().problems;
  }

  get(id: string): ConnectionEntry | undefined {
    return this.list().find((e) => e.id === id);
  }

  /** Adds or replaces (same id) a connection in settings, and stores its secret. */
  async save(config: ConnectionConfig & { id: string }, secret?: ConnectionSecret): Promise<void> {
    const current = this.settings.connections().connections;
    const clash = current.find((c) => c.name.toLowerCase() === config.name.toLowerCase() && entryId(c) !== config.id);
    if (clash) {
      throw new Error(`A connection named "${config.name}" exists already; choose another name.`);
    }
    const others = current.filter((c) => entryId(c) !== config.id);
    const index = current.findIndex((c) => entryId(c) === config.id);
    const next = [...others];
    next.splice(index < 0 ? next.length : index, 0, config);
    if (secret) {
      await this.credentials.setConnectionSecret(config.id, secret);
    }
    await this.settings.setConnections(next);
    this.changed.fire();
  }

  /** Removes a connection and its secret; a demo is stopped instead. */
  async remove(id: string): Promise<void> {
    const demo = [...this.demos].find(([, d]) => d.entry.id === id);
    if (demo) {
      this.demos.delete(demo[0]);
      await demo[1].close();
      this.changed.fire();
      return;
    }
    await this.settings.setConnections(this.settings.connections().connections.filter((c) => entryId(c) !== id));
    await this.credentials.delete(id);
    this.changed.fire();
  }

  /** Starts a simulated system in this extension host (once per kind) and lists it as a connection. */
  async startDemo(kind: DemoKind = 'qrs'): Promise<ConnectionEntry> {
    const running = this.demos.get(kind);
    if (running) {
      return running.entry;
    }
    let start = this.starting.get(kind);
    if (!start) {
      start = this.launchDemo(kind).finally(() => this.starting.delete(kind));
      this.starting.set(kind, start);
    }
    const demo = await start;
    if (this.demos.get(kind) !== demo) {
      this.demos.set(kind, demo);
      this.logger.info(`[demo] ${demo.entry.config.name} listening on ${demo.entry.config.url}`);
      this.changed.fire();
    }
    return demo.entry;
  }

  /**
   * Each simulator is loaded on first use: the simulators (certificate generation, contract
   * schemas) are most of the bundle, and every activation would otherwise pay for evaluating them.
   */
  private async launchDemo(kind: DemoKind): Promise<RunningDemo> {
    const { id, name } = DEMOS[kind];
    const logger = this.logger;
    switch (kind) {
      case 'qrs': {
        const { startQrsSimulator } = await import('../sim/qrs/qrsSimulator');
        const sim = await startQrsSimulator({ users: 500, seed: 7, logger });
        const c = sim.certificates;
        return {
          entry: { id, demo: true, config: { name, kind: 'qrs', url: sim.url, auth: { mode: 'certificate', certFile: '(generated)', userDirectory: 'INTERNAL', userId: 'sa_api' }, tlsVerify: true } },
          open: (log) =>
            createQrsSource({ baseUrl: sim.url, ca: c.ca, auth: { mode: 'certificate', cert: c.clientCert, key: c.clientKey, userDirectory: 'INTERNAL', userId: 'sa_api' }, logger: log }),
          close: () => sim.close(),
        };
      }
      case 'cloud':
      case 'capacity': {
        const { startCloudSimulator } = await import('../sim/cloud/cloudSimulator');
        const subscription = kind === 'cloud' ? 'user-based' : 'capacity';
        const sim = await startCloudSimulator({ users: 300, seed: 7, subscription, logger });
        return {
          entry: { id, demo: true, config: { name, kind: 'cloud', url: sim.url, auth: { mode: 'apiKey' }, tlsVerify: true } },
          open: (log) => createCloudSource({ baseUrl: sim.url, ca: sim.certificates.ca, auth: { mode: 'apiKey', apiKey: sim.apiKey }, logger: log }),
          close: () => sim.close(),
        };
      }
      case 'licstats': {
        const { startLicstatsSimulator } = await import('../sim/licstats/licstatsSimulator');
        const sim = await startLicstatsSimulator({ seed: 7, logger });
        return {
          entry: { id, demo: true, config: { name, kind: 'licstats', url: sim.url, auth: { mode: 'token' }, tlsVerify: true } },
          open: (log) => createLicstatsSource({ baseUrl: sim.url, ca: sim.certificates.ca, token: sim.apiToken, logger: log }),
          close: () => sim.close(),
        };
      }
    }
  }

  /**
   * Opens a live source of the connection's kind; the caller closes it. Missing files or secrets
   * say how to fix them. `secret` stands in for the stored one: a connection is tested before it
   * is saved.
   */
  async open(entry: ConnectionEntry, secret?: ConnectionSecret): Promise<OpenedSource> {
    const demo = entry.demo ? [...this.demos.values()].find((d) => d.entry.id === entry.id) : undefined;
    if (demo) {
      return demo.open(this.logger);
    }
    const held = secret ?? (await this.credentials.getConnectionSecret(entry.id));
    const { config } = entry;
    switch (config.kind) {
      case 'qrs':
        return this.openQrs(config, held);
      case 'cloud':
        return this.openCloud(config, held);
      case 'licstats':
        return this.openLicstats(config, held);
    }
  }

  private async openCloud(config: CloudConnectionConfig, held: ConnectionSecret): Promise<CloudSource> {
    const a = config.auth;
    let auth: CloudAuth;
    if (a.mode === 'apiKey') {
      if (!held.apiKey) {
        throw new MissingSecretError(`Connection "${config.name}" has no API key stored; run "License Steward: Edit Connection" to enter it.`);
      }
      auth = { mode: 'apiKey', apiKey: held.apiKey };
    } else {
      if (!held.clientSecret) {
        throw new MissingSecretError(`Connection "${config.name}" has no client secret stored for OAuth client ${a.clientId}; run "License Steward: Edit Connection" to enter it.`);
      }
      auth = { mode: 'oauth', clientId: a.clientId, clientSecret: held.clientSecret, ...(a.scope ? { scope: a.scope } : {}) };
    }
    const ca = a.caFile ? await readPem(a.caFile, 'CA file', config.name) : undefined;
    return createCloudSource({
      baseUrl: config.url,
      auth,
      ...(ca ? { ca } : {}),
      rejectUnauthorized: config.tlsVerify,
      ...(config.timeoutSeconds ? { timeoutMs: config.timeoutSeconds * 1000 } : {}),
      ...(config.subscription ? { subscription: config.subscription } : {}),
      logger: this.logger,
    });
  }

  private async openLicstats(config: LicstatsConnectionConfig, held: ConnectionSecret): Promise<LicstatsSource> {
    if (!held.token) {
      throw new MissingSecretError(`Connection "${config.name}" has no License Statistics API token stored; run "License Steward: Edit Connection" to enter it.`);
    }
    let reports;
    try {
      reports = resolveReportPaths(config.reports);
    } catch (e) {
      // The overrides live in settings.json: say which connection's entry to correct.
      throw e instanceof ConfigError ? new ConfigError(`Connection "${config.name}": ${e.message}`, { cause: e }) : e;
    }
    const ca = config.auth.caFile ? await readPem(config.auth.caFile, 'CA file', config.name) : undefined;
    return createLicstatsSource({
      baseUrl: config.url,
      token: held.token,
      reports,
      ...(ca ? { ca } : {}),
      rejectUnauthorized: config.tlsVerify,
      ...(config.timeoutSeconds ? { timeoutMs: config.timeoutSeconds * 1000 } : {}),
      logger: this.logger,
    });
  }

  private async openQrs(config: QrsConnectionConfig, held: ConnectionSecret): Promise<QrsSource> {
    const logger = this.logger;
    const a = config.auth;
    const { privateKey, passphrase, token } = held;
    const ca = a.caFile ? await readPem(a.caFile, 'CA file (root.pem)', config.name) : undefined;
    let auth: QrsAuth;
    switch (a.mode) {
      case 'certificate': {
        const cert = await readPem(a.certFile, 'client certificate (client.pem)', config.name);
        const key = privateKey ?? (a.keyFile ? await readPem(a.keyFile, 'client key', config.name) : undefined);
        if (!key) {
          throw new MissingSecretError(`Connection "${config.name}" has no client key stored; run "License Steward: Edit Connection" and pick client_key.pem.`);
        }
        auth = {
          mode: 'certificate',
          cert,
          key,
          userDirectory: a.userDirectory,
          userId: a.userId,
          ...(passphrase ? { passphrase } : {}),
        };
        break;
      }
      case 'header':
        auth = { mode: 'header', headerName: a.headerName, headerValue: a.headerValue };
        break;
      case 'jwt':
        if (!token) {
          throw new MissingSecretError(`Connection "${config.name}" uses JWT and no token is stored; run "License Steward: Edit Connection" to enter it.`);
        }
        auth = { mode: 'jwt', token };
        break;
    }
    const options: QrsClientOptions = {
      baseUrl: config.url,
      auth,
      ...(ca ? { ca } : {}),
      rejectUnauthorized: config.tlsVerify,
      ...(config.timeoutSeconds ? { timeoutMs: config.timeoutSeconds * 1000 } : {}),
      logger,
    };
    return createQrsSource(options);
  }

  override dispose(): void {
    const running = [...this.demos.values()];
    this.demos.clear();
    for (const d of running) {
      void d.close();
    }
    super.dispose();
  }
}
