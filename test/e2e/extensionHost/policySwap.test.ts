// A swap rule in a real extension host against a simulated user-based Qlik Sense site: the Plan
// view shows the swaps under their rule with the swap icon and a checkbox each, and Apply Plan
// runs the one left checked: the analyzer access first, then the professional access released,
// both audited with the rule.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND, SETTING } from '../../../src/contributionIds';
import type { ApplyReport } from '../../../src/core/applyPlan';
import type { AuditEntry } from '../../../src/core/historyAudit';
import type { TestApi } from '../../../src/extension';
import { startQrsSimulator, type QrsSimulator } from '../../../src/sim/qrs/qrsSimulator';
import type { PlanElement } from '../../../src/views/planTreeProvider';
import { scriptedPrompter } from './scriptedPrompter';
import { filesUnder } from './extensionFiles';
import { activateForTest, saveSimConnection } from './testApi';

const NAME = 'Swap sim';
const SWAP = { swap: [{ when: { kind: 'professional', onlyConsumesDays: 90 }, to: 'analyzer' }], maxChangesPerRun: 4, neverTouch: { flags: [] } };

describe('Swap rules in the extension host', function () {
  let sim: QrsSimulator;
  let api: TestApi;
  let dir: string;
  const id = randomUUID();

  /** The audit entries License Steward wrote for this spec's connection. */
  function audit(): AuditEntry[] {
    const userDataDir = process.env.LICENSE_STEWARD_E2E_USER_DATA_DIR;
    assert.ok(userDataDir);
    return filesUnder(userDataDir)
      .filter((f) => f.endsWith('audit.jsonl'))
      .flatMap((f) => readFileSync(f, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditEntry))
      .filter((e) => e.connection === id);
  }

  function label(element: PlanElement): string {
    const l = api.planTree.getTreeItem(element).label;
    return typeof l === 'string' ? l : (l?.label ?? '');
  }

  before(async () => {
    sim = await startQrsSimulator({ users: 300, seed: 7, licenseModel: 'userBased' });
    dir = mkdtempSync(path.join(tmpdir(), 'ls-swap-'));
    api = await activateForTest();
    await saveSimConnection(api, sim, dir, { id, name: NAME });
    await vscode.workspace.getConfiguration(SETTING.section).update(SETTING.policies, { [NAME]: SWAP }, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    api?.useDialogs();
    await api?.plans.clear().catch(() => undefined);
    await vscode.workspace.getConfiguration(SETTING.section).update(SETTING.policies, undefined, vscode.ConfigurationTarget.Global);
    await api?.registry.remove(id).catch(() => undefined);
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the swaps under their rule, each checked with the swap icon, and applies the one left checked', async () => {
    await vscode.commands.executeCommand(COMMAND.planChanges, { type: 'connection', connectionId: id });
    const session = api.plans.current();
    assert.ok(session, 'a plan is shown');
    const changes = session.plan.changes;
    assert.equal(changes.length, 4, 'the cap');
    assert.ok(changes.every((c) => c.action === 'swap' && c.fromKind === 'professional' && c.kind === 'analyzer'));
    const rules = api.planTree.getChildren().filter((e) => e.type === 'rule');
    assert.deepEqual(rules.map(label), ['swap[0]: swap professional access for analyzer access']);
    const items = changes.map((_, index) => api.planTree.getTreeItem({ type: 'change', index }));
    assert.ok(items.every((item) => (item.iconPath as vscode.ThemeIcon).id === 'arrow-swap'));
    assert.ok(items.every((item) => typeof item.checkboxState === 'object' && item.checkboxState.state === vscode.TreeItemCheckboxState.Checked));
    assert.equal(items[0]?.description, changes[0]?.reason);
    const tooltip = items[0]?.tooltip;
    assert.ok(tooltip !== undefined && typeof tooltip !== 'string', 'a Markdown tooltip');
    assert.match(tooltip.value, /^\*\*Swap the professional access of .* for an analyzer access\*\*/);

    api.plans.setChecked([1, 2, 3], false);
    const prompter = scriptedPrompter((q) => q.kind === 'confirm');
    api.answerWith(prompter);
    const report = (await vscode.commands.executeCommand(COMMAND.applyPlan)) as ApplyReport | undefined;
    assert.deepEqual(prompter.asked, [{ kind: 'confirm', title: 'Apply', message: `Apply 1 license change to "${NAME}"?` }]);
    assert.deepEqual(report?.results.map((r) => r.status), ['done']);
    const [swapped] = changes;
    assert.ok(swapped?.allocation);
    assert.ok(sim.state.list('analyzer').some((a) => a.user.id === swapped.user.id), 'the analyzer access is held');
    const old = sim.state.allocations.professional.get(swapped.allocation.id);
    assert.ok(old === undefined || old.quarantined, 'the professional access is released');
    for (const other of changes.slice(1)) {
      assert.ok(!sim.state.list('analyzer').some((a) => a.user.id === other.user.id), 'nothing unchecked ran');
    }
    const done = api.planTree.getTreeItem({ type: 'change', index: 0 });
    assert.equal((done.iconPath as vscode.ThemeIcon).id, 'pass');
    assert.match(String(done.description), /^done: Assigned an analyzer access to .* Revoked the professional access of /);
    assert.deepEqual(
      audit().map((e) => [e.phase, e.result ?? null, e.action, e.kind, e.user.id, e.reason]),
      [
        ['intent', null, 'assign', 'analyzer', swapped.user.id, { rule: 'swap[0]' }],
        ['outcome', 'applied', 'assign', 'analyzer', swapped.user.id, { rule: 'swap[0]' }],
        ['intent', null, 'revoke', 'professional', swapped.user.id, { rule: 'swap[0]' }],
        ['outcome', 'applied', 'revoke', 'professional', swapped.user.id, { rule: 'swap[0]' }],
      ],
    );
    await vscode.commands.executeCommand(COMMAND.closePlan);
  });
});
