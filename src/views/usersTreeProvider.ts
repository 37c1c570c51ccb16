import * as vscode from 'vscode';
import { formatAmount, formatDate } from '../core/format';
import { PASS_KIND_LABELS, userKey } from '../core/model';
import type { RankedUser } from '../core/ranking';
import { COMMAND, NODE_KIND, USER_FLAG } from '../contributionIds';
import { Disposable } from './disposable';
import type { TreeElement, UserElement } from './treeElements';
import type { ConnectionState, UsersTreeModel } from './usersTreeModel';

/** Maps the model to TreeItems; no fetching, no ranking. */
export class UsersTreeProvider extends Disposable implements vscode.TreeDataProvider<TreeElement> {
  private readonly changed = this._register(new vscode.EventEmitter<TreeElement | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  /** Stable element objects per connection, so VS Code keeps expansion state across refreshes. */
  private readonly connectionElements = new Map<string, TreeElement>();
  private allFailed = false;

  constructor(private readonly model: UsersTreeModel) {
    super();
    this._register(
      model.onDidChange((id) => {
        // When every sync has failed the root empties so the welcome view can explain; that
        // flip changes the root, not one connection.
        const allFailed = model.allFailed();
        const rootChanged = allFailed !== this.allFailed;
        this.allFailed = allFailed;
        this.changed.fire(id && !rootChanged ? this.connectionElements.get(id) : undefined);
      }),
    );
  }

  getChildren(element?: TreeElement): TreeElement[] {
    if (!element) {
      if (this.model.allFailed()) {
        return [];
      }
      return this.model.connections().map((s) => this.connectionElement(s.entry.id));
    }
    if (element.type !== 'connection') {
      return [];
    }
    const s = this.model.state(element.connectionId);
    if (!s) {
      return [];
    }
    const id = s.entry.id;
    const out: TreeElement[] = [];
    if (s.status === 'failed') {
      out.push({ type: 'message', connectionId: id, text: `Sync failed: ${s.error ?? 'unknown error'}`, severity: 'error' });
    }
    if (!s.result) {
      if (s.status === 'idle') {
        out.push({ type: 'message', connectionId: id, text: 'Not synced yet: run Sync', severity: 'info' });
      } else if (s.status === 'syncing') {
        out.push({ type: 'message', connectionId: id, text: 'Syncing…', severity: 'info' });
      }
      return out;
    }
    const ranked = s.result.ranked;
    for (const r of ranked.slice(0, s.shown)) {
      out.push({ type: 'user', connectionId: id, ranked: r });
    }
    if (ranked.length > s.shown) {
      out.push({ type: 'more', connectionId: id, remaining: ranked.length - s.shown });
    }
    return out;
  }

  getParent(element: TreeElement): TreeElement | undefined {
    return element.type === 'connection' ? undefined : this.connectionElement(element.connectionId);
  }

  getTreeItem(element: TreeElement): vscode.TreeItem {
    switch (element.type) {
      case 'connection':
        return this.connectionItem(element.connectionId);
      case 'user':
        return userItem(element, this.model.state(element.connectionId));
      case 'more': {
        const item = new vscode.TreeItem(`Show more (${element.remaining} not shown)`);
        item.contextValue = NODE_KIND.more;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: COMMAND.showMore, title: 'Show more', arguments: [element] };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(element.text);
        item.contextValue = NODE_KIND.message;
        item.tooltip = element.text;
        item.iconPath = new vscode.ThemeIcon(element.severity === 'error' ? 'error' : 'info');
        if (element.severity === 'error') {
          item.command = { command: COMMAND.syncConnection, title: 'Retry', arguments: [this.connectionElement(element.connectionId)] };
        }
        return item;
      }
    }
  }

  private connectionElement(id: string): TreeElement {
    let e = this.connectionElements.get(id);
    if (!e) {
      e = { type: 'connection', connectionId: id };
      this.connectionElements.set(id, e);
    }
    return e;
  }

  private connectionItem(id: string): vscode.TreeItem {
    const s = this.model.state(id);
    const item = new vscode.TreeItem(s?.entry.config.name ?? id, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `connection:${id}`;
    item.contextValue = [NODE_KIND.connection, s?.entry.demo ? 'demo' : 'configured', s?.status ?? 'idle'].join('+');
    item.iconPath = new vscode.ThemeIcon(s?.status === 'failed' ? 'warning' : s?.status === 'syncing' ? 'sync~spin' : 'server-environment');
    const o = s?.result?.overview;
    const t = o?.tokens;
    item.description = t
      ? `${formatAmount(t.available)} of ${formatAmount(t.total)} tokens available`
      : o?.professional || o?.analyzer
        ? [o.professional && `professional ${o.professional.available}/${o.professional.total}`, o.analyzer && `analyzer ${o.analyzer.available}/${o.analyzer.total}`].filter(Boolean).join(' · ')
        : s?.entry.demo ? 'demo (this window only)' : '';
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${escapeMd(s?.entry.config.name ?? id)}**  \n${escapeMd(s?.entry.config.url ?? '')}`);
    if (s?.result) {
      md.appendMarkdown(`\n\nSynced ${new Date(s.result.at).toLocaleString()}: ${s.result.tally.recordCount} usage records in the last ${s.result.tally.window.to - s.result.tally.window.from > 0 ? Math.round((s.result.tally.window.to - s.result.tally.window.from) / 86_400_000) : 0} days, ${s.result.allocations.length} allocations.`);
    }
    if (s?.error) {
      md.appendMarkdown(`\n\n$(error) ${escapeMd(s.error)}`);
    }
    item.tooltip = md;
    return item;
  }
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

const ICONS: Readonly<Record<RankedUser['verdict']['kind'], [string, string | undefined]>> = {
  assign: ['flame', 'charts.orange'],
  keep: ['person', undefined],
  holds: ['pass-filled', 'charts.green'],
  inactive: ['circle-slash', 'charts.yellow'],
  quarantined: ['watch', 'charts.purple'],
  deleted: ['trash', 'disabledForeground'],
};

function userItem(e: UserElement, s: ConnectionState | undefined): vscode.TreeItem {
  const r = e.ranked;
  const item = new vscode.TreeItem(r.user.name || r.user.userId);
  item.id = `user:${e.connectionId}:${r.allocation?.userDeleted ? `deleted:${r.allocation.id}` : r.user.id}`;
  item.description = describeUser(r);
  const offered = s?.result?.overview.offeredKinds ?? [];
  item.contextValue = [NODE_KIND.user, ...userFlags(r, offered)].join('+');
  const [icon, color] = ICONS[r.verdict.kind];
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  item.tooltip = userTooltip(r);
  item.accessibilityInformation = { label: `${r.rank}. ${r.user.name}, ${item.description}. ${r.verdict.text}` };
  return item;
}

/** "14 passes · 1.4 tokens · no pass". */
export function describeUser(r: RankedUser): string {
  const parts: string[] = [];
  if (r.loginPasses > 0 || !r.capacityMinutes) {
    parts.push(`${r.loginPasses} ${r.loginPasses === 1 ? 'pass' : 'passes'}`, `${formatAmount(r.tokens)} ${r.tokens === 1 ? 'token' : 'tokens'}`);
  }
  if (r.capacityMinutes) {
    parts.push(`${formatAmount(r.capacityMinutes)} capacity min`);
  }
  const a = r.allocation;
  parts.push(
    !a ? 'no pass' : a.userDeleted ? 'deleted user' : a.quarantined ? `quarantined${a.quarantineEnd ? ` to ${formatDate(a.quarantineEnd)}` : ''}` : `${a.kind} pass`,
  );
  return parts.join(' · ');
}

function userTooltip(r: RankedUser): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  // Inside a code span Markdown escapes are shown literally; only backticks need keeping out.
  md.appendMarkdown(`**${escapeMd(r.user.name)}** — \`${userKey(r.user).replace(/`/g, "'")}\`  \n`);
  md.appendMarkdown(`Rank ${r.rank}: ${escapeMd(r.verdict.text)}\n\n`);
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

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>$]/g, '\\$&');
}
