import * as vscode from 'vscode';
import { connectionAccount } from '../core/actor';
import type { CallOptions } from '../core/licenseSource';
import { PASS_KIND_LABELS } from '../core/model';
import type { ConnectionSecret } from '../secrets/vscodeCredentialStore';
import type { CloudSource } from '../sources/cloud/cloudSource';
import { checkLicstatsConnection } from '../sources/licstats/licstatsConnectionCheck';
import type { ConnectionEntry, OpenedSource } from '../views/connectionRegistry';
import type { CommandServices } from './command';

/** What a connection test found: the report, and a warning the admin must read even on success. */
export interface ConnectionTestReport {
  readonly text: string;
  /** License Statistics: the token never expires and carries its creator's permissions. */
  readonly warning?: string;
}

/**
 * Test Connection's checks, shared with Add and Edit Connection (which test before saving): sign
 * in and ask what the account may do, in each system's terms. A site: its overview and whether
 * each pass it offers may be assigned. A tenant: the role check (may the account administer
 * licenses and users) and the subscription kind with why. License Statistics: the token may read
 * reports (an Agent-scope token is refused, saying what to create instead), with the token warning.
 * Resolves to the report the admin reads; throws what went wrong. Cancelling the notification
 * aborts the requests (a wrong host can otherwise hold the admin for the whole timeout).
 * @param secret the secret of a connection not saved yet; the stored one when absent
 */
export async function testConnection(s: CommandServices, entry: ConnectionEntry, secret?: ConnectionSecret): Promise<ConnectionTestReport> {
  const { config } = entry;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Testing "${config.name}"`, cancellable: true }, async (_progress, token) => {
    const abort = new AbortController();
    const cancelled = token.onCancellationRequested(() => abort.abort());
    try {
      const source = await s.registry.open(entry, secret);
      try {
        return await checks(entry, source, { signal: abort.signal });
      } finally {
        await source.close();
      }
    } finally {
      cancelled.dispose();
    }
  });
}

async function checks(entry: ConnectionEntry, source: OpenedSource, call: CallOptions): Promise<ConnectionTestReport> {
  const { config } = entry;
  switch (source.system) {
    case 'licstats': {
      const report = await checkLicstatsConnection(source, call);
      return { text: `"${config.name}": ${report.text}`, warning: report.warning };
    }
    case 'cloud':
      return { text: `"${config.name}": ${await cloudReport(source, call)}` };
    case 'qrs': {
      const me = await source.whoAmI(call);
      const overview = await source.overview(call);
      const rights = await Promise.all(overview.offeredKinds.map(async (k) => `${PASS_KIND_LABELS[k]}: ${(await source.canAssign(k, call)) ? 'may assign' : 'may NOT assign'}`));
      // Header mode names no account (its value is a credential): say which header carries it.
      const account = me.user ?? (config.kind === 'qrs' && config.auth.mode === 'header' ? connectionAccount(config) : 'an account the server did not name');
      return { text: `"${config.name}": ${me.server}, signed in as ${account}. ${rights.join('; ') || 'No pass kind is offered on this site.'}` };
    }
  }
}

/** Who the tenant says the account is, what its roles let it do, and which kind of tenant it is and why. */
async function cloudReport(source: CloudSource, call: CallOptions): Promise<string> {
  const me = await source.whoAmI(call);
  const roles = await source.roleCheck(call);
  const tenant = await source.subscription(call);
  return `${me.server}, signed in as ${me.user ?? 'an account the tenant did not name'}. ${roles.sentence} ${tenant.sentence.endsWith('.') ? tenant.sentence : `${tenant.sentence}.`}`;
}
