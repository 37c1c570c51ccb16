import type { LicstatsConnectionConfig } from '../core/connectionConfig';
import type { ConnectionSecret } from '../secrets/vscodeCredentialStore';
import { secretInput } from './cloudConnectionSteps';
import { pickCaFile, type CaStepWording, type FileSteps } from './connectionFiles';

/** What the License Statistics steps produce: the connection's fields beyond name and id, and its secret. */
export interface LicstatsAnswers {
  readonly fields: Pick<LicstatsConnectionConfig, 'url' | 'auth' | 'reports'>;
  readonly secret: ConnectionSecret;
}

/**
 * A License Statistics server is on the admin's own network, its certificate often from a private
 * CA; a publicly trusted one is still the simpler case, and a wrong guess fails the test before
 * saving with a TLS message.
 */
export const LICSTATS_CA_STEP: CaStepWording = {
  file: { label: "Select the server's CA certificate", description: "a private CA that signed the License Statistics server's certificate (PEM)" },
  dialog: 'the CA certificate of the License Statistics server (PEM)',
  system: 'when the server has a publicly trusted certificate',
  systemFirst: true,
};

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
 * The License Statistics steps of Add/Edit Connection: the URL, the CA (the system's, or a private
 * CA's file, kept when editing) and the API token (left empty, the stored one is kept). Report
 * paths that differ from the v1 defaults are kept from settings.json, where they are edited
 * (`"reports": { "usagePerUser": "…" }`): the flow says so.
 */
export async function licstatsConnectionSteps(f: FileSteps, prev: LicstatsConnectionConfig | undefined, held: ConnectionSecret): Promise<LicstatsAnswers> {
  const { prompter: p, title } = f;
  const overrides = prev?.reports ? Object.keys(prev.reports) : [];
  const paths = overrides.length > 0 ? `the report paths set in settings.json (${overrides.join(', ')}) are kept` : 'report paths other than the v1 defaults go in settings.json ("reports")';
  const url = (
    await p.input({ title, prompt: `The License Statistics server, e.g. https://licstat.example.com; ${paths}`, value: prev?.url ?? 'https://', validateInput: licstatsUrlProblem })
  )
    .trim()
    .replace(/\/+$/, '');
  const caFile = await pickCaFile(f, prev?.auth.caFile, LICSTATS_CA_STEP);
  const token = await secretInput(p, title, 'API token (API scope, of a dedicated read-only user)', held.token);
  return {
    fields: { url, auth: { mode: 'token', ...(caFile ? { caFile } : {}) }, ...(prev?.reports ? { reports: prev.reports } : {}) },
    secret: { token: token || held.token || '' },
  };
}
