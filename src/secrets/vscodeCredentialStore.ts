import * as vscode from 'vscode';
import type { CredentialStore } from './credentialStore';

/** Secret keys are namespaced so nothing else in SecretStorage is ever read or removed. */
export const SECRET_KEY_PREFIX = 'licenseSteward.connection.';

/** The secret stored for one connection in VS Code. */
export interface ConnectionSecret {
  /** PEM text of client_key.pem (certificate mode). */
  readonly privateKey?: string;
  /** Opens an encrypted private key. */
  readonly passphrase?: string;
  /** JWT for a virtual proxy with JWT authentication; a License Statistics API token (`X-Auth-token`). */
  readonly token?: string;
  /** A Qlik Cloud API key (bearer). */
  readonly apiKey?: string;
  /** The client secret of a Qlik Cloud OAuth machine-to-machine client. */
  readonly clientSecret?: string;
}

/**
 * The only code that touches SecretStorage. Re-emits changes (another window may have stored
 * or removed a secret) so the tree and the welcome view follow.
 */
export class VscodeCredentialStore implements CredentialStore, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the connection id whose secret changed. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly storage: vscode.SecretStorage) {
    this.subscription = storage.onDidChange((e) => {
      if (e.key.startsWith(SECRET_KEY_PREFIX)) {
        this.changed.fire(e.key.slice(SECRET_KEY_PREFIX.length));
      }
    });
  }

  get(connection: string): Promise<string | undefined> {
    return Promise.resolve(this.storage.get(SECRET_KEY_PREFIX + connection));
  }

  set(connection: string, secret: string): Promise<void> {
    return Promise.resolve(this.storage.store(SECRET_KEY_PREFIX + connection, secret));
  }

  delete(connection: string): Promise<void> {
    return Promise.resolve(this.storage.delete(SECRET_KEY_PREFIX + connection));
  }

  /** The structured secret of a connection, or an empty one. */
  async getConnectionSecret(connection: string): Promise<ConnectionSecret> {
    const raw = await this.get(connection);
    if (!raw) {
      return {};
    }
    try {
      const v: unknown = JSON.parse(raw);
      if (typeof v !== 'object' || v === null) {
        return {};
      }
      const o = v as Record<string, unknown>;
      const pick = (k: string) => (typeof o[k] === 'string' ? { [k]: o[k] as string } : {});
      return { ...pick('privateKey'), ...pick('passphrase'), ...pick('token'), ...pick('apiKey'), ...pick('clientSecret') };
    } catch {
      return {};
    }
  }

  /** Stores the structured secret; an empty one removes the entry. */
  async setConnectionSecret(connection: string, secret: ConnectionSecret): Promise<void> {
    const clean = Object.fromEntries(Object.entries(secret).filter(([, v]) => typeof v === 'string' && v !== ''));
    if (Object.keys(clean).length === 0) {
      await this.delete(connection);
      return;
    }
    await this.set(connection, JSON.stringify(clean));
  }

  howToProvide(): string {
    return 'run "License Steward: Edit Connection" to enter it again';
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
