import type { QrsConnectionConfig } from '../core/connectionConfig';
import { ConfigError, MissingSecretError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { CredentialStore } from '../secrets/credentialStore';
import type { QrsAuth } from '../sources/qrs/qrsOptions';
import { isEncryptedKey } from '../sources/qrs/qrsPem';
import { createQrsSource, type QrsSource } from '../sources/qrs/qrsSource';
import { readPem } from './loadConfig';

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
