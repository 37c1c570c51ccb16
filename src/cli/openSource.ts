import type { CloudConnectionConfig, ConnectionConfig, LicstatsConnectionConfig, QrsConnectionConfig } from '../core/connectionConfig';
import type { LicenseSource } from '../core/licenseSource';
import { ConfigError, MissingSecretError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { CredentialStore } from '../secrets/credentialStore';
import type { QrsAuth } from '../sources/qrs/qrsOptions';
import { isEncryptedKey } from '../sources/qrs/qrsPem';
import { createCloudSource } from '../sources/cloud/cloudSource';
import { createLicstatsSource } from '../sources/licstats/licstatsSource';
import { resolveReportPaths } from '../sources/licstats/licstatsReports';
import { createQrsSource, type QrsSource } from '../sources/qrs/qrsSource';
import { readPem } from './loadConfig';

/** A source the CLI opened, and closes when the command is done. */
export type OpenedSource = LicenseSource & { close(): Promise<void> };

/** Opens the source a connection names, whatever its kind; `now` as for openQrsSource. */
export function openSource(conn: ConnectionConfig, configDir: string, secrets: CredentialStore, logger: Logger, now?: () => number): Promise<OpenedSource> {
  switch (conn.kind) {
    case 'qrs':
      return openQrsSource(conn, configDir, secrets, logger, now);
    case 'cloud':
      return openCloudSource(conn, configDir, secrets, logger, now);
    case 'licstats':
      return openLicstatsSource(conn, configDir, secrets, logger, now);
  }
}

/** The connection's secret, or a MissingSecretError saying what it is and how to provide it. */
async function requireSecret(conn: ConnectionConfig, secrets: CredentialStore, what: string): Promise<string> {
  const secret = await secrets.get(conn.name);
  if (!secret) {
    throw new MissingSecretError(`Connection "${conn.name}" needs ${what} and none is stored; ${secrets.howToProvide(conn.name)}.`);
  }
  return secret;
}

/** Builds a Qlik Cloud source: the API key or the OAuth client secret comes from `secrets`. */
export async function openCloudSource(conn: CloudConnectionConfig, configDir: string, secrets: CredentialStore, logger: Logger, now?: () => number): Promise<OpenedSource> {
  const a = conn.auth;
  const ca = a.caFile ? await readPem(configDir, a.caFile, 'CA certificate', conn.name) : undefined;
  const auth =
    a.mode === 'apiKey'
      ? { mode: 'apiKey' as const, apiKey: await requireSecret(conn, secrets, 'an API key') }
      : { mode: 'oauth' as const, clientId: a.clientId, clientSecret: await requireSecret(conn, secrets, `the client secret of OAuth client ${a.clientId}`), ...(a.scope ? { scope: a.scope } : {}) };
  return createCloudSource({
    baseUrl: conn.url,
    auth,
    ...(ca ? { ca } : {}),
    rejectUnauthorized: conn.tlsVerify,
    ...(conn.timeoutSeconds ? { timeoutMs: conn.timeoutSeconds * 1000 } : {}),
    ...(conn.subscription ? { subscription: conn.subscription } : {}),
    ...(now ? { now } : {}),
    logger,
  });
}

/** Builds a License Statistics source: the API token comes from `secrets`. */
export async function openLicstatsSource(conn: LicstatsConnectionConfig, configDir: string, secrets: CredentialStore, logger: Logger, now?: () => number): Promise<OpenedSource> {
  let reports;
  try {
    reports = resolveReportPaths(conn.reports);
  } catch (e) {
    throw e instanceof ConfigError ? new ConfigError(`Connection "${conn.name}": ${e.message}`, { cause: e }) : e;
  }
  const ca = conn.auth.caFile ? await readPem(configDir, conn.auth.caFile, 'CA certificate', conn.name) : undefined;
  return createLicstatsSource({
    baseUrl: conn.url,
    token: await requireSecret(conn, secrets, 'a License Statistics API token'),
    reports,
    ...(ca ? { ca } : {}),
    rejectUnauthorized: conn.tlsVerify,
    ...(conn.timeoutSeconds ? { timeoutMs: conn.timeoutSeconds * 1000 } : {}),
    ...(now ? { now } : {}),
    logger,
  });
}

/**
 * Builds a QRS source from a config entry: reads its PEM files and its secret, if it needs one.
 * `now` is the command's clock, so quarantine ends are judged by the same time as the ranking.
 */
export async function openQrsSource(
  conn: QrsConnectionConfig,
  configDir: string,
  secrets: CredentialStore,
  logger: Logger,
  now?: () => number,
): Promise<QrsSource> {
  const a = conn.auth;
  const ca = a.caFile ? await readPem(configDir, a.caFile, 'CA (root.pem)', conn.name) : undefined;
  let auth: QrsAuth;
  switch (a.mode) {
    case 'certificate': {
      const cert = await readPem(configDir, a.certFile, 'client certificate (client.pem)', conn.name);
      if (!a.keyFile) {
        throw new ConfigError(`Connection "${conn.name}": auth.keyFile is required: the path of client_key.pem as exported from the QMC.`);
      }
      const key = await readPem(configDir, a.keyFile, 'client key (client_key.pem)', conn.name);
      let passphrase: string | undefined;
      if (isEncryptedKey(key)) {
        passphrase = await secrets.get(conn.name);
        if (!passphrase) {
          throw new MissingSecretError(`Connection "${conn.name}": client_key.pem is encrypted and no passphrase is stored; ${secrets.howToProvide(conn.name)}.`);
        }
      }
      auth = { mode: 'certificate', cert, key, userDirectory: a.userDirectory, userId: a.userId, ...(passphrase ? { passphrase } : {}) };
      break;
    }
    case 'header':
      auth = { mode: 'header', headerName: a.headerName, headerValue: a.headerValue };
      break;
    case 'jwt': {
      const token = await secrets.get(conn.name);
      if (!token) {
        throw new MissingSecretError(`Connection "${conn.name}" uses JWT and no token is stored; ${secrets.howToProvide(conn.name)}.`);
      }
      auth = { mode: 'jwt', token };
      break;
    }
  }
  return createQrsSource({
    baseUrl: conn.url,
    auth,
    ...(ca ? { ca } : {}),
    rejectUnauthorized: conn.tlsVerify,
    ...(conn.timeoutSeconds ? { timeoutMs: conn.timeoutSeconds * 1000 } : {}),
    ...(now ? { now } : {}),
    logger,
  });
}
