import * as vscode from 'vscode';
import { formatDate } from '../core/format';
import { PASS_KIND_LABELS, userKey, type PassKind } from '../core/model';
import type { RankedUser } from '../core/ranking';
import type { VerdictKind } from '../core/verdict';
import { NODE_KIND, USER_FLAG } from '../contributionIds';
import { escapeMarkdown } from './escapeMarkdown';
import { rowKey } from './rankingIndex';
import type { UserElement } from './treeElements';
import { describeUser, userAccessibilityLabel } from './userNodeText';

/** Icon and colour per verdict; the action groups use the same ones. */
export const VERDICT_ICONS: Readonly<Record<VerdictKind, readonly [string, string | undefined]>> = {
  assign: ['flame', 'charts.orange'],
  keep: ['person', undefined],
  holds: ['pass-filled', 'charts.green'],
  inactive: ['circle-slash', 'charts.yellow'],
  quarantined: ['watch', 'charts.purple'],
  deleted: ['trash', 'disabledForeground'],
};

/**
 * The TreeItem of a user. `label` is the name as the connection's labels give it (with `DIR\id`
 * when another user shows the same name); `offered` are the pass kinds the site lets an admin
 * allocate, for the menus; `now` ages the dates in the description.
 */
export function userTreeItem(e: UserElement, label: string, offered: readonly PassKind[], now: number): vscode.TreeItem {
  const r = e.ranked;
  const item = new vscode.TreeItem(label);
  item.id = `user:${e.connectionId}:${rowKey(r)}`;
  item.description = describeUser(r, now);
  item.contextValue = [NODE_KIND.user, ...userFlags(r, offered)].join('+');
  const [icon, color] = VERDICT_ICONS[r.verdict.kind];
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  item.tooltip = userTooltip(r);
  item.accessibilityInformation = { label: userAccessibilityLabel(r, label, item.description) };
  return item;
}

/** Flags a user node carries in its contextValue; menus match them with regexes. */
export function userFlags(r: RankedUser, offered: readonly string[]): string[] {
  const flags: string[] = [];
  const a = r.allocation;
  if (r.verdict.kind === 'assign') {
    flags.push(USER_FLAG.heavy);
  }
  if (!a) {
    flags.push(USER_FLAG.nopass);
  } else if (a.userDeleted) {
    flags.push(USER_FLAG.deleted);
  } else if (a.quarantined) {
    flags.push(USER_FLAG.quarantined);
  } else {
    flags.push(USER_FLAG.holds);
  }
  const offer = { user: USER_FLAG.offerUser, professional: USER_FLAG.offerProfessional, analyzer: USER_FLAG.offerAnalyzer } as const;
  for (const k of ['user', 'professional', 'analyzer'] as const) {
    if (offered.includes(k)) {
      flags.push(offer[k]);
    }
  }
  return flags;
}

function userTooltip(r: RankedUser): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  // Inside a code span Markdown escapes are shown literally; only backticks need keeping out.
  md.appendMarkdown(`**${escapeMarkdown(r.user.name)}** — \`${userKey(r.user).replace(/`/g, "'")}\`  \n`);
  md.appendMarkdown(`Rank ${r.rank}: ${escapeMarkdown(r.verdict.text)}\n\n`);
  for (const a of r.allocations) {
    md.appendMarkdown(
      `- ${PASS_KIND_LABELS[a.kind]}: last used ${a.lastUsed === null ? 'never' : formatDate(a.lastUsed)}${a.quarantined ? `, quarantined until ${a.quarantineEnd ? formatDate(a.quarantineEnd) : 'unknown'}` : ''}${a.userDeleted ? ', user deleted' : ''}\n`,
    );
  }
  if (r.allocations.length === 0) {
    md.appendMarkdown('- no pass allocated\n');
  }
  if (r.lastUse !== null) {
    md.appendMarkdown(`\nLast login-pass use ${formatDate(r.lastUse)}.`);
  }
  return md;
}
