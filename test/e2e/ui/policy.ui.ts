// Policy automation through the real VS Code UI against a simulated Qlik Sense repository started by
// this test: a policy in user settings, Plan License Changes from the connection's context menu, the
// Plan view with a checkbox per change, one change unchecked, Apply Plan from the view's title with
// the connection's name typed (two changes are more than half the policy's cap of three), and the
// simulator holding exactly the two passes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '../../../src/core/logger';
import type { Plan } from '../../../src/core/plan';
import { planSource } from '../../../src/core/planSource';
import { parsePolicy } from '../../../src/core/policyParse';
import { DEFAULT_RULES } from '../../../src/core/sync';
import { startQrsSimulator, type QrsSimulator } from '../../../src/sim/qrs/qrsSimulator';
import { createQrsSource } from '../../../src/sources/qrs/qrsSource';
import { openWorkbench, type Workbench } from '../harness/uiSession';
import { contextMenu, notification, openView, treeRow, until, viewTitleAction } from '../harness/workbench';

const USERS = 'Users';
const PLAN = 'Plan';
const SITE = 'Policy site';
const POLICY = { upgrade: [{ when: { loginPassesAtLeast: 10, windowDays: 28 }, assign: 'user' }], maxChangesPerRun: 3, neverTouch: { flags: [] } };

describe('Policy automation through the VS Code UI', () => {
  let sim: QrsSimulator;
  let wb: Workbench | undefined;
  let dir: string;
  let expected: Plan;

  before(async () => {
    sim = await startQrsSimulator({ users: 60, seed: 5 });
    dir = mkdtempSync(path.join(tmpdir(), 'ls-ui-policy-'));
    const caFile = path.join(dir, 'root.pem');
    writeFileSync(caFile, sim.certificates.ca);
    // The plan the view must show, made by the same core outside VS Code.
    const source = createQrsSource({
      baseUrl: sim.url,
      ca: sim.certificates.ca,
      auth: { mode: 'certificate', cert: sim.certificates.clientCert, key: sim.certificates.clientKey, userDirectory: 'INTERNAL', userId: 'sa_api' },
      logger: silentLogger,
    });
    expected = (await planSource(source, parsePolicy(POLICY, 'test'), { connection: SITE, rules: DEFAULT_RULES, now: sim.clock.now() })).plan;
    await source.close();
    assert.equal(expected.changes.length, 3, 'the site has more heavy users than the cap');
    assert.equal(new Set(expected.changes.map((c) => c.user.name)).size, 3, 'three names to tell the rows apart');
    wb = await openWorkbench({
      containerTitle: 'License Steward',
      settings: {
        'licenseSteward.connections': [{ name: SITE, kind: 'qrs', url: `${sim.url}/${sim.headerProxy.prefix}`, auth: { mode: 'header', headerName: sim.headerProxy.headerName, headerValue: 'CORP\\admin', caFile } }],
        'licenseSteward.policies': { [SITE]: POLICY },
      },
    });
  });

  after(async () => {
    await wb?.close();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('plans from the connection’s context menu and shows every change checked, grouped by rule', async () => {
    assert.ok(wb);
    const page = wb.page;
    await openView(page, 'License Steward');
    const header = treeRow(page, PLAN, `Plan for ${SITE}`);
    await contextMenu(page, treeRow(page, USERS, SITE), 'Plan License Changes', header);
    await header.filter({ hasText: '3 of 3 checked' }).waitFor({ timeout: 30_000 });
    await treeRow(page, PLAN, /^Tokens: \d+ available → \d+ after the plan/).waitFor();
    await treeRow(page, PLAN, 'upgrade[0]: assign a user access pass to heavy users').waitFor();
    for (const c of expected.changes) {
      const row = treeRow(page, PLAN, c.user.name);
      await row.waitFor();
      assert.equal(await row.locator('.custom-view-tree-node-item-checkbox[aria-checked="true"]').count(), 1, `${c.user.name} is checked`);
    }
    await wb.screenshot('policy-plan');
  });

  it('applies the two changes left checked after the connection’s name is typed, and the simulator holds them', async () => {
    assert.ok(wb);
    const page = wb.page;
    const [first, second, third] = expected.changes;
    assert.ok(first && second && third);
    const holders = () => new Set([...sim.state.allocations.user.values()].map((a) => a.user.id));
    const before = holders();
    await treeRow(page, PLAN, third.user.name).locator('.custom-view-tree-node-item-checkbox').click();
    await treeRow(page, PLAN, `Plan for ${SITE}`).filter({ hasText: '2 of 3 checked' }).waitFor();

    await viewTitleAction(page, PLAN, 'Apply Plan');
    // Two of a cap of three: the name is typed rather than a button clicked.
    const box = page.locator('.quick-input-widget', { has: page.locator('.quick-input-title', { hasText: `Apply 2 license changes to "${SITE}"` }) });
    const input = box.locator('.quick-input-box input');
    await input.waitFor({ timeout: 20_000 });
    await input.fill(SITE);
    // The extension host validates each value; Enter counts once it has accepted this one.
    await until(async () => !/exactly/.test(await box.locator('.quick-input-message').innerText().catch(() => '')), 'the name to be accepted');
    await input.press('Enter');
    await box.waitFor({ state: 'hidden', timeout: 10_000 });

    await notification(page, `"${SITE}": the plan ran. 2 done, 0 skipped, 0 failed, 0 not run.`, 60_000);
    for (const c of [first, second]) {
      await treeRow(page, PLAN, c.user.name).filter({ hasText: /done: Assigned a user access pass to / }).waitFor();
    }
    await treeRow(page, PLAN, third.user.name).filter({ hasText: /not checked: not applied/ }).waitFor();
    const added = [...holders()].filter((u) => !before.has(u)).sort();
    assert.deepEqual(added, [first.user.id, second.user.id].sort(), 'the simulator holds exactly the two checked passes');
    await wb.screenshot('policy-applied');
  });
});
