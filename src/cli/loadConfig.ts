import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parseConfig, type StewardConfig } from '../core/connectionConfig';
import { ConfigError } from '../core/errors';
import type { Policy } from '../core/policy';
import { parsePolicy } from '../core/policyParse';

/** A config file, parsed, with the folder its relative paths start from. */
export interface LoadedConfig {
  readonly file: string;
  readonly dir: string;
  readonly config: StewardConfig;
}

/**
 * Reads a JSON file an admin wrote; every failure names the file and the fix.
 * @param what "Config file", "Policy file"
 * @param missingHint what to do when it does not exist
 */
async function readJsonFile(abs: string, what: string, missingHint: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(code === 'ENOENT' ? `${what} ${abs} does not exist. ${missingHint}` : `${what} ${abs} cannot be read (${code ?? (e as Error).message}).`);
  }
  try {
    // Notepad and PowerShell's Out-File write UTF-8 with a byte-order mark; JSON.parse rejects it.
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (e) {
    throw new ConfigError(`${what} ${abs} is not valid JSON: ${(e as Error).message}.`);
  }
}

/** Reads and validates `--config FILE`; every failure names the file and the fix. */
export async function loadConfig(file: string): Promise<LoadedConfig> {
  const abs = path.resolve(file);
  const json = await readJsonFile(abs, 'Config file', 'Create one (see README, "Connections"), or run "license-steward sim qrs" to get one for the simulator.');
  return { file: abs, dir: path.dirname(abs), config: parseConfig(json, abs) };
}

/** Reads and validates `--policy FILE` against the shipped schema. */
export async function loadPolicy(file: string): Promise<{ readonly file: string; readonly policy: Policy }> {
  const abs = path.resolve(file);
  const json = await readJsonFile(abs, 'Policy file', 'Write one (see README, "Policies"); schemas/policy.schema.json lets an editor check it as you type.');
  return { file: abs, policy: parsePolicy(json, abs) };
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
