/**
 * The only way code reads or writes a connection's secret (JWT, key passphrase, private key).
 * VS Code backs it with SecretStorage; the CLI with environment variables and the OS keychain.
 */
export interface CredentialStore {
  /** The secret stored for the connection, or undefined. */
  get(connection: string): Promise<string | undefined>;
  set(connection: string, secret: string): Promise<void>;
  delete(connection: string): Promise<void>;
  /** Where a missing secret should be put, for the error message. */
  howToProvide(connection: string): string;
}

import { StewardError } from '../core/errors';

/** Secrets cannot be stored here (no OS keychain); the message says what to do instead. */
export class KeychainUnavailableError extends StewardError {
  override readonly code = 'KEYCHAIN_UNAVAILABLE';
  override readonly kind = 'config';
  override readonly name = 'KeychainUnavailableError';
}
