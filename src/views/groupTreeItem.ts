import * as vscode from 'vscode';
import type { ActionGroup, ActionGroupKind } from '../core/actionGroups';
import type { VerdictKind } from '../core/verdict';
import { NODE_KIND } from '../contributionIds';
import { VERDICT_ICONS } from './userTreeItem';

const VERDICT_OF_GROUP: Readonly<Record<ActionGroupKind, VerdictKind>> = {
  assign: 'assign',
  revoke: 'inactive',
  quarantined: 'quarantined',
  deleted: 'deleted',
  holds: 'holds',
  keep: 'keep',
};

/** What the admin does with each group, for its tooltip. */
function hint(kind: ActionGroupKind, inactiveDays: number): string {
  switch (kind) {
    case 'assign':
      return 'Their login passes hold more tokens than a user access pass costs: assign them one (right-click a user).';
    case 'revoke':
      return `Passes nobody used for ${inactiveDays}+ days: revoking one frees its token (a pass used in the last 7 days is quarantined first).`;
    case 'quarantined':
      return 'Revoked passes waiting out their quarantine: the token is freed when it ends; until then the pass can be reinstated at no cost.';
    case 'deleted':
      return 'Users deleted from the directory: their passes are freed when the quarantine ends. Nothing to do.';
    case 'holds':
      return 'Users who hold a pass and use it.';
    case 'keep':
      return 'Users cheaper without a pass as things stand.';
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
  const [icon, color] = VERDICT_ICONS[VERDICT_OF_GROUP[group.kind]];
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  // The sidebar often cuts the label short: the tooltip repeats it whole.
  item.tooltip = `${group.label}\n\n${hint(group.kind, inactiveDays)}`;
  item.accessibilityInformation = { label: `${group.label}. ${hint(group.kind, inactiveDays)}` };
  return item;
}
