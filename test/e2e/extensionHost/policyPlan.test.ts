// Policy automation in a real extension host against a simulated Qlik Sense repository: a policy
// from settings planned into the Plan view (grouped by rule, every change checked), the checked
// changes applied and audited with their rule, a cancel that stops before the next change, and
// the typed-name confirmation for a run of more than half the policy's cap.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND, SETTING } from '../../../src/contributionIds';
import type { ApplyReport } from '../../../src/core/applyPlan';
import type { AuditEntry } from '../../../src/core/historyAudit';
import { silentLogger } from '../../../src/core/logger';
import { planSource } from '../../../src/core/planSource';
import { parsePolicy } from '../../../src/core/policyParse';
import { DEFAULT_RULES } from '../../../src/core/sync';
import type { TestApi } from '../../../src/extension';
import { startQrsSimulator, type QrsSimulator } from '../../../src/sim/qrs/qrsSimulator';
import { createQrsSource } from '../../../src/sources/qrs/qrsSource';
import type { PlanElement } from '../../../src/views/planTreeProvider';
import { scriptedPrompter } from './scriptedPrompter';
import { filesUnder, logLine } from './extensionFiles';
import { activateForTest, saveSimConnection } from './testApi';

const NAME = 'Plan sim';
const UPGRADE = { when: { loginPassesAtLeast: 10, windowDays: 28 }, assign: 'user' };
const RELEASE = { when: { unusedDays: 30 }, revoke: ['user'] };

describe('Policy plans in the extension host', function () {
  let sim: QrsSimulator;
  let api: TestApi;
  let dir: string;
  const id = randomUUID();
  const node = { type: 'connection', connectionId: id };

  async function setPolicy(policy: unknown): Promise<void> {
    await vscode.workspace.getConfiguration(SETTING.section).update(SETTING.policies, { [NAME]: policy }, vscode.ConfigurationTarget.Global);
  }

  /** The audit entries License Steward wrote for this spec's connection. */
  function audit(): AuditEntry[] {
    const userDataDir = process.env.LICENSE_STEWARD_E2E_USER_DATA_DIR;
    assert.ok(userDataDir);
    return filesUnder(userDataDir)
      .filter((f) => f.endsWith('audit.jsonl'))
      .flatMap((f) => readFileSync(f, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditEntry))
      .filter((e) => e.connection === id);
  }

  function children(element?: PlanElement): PlanElement[] {
    return api.planTree.getChildren(element);
  }

  function label(element: PlanElement): string {
    const l = api.planTree.getTreeItem(element).label;
    return typeof l === 'string' ? l : (l?.label ?? '');
  }

  function checkbox(element: PlanElement): vscode.TreeItemCheckboxState | undefined {
    const c = api.planTree.getTreeItem(element).checkboxState;
    return typeof c === 'object' ? c.state : c;
  }

  function users(): string[] {
    return (api.plans.current()?.plan.changes ?? []).map((c) => c.user.id);
  }

  /** User ids holding a user access pass on the simulator now. */
  function holders(): Set<string> {
    return new Set([...sim.state.allocations.user.values()].map((a) => a.user.id));
  }

  before(async () => {
    sim = await startQrsSimulator({ users: 80, seed: 3 });
    dir = mkdtempSync(path.join(tmpdir(), 'ls-plan-'));
    api = await activateForTest();
    await saveSimConnection(api, sim, dir, { id, name: NAME });
  });

  after(async () => {
    api?.useDialogs();
    await api?.plans.clear().catch(() => undefined);
    await vscode.workspace.getConfiguration(SETTING.section).update(SETTING.policies, undefined, vscode.ConfigurationTarget.Global);
    await api?.registry.remove(id).catch(() => undefined);
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says where a policy goes when the connection has none, and names the setting and the field of an invalid one', async () => {
    await vscode.workspace.getConfiguration(SETTING.section).update(SETTING.policies, { 'Old name': { upgrade: [UPGRADE] } }, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand(COMMAND.planChanges, node);
    await logLine(
      `[command] ${COMMAND.planChanges}: No policy for "${NAME}": add one to the licenseSteward.policies setting under the connection's name (README, "Policies"). licenseSteward.policies names "Old name", which no connection is called (renamed?).`,
    );
    await setPolicy({ release: [{ when: { unusedDays: 30, idleDays: 3 }, revoke: ['user'] }] });
    await vscode.commands.executeCommand(COMMAND.planChanges, node);
    await logLine(`[command] ${COMMAND.planChanges}: Setting licenseSteward.policies["${NAME}"] is not a valid policy: release[0].when: unknown key "idleDays".`);
    assert.equal(api.plans.current(), undefined);
  });

  it('plans by the policy in settings and shows the plan grouped by rule, every change checked', async () => {
    await setPolicy({ upgrade: [UPGRADE], release: [RELEASE], maxChangesPerRun: 6, neverTouch: { flags: [] } });
    await vscode.commands.executeCommand(COMMAND.planChanges, node);
    const session = api.plans.current();
    assert.ok(session, 'a plan is shown');
    assert.equal(session.entry.id, id);
    assert.equal(api.plans.phase(), 'ready');
    // The same plan as core makes outside VS Code against the same site.
    const source = createQrsSource({
      baseUrl: sim.url,
      ca: sim.certificates.ca,
      auth: { mode: 'certificate', cert: sim.certificates.clientCert, key: sim.certificates.clientKey, userDirectory: 'INTERNAL', userId: 'sa_api' },
      logger: silentLogger,
    });
    const policy = parsePolicy({ upgrade: [UPGRADE], release: [RELEASE], maxChangesPerRun: 6, neverTouch: { flags: [] } }, 'test');
    const expected = (await planSource(source, policy, { connection: NAME, rules: DEFAULT_RULES, now: sim.clock.now() })).plan;
    await source.close();
    assert.deepEqual(users(), expected.changes.map((c) => c.user.id));
    assert.equal(session.plan.changes.length, 6, 'the cap');

    const [header, ...rest] = children();
    assert.ok(header);
    assert.equal(label(header), `Plan for ${NAME}`);
    assert.equal(api.planTree.getTreeItem(header).description, `6 of 6 checked, ${session.plan.skipped.length} skipped`);
    const lines = children(header).map(label);
    assert.match(lines[0] ?? '', /^Tokens: [\d.]+ available → [\d.]+ after the plan \(uses \d+, frees \d+\); reserve 0 tokens\.$/);
    assert.ok(lines.some((l) => /^Login access group .* login passes left, /.test(l)), lines.join(' | '));
    const rules = rest.filter((e) => e.type === 'rule');
    assert.deepEqual(rules.map(label), ['release[0]: release passes unused for 30 days (user access pass)', 'upgrade[0]: assign a user access pass to heavy users']);
    const changes = rules.flatMap((r) => children(r));
    assert.deepEqual(changes.map((c) => (c.type === 'change' ? c.index : -1)), [0, 1, 2, 3, 4, 5], 'grouped by rule in run order');
    assert.ok([...rules, ...changes].every((e) => checkbox(e) === vscode.TreeItemCheckboxState.Checked), 'all checked by default');
    const first = api.planTree.getTreeItem(changes[0] as PlanElement);
    assert.equal(first.description, session.plan.changes[0]?.reason);
    const skippedList = rest.find((e) => e.type === 'skippedList');
    assert.ok(skippedList);
    assert.equal(label(skippedList), `Skipped (${session.plan.skipped.length})`);
    assert.equal(api.planTree.getTreeItem(skippedList).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.match(String(api.planTree.getTreeItem(children(skippedList)[0] as PlanElement).description), /^(upgrade|release)\[0\] · cap: over the cap of 6 changes per run/);
  });

  it('applies the two checked changes after a modal naming them, audited with their rule, and shows each outcome', async () => {
    const session = api.plans.current();
    assert.ok(session);
    const changes = session.plan.changes;
    // Keep one release and one upgrade.
    const keep = [changes.findIndex((c) => c.action === 'revoke'), changes.findIndex((c) => c.action === 'assign')];
    assert.ok(keep.every((i) => i >= 0), 'the plan has both kinds');
    api.plans.setChecked(changes.map((_, i) => i).filter((i) => !keep.includes(i)), false);
    // A rule's checkbox is checked while all of its changes are.
    const rules = children().filter((e) => e.type === 'rule');
    assert.deepEqual(
      rules.map((r) => checkbox(r)),
      rules.map((r) => (r.type === 'rule' && r.indexes.every((i) => keep.includes(i)) ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked)),
    );
    assert.ok(rules.some((r) => checkbox(r) === vscode.TreeItemCheckboxState.Unchecked), 'a rule with a change left out is unchecked');
    const before = holders();
    const syncedAt = api.model.state(id)?.result?.at ?? 0;
    const prompter = scriptedPrompter((q) => q.kind === 'confirm');
    api.answerWith(prompter);
    const report = (await vscode.commands.executeCommand(COMMAND.applyPlan)) as ApplyReport | undefined;
    assert.deepEqual(prompter.asked, [{ kind: 'confirm', title: 'Apply', message: `Apply 2 license changes to "${NAME}"?` }]);
    assert.ok(report, 'the run finished without a failure');
    assert.deepEqual(report.results.map((r) => r.status), ['done', 'done']);

    const [release, upgrade] = keep.map((i) => changes[i]);
    assert.ok(release && upgrade);
    const after = holders();
    assert.ok(before.has(release.user.id) && !after.has(release.user.id), 'the release freed the pass on the simulator');
    assert.ok(!before.has(upgrade.user.id) && after.has(upgrade.user.id), 'the upgrade is held on the simulator');
    assert.equal([...after].filter((u) => !before.has(u)).length, 1, 'nothing unchecked was assigned');

    assert.equal(api.plans.phase(), 'applied');
    for (const [i, c] of changes.entries()) {
      const item = api.planTree.getTreeItem({ type: 'change', index: i });
      assert.equal(item.checkboxState, undefined, 'a plan that ran has no checkboxes');
      if (keep.includes(i)) {
        assert.equal((item.iconPath as vscode.ThemeIcon).id, 'pass');
        assert.match(String(item.description), c.action === 'assign' ? /^done: Assigned a user access pass to / : /^done: Revoked the user access pass of /);
      } else {
        assert.match(String(item.description), /^not checked: not applied · /);
      }
    }
    assert.equal(api.planTree.getTreeItem(children()[0] as PlanElement).description, '2 done, 0 skipped, 0 failed, 0 not run');
    assert.ok((api.model.state(id)?.result?.at ?? 0) > syncedAt, 'the connection was synced again');
    assert.deepEqual(
      audit().map((e) => [e.phase, e.result ?? null, e.action, e.user.id, e.reason]),
      [release, upgrade].flatMap((c) => [
        ['intent', null, c.action, c.user.id, { rule: c.rule }],
        ['outcome', 'applied', c.action, c.user.id, { rule: c.rule }],
      ]),
    );
    assert.ok(audit().every((e) => / \(VS Code\) as INTERNAL\\sa_api$/.test(e.actor)));
  });

  it('cancel stops before the next change, never in the middle of one', async () => {
    await setPolicy({ upgrade: [UPGRADE], maxChangesPerRun: 3, neverTouch: { flags: [] } });
    await vscode.commands.executeCommand(COMMAND.planChanges, node);
    const changes = api.plans.current()?.plan.changes ?? [];
    assert.equal(changes.length, 3);
    const before = holders();
    // The first assignment takes a while on the server; the cancel lands while it is under way.
    sim.fault({ method: 'POST', path: /\/qrs\/license\/useraccesstype$/, delayMs: 1500, times: 1 });
    const abort = new AbortController();
    const report = await api.plans.apply({
      signal: abort.signal,
      onChange: (position) => {
        if (position === 1) setTimeout(() => abort.abort(), 300);
      },
      onOutcomeNotWritten: () => assert.fail('the audit log is writable'),
    });
    assert.equal(report.cancelled, true);
    assert.deepEqual(report.results.map((r) => r.status), ['done', 'notRun', 'notRun']);
    const added = [...holders()].filter((u) => !before.has(u));
    assert.deepEqual(added, [changes[0]?.user.id], 'the change under way finished; the next ones were not started');
    const icons = changes.map((_, i) => (api.planTree.getTreeItem({ type: 'change', index: i }).iconPath as vscode.ThemeIcon).id);
    assert.deepEqual(icons, ['pass', 'circle-slash', 'circle-slash']);
  });

  it('asks for the connection’s name for more than half the cap, and runs nothing until it is typed', async () => {
    await setPolicy({ upgrade: [UPGRADE], maxChangesPerRun: 2, neverTouch: { flags: [] } });
    await vscode.commands.executeCommand(COMMAND.planChanges, node);
    assert.equal(users().length, 2);
    const before = holders();
    // Dismissed: nothing runs.
    const dismissed = scriptedPrompter(() => null);
    api.answerWith(dismissed);
    await vscode.commands.executeCommand(COMMAND.applyPlan);
    assert.deepEqual(dismissed.asked.map((q) => q.kind), ['input'], 'no modal: the name is typed instead');
    assert.equal(api.plans.phase(), 'ready');
    assert.deepEqual(holders(), before);
    // A wrong name is refused by the input box itself.
    const wrong = scriptedPrompter(() => 'plan sim');
    api.answerWith(wrong);
    await vscode.commands.executeCommand(COMMAND.applyPlan);
    await logLine(`[command] ${COMMAND.applyPlan}: "plan sim" rejected at`);
    assert.deepEqual(holders(), before);
    // The name: both changes run.
    const typed = scriptedPrompter(() => NAME);
    api.answerWith(typed);
    const report = (await vscode.commands.executeCommand(COMMAND.applyPlan)) as ApplyReport | undefined;
    const [q] = typed.asked;
    assert.ok(q?.kind === 'input');
    assert.equal(q.title, `Apply 2 license changes to "${NAME}"`);
    assert.match(q.prompt, new RegExp(`more than half the policy's cap of 2\\. Type the connection's name, ${NAME}, to apply them\\.`));
    assert.deepEqual(report?.results.map((r) => r.status), ['done', 'done']);
    assert.ok(users().every((u) => holders().has(u)));
  });

  it('stops at a change the server refuses, says which in an error, and leaves the rest not run', async () => {
    await setPolicy({ upgrade: [UPGRADE], maxChangesPerRun: 6, neverTouch: { flags: [] } });
    await vscode.commands.executeCommand(COMMAND.planChanges, node);
    const changes = api.plans.current()?.plan.changes ?? [];
    assert.ok(changes.length >= 2, `${changes.length} changes`);
    api.plans.setChecked(changes.map((_, i) => i).slice(2), false);
    const before = holders();
    sim.fault({ method: 'POST', path: /\/qrs\/license\/useraccesstype$/, status: 500, body: 'No tokens left', times: 1 });
    api.answerWith(scriptedPrompter((q) => q.kind === 'confirm'));
    await vscode.commands.executeCommand(COMMAND.applyPlan);
    const [failed, next] = changes;
    assert.ok(failed && next);
    await logLine(`[command] ${COMMAND.applyPlan}: "${NAME}": the change to assign a user access pass to ${failed.user.name} (${failed.user.directory}\\${failed.user.userId}) failed: Not done:`);
    assert.deepEqual(holders(), before, 'nothing was assigned');
    assert.deepEqual([0, 1].map((i) => api.plans.stateOf(i)?.status), ['failed', 'notRun']);
    const icons = [0, 1].map((i) => (api.planTree.getTreeItem({ type: 'change', index: i }).iconPath as vscode.ThemeIcon).id);
    assert.deepEqual(icons, ['error', 'circle-slash']);
    const outcome = audit().filter((e) => e.user.id === failed.user.id && e.phase === 'outcome').at(-1);
    assert.equal(outcome?.result, 'notApplied');
    assert.deepEqual(outcome?.reason, { rule: 'upgrade[0]' });
  });

  it('closes the plan, hiding the view', async () => {
    await vscode.commands.executeCommand(COMMAND.closePlan);
    assert.equal(api.plans.current(), undefined);
    assert.deepEqual(children(), []);
  });
});
