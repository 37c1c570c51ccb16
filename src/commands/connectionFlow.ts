import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { parseConnection, type QrsConnectionConfig } from '../core/connectionConfig';
import { ConfigError } from '../core/errors';
import type { ConnectionSecret } from '../secrets/vscodeCredentialStore';
import { isEncryptedKey } from '../sources/qrs/qrsPem';
import type { CommandServices } from './command';

type Mode = QrsConnectionConfig['auth']['mode'];

async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/**
 * The guided Add/Edit Connection flow: kind, name, URL, auth mode, then the mode's files and
 * secrets. Files are referenced by path in settings; the private key, passphrase and token go
 * to SecretStorage only. Editing keeps a stored secret when its prompt is left empty.
 */
export async function connectionFlow(s: CommandServices, existing?: { id: string; config: QrsConnectionConfig }): Promise<{ config: QrsConnectionConfig & { id: string }; secret?: ConnectionSecret }> {
  const p = s.prompter;
  const title = existing ? `Edit connection "${existing.config.name}"` : 'Add connection';
  const prev = existing?.config;
  await p.pick([{ label: 'Qlik Sense client-managed', description: 'Repository Service (QRS)', value: 'qrs' as const }], { title, placeHolder: 'Which license system?' });
  const name = (
    await p.input({
      title,
      prompt: 'A name for this site, shown in the tree',
      value: prev?.name ?? '',
      validateInput: (v) => (/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/.test(v.trim()) ? undefined : '1–64 letters, digits, spaces, dots, dashes or underscores'),
    })
  ).trim();
  const url = (
    await p.input({
      title,
      prompt: 'https://host:4242 (certificate) or https://host/<virtual-proxy-prefix> (header or JWT)',
      value: prev?.url ?? 'https://',
      validateInput: (v) => urlProblem(v),
    })
  ).trim();
  const mode = await p.pick<Mode>(
    [
      { label: 'Certificate', description: 'client.pem + client_key.pem exported from the QMC; port 4242', value: 'certificate' },
      { label: 'Header', description: "a virtual proxy's header authentication", value: 'header' },
      { label: 'JWT', description: 'a virtual proxy with JWT authentication', value: 'jwt' },
    ],
    { title, placeHolder: 'How does License Steward sign in?' },
  );
  const caFile = await pickCa(s, title, prev?.auth.caFile);
  const ca = caFile ? { caFile } : {};
  let secret: ConnectionSecret | undefined;
  let auth: QrsConnectionConfig['auth'];
  switch (mode) {
    case 'certificate': {
      const cert = await p.openFile(`${title}: client certificate (client.pem)`, { 'PEM certificate': ['pem', 'crt', 'cer'] });
      const keyUri = await p.openFile(`${title}: client key (client_key.pem): stored in SecretStorage, not in settings`, { 'PEM key': ['pem', 'key'] });
      const privateKey = await readText(keyUri);
      if (!privateKey.includes('PRIVATE KEY-----')) {
        throw new Error(`${keyUri.fsPath} holds no PEM private key. Export the certificates from the QMC in PEM format with the secret key.`);
      }
      let passphrase: string | undefined;
      if (isEncryptedKey(privateKey)) {
        passphrase = await p.input({ title, prompt: 'The key is encrypted: its passphrase (stored in SecretStorage)', password: true });
      }
      const account = (
        await p.input({
          title,
          prompt: 'Act as (X-Qlik-User): DIRECTORY\\userId',
          value: prev?.auth.mode === 'certificate' ? `${prev.auth.userDirectory}\\${prev.auth.userId}` : 'INTERNAL\\sa_api',
          validateInput: (v) => (/^[^\\]+\\.+$/.test(v.trim()) ? undefined : 'Write DIRECTORY\\userId, e.g. INTERNAL\\sa_api'),
        })
      ).trim();
      const [userDirectory = '', userId = ''] = account.split('\\');
      auth = { mode, certFile: cert.fsPath, ...ca, userDirectory, userId };
      secret = { privateKey, ...(passphrase ? { passphrase } : {}) };
      break;
    }
    case 'header': {
      const headerName = (await p.input({ title, prompt: "The virtual proxy's header name", value: prev?.auth.mode === 'header' ? prev.auth.headerName : 'X-Qlik-User' })).trim();
      // Hidden like a password: the proxy lets in whoever sends this value, as that user.
      const headerValue = (
        await p.input({ title, prompt: 'The user to send in it (the proxy maps it to a user)', value: prev?.auth.mode === 'header' ? prev.auth.headerValue : '', password: true })
      ).trim();
      auth = { mode, headerName, headerValue, ...ca };
      break;
    }
    case 'jwt': {
      const token = await p.input({ title, prompt: existing ? 'JWT (stored in SecretStorage; leave empty to keep the stored one)' : 'JWT (stored in SecretStorage)', password: true });
      auth = { mode, ...ca };
      secret = token ? { token } : undefined;
      if (!secret && !existing) {
        throw new Error('A JWT connection needs a token.');
      }
      break;
    }
  }
  const id = existing?.id ?? randomUUID();
  const candidate = { id, name, kind: 'qrs', url, auth, tlsVerify: prev?.tlsVerify ?? true };
  try {
    // The same validation the settings get, so the flow cannot save what the tree would reject.
    const config = parseConnection(candidate, 'The new connection') as QrsConnectionConfig;
    return { config: { ...config, id }, ...(secret ? { secret } : {}) };
  } catch (e) {
    throw new Error(e instanceof ConfigError ? e.message : String(e), { cause: e });
  }
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

async function pickCa(s: CommandServices, title: string, previous: string | undefined): Promise<string | undefined> {
  const choice = await s.prompter.pick<'file' | 'system' | 'keep'>(
    [
      ...(previous ? [{ label: 'Keep the CA file', description: previous, value: 'keep' as const }] : []),
      { label: "Select the site's root.pem", description: 'the CA exported from the QMC (usual for Qlik Sense)', value: 'file' },
      { label: "Use the system's trusted CAs", description: 'when the server has a publicly trusted certificate', value: 'system' },
    ],
    { title, placeHolder: 'Which certificate authority signs the server certificate?' },
  );
  if (choice === 'keep') {
    return previous;
  }
  return choice === 'file' ? (await s.prompter.openFile(`${title}: root.pem`, { 'PEM certificate': ['pem', 'crt', 'cer'] })).fsPath : undefined;
}
