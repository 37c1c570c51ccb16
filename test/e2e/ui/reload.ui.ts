// A window reload through the real VS Code UI: the ranking of the last sync is back at once, with
// its age, without a sync (the simulator sees no request); with licenseSteward.syncOnStartup on,
// the kept ranking shows first and a background sync then refreshes it. The demo site does not
// survive a reload (it runs in the old window's extension host): its history tab says so and
// offers to open it again.
import { isDeepStrictEqual } from 'node:util';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startQrsSimulator, type QrsSimulator } from '../../../src/sim/qrs/qrsSimulator';
import { openWorkbench, type Workbench } from '../harness/uiSession';
import { clickNotificationButton, contextMenu, openView, pickQuickItem, runCommand, treeRow, treeRowLabels, treeRows, until, waitForSyncIdle, waitForWorkbench, webviewFrame } from '../harness/workbench';

const VIEW = 'Users';
const SITE = 'Reloaded site';

/** The connection's row once it shows the age of its ranking (`… · synced 2 min ago`). */
function syncedRow(page: Page) {
  return treeRow(page, VIEW, SITE).filter({ hasText: /synced (just now|\d+ min ago)/ });
}

/** The first rows of the tree with the connection's first group open, so user rows show too. */
async function rankingRows(page: Page): Promise<string[]> {
  const first = treeRows(page, VIEW).nth(1);
  await first.waitFor();
  if ((await first.getAttribute('aria-expanded')) === 'false') await first.click();
  return treeRowLabels(page, VIEW, 6);
}

/** Reloads the window the way an admin does, and waits for the extension's view to be back. */
async function reloadWindow(page: Page): Promise<void> {
  // Reload Window shuts the workbench down properly before loading again.
  await runCommand(page, 'Developer: Reload Window');
  await page.waitForTimeout(2000);
  await waitForWorkbench(page, 'License Steward');
  await openView(page, 'License Steward');
}

describe('License Steward after a window reload', () => {
  let sim: QrsSimulator;
  let wb: Workbench | undefined;
  let dir: string;

  before(async () => {
    sim = await startQrsSimulator({ users: 50, seed: 21 });
    dir = mkdtempSync(path.join(tmpdir(), 'ls-ui-reload-'));
    const caFile = path.join(dir, 'root.pem');
    writeFileSync(caFile, sim.certificates.ca);
    wb = await openWorkbench({
      containerTitle: 'License Steward',
      settings: {
        'licenseSteward.connections': [
          { name: SITE, kind: 'qrs', url: `${sim.url}/${sim.headerProxy.prefix}`, auth: { mode: 'header', headerName: sim.headerProxy.headerName, headerValue: 'CORP\\admin', caFile } },
        ],
        // Off here: this test proves the ranking comes back without a sync.
        'licenseSteward.syncOnStartup': false,
      },
    });
  });

  after(async () => {
    await wb?.close();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the last ranking and its age at once, without syncing', async () => {
    assert.ok(wb);
    const page = wb.page;
    await openView(page, 'License Steward');
    await treeRow(page, VIEW, 'Not synced yet: run Sync').waitFor();
    await runCommand(page, 'License Steward: Sync');
    await syncedRow(page).waitFor({ timeout: 30_000 });
    await waitForSyncIdle(page, VIEW);
    const before = await rankingRows(page);
    const requests = sim.requests.length;

    await reloadWindow(page);
    await syncedRow(page).waitFor({ timeout: 30_000 });
    // VS Code restores the group's expanded state itself and fetches its users a moment later:
    // read until they are there (or 10 s passed), then compare.
    let after = await rankingRows(page);
    for (const deadline = Date.now() + 10_000; !isDeepStrictEqual(after, before) && Date.now() < deadline; ) {
      await page.waitForTimeout(250);
      after = await rankingRows(page);
    }
    assert.deepEqual(after, before, 'the same users in the same order');
    assert.equal(await treeRow(page, VIEW, 'Not synced yet: run Sync').count(), 0);
    await wb.screenshot('ranking-after-reload');
    // Nothing syncs later either: give a background sync the time it would take to show up.
    await page.waitForTimeout(3000);
    assert.equal(await treeRows(page, VIEW).locator('.codicon-sync.codicon-modifier-spin').count(), 0, 'no sync running');
    assert.equal(sim.requests.length, requests, `no request reached the server: ${sim.requests.slice(requests).map((r) => r.path).join(', ')}`);
  });

  it('with syncOnStartup on, shows the kept ranking and refreshes it in the background', async () => {
    assert.ok(wb);
    const page = wb.page;
    const settingsFile = path.join(wb.userDataDir, 'User', 'settings.json');
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(settingsFile, JSON.stringify({ ...settings, 'licenseSteward.syncOnStartup': true }, null, 2));
    await page.waitForTimeout(1000); // the settings file is watched; the new window must read the new value
    const requests = sim.requests.length;

    await reloadWindow(page);
    await syncedRow(page).waitFor({ timeout: 30_000 });
    await until(async () => sim.requests.slice(requests).some((r) => r.path.endsWith('/license/loginaccessusage/table')), 'the background sync to read usage', 30_000);
    await waitForSyncIdle(page, VIEW, 30_000);
    await syncedRow(page).filter({ hasText: /synced just now/ }).waitFor();
    await wb.screenshot('synced-on-startup');
  });
});

describe('A demo site history tab after a window reload', () => {
  let wb: Workbench | undefined;

  before(async () => {
    wb = await openWorkbench({ containerTitle: 'License Steward', settings: { 'licenseSteward.connections': [] } });
  });

  after(async () => {
    await wb?.close();
  });

  it('says the demo is not running and opens it again from the notification', async function () {
    this.timeout(240_000); // the demo starts twice, and the window reloads in between
    assert.ok(wb);
    const page = wb.page;
    await openView(page, 'License Steward');
    await runCommand(page, 'License Steward: Open Demo Site');
    // The palette asks which system to simulate; the Qlik Sense site is the one these tests know.
    await pickQuickItem(page, 'Demo site');
    await treeRow(page, VIEW, 'Demo site').filter({ hasText: /synced/ }).waitFor({ timeout: 60_000 });
    await waitForSyncIdle(page, VIEW);
    await contextMenu(page, treeRow(page, VIEW, 'Demo site'), 'Show Usage History', page.locator('.tabs-container .tab', { hasText: 'Usage: Demo site (site)' }));
    const summary = webviewFrame(page).locator('#summary');
    await summary.filter({ hasText: /Demo site/ }).waitFor({ timeout: 30_000 });

    await reloadWindow(page);
    const message = webviewFrame(page).locator('.error');
    await message.filter({ hasText: /^The demo site is not running: .*Open the demo site again/ }).waitFor({ timeout: 60_000 });
    await wb.screenshot('demo-tab-after-reload');
    await clickNotificationButton(page, /the demo site is not running/, 'Open Demo Site');
    // The demo's first sync refills the tab.
    await summary.filter({ hasText: /Demo site/ }).waitFor({ timeout: 60_000 });
    assert.equal(await message.isVisible(), false, 'the message is gone once the chart is back');
  });
});
