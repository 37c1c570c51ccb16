import * as vscode from 'vscode';
import { connectionAccount } from '../core/actor';
import { PASS_KIND_LABELS } from '../core/model';
import type { ConnectionSecret } from '../secrets/vscodeCredentialStore';
import type { ConnectionEntry } from '../views/connectionRegistry';
import type { CommandServices } from './command';

/**
 * Test Connection's checks, shared with Add and Edit Connection (which test before saving): sign
 * in, read the site's overview, and ask whether the account may assign each pass the site offers.
 * Resolves to the report the admin reads; throws what went wrong. Cancelling the notification
 * aborts the requests (a wrong host can otherwise hold the admin for the whole timeout).
 * @param secret the secret of a connection not saved yet; the stored one when absent
 */
export async function testConnection(s: CommandServices, entry: ConnectionEntry, secret?: ConnectionSecret): Promise<string> {
  const { config } = entry;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Testing "${config.name}"`, cancellable: true }, async (_progress, token) => {
    const abort = new AbortController();
    const cancelled = token.onCancellationRequested(() => abort.abort());
    try {
      const source = await s.registry.open(entry, secret);
      try {
        const call = { signal: abort.signal };
        const me = await source.whoAmI(call);
        const overview = await source.overview(call);
        const rights = await Promise.all(overview.offeredKinds.map(async (k) => `${PASS_KIND_LABELS[k]}: ${(await source.canAssign(k, call)) ? 'may assign' : 'may NOT assign'}`));
        // Header mode names no account (its value is a credential): say which header carries it.
        const account = me.user ?? (config.auth.mode === 'header' ? connectionAccount(config) : 'an account the server did not name');
        return `"${config.name}": ${me.server}, signed in as ${account}. ${rights.join('; ') || 'No pass kind is offered on this site.'}`;
      } finally {
        await source.close();
      }
    } finally {
      cancelled.dispose();
    }
  });
}
