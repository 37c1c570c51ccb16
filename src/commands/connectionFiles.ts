import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConnectionSecret } from '../secrets/vscodeCredentialStore';
import { isEncryptedKey } from '../sources/qrs/qrsPem';
import type { PickItem, Prompter } from './prompter';
import type { RecentFolder } from './recentFolder';

const PEM_CERTIFICATE = { 'PEM certificate': ['pem', 'crt', 'cer'] };
const PEM_KEY = { 'PEM key': ['pem', 'key'] };

/** What the file steps of the connection flow need. */
export interface FileSteps {
  readonly prompter: Prompter;
  readonly folders: RecentFolder;
  /** The flow's title, e.g. `Edit connection "Prod"`. */
  readonly title: string;
}

async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/** A file dialog that starts in the last folder used, and remembers the folder of the file chosen. */
async function chooseFile(f: FileSteps, what: string, filters: Record<string, string[]>, near?: string): Promise<vscode.Uri> {
  const uri = await f.prompter.openFile(`${f.title}: ${what}`, filters, f.folders.start(near));
  await f.folders.remember(uri);
  return uri;
}

/** How the CA step speaks of the server's certificate authority, for one kind of system. */
export interface CaStepWording {
  /** The item that opens a file dialog, and when it is the right one. */
  readonly file: { readonly label: string; readonly description: string };
  /** What the file dialog asks for. */
  readonly dialog: string;
  /** When the system's trusted CAs are the right answer. */
  readonly system: string;
  /** The system's CAs first, so Enter takes them, where a publicly trusted certificate is usual. */
  readonly systemFirst: boolean;
}

/** Qlik Sense: every site's certificates come from its own CA, exported from the QMC as root.pem. */
export const QRS_CA_STEP: CaStepWording = {
  file: { label: "Select the site's root.pem", description: 'the CA exported from the QMC (usual for Qlik Sense)' },
  dialog: 'root.pem',
  system: 'when the server has a publicly trusted certificate',
  systemFirst: false,
};

/**
 * The CA step: keep the current CA file, pick one, or trust the system's CAs (undefined).
 * Editing must never force re-picking a file that is still right.
 */
export async function pickCaFile(f: FileSteps, current: string | undefined, wording: CaStepWording = QRS_CA_STEP): Promise<string | undefined> {
  const file: PickItem<'file'> = { ...wording.file, value: 'file' };
  const system: PickItem<'system'> = { label: "Use the system's trusted CAs", description: wording.system, value: 'system' };
  const choice = await f.prompter.pick<'file' | 'system' | 'keep'>(
    [...(current ? [{ label: `Keep ${path.basename(current)}`, description: current, value: 'keep' as const }] : []), ...(wording.systemFirst ? [system, file] : [file, system])],
    { title: f.title, placeHolder: 'Which certificate authority signs the server certificate?' },
  );
  if (choice === 'keep') {
    return current;
  }
  return choice === 'file' ? (await chooseFile(f, wording.dialog, PEM_CERTIFICATE, current)).fsPath : undefined;
}

/** client.pem: kept when there is one already, else picked. */
export async function pickCertFile(f: FileSteps, current: string | undefined): Promise<string> {
  if (current && (await keepOrReplace(f, `Keep ${path.basename(current)}`, current, 'Which client certificate (client.pem)?')) === 'keep') {
    return current;
  }
  return (await chooseFile(f, 'client certificate (client.pem)', PEM_CERTIFICATE, current)).fsPath;
}

/**
 * client_key.pem and its passphrase: the key already held (stored in SecretStorage, or picked a
 * moment ago when the flow is corrected) is kept unless the admin picks another file. A key
 * file named in settings by hand (`keyFile`, shared with the CLI) can be kept too: it is read
 * from disk at each connect, so nothing goes to SecretStorage then.
 */
export async function pickKey(f: FileSteps, held: ConnectionSecret, near: string | undefined, keyFile?: string): Promise<ConnectionSecret> {
  const question = 'Which client key (client_key.pem)?';
  if (held.privateKey) {
    if ((await keepOrReplace(f, 'Keep the stored client key', 'client_key.pem, kept in SecretStorage', question)) === 'keep') {
      return withPassphrase(f, held.privateKey, held.passphrase);
    }
  } else if (keyFile && (await keepOrReplace(f, `Keep ${path.basename(keyFile)}`, keyFile, question)) === 'keep') {
    return held;
  }
  const uri = await chooseFile(f, 'client key (client_key.pem): stored in SecretStorage, not in settings', PEM_KEY, near);
  const privateKey = await readText(uri);
  if (!privateKey.includes('PRIVATE KEY-----')) {
    throw new Error(`${uri.fsPath} holds no PEM private key. Export the certificates from the QMC in PEM format with the secret key.`);
  }
  return withPassphrase(f, privateKey, undefined);
}

/** Asks an encrypted key's passphrase; a stored one is kept by Enter (it may be why a test failed, so it is asked all the same). */
async function withPassphrase(f: FileSteps, privateKey: string, stored: string | undefined): Promise<ConnectionSecret> {
  if (!isEncryptedKey(privateKey)) {
    return { privateKey };
  }
  const typed = await f.prompter.input({
    title: f.title,
    prompt: stored ? 'The key is encrypted: its passphrase (leave empty to keep the stored one)' : 'The key is encrypted: its passphrase (stored in SecretStorage)',
    password: true,
  });
  const passphrase = typed || stored;
  return { privateKey, ...(passphrase ? { passphrase } : {}) };
}

async function keepOrReplace(f: FileSteps, keepLabel: string, keepDescription: string, placeHolder: string): Promise<'keep' | 'replace'> {
  const items: PickItem<'keep' | 'replace'>[] = [
    { label: keepLabel, description: keepDescription, value: 'keep' },
    { label: 'Select another file…', value: 'replace' },
  ];
  return f.prompter.pick(items, { title: f.title, placeHolder });
}
