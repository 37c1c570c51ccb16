import type { Logger } from '../core/logger';
import { KeychainUnavailableError, type CredentialStore } from './credentialStore';

/** The keychain service name secrets are filed under. */
export const KEYCHAIN_SERVICE = 'license-steward';

/** `LICENSE_STEWARD_SECRET_<NAME>`: upper case, anything but letters and digits becomes `_`. */
export function secretEnvVar(connection: string): string {
  return `LICENSE_STEWARD_SECRET_${connection.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The three keytar calls we use; keytar is optional, so its types are not assumed. */
interface Keychain {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

function isKeychain(m: unknown): m is Keychain {
  const k = m as Partial<Keychain> | null;
  return !!k && typeof k.getPassword === 'function' && typeof k.setPassword === 'function' && typeof k.deletePassword === 'function';
}

/** Loads keytar when it is installed; undefined (and why) when it is not. */
export async function loadKeychain(): Promise<{ keychain?: Keychain; why?: string }> {
  try {
    // A computed specifier keeps the type checker and the bundler from requiring the optional module.
    const specifier = 'keytar';
    const mod: unknown = await import(specifier);
    const k = isKeychain(mod) ? mod : (mod as { default?: unknown }).default;
    return isKeychain(k) ? { keychain: k } : { why: 'the keytar module has an unexpected shape' };
  } catch (e) {
    return { why: `keytar is not installed (${(e as Error).message.split('\n')[0]})` };
  }
}

/**
 * Environment first (schedulers and CI set it), then the OS keychain. Writes go to the keychain
 * only: a CLI cannot set its parent's environment.
 */
export class CliCredentialStore implements CredentialStore {
  private keychain?: Promise<{ keychain?: Keychain; why?: string }>;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly logger: Logger,
    keychain?: () => Promise<{ keychain?: Keychain; why?: string }>,
  ) {
    this.load = keychain ?? loadKeychain;
  }

  private readonly load: () => Promise<{ keychain?: Keychain; why?: string }>;

  private chain(): Promise<{ keychain?: Keychain; why?: string }> {
    this.keychain ??= this.load();
    return this.keychain;
  }

  async get(connection: string): Promise<string | undefined> {
    const fromEnv = this.env[secretEnvVar(connection)];
    if (fromEnv) {
      return fromEnv;
    }
    const { keychain, why } = await this.chain();
    if (!keychain) {
      this.logger.debug(`no keychain: ${why ?? 'unknown reason'}`);
      return undefined;
    }
    try {
      return (await keychain.getPassword(KEYCHAIN_SERVICE, connection)) ?? undefined;
    } catch (e) {
      // A locked or absent Secret Service must not hide the env-var route from the message.
      this.logger.warn(`the OS keychain could not be read: ${(e as Error).message}`);
      return undefined;
    }
  }

  async set(connection: string, secret: string): Promise<void> {
    const { keychain, why } = await this.chain();
    if (!keychain) {
      throw new KeychainUnavailableError(`Cannot store the secret: ${why}. Install keytar (npm install keytar) or set ${secretEnvVar(connection)} instead.`);
    }
    await keychain.setPassword(KEYCHAIN_SERVICE, connection, secret);
  }

  async delete(connection: string): Promise<void> {
    const { keychain } = await this.chain();
    await keychain?.deletePassword(KEYCHAIN_SERVICE, connection);
  }

  howToProvide(connection: string): string {
    return `set the environment variable ${secretEnvVar(connection)}, or store it in the OS keychain with "license-steward login --connection ${connection}"`;
  }
}
