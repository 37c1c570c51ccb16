import type { Logger } from '../../core/logger';

/**
 * How the client proves who it is. Secret material (private key, passphrase, JWT) arrives
 * already resolved from the CredentialStore; nothing here reads settings or files.
 */
export type QrsAuth =
  | {
      /** Mutual TLS straight to the repository on :4242, acting as `X-Qlik-User`. */
      readonly mode: 'certificate';
      /** PEM text of client.pem. */
      readonly cert: string;
      /** PEM text of client_key.pem (may be encrypted; then `passphrase` opens it). */
      readonly key: string;
      readonly passphrase?: string;
      readonly userDirectory: string;
      readonly userId: string;
    }
  | {
      /** A virtual proxy with header authentication: `<headerName>: <headerValue>`. */
      readonly mode: 'header';
      readonly headerName: string;
      readonly headerValue: string;
    }
  | {
      /** A virtual proxy with JWT authentication: `Authorization: Bearer <token>`. */
      readonly mode: 'jwt';
      readonly token: string;
    };

/** Everything a QRS client needs to talk to one site. */
export interface QrsClientOptions {
  /** `https://host:4242` (certificate) or `https://host/<virtual-proxy-prefix>`; `/qrs` is appended. */
  readonly baseUrl: string;
  readonly auth: QrsAuth;
  /** PEM text of the CA that signed the server certificate (root.pem); system CAs when absent. */
  readonly ca?: string;
  /**
   * Verification is on unless the admin switched it off for this connection; the client then
   * logs a warning on every connect.
   */
  readonly rejectUnauthorized?: boolean;
  /** Per-request timeout; 30 s when absent. */
  readonly timeoutMs?: number;
  /** Rows per `/table` page for large reads; 20,000 when absent. */
  readonly pageSize?: number;
  readonly logger?: Logger;
  /**
   * The clock that quarantine ends are compared with; `Date.now` when absent. Tests and the
   * demo pass the simulator's clock.
   */
  readonly now?: () => number;
}
