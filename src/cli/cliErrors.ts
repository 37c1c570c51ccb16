import { failureKindOf, type FailureKind } from '../core/errors';

/** Exit codes schedulers can branch on (the README's table). */
export const EXIT = {
  ok: 0,
  /** Bad arguments, bad config file, a refused confirmation, a local problem (data directory). */
  usage: 1,
  /** Could not reach or authenticate to the server (network, TLS, credentials, missing secret, 502/503/504). */
  connection: 2,
  /** The server answered but refused or did not understand (4xx/5xx, rights, protocol). */
  refused: 3,
  /** A write may or may not have been applied: its answer was unclear and reading back failed. */
  outcomeUnknown: 4,
  /** Stopped by Ctrl+C (SIGINT), as shells report it. */
  interrupted: 130,
  /** Stopped by SIGTERM. */
  terminated: 143,
} as const;

const EXIT_OF_KIND: Readonly<Record<FailureKind, number>> = {
  usage: EXIT.usage,
  config: EXIT.usage,
  local: EXIT.usage,
  network: EXIT.connection,
  tls: EXIT.connection,
  auth: EXIT.connection,
  // Signed in, and the server refused the action: the account lacks rights.
  rights: EXIT.refused,
  server: EXIT.refused,
  protocol: EXIT.refused,
  outcomeUnknown: EXIT.outcomeUnknown,
  // Ctrl+C at a prompt in raw mode raises no signal but is the same interruption; a declined
  // prompt is a usage error, not a cancel.
  cancelled: EXIT.interrupted,
};

/** Which exit code an error means, so schedulers can tell a typo from an outage. */
export function exitCodeOf(e: unknown): number {
  return EXIT_OF_KIND[failureKindOf(e)];
}
