import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { QrsSimulator } from '../sim/qrs/qrsSimulator';
import { secretEnvVar } from '../secrets/cliCredentialStore';

/** Where `sim qrs` wrote its files, and the JWT its jwt connection needs. */
export interface SimConnectionFiles {
  readonly configFile: string;
  readonly jwtEnv: { readonly name: string; readonly value: string };
}

/**
 * Writes the simulator's certificates (as the QMC exports them: root.pem, client.pem,
 * client_key.pem) and a config with one connection per auth mode.
 */
export async function writeSimConnectionFiles(sim: QrsSimulator, dir: string): Promise<SimConnectionFiles> {
  await mkdir(dir, { recursive: true });
  const write = (name: string, text: string, mode = 0o644) => writeFile(path.join(dir, name), text, { mode });
  await write('root.pem', sim.certificates.ca);
  await write('client.pem', sim.certificates.clientCert);
  await write('client_key.pem', sim.certificates.clientKey, 0o600);
  const config = {
    connections: [
      {
        name: 'sim',
        kind: 'qrs',
        url: sim.url,
        auth: { mode: 'certificate', certFile: 'client.pem', keyFile: 'client_key.pem', caFile: 'root.pem', userDirectory: 'INTERNAL', userId: 'sa_api' },
      },
      {
        name: 'sim-header',
        kind: 'qrs',
        url: `${sim.url}/${sim.headerProxy.prefix}`,
        auth: { mode: 'header', headerName: sim.headerProxy.headerName, headerValue: 'CORP\\admin', caFile: 'root.pem' },
      },
      { name: 'sim-jwt', kind: 'qrs', url: `${sim.url}/${sim.jwtProxy.prefix}`, auth: { mode: 'jwt', caFile: 'root.pem' } },
    ],
  };
  const configFile = path.join(dir, 'license-steward.json');
  await write('license-steward.json', JSON.stringify(config, null, 2) + '\n');
  const jwt = sim.signJwt({ userId: 'admin', userDirectory: 'CORP' }, { expiresInSeconds: 12 * 3600 });
  return { configFile, jwtEnv: { name: secretEnvVar('sim-jwt'), value: jwt } };
}

/** A config written for a simulator whose connection signs in with one secret (API key, token). */
export interface SimSecretConnectionFiles {
  readonly configFile: string;
  /** `export NAME=value` for the connection's secret. */
  readonly secretEnv: { readonly name: string; readonly value: string };
}

/**
 * Writes root.pem and a config with one connection of `kind` to `url`, whose secret goes in the
 * environment (the simulator's own, so printing it is harmless).
 */
export async function writeSimSecretConnectionFile(
  dir: string,
  connection: { readonly name: string; readonly kind: 'cloud' | 'licstats'; readonly url: string; readonly auth: Readonly<Record<string, string>> },
  ca: string,
  secret: string,
): Promise<SimSecretConnectionFiles> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'root.pem'), ca, { mode: 0o644 });
  const config = { connections: [{ ...connection, auth: { ...connection.auth, caFile: 'root.pem' } }] };
  const configFile = path.join(dir, 'license-steward.json');
  await writeFile(configFile, JSON.stringify(config, null, 2) + '\n', { mode: 0o644 });
  return { configFile, secretEnv: { name: secretEnvVar(connection.name), value: secret } };
}
