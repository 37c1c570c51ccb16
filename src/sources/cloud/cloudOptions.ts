import type { Logger } from '../../core/logger';

/**
 * How the client proves who it is; both send `Authorization: Bearer`. Secrets arrive resolved
 * from the CredentialStore; nothing here reads settings or files.
 */
export type CloudAuth =
  | {
      /** An API key: it carries the rights of the user who created it. */
      readonly mode: 'apiKey';
      readonly apiKey: string;
    }
  | {
      /**
       * An OAuth machine-to-machine client: the client credentials buy an access token at
       * `POST /oauth/token`, cached until shortly before it expires.
       */
      readonly mode: 'oauth';
      readonly clientId: string;
      readonly clientSecret: string;
      /** Scopes to ask for; `admin_classic` (full tenant administration) when absent. */
      readonly scope?: string;
    };

/**
 * The two kinds of Qlik Cloud subscription. `user-based` (Qlik Sense Enterprise SaaS, Business,
 * Government) allots professional and analyzer licenses and analyzer capacity; `capacity`
 * (Standard, Premium, Enterprise) counts every user who signs in as a Full User, with nothing to
 * assign since February 2026.
 */
export type SubscriptionKind = 'user-based' | 'capacity';

/** Everything a Qlik Cloud client needs to talk to one tenant. */
export interface CloudClientOptions {
  /** The tenant, `https://<tenant>.<region>.qlikcloud.com`; no path. */
  readonly baseUrl: string;
  readonly auth: CloudAuth;
  /** PEM text of CA certificates to trust instead of the system's (a TLS-inspecting proxy's). */
  readonly ca?: string;
  /** Verification is on unless the admin switched it off; the client then warns on every connect. */
  readonly rejectUnauthorized?: boolean;
  /** Per-request timeout; 30 s when absent. */
  readonly timeoutMs?: number;
  /**
   * The clock OAuth token lifetimes and usage windows are judged by; `Date.now` when absent.
   * Tests and the demo pass the simulator's clock.
   */
  readonly now?: () => number;
  readonly logger?: Logger;
  /** The subscription as the connection states it; detected from the tenant's answers when absent. */
  readonly subscription?: SubscriptionKind;
}
