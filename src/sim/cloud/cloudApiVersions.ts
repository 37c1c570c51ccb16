/**
 * Qlik Cloud's dated API versions (reference A.00, qlik.dev changelog 266): a request names one
 * in `qlik-api-version`; without it the tenant assumes the oldest supported version, and
 * deprecations are announced in response headers. The reference names no header, so the
 * simulator uses the IETF ones: `Deprecation` (RFC 9745, `@<epoch seconds>`) and `Sunset`
 * (RFC 8594, an HTTP date).
 */

/** The request header that pins a version. */
export const API_VERSION_HEADER = 'qlik-api-version';

/** Supported versions, oldest first; each is supported for 12 months from its release. */
export const CLOUD_API_VERSIONS: readonly string[] = ['2026-05', '2026-08', '2026-11'];

/** The version the specs in specs/cloud match, and the one a current client pins. */
export const NEWEST_CLOUD_API_VERSION = '2026-11';

/** The version answered to requests that name none (or one the tenant does not know). */
export const OLDEST_CLOUD_API_VERSION = '2026-05';

/** How a request's version was resolved. */
export interface ServedApiVersion {
  /** The version the answer follows. */
  readonly version: string;
  /** What the request named, if anything. */
  readonly requested: string | undefined;
  /** Deprecation headers to add to the answer (empty for the newest version). */
  readonly headers: Readonly<Record<string, string>>;
}

function released(version: string): number {
  const [y, m] = version.split('-').map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, 1);
}

/** Resolves the `qlik-api-version` a request sent (undefined when absent). */
export function serveApiVersion(requested: string | undefined): ServedApiVersion {
  const wanted = requested?.trim();
  const version = wanted !== undefined && CLOUD_API_VERSIONS.includes(wanted) ? wanted : OLDEST_CLOUD_API_VERSION;
  const next = CLOUD_API_VERSIONS[CLOUD_API_VERSIONS.indexOf(version) + 1];
  if (next === undefined) {
    return { version, requested: wanted, headers: {} };
  }
  const start = released(version);
  const sunset = new Date(start);
  sunset.setUTCFullYear(sunset.getUTCFullYear() + 1);
  // Deprecated since its successor was released; gone 12 months after its own release.
  return {
    version,
    requested: wanted,
    headers: { Deprecation: `@${Math.floor(released(next) / 1000)}`, Sunset: sunset.toUTCString() },
  };
}
