// The Users tree through the real VS Code UI, on the demo site: users grouped by what to do with
// their counts and token effect, Find User reaching a user whose name two people share, past the
// first page of its group, by typing part of the name, and the flat-ranking toggle kept across a reload.
import assert from 'node:assert/strict';
import { groupByAction } from '../../../src/core/actionGroups';
import { silentLogger } from '../../../src/core/logger';
import { userKey } from '../../../src/core/model';
import type { RankedUser } from '../../../src/core/ranking';
import { DEFAULT_RULES, syncSource } from '../../../src/core/sync';
import { UserLabels } from '../../../src/core/userLabels';
import { startQrsSimulator } from '../../../src/sim/qrs/qrsSimulator';
import { createQrsSource } from '../../../src/sources/qrs/qrsSource';
import { openWorkbench, type Workbench } from '../harness/uiSession';
import { openView, pickQuickItem, runCommand, treeRow, treeRowLabels, until, viewTitleAction, waitForWorkbench } from '../harness/workbench';

const VIEW = 'Users';
/** Users per list before "Show more" (the default of `licenseSteward.pageSize`). */
const PAGE = 100;

describe('The Users tree through the VS Code UI', () => {
  let wb: Workbench | undefined;
  let target: RankedUser;

  before(async () => {
    // The demo site's users, computed through the same client outside VS Code: the demo runs the
    // simulator with these options (only the clock differs, and every date is relative to it).
    const sim = await startQrsSimulator({ users: 500, seed: 7 });
    const source = createQrsSource({
      baseUrl: sim.url,
      ca: sim.certificates.ca,
      auth: { mode: 'certificate', cert: sim.certificates.clientCert, key: sim.certificates.clientKey, userDirectory: 'INTERNAL', userId: 'sa_api' },
      logger: silentLogger,
    });
    const expected = await syncSource(source, { rules: DEFAULT_RULES, now: sim.clock.now() });
    await source.close();
    await sim.close();
    // A user whose name someone else has too, well past the first page of "Fine on login passes",
    // with few enough passes to stay there whatever the minute.
    const labels = new UserLabels(expected.ranked.map((r) => r.user));
    const keep = groupByAction(expected.ranked).find((g) => g.kind === 'keep')?.users ?? [];
    const found = keep.slice(PAGE + 5).find((r) => labels.isShared(r.user) && r.loginPasses >= 2 && r.loginPasses <= 6 && !r.allocation);
    assert.ok(found, 'the demo site has a user to find');
    target = found;
    wb = await openWorkbench({ containerTitle: 'License Steward', settings: { 'licenseSteward.connections': [] } });
  });

  after(async () => {
    await wb?.close();
  });

  it('shows the demo site’s users grouped by what to do, the two jobs first, with their counts', async () => {
    assert.ok(wb);
    const page = wb.page;
    await openView(page, 'License Steward');
    await runCommand(page, 'License Steward: Open Demo Site');
    // The palette asks which system to simulate; the Qlik Sense site is the one these tests know.
    await pickQuickItem(page, 'Demo site');
    await treeRow(page, VIEW, /^Should get a pass \(/).waitFor({ timeout: 30_000 });
    const labels = await treeRowLabels(page, VIEW, 5);
    assert.equal(labels[0], 'Demo site');
    const [assign, revoke, ...rest] = labels.slice(1);
    const assigned = /^Should get a pass \((\d+) · saves [\d.]+ tokens? \/ 28 days\)$/.exec(assign ?? '');
    const revoked = /^Unused passes \((\d+) · frees [\d.]+ tokens?\)$/.exec(revoke ?? '');
    assert.ok(assigned && revoked, `the two jobs come first: ${labels.join(' | ')}`);
    for (const label of rest) {
      assert.match(label, /^(Quarantined|Deleted users holding passes|Uses its pass|Fine on login passes) \(\d+\)$/);
    }
    // The connection's description sums up the same jobs.
    const site = (await treeRow(page, VIEW, 'Demo site').textContent()) ?? '';
    assert.match(site, new RegExp(` · ${assigned[1]} to assign, ${revoked[1]} to revoke · synced (just now|\\d+ min ago)`));
    await wb.screenshot('tree-groups');
  });

  it('Find User finds a user by part of the name and reveals its node, paging its group', async () => {
    assert.ok(wb);
    const page = wb.page;
    const key = userKey(target.user);
    const [first = '', last = ''] = target.user.name.split(' ');
    await runCommand(page, 'License Steward: Find User…');
    const input = page.locator('.quick-input-widget input');
    await input.fill(`${first} ${last.slice(0, 4)}`);
    // Several people show the name: the one meant is told apart by DIR\id.
    const row = page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-description', { hasText: key }) });
    await row.filter({ hasText: target.user.name }).click({ timeout: 20_000 });
    const node = treeRow(page, VIEW, `${target.user.name} (${key})`);
    await node.waitFor({ timeout: 20_000 });
    await until(async () => (await node.getAttribute('aria-selected')) === 'true', 'the revealed node to be selected');
    assert.match((await node.textContent()) ?? '', /\d+ passes · [\d.]+ tokens · no pass/);
    await wb.screenshot('find-user');
  });

  it('switches to the flat ranking from the view title, and remembers it across a reload', async () => {
    assert.ok(wb);
    const page = wb.page;
    await viewTitleAction(page, VIEW, 'Show Flat Ranking');
    // The top of the ranking right under the site, no groups.
    await until(async () => !/^Should get a pass/.test((await treeRowLabels(page, VIEW, 2))[1] ?? ''), 'the flat ranking');
    assert.equal(await treeRow(page, VIEW, /^Should get a pass \(/).count(), 0);
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForTimeout(2000);
    await waitForWorkbench(page, 'License Steward');
    await openView(page, 'License Steward');
    // The title offers the way back: the flat layout was remembered (the toggle shows once the
    // extension has activated and set its context key).
    const back = page.locator('.part.sidebar a.action-label[aria-label^="Group Users by Action"]');
    await until(async () => (await back.count()) > 0, 'the title to offer the grouped layout');
    await viewTitleAction(page, VIEW, 'Group Users by Action');
    await until(async () => (await page.locator('.part.sidebar a.action-label[aria-label^="Show Flat Ranking"]').count()) > 0, 'the toggle to flip back');
  });
});
