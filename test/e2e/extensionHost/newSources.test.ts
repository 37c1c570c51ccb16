// Qlik Cloud tenants and License Statistics in a real extension host: Open Demo Site starts each
// simulator, the registry opens a source of its kind, a sync ranks it, and the tree shows what is
// particular to it (orphaned assignments, a capacity tenant's inactive users, denied users on a
// read-only connection whose write commands refuse).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND, CONNECTION_FLAG, USER_FLAG } from '../../../src/contributionIds';
import type { TestApi } from '../../../src/extension';
import { DEMOS, type DemoKind } from '../../../src/views/connectionRegistry';
import type { GroupElement, TreeElement, UserElement } from '../../../src/views/treeElements';

const extensionId = process.env.LICENSE_STEWARD_E2E_EXTENSION_ID ?? 'license-steward.license-steward';

/** Every file under dir, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Waits for the first License Steward log line containing `text` (the channel writes its file a moment later). */
async function logLine(text: string): Promise<string> {
  const userDataDir = process.env.LICENSE_STEWARD_E2E_USER_DATA_DIR;
  assert.ok(userDataDir, 'the runner says where the logs live');
  for (let i = 0; ; i++) {
    const logs = filesUnder(path.join(userDataDir, 'logs')).filter((f) => /License Steward/.test(f));
    const line = logs.flatMap((f) => readFileSync(f, 'utf8').split('\n')).find((l) => l.includes(text));
    if (line !== undefined) return line;
    if (i >= 50) assert.fail(`no line with ${JSON.stringify(text)} in the License Steward log`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Qlik Cloud and License Statistics demos in the extension host', function () {
  this.timeout(180_000);
  let api: TestApi;

  before(async () => {
    const ext = vscode.extensions.getExtension(extensionId);
    assert.ok(ext);
    const exported = (await ext.activate()) as TestApi | undefined;
    assert.ok(exported);
    api = exported;
  });

  after(async () => {
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
});
