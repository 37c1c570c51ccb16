/** Exit codes schedulers can branch on. */
export const EXIT = {
  ok: 0,
  /** Bad arguments, bad config file, a refused confirmation. */
  usage: 1,
  /** Could not reach or authenticate to the server (network, TLS, credentials, missing secret). */
  connection: 2,
  /** The server answered but refused or did not understand (4xx/5xx, rights, protocol). */
  refused: 3,
} as const;

/** A mistake in how the command was called; the message says the right way. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
