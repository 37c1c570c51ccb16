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

/** The icon of a user refused a license (License Statistics denials): what the admin must not miss. */
export const DENIED_ICON: readonly [string, string] = ['error', 'charts.red'];

/** What a user node needs to know of its connection besides the ranking row. */
export interface UserNodeContext {
  /** The pass kinds the connection lets an admin allocate, for the menus. */
  readonly offered: readonly PassKind[];
  /** License Statistics: nothing can be changed from here. */
  readonly readOnly: boolean;
  /** Passes change kind in place (Qlik Cloud user-based tenants). */
  readonly changeable: boolean;
  /** A capacity tenant: users are disabled rather than licenses revoked. */
  readonly fullUsers: boolean;
}

/**
 * The TreeItem of a user. `label` is the name as the connection's labels give it (with `DIR\id`
 * when another user shows the same name); `offered` are the pass kinds the site lets an admin
 * allocate, for the menus; `now` ages the dates in the description.
 */
export function userTreeItem(e: UserElement, label: string, context: UserNodeContext, now: number): vscode.TreeItem {
  const r = e.ranked;
  const item = new vscode.TreeItem(label);
  item.id = `user:${e.connectionId}:${rowKey(r)}`;
  item.description = describeUser(r, now);
  item.contextValue = [NODE_KIND.user, ...userFlags(r, context)].join('+');
  const [icon, color] = (r.denials ?? 0) > 0 ? DENIED_ICON : VERDICT_ICONS[r.verdict.kind];
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  item.tooltip = userTooltip(r);
  item.accessibilityInformation = { label: userAccessibilityLabel(r, label, item.description) };
  return item;
}

/**
 * Flags a user node carries in its contextValue; menus match them with regexes. A read-only
 * connection's users carry `readonly` (and `denied`) only: no write command's menu matches them.
 */
export function userFlags(r: RankedUser, context: UserNodeContext): string[] {
  if (context.readOnly) {
    return [USER_FLAG.readonly, ...((r.denials ?? 0) > 0 ? [USER_FLAG.denied] : [])];
  }
  const flags: string[] = [];
  const a = r.allocation;
  if (r.verdict.kind === 'assign') {
    flags.push(USER_FLAG.heavy);
  }
  if (!a) {
    flags.push(USER_FLAG.nopass);
  } else if (a.orphaned) {
    flags.push(USER_FLAG.orphaned);
  } else if (a.userDeleted) {
    flags.push(USER_FLAG.deleted);
  } else if (a.quarantined) {
    flags.push(USER_FLAG.quarantined);
  } else {
    flags.push(USER_FLAG.holds);
    if (context.changeable) {
      flags.push(USER_FLAG.changeable);
    }
  }
  if (context.fullUsers && !a) {
    flags.push(USER_FLAG.fulluser);
  }
  // An orphan has no user to give a pass to.
  const offer = { user: USER_FLAG.offerUser, professional: USER_FLAG.offerProfessional, analyzer: USER_FLAG.offerAnalyzer } as const;
  for (const k of ['user', 'professional', 'analyzer'] as const) {
    if (context.offered.includes(k) && !a?.orphaned) {
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
  if (r.hoursUsed !== undefined) {
    // License Statistics: no passes here, only use and denials.
    if ((r.denials ?? 0) > 0) {
      md.appendMarkdown(`$(error) Denied ${r.denials === 1 ? 'once' : `${r.denials} times`} in the window: needed a license that was not there.\n`);
    }
    return md;
  }
  if (r.allocations.length === 0) {
    md.appendMarkdown('- no pass allocated\n');
  }
  if (r.lastUse !== null) {
    md.appendMarkdown(`\nLast ${r.loginPasses > 0 ? 'login-pass use' : r.capacityMinutes > 0 ? 'session' : 'use'} ${formatDate(r.lastUse)}.`);
  }
  return md;
}
