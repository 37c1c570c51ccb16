import * as vscode from 'vscode';
import type { ActionGroup, ActionGroupKind } from '../core/actionGroups';
import { NODE_KIND } from '../contributionIds';
import { DENIED_ICON, VERDICT_ICONS } from './userTreeItem';

/** Each group's icon: its verdict's, or for the groups kept by a fact (orphans, denials) their own. */
const GROUP_ICONS: Readonly<Record<ActionGroupKind, readonly [string, string | undefined]>> = {
  assign: VERDICT_ICONS.assign,
  revoke: VERDICT_ICONS.inactive,
  orphaned: ['debug-disconnect', 'charts.yellow'],
  denied: DENIED_ICON,
  quarantined: VERDICT_ICONS.quarantined,
  deleted: VERDICT_ICONS.deleted,
  holds: VERDICT_ICONS.holds,
  keep: VERDICT_ICONS.keep,
};

/** What the admin does with each group, for its tooltip; `title` tells a capacity tenant's groups apart. */
export function groupHint(kind: ActionGroupKind, title: string, inactiveDays: number): string {
  switch (kind) {
    case 'assign':
      return 'Their use costs more than a pass or license of their own would: assign them one (right-click a user).';
    case 'revoke':
      return title === 'Inactive users'
        ? `Users who have not signed in for ${inactiveDays}+ days: each still counts as a Full User. Disabling one (right-click) releases it.`
        : `Passes nobody used for ${inactiveDays}+ days: revoking one frees it (on Qlik Sense a pass used in the last 7 days is quarantined first).`;
    case 'orphaned':
      return 'License assignments whose subject is no user of the tenant (removed, or the entitlement spans tenants): release them (right-click) to free the license.';
    case 'denied':
      return 'Users refused a license in the window because none was free: they need a license that was not there. Licenses are added on the license servers.';
    case 'quarantined':
      return 'Revoked passes waiting out their quarantine: the token is freed when it ends; until then the pass can be reinstated at no cost.';
    case 'deleted':
      return 'Users deleted from the directory: their passes are freed when the quarantine ends. Nothing to do.';
    case 'holds':
      return title === 'Active users' ? `Users who signed in within the last ${inactiveDays} days: active Full Users.` : 'Users who hold a pass and use it.';
    case 'keep':
      return title === 'Never denied' ? 'Users of the monitored licenses who were never refused one in the window.' : 'Users cheaper without a pass as things stand.';
  }
}

/**
 * The TreeItem of an action group: its label carries the count and the token effect. Groups
 * start collapsed, so a connection opens on its summary (the two jobs on top) rather than on a
 * long list; VS Code remembers what the admin expands, by the stable id.
 */
export function groupTreeItem(connectionId: string, group: ActionGroup, inactiveDays: number): vscode.TreeItem {
  const item = new vscode.TreeItem(group.label, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `group:${connectionId}:${group.kind}`;
  item.contextValue = `${NODE_KIND.group}+${group.kind}`;
  const [icon, color] = GROUP_ICONS[group.kind];
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  const hint = groupHint(group.kind, group.title, inactiveDays);
  // The sidebar often cuts the label short: the tooltip repeats it whole.
  item.tooltip = `${group.label}\n\n${hint}`;
  item.accessibilityInformation = { label: `${group.label}. ${hint}` };
  return item;
}
