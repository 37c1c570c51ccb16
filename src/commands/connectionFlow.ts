import { randomUUID } from 'node:crypto';
import { CONNECTION_KIND_LABELS, parseConnection, type ConnectionConfig, type QrsConnectionConfig } from '../core/connectionConfig';
import { ConfigError } from '../core/errors';
import type { ConnectionSecret } from '../secrets/vscodeCredentialStore';
import { cloudConnectionSteps } from './cloudConnectionSteps';
import type { CommandServices } from './command';
import { pickCaFile, pickCertFile, pickKey, type FileSteps } from './connectionFiles';
import { licstatsConnectionSteps } from './licstatsConnectionSteps';
import type { PickItem } from './prompter';
import { RecentFolder } from './recentFolder';

type Mode = QrsConnectionConfig['auth']['mode'];

/**
 * QRS's own service account: every site has it, and a certificate request without X-Qlik-User
 * runs as it (reference qrs-license.md §4.2). INTERNAL\sa_api is only a convention of some
 * scripts, so a site may not have it.
 */
export const DEFAULT_ACT_AS = 'INTERNAL\\sa_repository';

/** A connection as the flow's answers describe it; nothing is saved yet. */
export interface ConnectionDraft {
  readonly config: ConnectionConfig & { readonly id: string };
  /** The secret the connection signs in with (certificate and JWT modes, API key, client secret, API token). */
  readonly secret?: ConnectionSecret;
}

/** What the flow starts from: a saved connection being edited, or a draft being corrected. */
export interface FlowStart {
  readonly id: string;
  readonly config: ConnectionConfig;
  /** The secret a step may keep: the stored one, or the one of the draft. */
  readonly secret: ConnectionSecret;
}

type Kind = ConnectionConfig['kind'];

const KINDS: readonly PickItem<Kind>[] = [
  { label: CONNECTION_KIND_LABELS.qrs, description: 'Repository Service (QRS)', value: 'qrs' },
  { label: CONNECTION_KIND_LABELS.cloud, description: 'a tenant: https://<tenant>.<region>.qlikcloud.com', value: 'cloud' },
  { label: CONNECTION_KIND_LABELS.licstats, description: 'X-Formation License Statistics (read-only: FlexNet, LM-X, RLM …)', value: 'licstats' },
];

const MODES: readonly PickItem<Mode>[] = [
  { label: 'Certificate', description: 'client.pem + client_key.pem exported from the QMC; port 4242', value: 'certificate' },
  { label: 'Header', description: "a virtual proxy's header authentication", value: 'header' },
  { label: 'JWT', description: 'a virtual proxy with JWT authentication', value: 'jwt' },
];

/**
 * The guided Add/Edit Connection flow: kind, name, then the kind's own steps (a site's URL, auth
 * mode, files and secrets; a tenant's URL, CA and API key or OAuth client; a License Statistics
 * URL, CA and token). Every answer is prefilled from `start`, and every file or secret step can
 * keep the current one. Files are referenced by path in settings; secrets go to SecretStorage only
 * (by the caller, which saves the draft).
 */
export async function connectionFlow(s: CommandServices, title: string, start?: FlowStart): Promise<ConnectionDraft> {
  const p = s.prompter;
  const prev = start?.config;
  const held = start?.secret ?? {};
  const id = start?.id ?? randomUUID();
  // The current kind first, so Enter keeps it.
  const kinds = prev ? [...KINDS].sort((a, b) => Number(b.value === prev.kind) - Number(a.value === prev.kind)) : KINDS;
  const kind = await p.pick(kinds, { title, placeHolder: 'Which license system?' });
  const taken = new Set(s.registry.list().filter((e) => e.id !== id).map((e) => e.config.name.toLowerCase()));
  const noun = kind === 'qrs' ? 'site' : kind === 'cloud' ? 'tenant' : 'server';
  const name = (
    await p.input({
      title,
      prompt: `A name for this ${noun}, shown in the tree`,
      value: prev?.name ?? '',
      validateInput: (v) => nameProblem(v.trim(), taken),
    })
  ).trim();
  const common = { id, name, tlsVerify: prev?.tlsVerify ?? true, ...(prev?.timeoutSeconds ? { timeoutSeconds: prev.timeoutSeconds } : {}) };
  const files: FileSteps = { prompter: p, folders: new RecentFolder(s.globalState), title };
  let candidate: Record<string, unknown>;
  let secret: ConnectionSecret | undefined;
  switch (kind) {
    case 'qrs': {
      const answers = await qrsSteps(files, prev?.kind === 'qrs' ? prev : undefined, held);
      candidate = { ...common, kind, url: answers.url, auth: answers.auth };
      secret = answers.secret;
      break;
    }
    case 'cloud': {
      const answers = await cloudConnectionSteps(files, prev?.kind === 'cloud' ? prev : undefined, held);
      candidate = { ...common, kind, ...answers.fields };
      secret = answers.secret;
      break;
    }
    case 'licstats': {
      const answers = await licstatsConnectionSteps(files, prev?.kind === 'licstats' ? prev : undefined, held);
      candidate = { ...common, kind, ...answers.fields };
      secret = answers.secret;
      break;
    }
  }
  try {
    // The same validation the settings get, so the flow cannot save what the tree would reject.
    const config = parseConnection(candidate, 'The new connection');
    return { config: { ...config, id }, ...(secret ? { secret } : {}) };
  } catch (e) {
    throw new Error(e instanceof ConfigError ? e.message : String(e), { cause: e });
  }
}

/** The Qlik Sense steps: URL, auth mode, then the mode's files and secrets. */
async function qrsSteps(files: FileSteps, prev: QrsConnectionConfig | undefined, held: ConnectionSecret): Promise<{ url: string; auth: QrsConnectionConfig['auth']; secret?: ConnectionSecret }> {
  const { prompter: p, title } = files;
  const url = (
    await p.input({
      title,
      prompt: 'https://host:4242 (certificate) or https://host/<virtual-proxy-prefix> (header or JWT)',
      value: prev?.url ?? 'https://',
      validateInput: (v) => urlProblem(v),
    })
  ).trim();
  // The current mode first, so Enter keeps it.
  const modes = prev ? [...MODES].sort((a, b) => Number(b.value === prev.auth.mode) - Number(a.value === prev.auth.mode)) : MODES;
  const mode = await p.pick<Mode>(modes, { title, placeHolder: 'How does License Steward sign in?' });
  const caFile = await pickCaFile(files, prev?.auth.caFile);
  const ca = caFile ? { caFile } : {};
  let secret: ConnectionSecret | undefined;
  let auth: QrsConnectionConfig['auth'];
  switch (mode) {
    case 'certificate': {
      const was = prev?.auth.mode === 'certificate' ? prev.auth : undefined;
      const certFile = await pickCertFile(files, was?.certFile);
      secret = await pickKey(files, held, certFile, was?.keyFile);
      const account = (
        await p.input({
          title,
          prompt: `Act as (X-Qlik-User): DIRECTORY\\userId. ${DEFAULT_ACT_AS} is on every site; an account of your own makes the QMC's audit name it`,
          value: was ? `${was.userDirectory}\\${was.userId}` : DEFAULT_ACT_AS,
          validateInput: (v) => (/^[^\\]+\\.+$/.test(v.trim()) ? undefined : `Write DIRECTORY\\userId, e.g. ${DEFAULT_ACT_AS}`),
        })
      ).trim();
      const [userDirectory = '', userId = ''] = account.split('\\');
      // A key file written into settings by hand stays (the CLI shares it); the stored key wins anyway.
      auth = { mode, certFile, ...(was?.keyFile ? { keyFile: was.keyFile } : {}), ...ca, userDirectory, userId };
      break;
    }
    case 'header': {
      const was = prev?.auth.mode === 'header' ? prev.auth : undefined;
      const headerName = (await p.input({ title, prompt: "The virtual proxy's header name", value: was?.headerName ?? 'X-Qlik-User' })).trim();
      // Hidden like a password: the proxy lets in whoever sends this value, as that user.
      const headerValue = (await p.input({ title, prompt: 'The user to send in it (the proxy maps it to a user)', value: was?.headerValue ?? '', password: true })).trim();
      auth = { mode, headerName, headerValue, ...ca };
      break;
    }
    case 'jwt': {
      const token = await p.input({
        title,
        prompt: held.token ? 'JWT (stored in SecretStorage; leave empty to keep the stored one)' : 'JWT (stored in SecretStorage)',
        password: true,
        validateInput: (v) => (v.trim() || held.token ? undefined : 'A JWT connection needs a token'),
      });
      auth = { mode, ...ca };
      secret = { token: token.trim() || held.token || '' };
      break;
    }
  }
  return { url, auth, ...(secret ? { secret } : {}) };
}

function nameProblem(v: string, taken: ReadonlySet<string>): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/.test(v)) {
    return '1–64 letters, digits, spaces, dots, dashes or underscores';
  }
  return taken.has(v.toLowerCase()) ? `A connection named "${v}" exists already` : undefined;
}

function urlProblem(v: string): string | undefined {
  try {
    const u = new URL(v.trim());
    if (u.protocol !== 'https:') {
      return 'The Repository Service only speaks https://';
    }
    if (/\/qrs\/?$/i.test(u.pathname)) {
      return 'Leave /qrs off; License Steward appends it';
    }
    return undefined;
  } catch {
    return 'Not a URL yet';
  }
}
