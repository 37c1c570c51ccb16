import type { Logger } from '../../core/logger';
import type { LicstatsReportPaths } from './licstatsReports';

/** Everything a License Statistics client needs to talk to one server. */
export interface LicstatsClientOptions {
  /**
   * `https://licstat.example.com`, with the port when it is not the scheme's (reference §2) and
   * any path prefix a proxy adds; report paths are appended to it.
   */
  readonly baseUrl: string;
  /**
   * The API token (sent as `X-Auth-token`), already resolved from the CredentialStore. It never
   * expires and carries every permission of the user who created it, so it appears in no message.
   */
  readonly token: string;
  /** Where each report lives (`resolveReportPaths`); the v1 paths when absent. */
  readonly reports?: LicstatsReportPaths;
  /** PEM text of the CA that signed the server certificate; the system's CAs when absent. */
  readonly ca?: string;
  /** Verification is on unless the admin switched it off; the transport then warns on every connect. */
  readonly rejectUnauthorized?: boolean;
  /** Per-request timeout; 30 s when absent. */
  readonly timeoutMs?: number;
  /** Rows per page (`limit`); 1,000 when absent. No maximum is documented (reference §3). */
  readonly pageSize?: number;
  /** A borrowed license out this many days or longer counts as idle; 7 when absent. */
  readonly idleBorrowDays?: number;
  /** Features expiring within this many days are reported; 30 when absent. */
  readonly expiryWarningDays?: number;
  /** Feature denial reports read at once (one request per feature); 4 when absent. */
  readonly denialConcurrency?: number;
  readonly logger?: Logger;
  /** The clock the windows and ages are computed with; `Date.now` when absent. Tests pass the simulator's. */
  readonly now?: () => number;
}
