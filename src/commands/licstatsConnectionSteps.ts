import type { LicstatsConnectionConfig } from '../core/connectionConfig';
import type { ConnectionSecret } from '../secrets/vscodeCredentialStore';
import { secretInput } from './cloudConnectionSteps';
import type { Prompter } from './prompter';

/** What the License Statistics steps produce: the connection's fields beyond name and id, and its secret. */
export interface LicstatsAnswers {
  readonly fields: Pick<LicstatsConnectionConfig, 'url' | 'auth' | 'reports'>;
  readonly secret: ConnectionSecret;
}

/** An https URL without query or fragment, or what is wrong with `v`. */
export function licstatsUrlProblem(v: string): string | undefined {
  try {
    const u = new URL(v.trim());
    if (u.protocol !== 'https:') {
      return 'License Statistics is reached over https:// here';
    }
    return u.search || u.hash ? 'No query or fragment: the server, with any path prefix a proxy adds' : undefined;
  } catch {
    return 'Not a URL yet: https://licstat.example.com';
  }
}

/**
 * The License Statistics steps of Add/Edit Connection: the URL and the API token (left empty, the
 * stored one is kept). Report paths that differ from the v1 defaults are kept from settings.json,
 * where they are edited (`"reports": { "usagePerUser": "…" }`): the flow says so.
 */
export async function licstatsConnectionSteps(p: Prompter, title: string, prev: LicstatsConnectionConfig | undefined, held: ConnectionSecret): Promise<LicstatsAnswers> {
  const overrides = prev?.reports ? Object.keys(prev.reports) : [];
  const paths = overrides.length > 0 ? `the report paths set in settings.json (${overrides.join(', ')}) are kept` : 'report paths other than the v1 defaults go in settings.json ("reports")';
  const url = (
    await p.input({ title, prompt: `The License Statistics server, e.g. https://licstat.example.com; ${paths}`, value: prev?.url ?? 'https://', validateInput: licstatsUrlProblem })
  )
    .trim()
    .replace(/\/+$/, '');
  const token = await secretInput(p, title, 'API token (API scope, of a dedicated read-only user)', held.token);
  return {
    fields: { url, auth: { mode: 'token', ...(prev?.auth.caFile ? { caFile: prev.auth.caFile } : {}) }, ...(prev?.reports ? { reports: prev.reports } : {}) },
    secret: { token: token || held.token || '' },
  };
}
