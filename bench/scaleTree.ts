/**
 * bench/scale's Users tree: the real provider, in plain Node with a stub of the VS Code API,
 * paged the way an admin pages it. After each "Show more" the provider fires a change for the
 * list, and VS Code then asks for the list's children and for the TreeItem of each: this does
 * the same, and counts the user TreeItems built per click. The baseline is a page: the most a
 * click needs to build.
 */
import type { ActionGroupKind } from '../src/core/actionGroups';
import type { SyncResult } from '../src/core/sync';
import type { TreeElement } from '../src/views/treeElements';
import { syntheticSite } from './scaleRanking';
import { median } from './scaleStats';
import { built, installVscodeStub } from './vscodeStub';

/** One list paged through. */
export interface PagedList {
  readonly list: string;
  readonly users: number;
  readonly clicks: number;
  /** Users shown after the last click. */
  readonly shown: number;
  /** Median: a click after an age in an open page moved on also rebuilds that page. */
  readonly userItemsPerClick: number;
  readonly meanItemsPerClick: number;
  readonly msPerClick: number;
  readonly totalItems: number;
  /** True when the time cap stopped the clicking first. */
  readonly capped: boolean;
}

const PAGE_SIZE = 100;
const RULES = { windowDays: 28, inactiveDays: 30, capacityBreakEvenMinutes: null };

/** Child mode: page through the flat ranking, then the largest action group, of `userCount` users. */
export async function treeChild(userCount: number, capSeconds: number): Promise<void> {
  installVscodeStub();
  // Loaded after the stub: the provider's module asks for `vscode` as it loads.
  const { UsersTreeProvider } = await import('../src/views/usersTreeProvider');
  const { RankingIndex } = await import('../src/views/rankingIndex');
  const result = syntheticSite(userCount);
  const out: PagedList[] = [];
  for (const layout of ['flat', 'grouped'] as const) {
    const state = {
      entry: { id: 'c1', demo: false, config: { name: 'Big site', kind: 'qrs', url: 'https://qlik.example:4242', auth: { mode: 'header', headerName: 'X-User', headerValue: 'CORP\\admin' }, tlsVerify: true } },
      status: 'synced',
      result,
    };
    const none = { dispose: () => undefined };
    const model = { onDidChange: () => none, allFailed: () => false, connections: () => [state], state: (id: string) => (id === 'c1' ? state : undefined) };
    const settings = { pageSize: () => PAGE_SIZE, rules: () => RULES };
    const treeLayout = { get: () => layout, onDidChange: () => none };
    type Provider = InstanceType<typeof UsersTreeProvider>;
    const provider = new UsersTreeProvider(...([model, settings, treeLayout] as unknown as ConstructorParameters<typeof UsersTreeProvider>));
    try {
      const [connection] = provider.getChildren();
      if (!connection) {
        throw new Error('the tree shows no connection');
      }
      let list: TreeElement = connection;
      let group: ActionGroupKind | undefined;
      let size = result.ranked.length;
      if (layout === 'grouped') {
        const largest = new RankingIndex('c1', result as SyncResult).groups().reduce((a, b) => (b.users.length > a.users.length ? b : a));
        group = largest.kind;
        size = largest.users.length;
        list = provider.getChildren(connection).find((e) => e.type === 'group' && e.group === group) ?? connection;
      }
      out.push(page(provider, list, group, size, capSeconds));
    } finally {
      provider.dispose();
    }

    function page(p: Provider, listElement: TreeElement, kind: ActionGroupKind | undefined, listSize: number, cap: number): PagedList {
      const perClick: number[] = [];
      const msPerClick: number[] = [];
      const started = performance.now();
      // What VS Code does when a list is shown or changed: its children, then each one's TreeItem.
      const fetch = (): { userItems: number; users: number } => {
        let userItems = 0;
        let users = 0;
        for (const child of p.getChildren(listElement)) {
          const before = built.treeItems;
          p.getTreeItem(child);
          if (child.type === 'user') {
            userItems += built.treeItems - before;
            users++;
          }
        }
        return { userItems, users };
      };
      const first = fetch();
      let shown = first.users;
      let totalItems = first.userItems;
      let capped = false;
      for (let more = shown < listSize; more; more = shown < listSize) {
        if ((performance.now() - started) / 1000 > cap) {
          capped = true;
          break;
        }
        const t = performance.now();
        p.showMore('c1', kind);
        const { userItems, users } = fetch();
        msPerClick.push(performance.now() - t);
        perClick.push(userItems);
        totalItems += userItems;
        shown = users;
      }
      const clicks = perClick.length;
      return {
        list: kind ? `group "${kind}"` : 'flat ranking',
        users: listSize,
        clicks,
        shown,
        userItemsPerClick: median(perClick),
        meanItemsPerClick: clicks ? perClick.reduce((a, b) => a + b, 0) / clicks : 0,
        msPerClick: median(msPerClick),
        totalItems,
        capped,
      };
    }
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
