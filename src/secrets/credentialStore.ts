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

/** A secret the connection needs is not stored anywhere we can read. */
export class MissingSecretError extends Error {
  override readonly name = 'MissingSecretError';
}

/** Secrets cannot be stored here (no OS keychain); the message says what to do instead. */
export class KeychainUnavailableError extends Error {
  override readonly name = 'KeychainUnavailableError';
}
