/**
 * The dated Qlik Cloud API version this client speaks, and the warnings a tenant sends when it
 * plans to stop speaking it.
 */
import type { Logger } from '../../core/logger';

/** The request header that picks a dated API version; without it a tenant assumes its oldest. */
export const API_VERSION_HEADER = 'qlik-api-version';

/**
 * The version pinned: the newest Qlik supports (2026-05, 2026-08 and 2026-11 are; reference
 * A.00). specs/cloud/ carry no version of their own; where they differ from qlik.dev's current
 * files it is by fields added since (the overview's `version`), and an added field is not the
 * breaking change a new dated version marks, so they describe 2026-11 too. Move it together with
 * the specs; the simulator serves the same as its newest (sim/cloud/cloudApiVersions.ts).
 */
export const QLIK_API_VERSION = '2026-11';

/**
 * Response headers that announce the end of an API or version: RFC 9745 `Deprecation` and
 * RFC 8594 `Sunset`. Qlik documents that deprecations arrive in headers without naming them.
 */
const NOTICE_HEADERS = ['deprecation', 'sunset'] as const;

/** Headers as the transport hands them over. */
type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

/**
 * Logs each deprecation or sunset notice once per header value, as a warning: an admin who reads
 * the log should hear of it before the tenant stops answering, but not on every page of a sync.
 */
export class DeprecationNotices {
  private readonly seen = new Set<string>();

  constructor(private readonly logger: Logger) {}

  /** Looks at one answer's headers. */
  observe(request: string, headers: ResponseHeaders): void {
    for (const name of NOTICE_HEADERS) {
      const raw = headers[name];
      const value = Array.isArray(raw) ? raw.join(', ') : raw;
      if (!value || this.seen.has(`${name}: ${value}`)) {
        continue;
      }
      this.seen.add(`${name}: ${value}`);
      const what = name === 'sunset' ? `will stop answering it after ${value}` : `marks it deprecated (Deprecation: ${value})`;
      this.logger.warn(
        `Qlik Cloud ${what} for ${request} with ${API_VERSION_HEADER} ${QLIK_API_VERSION}. License Steward needs an update before then; until then it keeps working.`,
      );
    }
  }
}
