import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConnectionConfig } from '../core/connectionConfig';
import type { Logger } from '../core/logger';
import { ConfigError, MissingSecretError } from '../core/errors';
import type { ConnectionSecret, VscodeCredentialStore } from '../secrets/vscodeCredentialStore';
import type { QrsSimulator } from '../sim/qrs/qrsSimulator';
import type { QrsAuth, QrsClientOptions } from '../sources/qrs/qrsOptions';
import { createQrsSource, type QrsSource } from '../sources/qrs/qrsSource';
import { Disposable } from './disposable';
import type { Settings } from './settings';

/** A connection the tree shows: from settings, or the in-memory demo site. */
export interface ConnectionEntry {
  /** Key for secrets and tree state. */
  readonly id: string;
  readonly config: ConnectionConfig;
  /** The demo site lives only as long as this window. */
  readonly demo: boolean;
}

/** The name the demo connection gets. */
export const DEMO_NAME = 'Demo site';

/** The demo connection's id: the same in every window, so its history tabs can tell it is the demo. */
export const DEMO_ID = 'demo';

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
  private demo: { entry: ConnectionEntry; sim: QrsSimulator } | undefined;

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
    return this.demo ? [...fromSettings, this.demo.entry] : fromSettings;
  }

  /** Settings entries that could not be used, with the reason. */
  problems(): readonly string[] {
    return this.settings.connections().problems;
  }

  get(id: string): ConnectionEntry | undefined {
    return this.list().find((e) => e.id === id);
  }

  /** Adds or replaces (same id) a connection in settings, and stores its secret. */
  async save(config: ConnectionConfig & { id: string }, secret?: { privateKey?: string; passphrase?: string; token?: string }): Promise<void> {
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

  /** Removes a connection and its secret; the demo site is stopped instead. */
  async remove(id: string): Promise<void> {
    if (this.demo?.entry.id === id) {
      await this.stopDemo();
      this.changed.fire();
      return;
    }
    await this.settings.setConnections(this.settings.connections().connections.filter((c) => entryId(c) !== id));
    await this.credentials.delete(id);
    this.changed.fire();
  }

  /** Starts the simulated site in this extension host (once) and lists it as a connection. */
  async startDemo(): Promise<ConnectionEntry> {
    if (this.demo) {
      return this.demo.entry;
    }
    // Loaded on first use: the simulator (certificate generation, contract schemas) is most of the
    // bundle, and every activation would otherwise pay for evaluating it.
    const { startQrsSimulator } = await import('../sim/qrs/qrsSimulator');
    const sim = await startQrsSimulator({ users: 500, seed: 7, logger: this.logger });
    const entry: ConnectionEntry = {
      id: DEMO_ID,
      demo: true,
      config: {
        name: DEMO_NAME,
        kind: 'qrs',
        url: sim.url,
        auth: { mode: 'certificate', certFile: '(generated)', userDirectory: 'INTERNAL', userId: 'sa_api' },
        tlsVerify: true,
      },
    };
    this.demo = { entry, sim };
    this.logger.info(`[demo] simulated Qlik Sense repository listening on ${sim.url}`);
    this.changed.fire();
    return entry;
  }

  private async stopDemo(): Promise<void> {
    const d = this.demo;
    this.demo = undefined;
    await d?.sim.close();
  }

  /**
   * Opens a live source; the caller closes it. Missing files or secrets say how to fix them.
   * `secret` stands in for the stored one: a connection is tested before it is saved.
   */
  async open(entry: ConnectionEntry, secret?: ConnectionSecret): Promise<QrsSource> {
    const logger = this.logger;
    if (entry.demo && this.demo) {
      const c = this.demo.sim.certificates;
      return createQrsSource({
        baseUrl: this.demo.sim.url,
        ca: c.ca,
        auth: { mode: 'certificate', cert: c.clientCert, key: c.clientKey, userDirectory: 'INTERNAL', userId: 'sa_api' },
        logger,
      });
    }
    const { config } = entry;
    const a = config.auth;
    const { privateKey, passphrase, token } = secret ?? (await this.credentials.getConnectionSecret(entry.id));
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
    void this.stopDemo();
    super.dispose();
  }
}
