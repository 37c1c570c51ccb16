import type { CallOptions } from '../../core/licenseSource';
import { TOKEN_PAGE } from './licstatsErrors';
import type { LicenseServer } from './licstatsMapping';
import type { LicstatsSource } from './licstatsSource';

/**
 * What every License Statistics connection test shows, whatever the result: the token is a
 * standing credential (reference §2, U1: tokens do not expire and inherit their creator's
 * permissions), so how it is created and kept matters more than for a session.
 */
export const LICSTATS_TOKEN_WARNING =
  `A License Statistics API token never expires and carries every permission of the user who created it. ` +
  `Create it as a dedicated user whose role may only view reports, with API scope, and rotate it: add a new token under ${TOKEN_PAGE}, store it in License Steward, then delete the old one.`;

/** What a successful test found. */
export interface LicstatsConnectionReport {
  readonly servers: readonly LicenseServer[];
  /** License sessions open now. */
  readonly sessions: number;
  /** One or two sentences for the admin. */
  readonly text: string;
  /** {@link LICSTATS_TOKEN_WARNING}. */
  readonly warning: string;
}

/**
 * Tests a connection the way its syncs will use it: the license server list proves the token is
 * accepted, the current users report that it may read reports (an Agent-scope token may pass the
 * first and not the second). Throws the domain error of the first refusal, whose message says
 * what to do: a rejected token (401), an Agent-scope token, or a user who may not view reports.
 */
export async function checkLicstatsConnection(source: LicstatsSource, options?: CallOptions): Promise<LicstatsConnectionReport> {
  const servers = await source.licenseServers(options);
  const sessions = (await source.currentSessions(options)).length;
  const online = servers.filter((s) => s.status === 'ONLINE');
  const others = servers.filter((s) => s.status !== 'ONLINE').map((s) => `${s.name}: ${s.status}`);
  const count = `${servers.length} license ${servers.length === 1 ? 'server' : 'servers'}`;
  const state = servers.length === 0 ? '' : ` (${online.length} online${others.length > 0 ? `; ${others.join(', ')}` : ''})`;
  const open = `${sessions} license ${sessions === 1 ? 'session' : 'sessions'} open now`;
  return {
    servers,
    sessions,
    text: `License Statistics at ${source.host} monitors ${count}${state}; ${open}. The token may read reports.`,
    warning: LICSTATS_TOKEN_WARNING,
  };
}
