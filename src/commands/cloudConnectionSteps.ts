import type { CloudConnectionConfig } from '../core/connectionConfig';
import type { ConnectionSecret } from '../secrets/vscodeCredentialStore';
import { pickCaFile, type CaStepWording, type FileSteps } from './connectionFiles';
import type { PickItem, Prompter } from './prompter';

/** What the Qlik Cloud steps produce: the connection's fields beyond name and id, and its secret. */
export interface CloudAnswers {
  readonly fields: Pick<CloudConnectionConfig, 'url' | 'auth' | 'subscription' | 'capacityBreakEvenMinutes'>;
  readonly secret: ConnectionSecret;
}

type Subscription = 'detect' | NonNullable<CloudConnectionConfig['subscription']>;

const SUBSCRIPTIONS: readonly PickItem<Subscription>[] = [
  { label: 'Detect from the tenant', description: 'read from its license overview at every sync (recommended)', value: 'detect' },
  { label: 'User-based', description: 'professional and analyzer licenses, analyzer capacity', value: 'user-based' },
  { label: 'Capacity', description: 'Standard, Premium, Enterprise: every user who signs in is a Full User', value: 'capacity' },
];

/**
 * A tenant's certificate is publicly trusted; a CA file is for a TLS-inspecting proxy on the way,
 * which re-signs every answer with its own CA.
 */
export const CLOUD_CA_STEP: CaStepWording = {
  file: { label: "Select the proxy's CA certificate", description: "only behind a TLS-inspecting proxy: the CA it signs the tenant's answers with (PEM)" },
  dialog: "the TLS-inspecting proxy's CA certificate (PEM)",
  system: "usual: a tenant's certificate is publicly trusted",
  systemFirst: true,
};

/** `https://<tenant>.<region>.qlikcloud.com`, or what is wrong with `v`. */
export function tenantUrlProblem(v: string): string | undefined {
  try {
    const u = new URL(v.trim());
    if (u.protocol !== 'https:') {
      return 'A tenant is reached over https://';
    }
    if (u.pathname !== '/' || u.search || u.hash) {
      return 'The tenant alone, e.g. https://acme.eu.qlikcloud.com: License Steward appends /api/v1/…';
    }
    return undefined;
  } catch {
    return 'Not a URL yet: https://<tenant>.<region>.qlikcloud.com';
  }
}

/** A positive number of minutes, or empty for none. */
export function breakEvenProblem(v: string): string | undefined {
  const t = v.trim();
  return t === '' || (Number.isFinite(Number(t)) && Number(t) > 0) ? undefined : 'A positive number of minutes, or empty';
}

/**
 * The Qlik Cloud steps of Add/Edit Connection: tenant URL, the CA (the system's, or a proxy's
 * file), API key or OAuth client (id, secret), the subscription kind (detected unless stated) and
 * the capacity break-even. Every answer is prefilled from `prev`, the CA file kept; a secret left
 * empty keeps the one `held`.
 */
export async function cloudConnectionSteps(f: FileSteps, prev: CloudConnectionConfig | undefined, held: ConnectionSecret): Promise<CloudAnswers> {
  const { prompter: p, title } = f;
  const url = (await p.input({ title, prompt: 'The tenant: https://<tenant>.<region>.qlikcloud.com', value: prev?.url ?? 'https://', validateInput: tenantUrlProblem })).trim().replace(/\/+$/, '');
  const caFile = await pickCaFile(f, prev?.auth.caFile, CLOUD_CA_STEP);
  const ca = caFile ? { caFile } : {};
  const modes: PickItem<'apiKey' | 'oauth'>[] = [
    { label: 'API key', description: "a tenant admin's API key (Profile → API keys)", value: 'apiKey' },
    { label: 'OAuth client', description: 'a machine-to-machine OAuth client: client id and secret', value: 'oauth' },
  ];
  const mode = await p.pick(prev?.auth.mode === 'oauth' ? [...modes].reverse() : modes, { title, placeHolder: 'How does License Steward sign in?' });
  let auth: CloudConnectionConfig['auth'];
  let secret: ConnectionSecret;
  if (mode === 'apiKey') {
    const key = await secretInput(p, title, 'API key', held.apiKey);
    auth = { mode, ...ca };
    secret = { apiKey: key || held.apiKey || '' };
  } else {
    const was = prev?.auth.mode === 'oauth' ? prev.auth : undefined;
    const clientId = (await p.input({ title, prompt: 'OAuth client id', value: was?.clientId ?? '', validateInput: (v) => (v.trim() ? undefined : 'The client id is required') })).trim();
    const clientSecret = await secretInput(p, title, 'OAuth client secret', held.clientSecret);
    auth = { mode, clientId, ...(was?.scope ? { scope: was.scope } : {}), ...ca };
    secret = { clientSecret: clientSecret || held.clientSecret || '' };
  }
  const stated = prev?.subscription ?? 'detect';
  const subscription = await p.pick([...SUBSCRIPTIONS].sort((a, b) => Number(b.value === stated) - Number(a.value === stated)), { title, placeHolder: 'Which kind of subscription?' });
  const breakEven = (
    await p.input({
      title,
      prompt: 'Capacity break-even: analyzer capacity minutes per window above which a license is cheaper. Qlik publishes no price ratio; leave empty for no suggestion',
      value: prev?.capacityBreakEvenMinutes === undefined ? '' : String(prev.capacityBreakEvenMinutes),
      validateInput: breakEvenProblem,
    })
  ).trim();
  return {
    fields: {
      url,
      auth,
      ...(subscription === 'detect' ? {} : { subscription }),
      ...(breakEven === '' ? {} : { capacityBreakEvenMinutes: Number(breakEven) }),
    },
    secret,
  };
}

/** A secret input that keeps the stored one when left empty (it is never shown back). */
export async function secretInput(p: Prompter, title: string, what: string, stored: string | undefined): Promise<string> {
  return (
    await p.input({
      title,
      prompt: stored ? `${what} (stored in SecretStorage; leave empty to keep the stored one)` : `${what} (stored in SecretStorage)`,
      password: true,
      validateInput: (v) => (v.trim() || stored ? undefined : `The ${what} is required`),
    })
  ).trim();
}
