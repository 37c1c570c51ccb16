// Qlik Cloud tenants and License Statistics in a real extension host: Open Demo Site starts each
// simulator, the registry opens a source of its kind, a sync ranks it, and the tree shows what is
// particular to it (orphaned assignments, a capacity tenant's inactive users, denied users on a
// read-only connection whose write commands refuse).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMAND, CONNECTION_FLAG, USER_FLAG } from '../../../src/contributionIds';
import type { TestApi } from '../../../src/extension';
import { DEMOS, type DemoKind } from '../../../src/views/demos';
import type { GroupElement, TreeElement, UserElement } from '../../../src/views/treeElements';
import { scriptedPrompter } from './scriptedPrompter';
import { logLine } from './extensionFiles';
import { activateForTest } from './testApi';

describe('Qlik Cloud and License Statistics demos in the extension host', function () {
  this.timeout(180_000);
  let api: TestApi;

  before(async () => {
    api = await activateForTest();
  });

  after(async () => {
    api.useDialogs();
    for (const kind of ['cloud', 'capacity', 'licstats'] as const) {
      await api.registry.remove(DEMOS[kind].id);
    }
  });

  /** Opens a demo as the command does, and returns its connection's groups once synced. */
  async function open(kind: DemoKind): Promise<{ groups: GroupElement[]; label: (e: TreeElement) => string; users: (g: GroupElement) => UserElement[] }> {
    await vscode.commands.executeCommand(COMMAND.openDemoSite, kind);
    const id = DEMOS[kind].id;
    const state = api.model.state(id);
    assert.equal(state?.status, 'synced', state?.error);
    const connection = api.tree.getChildren().find((e) => e.type === 'connection' && e.connectionId === id);
    assert.ok(connection, `${kind}: the demo is in the tree`);
    const item = api.tree.getTreeItem(connection);
    assert.match(String(item.contextValue), new RegExp(`^connection\\+demo\\+synced\\+${CONNECTION_FLAG[kind === 'capacity' ? 'cloud' : kind]}$`));
    return {
      groups: api.tree.getChildren(connection).filter((e): e is GroupElement => e.type === 'group'),
      label: (e) => String(api.tree.getTreeItem(e).label),
      users: (g) => api.tree.getChildren(g).filter((e): e is UserElement => e.type === 'user'),
    };
  }

  it('opens a user-based tenant, with its orphaned assignments in their own group to release', async () => {
    const { groups, users } = await open('cloud');
    const orphaned = groups.find((g) => g.group === 'orphaned');
    assert.ok(orphaned, `groups: ${groups.map((g) => g.group).join(', ')}`);
    const [first] = users(orphaned);
    assert.ok(first);
    assert.match(String(api.tree.getTreeItem(first).contextValue), new RegExp(`\\+${USER_FLAG.orphaned}\\b`));
    const holder = api.model.state(DEMOS.cloud.id)?.result?.ranked.find((r) => r.allocation && !r.allocation.orphaned);
    assert.ok(holder, 'someone holds a license');
  });

  it('opens a capacity tenant and shows who has not signed in for 30 days', async () => {
    const { groups, label, users } = await open('capacity');
    const inactive = groups.find((g) => g.group === 'revoke');
    assert.ok(inactive);
    assert.match(label(inactive), /^Inactive users \(\d+\)$/);
    const [someone] = users(inactive);
    assert.ok(someone);
    assert.match(String(api.tree.getTreeItem(someone).contextValue), new RegExp(`\\+${USER_FLAG.fulluser}\\b`));
    assert.match(someone.ranked.verdict.text, /→ disable candidate \(frees 1 Full User\)$/);
  });

  it('opens License Statistics read-only: denied users flagged, write commands refused', async () => {
    const { groups, label, users } = await open('licstats');
    const denied = groups.find((g) => g.group === 'denied');
    assert.ok(denied, `groups: ${groups.map(label).join(', ')}`);
    const [user] = users(denied);
    assert.ok(user);
    const item = api.tree.getTreeItem(user);
    assert.equal(item.contextValue, `user+${USER_FLAG.readonly}+${USER_FLAG.denied}`);
    assert.match(String(item.description), /^denied \d+× · /);
    await vscode.commands.executeCommand(COMMAND.revokePass, user);
    const line = await logLine(`[command] ${COMMAND.revokePass}: "${DEMOS.licstats.name}" is a License Statistics connection, which is read-only`);
    assert.match(line, /managed on the license servers/);
  });

  it('ranks License Statistics by a feature chosen with Choose Feature…, then by all features again', async () => {
    await open('licstats');
    const id = DEMOS.licstats.id;
    const hoursOf = (): Map<string, number> => new Map((api.model.state(id)?.result?.ranked ?? []).filter((r) => (r.hoursUsed ?? 0) > 0).map((r) => [r.user.name, r.hoursUsed ?? 0]));
    const all = hoursOf();
    const entry = api.model.state(id)?.entry;
    const window = api.model.state(id)?.result?.tally.window;
    assert.ok(entry && window);
    // What each feature's users used, read from the server apart from the command under test.
    const source = await api.registry.open(entry);
    const perFeature: { name: string; id: string; hours: Map<string, number> }[] = [];
    try {
      assert.equal(source.system, 'licstats');
      if (source.system !== 'licstats') return;
      const features = await source.features();
      for (const f of features.filter((x) => features.filter((y) => y.name === x.name).length === 1)) {
        const hours = new Map<string, number>();
        for await (const page of source.usage(window, { scope: { feature: f.id } })) {
          for (const r of page) hours.set(r.user.name, (hours.get(r.user.name) ?? 0) + r.amount);
        }
        perFeature.push({ name: f.name, id: f.id, hours });
      }
    } finally {
      await source.close();
    }
    const feature = perFeature.filter((f) => f.hours.size > 0 && f.hours.size < all.size).sort((a, b) => b.hours.size - a.hours.size)[0];
    assert.ok(feature, 'a feature some but not all users used');

    const prompter = scriptedPrompter((q) => (q.kind === 'pick' ? feature.name : null));
    api.answerWith(prompter);
    const node = api.tree.getChildren().find((e) => e.type === 'connection' && e.connectionId === id);
    assert.ok(node);
    await vscode.commands.executeCommand(COMMAND.chooseFeature, node);
    const asked = prompter.asked[0];
    assert.ok(asked?.kind === 'pick');
    assert.equal(asked.labels[0], 'All features');
    const state = api.model.state(id);
    assert.equal(state?.status, 'synced', state?.error);
    assert.equal(state?.feature?.id, feature.id);
    const chosen = hoursOf();
    assert.deepEqual([...chosen.keys()].sort(), [...feature.hours.keys()].sort(), 'ranked are the feature\'s users');
    for (const [name, hours] of feature.hours) assert.ok(Math.abs((chosen.get(name) ?? 0) - hours) < 1e-6, name);
    const item = api.tree.getTreeItem(node);
    assert.ok(String(item.description).startsWith(`${feature.name} only · `), String(item.description));
    // Markdown escapes the name's underscores: the text is compared without the escapes.
    const tooltip = (item.tooltip as vscode.MarkdownString).value.replace(/\\(.)/g, '$1');
    assert.ok(tooltip.includes(`Ranked by ${feature.name} only: hours of feature ${feature.id}`), tooltip);

    // From the palette: the only License Statistics connection is taken without asking which.
    api.answerWith(scriptedPrompter((q) => (q.kind === 'pick' ? 'All features' : null)));
    await vscode.commands.executeCommand(COMMAND.chooseFeature);
    assert.equal(api.model.state(id)?.feature, undefined);
    assert.deepEqual(hoursOf(), all, 'all features again');
    assert.doesNotMatch(String(api.tree.getTreeItem(node).description), / only · /);
  });
});
