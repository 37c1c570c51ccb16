/**
 * Where each License Statistics report lives. Only the v1 paths were ever published (reference
 * license-statistics.md §5); the paths of v6.3 and later are not (§0, §6). So the paths are a
 * per-connection map: the v1 ones by default, any of them overridden by what the admin reads from
 * the web UI's own requests (README, "License Statistics report paths").
 */
import { ConfigError } from '../../core/errors';

/** The reports this client reads. */
export type LicstatsReport = 'licenseServers' | 'features' | 'usagePerUser' | 'denials' | 'currentUsers' | 'borrowed' | 'expiring';

/** Every report, in the order messages list them. */
export const LICSTATS_REPORTS: readonly LicstatsReport[] = ['licenseServers', 'features', 'usagePerUser', 'denials', 'currentUsers', 'borrowed', 'expiring'];

/** A path per report, below the server's base URL, without the format segment (`/json`). */
export type LicstatsReportPaths = Readonly<Record<LicstatsReport, string>>;

/** The placeholder a per-feature report path carries; the feature's id replaces it. */
export const FEATURE_ID_PLACEHOLDER = '{fid}';

/**
 * The v1 paths (reference §5): license servers (U13), features (U14), usage per user over every
 * server (U17), denials of one feature (U18), current users (U19), borrowed licenses over every
 * server (U22), expiring features over every server (U24).
 */
export const V1_REPORT_PATHS: LicstatsReportPaths = {
  licenseServers: '/api/v1/license-server',
  features: '/api/v1/report/feature',
  usagePerUser: '/api/v1/report/license-server/all/usage-per-user',
  denials: `/api/v1/report/feature/${FEATURE_ID_PLACEHOLDER}/denials`,
  currentUsers: '/api/v1/report/users/current',
  borrowed: '/api/v1/report/license-server/all/borrowed-licenses',
  expiring: '/api/v1/report/expiry/server/all',
};

/** What each report is, for "no report at …" messages. */
export const LICSTATS_REPORT_TITLES: Readonly<Record<LicstatsReport, string>> = {
  licenseServers: 'the license server list',
  features: 'the feature list',
  usagePerUser: 'the usage per user report',
  denials: 'the denials report',
  currentUsers: 'the current users report',
  borrowed: 'the borrowed licenses report',
  expiring: 'the expiring features report',
};

/** Format segments the server reads from the end of the path (§3); an override must not carry one. */
const FORMAT_SEGMENT = /\/(?:json|csv|xlsx|xslx|xls|pdf)$/i;

/**
 * The connection's report paths: the v1 defaults with the overrides laid over them. Throws a
 * ConfigError naming the entry for an unknown report, a path that is not a plain absolute path
 * (a query string, a full URL, a format segment copied along from the browser), or a denials path
 * without `{fid}`.
 * @param overrides the connection's `reports` object, as the admin wrote it
 */
export function resolveReportPaths(overrides: Readonly<Record<string, unknown>> | undefined): LicstatsReportPaths {
  const paths: Record<LicstatsReport, string> = { ...V1_REPORT_PATHS };
  for (const [name, value] of Object.entries(overrides ?? {})) {
    if (!isReport(name)) {
      throw new ConfigError(`"reports.${name}" is not a License Statistics report this client reads; the reports are ${LICSTATS_REPORTS.join(', ')}.`);
    }
    paths[name] = checkedPath(name, value);
  }
  return paths;
}

/** The path of a per-feature report for one feature. */
export function featurePath(template: string, featureId: string): string {
  return template.split(FEATURE_ID_PLACEHOLDER).join(encodeURIComponent(featureId));
}

function isReport(name: string): name is LicstatsReport {
  return (LICSTATS_REPORTS as readonly string[]).includes(name);
}

function checkedPath(name: LicstatsReport, value: unknown): string {
  const entry = `"reports.${name}"`;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(`${entry} must be a path such as "${V1_REPORT_PATHS[name]}".`);
  }
  const path = value.trim().replace(/\/+$/, '');
  if (!path.startsWith('/') || /^\/\//.test(path)) {
    throw new ConfigError(`${entry} must be a path below the connection's URL starting with "/", such as "${V1_REPORT_PATHS[name]}", not "${path}".`);
  }
  if (/[?#]/.test(path)) {
    throw new ConfigError(`${entry} must not carry a query string: License Steward adds the parameters itself. Leave out everything from "?" on.`);
  }
  if (FORMAT_SEGMENT.test(path)) {
    throw new ConfigError(`${entry} must end before the format segment: License Steward adds "/json" itself. Leave out the last "/${path.split('/').pop() ?? ''}".`);
  }
  if (name === 'denials' && !path.includes(FEATURE_ID_PLACEHOLDER)) {
    throw new ConfigError(`${entry} reads one feature's denials, so it must contain "${FEATURE_ID_PLACEHOLDER}" where the feature's id goes, as in "${V1_REPORT_PATHS.denials}".`);
  }
  return path;
}
