// The Users tree in a real extension host against a simulated Qlik Sense repository: users grouped
// by what to do with counts, each group paged on its own, same-named users told apart, the flat
// ranking toggle, and Find User revealing a user deep in its group.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { ACTION_GROUP_ORDER, groupByAction } from '../../../src/core/actionGroups';
import { userKey } from '../../../src/core/model';
import type { RankedUser } from '../../../src/core/ranking';
import type { PickItem, Prompter } from '../../../src/commands/prompter';
import { COMMAND, SETTING } from '../../../src/contributionIds';
import type { TestApi } from '../../../src/extension';
import { startQrsSimulator, type QrsSimulator } from '../../../src/sim/qrs/qrsSimulator';
import type { GroupElement, MoreElement, TreeElement, UserElement } from '../../../src/views/treeElements';
import { activateForTest } from './testApi';

const PAGE = 10;

/** Picks the item `choose` returns; records what was offered. */
function picking(choose: (items: readonly PickItem<unknown>[]) => PickItem<unknown> | undefined, offered: PickItem<unknown>[][] = []): Prompter {
  return {
    confirm: async () => false,
    pick: async <T>(items: readonly PickItem<T>[]) => {
      offered.push([...items]);
      const chosen = choose(items);
      if (!chosen) throw new Error('nothing to pick');
      return chosen.value as T;
    },
    input: async () => '',
    openFile: async () => {
      throw new Error('no file dialogs in this test');
    },
  };
}

/** Polls `check` until it holds or 5 s pass. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('The Users tree in the extension host', function () {
  let sim: QrsSimulator;
  let api: TestApi;
  let dir: string;
  const id = randomUUID();
  let twins: [string, string];

  before(async () => {
    sim = await startQrsSimulator({ users: 150, seed: 11 });
    dir = mkdtempSync(path.join(tmpdir(), 'ls-tree-'));
    writeFileSync(path.join(dir, 'root.pem'), sim.certificates.ca);
    // Two people of one name, both with login passes, so both are ranked.
    const [a, b] = sim.state.users.filter((u) => u.userDirectory === 'CORP' && !u.roles.includes('RootAdmin')).slice(0, 2);
    assert.ok(a && b);
    b.name = a.name;
    for (const u of [a, b]) sim.state.addLoginUsage(u, sim.clock.now() - 3_600_000);
    twins = [a.id, b.id];
    api = await activateForTest();
    await vscode.workspace.getConfiguration(SETTING.section).update(SETTING.pageSize, PAGE, vscode.ConfigurationTarget.Global);
    const caFile = path.join(dir, 'root.pem');
    await api.registry.save({ id, name: 'Tree sim', kind: 'qrs', url: `${sim.url}/${sim.headerProxy.prefix}`, auth: { mode: 'header', headerName: sim.headerProxy.headerName, headerValue: 'CORP\\admin', caFile }, tlsVerify: true });
    await vscode.commands.executeCommand(COMMAND.syncConnection, { type: 'connection', connectionId: id });
    assert.equal(api.model.state(id)?.status, 'synced', api.model.state(id)?.error);
  });

  after(async () => {
    api?.useDialogs();
    await vscode.commands.executeCommand(COMMAND.groupByAction);
    await vscode.workspace.getConfiguration(SETTING.section).update(SETTING.pageSize, undefined, vscode.ConfigurationTarget.Global);
    await api?.registry.remove(id).catch(() => undefined);
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function connection(): TreeElement {
    const conn = api.tree.getChildren().find((e) => e.type === 'connection' && e.connectionId === id);
    assert.ok(conn, 'the connection node is in the tree');
    return conn;
  }
  function ranked(): readonly RankedUser[] {
    return api.model.state(id)?.result?.ranked ?? [];
  }
  function groups(): GroupElement[] {
    return api.tree.getChildren(connection()).filter((e): e is GroupElement => e.type === 'group');
  }
  function usersOf(parent: TreeElement): UserElement[] {
    return api.tree.getChildren(parent).filter((e): e is UserElement => e.type === 'user');
  }
  function label(e: TreeElement): string {
    return String(api.tree.getTreeItem(e).label);
  }

  it('groups users by what to do, the two jobs first, each with its count and token effect', () => {
    const shown = groups();
    assert.deepEqual(api.tree.getChildren(connection()), shown, 'nothing but groups under a synced connection');
    assert.deepEqual(shown.map(label), groupByAction(ranked()).map((g) => g.label));
    const kinds = shown.map((g) => g.group);
    assert.deepEqual(kinds, ACTION_GROUP_ORDER.filter((k) => kinds.includes(k)), 'in the order of the jobs');
    assert.match(label(shown[0] as TreeElement), /^Should get a pass \(\d+ · saves [\d.]+ tokens? \/ 28 days\)$/);
    assert.match(label(shown[1] as TreeElement), /^Unused passes \(\d+ · frees [\d.]+ tokens?\)$/);
    for (const g of shown) {
      const item = api.tree.getTreeItem(g);
      assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
      assert.equal(item.contextValue, `group+${g.group}`);
      assert.equal(api.tree.getParent(g), connection());
      for (const u of usersOf(g)) {
        assert.equal(api.tree.getParent(u), g, 'a user’s parent is its group (reveal walks up through it)');
        const description = String(api.tree.getTreeItem(u).description);
        if (u.ranked.allocation) assert.doesNotMatch(description, /^0 passes/, `${label(u)}: ${description}`);
      }
    }
  });

  it('pages each group on its own', async () => {
    const largest = [...groupByAction(ranked())].sort((x, y) => y.users.length - x.users.length)[0];
    const big = groups().find((g) => g.group === largest?.kind);
    assert.ok(big && (largest?.users.length ?? 0) > 3 * PAGE, 'a group holds more than three pages');
    const others = groups().filter((g) => g !== big);
    const before = others.map((g) => api.tree.getChildren(g).length);
    const children = api.tree.getChildren(big);
    assert.equal(usersOf(big).length, PAGE);
    const more = children.at(-1) as MoreElement;
    assert.equal(more.type, 'more');
    assert.equal(more.group, big.group);
    assert.equal(api.tree.getParent(more), big);
    const total = PAGE + more.remaining;
    await vscode.commands.executeCommand(COMMAND.showMore, more);
    assert.equal(usersOf(big).length, Math.min(2 * PAGE, total));
    assert.deepEqual(others.map((g) => api.tree.getChildren(g).length), before, 'the other groups kept their page');
  });

  it('Find User offers every user with its group and verdict, and reveals the one chosen, paging its group', async () => {
    // Past the two pages of the largest group shown so far: the reveal has to page it first.
    const largest = [...groupByAction(ranked())].sort((x, y) => y.users.length - x.users.length)[0];
    assert.ok(largest && largest.users.length > 2 * PAGE + 2, 'a group of more than two pages');
    const target = largest.users[2 * PAGE + 2] as RankedUser;
    const offered: PickItem<unknown>[][] = [];
    api.answerWith(picking((items) => items.find((i) => i.description === userKey(target.user)), offered));
    const revealed = await vscode.commands.executeCommand<UserElement | undefined>(COMMAND.findUser);
    const items = offered[0] ?? [];
    assert.equal(items.length, ranked().length, 'every user of the connection is offered');
    const item = items.find((i) => i.description === userKey(target.user));
    assert.equal(item?.label, target.user.name);
    assert.equal(item?.detail, `${largest.title} · ${target.verdict.text}`);
    assert.equal(revealed?.ranked.user.id, target.user.id);
    const group = groups().find((g) => g.group === largest.kind);
    assert.ok(group);
    assert.equal(usersOf(group).length, 3 * PAGE, 'the group was paged far enough, and no further');
    assert.ok(usersOf(group).some((u) => u.ranked.user.id === target.user.id));
    await eventually(() => api.view.selection.some((e) => e.type === 'user' && e.ranked.user.id === target.user.id), 'the revealed user to be selected');
    assert.equal(api.view.visible, true, 'the view was opened');
  });

  it('adds DIR\\id to the label of a name two users share, and to what a screen reader says', () => {
    // Wherever they rank; the label does not depend on the page.
    const all = ranked().map((r): UserElement => ({ type: 'user', connectionId: id, ranked: r }));
    const [a, b] = twins.map((t) => all.find((u) => u.ranked.user.id === t));
    assert.ok(a && b, 'both twins are ranked');
    for (const u of [a, b]) {
      const item = api.tree.getTreeItem(u);
      assert.equal(item.label, `${u.ranked.user.name} (${userKey(u.ranked.user)})`);
      assert.ok(item.accessibilityInformation?.label.includes(`${u.ranked.user.name} (${userKey(u.ranked.user)}), `), item.accessibilityInformation?.label);
    }
    const other = all.find((u) => u.ranked.user.name !== a.ranked.user.name && u.ranked.user.name);
    assert.ok(other);
    assert.equal(api.tree.getTreeItem(other).label, other.ranked.user.name);
  });

  it('switches to the flat ranking and back from the view title', async () => {
    await vscode.commands.executeCommand(COMMAND.showFlatRanking);
    const flat = api.tree.getChildren(connection());
    const users = flat.filter((e): e is UserElement => e.type === 'user');
    assert.deepEqual(users.map((u) => u.ranked.rank), Array.from({ length: users.length }, (_, i) => i + 1), 'the ranking, from the top');
    assert.ok(users.length >= PAGE);
    assert.equal(api.tree.getParent(users[0] as TreeElement), connection());
    assert.equal(flat.filter((e) => e.type === 'group').length, 0);
    await vscode.commands.executeCommand(COMMAND.groupByAction);
    assert.ok(api.tree.getChildren(connection()).every((e) => e.type === 'group'));
  });

});
