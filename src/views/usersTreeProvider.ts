import * as vscode from 'vscode';
import { ACTION_GROUP_TITLES, actionGroupOf, type ActionGroupKind } from '../core/actionGroups';
import { formatAge } from '../core/format';
import type { RankedUser } from '../core/ranking';
import type { SyncResult } from '../core/sync';
import { COMMAND, CONNECTION_FLAG, NODE_KIND } from '../contributionIds';
import { CONNECTION_ICONS, connectionDescription, connectionTooltip } from './connectionNodeText';
import { Disposable } from './disposable';
import { groupTreeItem } from './groupTreeItem';
import { ListPaging } from './listPaging';
import { PagedTreeItems } from './pagedTreeItems';
import { RankingIndex, type ListKey } from './rankingIndex';
import type { Settings } from './settings';
import type { ConnectionElement, GroupElement, TreeElement, UserElement } from './treeElements';
import type { TreeLayoutStore } from './treeLayout';
import { describeUserChangesAt } from './userNodeText';
import { userNodeContext } from './userNodeContext';
import { userTreeItem, type UserNodeContext } from './userTreeItem';
import type { UsersTreeModel } from './usersTreeModel';

/** How long a reveal waits for VS Code to fetch a list it was told to re-page. */
const REFETCH_WAIT_MS = 2_000;

/** A user's element, paged in so it exists in the tree, ready for `TreeView.reveal`. */
export interface PagedUser {
  readonly element: UserElement;
  /** Resolves once VS Code has fetched the list the user was paged into (or it was not shown). */
  readonly settled: Promise<void>;
}

/**
 * Maps the model to TreeItems; no fetching, no ranking. Under each connection: the action groups
 * (or, in the flat layout, the ranking), each list paged on its own so a "Show more" builds only
 * the new page's elements.
 */
export class UsersTreeProvider extends Disposable implements vscode.TreeDataProvider<TreeElement> {
  private readonly changed = this._register(new vscode.EventEmitter<TreeElement | TreeElement[] | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  /** Stable element objects, so VS Code keeps expansion state across refreshes. */
  private readonly connectionElements = new Map<string, ConnectionElement>();
  private readonly groupElements = new Map<string, GroupElement>();
  /** What each sync result derives (groups, labels, elements), computed once per result. */
  private readonly indexes = new WeakMap<SyncResult, RankingIndex>();
  /** Each result's user items, built a page at a time and reused until their text would change. */
  private readonly items = new WeakMap<RankingIndex, PagedTreeItems<vscode.TreeItem>>();
  private readonly paging = new ListPaging();
  /** Lists whose children VS Code fetched since they were last collapsed, i.e. shown open. */
  private readonly fetched = new Set<TreeElement>();
  private readonly fetchWaiters = new Map<TreeElement, (() => void)[]>();
  /** The age each connection node shows, so the minute tick refreshes only what reads differently. */
  private readonly shownAges = new Map<string, string>();
  private allFailed = false;

  constructor(
    private readonly model: UsersTreeModel,
    private readonly settings: Settings,
    private readonly layout: TreeLayoutStore,
  ) {
    super();
    this._register(
      model.onDidChange((id) => {
        // When every sync has failed the root empties so the welcome view can explain; that
        // flip changes the root, not one connection.
        const allFailed = model.allFailed();
        const rootChanged = allFailed !== this.allFailed;
        this.allFailed = allFailed;
        if (!id) {
          this.paging.retain(new Set(model.connections().map((s) => s.entry.id)));
        }
        this.changed.fire(id && !rootChanged ? this.connectionElement(id) : undefined);
      }),
    );
    this._register(layout.onDidChange(() => this.changed.fire(undefined)));
    // "synced 2 min ago" must not still say so an hour later.
    const tick = setInterval(() => this.refreshAges(), 60_000);
    this._register({ dispose: () => clearInterval(tick) });
  }

  getChildren(element?: TreeElement): TreeElement[] {
    if (!element) {
      return this.model.allFailed() ? [] : this.model.connections().map((s) => this.connectionElement(s.entry.id));
    }
    this.noteFetched(element);
    switch (element.type) {
      case 'connection':
        return this.connectionChildren(element);
      case 'group':
        return this.listChildren(element.connectionId, element.group);
      default:
        return [];
    }
  }

  getParent(element: TreeElement): TreeElement | undefined {
    switch (element.type) {
      case 'connection':
        return undefined;
      case 'user':
        return this.layout.get() === 'flat' ? this.connectionElement(element.connectionId) : this.groupElement(element.connectionId, actionGroupOf(element.ranked));
      case 'more':
        return element.group ? this.groupElement(element.connectionId, element.group) : this.connectionElement(element.connectionId);
      default:
        return this.connectionElement(element.connectionId);
    }
  }

  getTreeItem(element: TreeElement): vscode.TreeItem {
    switch (element.type) {
      case 'connection':
        return this.connectionItem(element.connectionId);
      case 'group': {
        const group = this.indexOf(element.connectionId)?.group(element.group);
        // An element VS Code still holds from before a sync emptied its group.
        return group ? groupTreeItem(element.connectionId, group, this.settings.rules().inactiveDays) : new vscode.TreeItem(ACTION_GROUP_TITLES[element.group]);
      }
      case 'user':
        return this.userItem(element);
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

  /** Shows another page of a group's users, or of the flat ranking when `group` is absent. */
  showMore(connectionId: string, group?: ActionGroupKind): void {
    this.paging.showMore(connectionId, group ?? 'flat');
    this.changed.fire(group ? this.groupElement(connectionId, group) : this.connectionElement(connectionId));
  }

  /**
   * Pages the list that holds `wanted` (a row of this or an earlier sync of the connection) far
   * enough that its node exists, for `TreeView.reveal`; undefined when the current ranking has
   * no such user.
   */
  pageTo(connectionId: string, wanted: RankedUser): PagedUser | undefined {
    const index = this.indexOf(connectionId);
    const r = index?.find(wanted);
    if (!index || !r) {
      return undefined;
    }
    const flat = this.layout.get() === 'flat';
    const key: ListKey = index.listOf(r, flat);
    const parent = key === 'flat' ? this.connectionElement(connectionId) : this.groupElement(connectionId, key);
    let settled = Promise.resolve();
    if (this.paging.showAtLeast(connectionId, key, index.positionIn(key, r) + 1, this.settings.pageSize())) {
      // VS Code reveals only nodes it has fetched: an open list must be fetched again first. A
      // closed one is fetched by the reveal itself when it opens the list.
      if (this.fetched.has(parent)) {
        settled = this.nextFetch(parent);
      }
      this.changed.fire(parent);
    }
    return { element: index.element(r), settled };
  }

  /** The admin closed a node: its children are fetched afresh when it opens again. */
  forgetChildren(element: TreeElement): void {
    this.fetched.delete(element);
  }

  private connectionChildren(element: ConnectionElement): TreeElement[] {
    const s = this.model.state(element.connectionId);
    if (!s) {
      return [];
    }
    const id = s.entry.id;
    const out: TreeElement[] = [];
    if (s.status === 'failed') {
      out.push({ type: 'message', connectionId: id, text: `Sync failed: ${s.error ?? 'unknown error'}`, severity: 'error' });
    }
    const index = this.indexOf(id);
    if (!index) {
      if (s.status === 'idle') {
        out.push({ type: 'message', connectionId: id, text: 'Not synced yet: run Sync', severity: 'info' });
      } else if (s.status === 'syncing') {
        out.push({ type: 'message', connectionId: id, text: 'Syncing…', severity: 'info' });
      }
      return out;
    }
    if (this.layout.get() === 'flat') {
      return [...out, ...this.listChildren(id, 'flat')];
    }
    return [...out, ...index.groups().map((g) => this.groupElement(id, g.kind))];
  }

  /** One page (or several, after "Show more") of a list, and a "Show more" while some are left. */
  private listChildren(connectionId: string, key: ListKey): TreeElement[] {
    const index = this.indexOf(connectionId);
    if (!index) {
      return [];
    }
    const list = index.list(key);
    const shown = this.paging.shown(connectionId, key, this.settings.pageSize());
    const out: TreeElement[] = list.slice(0, shown).map((r) => index.element(r));
    if (list.length > shown) {
      out.push({ type: 'more', connectionId, ...(key === 'flat' ? {} : { group: key }), remaining: list.length - shown });
    }
    return out;
  }

  /** A user's item, from its list's pages; an element of an earlier sync is built afresh. */
  private userItem(element: UserElement): vscode.TreeItem {
    const now = Date.now();
    const index = this.indexOf(element.connectionId);
    const context = userNodeContext(this.model.state(element.connectionId));
    if (index) {
      const key = index.listOf(element.ranked, this.layout.get() === 'flat');
      const position = index.positionIn(key, element.ranked);
      if (position >= 0) {
        return this.itemPages(index, context).item(key, position, now);
      }
    }
    const label = index?.labels().label(element.ranked.user) ?? element.ranked.user.name;
    return userTreeItem(element, label, context, now);
  }

  /** The item pages of one sync result's lists, at the current page size. */
  private itemPages(index: RankingIndex, context: UserNodeContext): PagedTreeItems<vscode.TreeItem> {
    const pageSize = this.settings.pageSize();
    let pages = this.items.get(index);
    if (!pages || pages.pageSize !== pageSize) {
      pages = new PagedTreeItems(pageSize, (key) => index.list(key), (r, now) => ({
        item: userTreeItem(index.element(r), index.labels().label(r.user), context, now),
        validUntil: describeUserChangesAt(r, now),
      }));
      this.items.set(index, pages);
    }
    return pages;
  }

  private indexOf(connectionId: string): RankingIndex | undefined {
    const result = this.model.state(connectionId)?.result;
    if (!result) {
      return undefined;
    }
    let index = this.indexes.get(result);
    if (!index) {
      index = new RankingIndex(connectionId, result);
      this.indexes.set(result, index);
    }
    return index;
  }

  private connectionElement(id: string): ConnectionElement {
    let e = this.connectionElements.get(id);
    if (!e) {
      e = { type: 'connection', connectionId: id };
      this.connectionElements.set(id, e);
    }
    return e;
  }

  private groupElement(connectionId: string, group: ActionGroupKind): GroupElement {
    const key = `${connectionId}\n${group}`;
    let e = this.groupElements.get(key);
    if (!e) {
      e = { type: 'group', connectionId, group };
      this.groupElements.set(key, e);
    }
    return e;
  }

  private connectionItem(id: string): vscode.TreeItem {
    const s = this.model.state(id);
    const item = new vscode.TreeItem(s?.entry.config.name ?? id, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `connection:${id}`;
    const kind = s?.entry.config.kind ?? 'qrs';
    item.contextValue = [NODE_KIND.connection, s?.entry.demo ? 'demo' : 'configured', s?.status ?? 'idle', CONNECTION_FLAG[kind]].join('+');
    item.iconPath = new vscode.ThemeIcon(s?.status === 'failed' ? 'warning' : s?.status === 'syncing' ? 'sync~spin' : CONNECTION_ICONS[kind]);
    if (!s) {
      return item;
    }
    const now = Date.now();
    const summary = this.indexOf(id)?.summary();
    item.description = connectionDescription(s, summary, now);
    item.tooltip = new vscode.MarkdownString(connectionTooltip(s, summary, this.settings.rules().inactiveDays, now), true);
    if (s.result) {
      this.shownAges.set(id, formatAge(s.result.at, now));
    }
    return item;
  }

  private refreshAges(): void {
    const now = Date.now();
    const stale = this.model
      .connections()
      .filter((s) => s.result && this.shownAges.has(s.entry.id) && this.shownAges.get(s.entry.id) !== formatAge(s.result.at, now))
      .map((s) => this.connectionElement(s.entry.id));
    if (stale.length > 0) {
      this.changed.fire(stale);
    }
  }

  private noteFetched(element: TreeElement): void {
    this.fetched.add(element);
    const waiters = this.fetchWaiters.get(element);
    if (waiters) {
      this.fetchWaiters.delete(element);
      // The answer still has to travel back to the workbench before a reveal can find its nodes.
      setTimeout(() => waiters.forEach((w) => w()), 100);
    }
  }

  /** Resolves after VS Code next fetches `element`'s children, or after a wait it never does. */
  private nextFetch(element: TreeElement): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, REFETCH_WAIT_MS);
      const list = this.fetchWaiters.get(element) ?? [];
      list.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.fetchWaiters.set(element, list);
    });
  }
}
