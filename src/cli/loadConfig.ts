import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parseConfig, type StewardConfig } from '../core/connectionConfig';
import { ConfigError } from '../core/errors';

/** A config file, parsed, with the folder its relative paths start from. */
export interface LoadedConfig {
  readonly file: string;
  readonly dir: string;
  readonly config: StewardConfig;
}

/** Reads and validates `--config FILE`; every failure names the file and the fix. */
export async function loadConfig(file: string): Promise<LoadedConfig> {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'ENOENT'
        ? `Config file ${abs} does not exist. Create one (see README, "Connections"), or run "license-steward sim qrs" to get one for the simulator.`
        : `Config file ${abs} cannot be read (${code ?? (e as Error).message}).`,
    );
  }
  let json: unknown;
  try {
    // Notepad and PowerShell's Out-File write UTF-8 with a byte-order mark; JSON.parse rejects it.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ConfigError(`Config file ${abs} is not valid JSON: ${(e as Error).message}.`);
  }
  return { file: abs, dir: path.dirname(abs), config: parseConfig(json, abs) };
}

/** Reads a PEM file named in a config, resolving it against the config's folder. */
export async function readPem(dir: string, file: string, what: string, connection: string): Promise<string> {
  const abs = path.resolve(dir, file);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (e) {
    throw new ConfigError(`Connection "${connection}": the ${what} file ${abs} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  if (!text.includes('-----BEGIN ')) {
    throw new ConfigError(`Connection "${connection}": the ${what} file ${abs} is not PEM. Export the certificates from the QMC in PEM format (client.pem, client_key.pem, root.pem).`);
  }
  return text;
}
