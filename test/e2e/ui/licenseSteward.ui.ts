// The packaged extension driven through the real VS Code UI, against a simulated Qlik Sense
// repository started by this test: ranked users appear, a right-click assigns a user access pass
// to the top heavy user after the modal confirmation, and the simulator holds the allocation.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '../../../src/core/logger';
import { DEFAULT_RULES, syncSource } from '../../../src/core/sync';
import { startQrsSimulator, type QrsSimulator } from '../../../src/sim/qrs/qrsSimulator';
import { createQrsSource } from '../../../src/sources/qrs/qrsSource';
import { openWorkbench, type Workbench } from '../harness/uiSession';
import { childRowLabels, chooseFileInDialog, clickWelcomeButton, contextMenu, expandTreeRow, modalDialog, modalDialogButton, notification, openView, pickQuickItem, runCommand, treeRow, treeRowLabels, typeQuickInput, until, viewTitleAction, waitForSyncIdle, waitForWorkbench, webviewFrame } from '../harness/workbench';

const VIEW = 'Users';

describe('License Steward through the VS Code UI', () => {
  let sim: QrsSimulator;
  let wb: Workbench | undefined;
  let dir: string;
  let topHeavy: { id: string; name: string };

  before(async () => {
    sim = await startQrsSimulator({ users: 60, seed: 5 });
    dir = mkdtempSync(path.join(tmpdir(), 'ls-ui-'));
    const caFile = path.join(dir, 'root.pem');
    writeFileSync(caFile, sim.certificates.ca);
    // What the tree must show, computed through the same client outside VS Code.
    const source = createQrsSource({
      baseUrl: sim.url,
      ca: sim.certificates.ca,
      auth: { mode: 'certificate', cert: sim.certificates.clientCert, key: sim.certificates.clientKey, userDirectory: 'INTERNAL', userId: 'sa_api' },
      logger: silentLogger,
    });
    const expected = await syncSource(source, { rules: DEFAULT_RULES, now: sim.clock.now() });
    await source.close();
    const heavy = expected.ranked.find((r) => r.verdict.kind === 'assign' && !r.allocation);
    assert.ok(heavy, 'the simulated site has a heavy user without a pass');
    topHeavy = { id: heavy.user.id, name: heavy.user.name };
    // Header auth needs no secret, so the connection can be written as plain settings.
    wb = await openWorkbench({
      containerTitle: 'License Steward',
      settings: {
        'licenseSteward.connections': [
          {
            name: 'Simulated site',
            kind: 'qrs',
            url: `${sim.url}/${sim.headerProxy.prefix}`,
            auth: { mode: 'header', headerName: sim.headerProxy.headerName, headerValue: 'CORP\\admin', caFile },
          },
        ],
      },
    });
  });

  after(async () => {
    await wb?.close();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the connection, and ranked users after Sync from the palette', async () => {
    assert.ok(wb);
    await openView(wb.page, 'License Steward');
    await treeRow(wb.page, VIEW, 'Simulated site').waitFor();
    await treeRow(wb.page, VIEW, 'Not synced yet: run Sync').waitFor();
    await runCommand(wb.page, 'License Steward: Sync');
    // Users are grouped by what to do, each group closed: heavy users without a pass are in this one.
    await expandTreeRow(wb.page, VIEW, /^Should get a pass \(/, 30_000);
    await treeRow(wb.page, VIEW, topHeavy.name).waitFor();
    const labels = await treeRowLabels(wb.page, VIEW, 5);
    assert.equal(labels[0], 'Simulated site');
    assert.ok(labels.includes(topHeavy.name), `${topHeavy.name} is listed: ${labels.join(', ')}`);
    await wb.screenshot('ranked-users');
  });

  it('assigns a user access pass to the top heavy user by right-click, after confirming', async () => {
    assert.ok(wb);
    const row = treeRow(wb.page, VIEW, topHeavy.name);
    await row.scrollIntoViewIfNeeded();
    assert.match((await row.textContent()) ?? '', /no pass/);
    await contextMenu(wb.page, row, 'Assign User Access Pass', modalDialog(wb.page));
    assert.match((await modalDialog(wb.page).textContent()) ?? '', /Assign a user access pass to .*login passes in 28 days/);
    await wb.screenshot('assign-confirmation');
    await modalDialogButton(wb.page, 'Assign');
    const done = await notification(wb.page, /Assigned a user access pass to/, 30_000);
    assert.doesNotMatch((await done.textContent()) ?? '', /allocation/, 'the notification names no allocation GUID');
    const page = wb.page;
    // Holding a pass now, the user moved to the group of holders.
    await expandTreeRow(page, VIEW, /^Uses its pass \(/, 10_000);
    await until(async () => /user pass/.test((await treeRow(page, VIEW, topHeavy.name).textContent()) ?? ''), 'the node to show the new pass', 10_000).catch(() => undefined);
    assert.match((await treeRow(wb.page, VIEW, topHeavy.name).textContent()) ?? '', /user pass/, 'the node shows the new pass');
    const held = sim.state.list('user').filter((a) => a.user.id === topHeavy.id);
    assert.equal(held.length, 1, 'the simulator holds the allocation');
    await wb.screenshot('assigned');
  });

  it('adds a connection through the guided flow from the palette', async () => {
    assert.ok(wb);
    const page = wb.page;
    const widget = page.locator('.quick-input-widget');
    /** Waits for the step that shows `hint`, then answers it. */
    const answer = async (hint: string | RegExp, text: string) => {
      await widget.filter({ hasText: hint }).waitFor();
      await typeQuickInput(page, text);
    };
    /** Waits for the pick list whose placeholder starts with `hint`, then picks `label`. */
    const choose = async (hint: string, label: string) => {
      await widget.locator(`input[placeholder^="${hint}"]`).waitFor();
      await pickQuickItem(page, label);
    };
    await runCommand(page, 'License Steward: Add Connection');
    await choose('Which license system?', 'Qlik Sense client-managed');
    await answer('A name for this site', 'Second site');
    await answer('https://host:4242 (certificate)', `${sim.url}/${sim.headerProxy.prefix}`);
    await choose('How does License Steward sign in?', 'Header');
    await choose('Which certificate authority', "Select the site's root.pem");
    await chooseFileInDialog(page, 'root.pem', path.join(dir, 'root.pem'));
    await answer("The virtual proxy's header name", sim.headerProxy.headerName);
    await answer('The user to send in it', 'CORP\\admin');
    await openView(page, 'License Steward');
    // The first site's users fill the viewport; the list is virtual, so collapse them.
    await viewTitleAction(page, VIEW, 'Collapse All');
    await treeRow(page, VIEW, 'Second site').waitFor({ timeout: 30_000 });
    await page.locator('.monaco-list-row', { hasText: 'Second site' }).filter({ hasText: /tokens available/ }).waitFor({ timeout: 30_000 });
    await wb.screenshot('second-site');
  });
});

describe('License Steward for a new user', () => {
  let wb: Workbench | undefined;

  before(async () => {
    wb = await openWorkbench({
      containerTitle: 'License Steward',
      settings: {
        'licenseSteward.connections': [],
      },
    });
  });

  after(async () => {
    await wb?.close();
  });

  it('offers to add a connection or open the demo site, and the demo fills the tree', async () => {
    assert.ok(wb);
    await openView(wb.page, 'License Steward');
    const welcome = wb.page.locator('.welcome-view-content');
    await welcome.getByText('Add a connection').waitFor();
    await welcome.getByText('Open the demo site').waitFor();
    await wb.screenshot('welcome');
    await clickWelcomeButton(wb.page, VIEW, 'Open the demo site');
    await treeRow(wb.page, VIEW, 'Demo site').waitFor({ timeout: 30_000 });
    await treeRow(wb.page, VIEW, /^Should get a pass \(/).waitFor({ timeout: 30_000 });
    const labels = await treeRowLabels(wb.page, VIEW, 3);
    assert.equal(labels[0], 'Demo site');
    assert.match(labels[1] ?? '', /^Should get a pass \(\d+ · /, `the demo site lists its users by what to do: ${labels.join(', ')}`);
    // The status bar names the site its tokens belong to.
    await wb.page.locator('.statusbar-item', { hasText: /Demo site: \d+ \/ \d+ tokens/ }).first().waitFor();
    await wb.screenshot('demo-site');
  });
});

describe('License Steward when a sync fails', () => {
  let wb: Workbench | undefined;

  before(async () => {
    wb = await openWorkbench({
      containerTitle: 'License Steward',
      settings: {
        'licenseSteward.connections': [
          // Port 9 on loopback: nothing listens there.
          { name: 'Unreachable', kind: 'qrs', url: 'https://127.0.0.1:9', auth: { mode: 'header', headerName: 'X-User', headerValue: 'CORP\\admin' } },
        ],
      },
    });
  });

  after(async () => {
    await wb?.close();
  });

  it('says why in the view and offers a retry', async () => {
    assert.ok(wb);
    await openView(wb.page, 'License Steward');
    await runCommand(wb.page, 'License Steward: Sync');
    const welcome = wb.page.locator('.welcome-view-content');
    await welcome.getByText('Retry sync').waitFor({ timeout: 30_000 });
    await welcome.getByText(/could not reach the server/).waitFor();
    // The exact reason is in the notification.
    await notification(wb.page, /Sync failed for "Unreachable": Nothing listens at 127\.0\.0\.1:9/);
    await wb.screenshot('sync-failed');
  });
});

describe('License Steward usage history', () => {
  const DAY = 86_400_000;
  let sim: QrsSimulator;
  let wb: Workbench | undefined;
  let dir: string;

  before(async () => {
    // The simulated site starts a day behind: the first sync sees "yesterday", the second "today".
    sim = await startQrsSimulator({ users: 40, seed: 9, now: Date.now() - DAY });
    dir = mkdtempSync(path.join(tmpdir(), 'ls-ui-history-'));
    const caFile = path.join(dir, 'root.pem');
    writeFileSync(caFile, sim.certificates.ca);
    wb = await openWorkbench({
      containerTitle: 'License Steward',
      settings: {
        'licenseSteward.connections': [
          { name: 'History site', kind: 'qrs', url: `${sim.url}/${sim.headerProxy.prefix}`, auth: { mode: 'header', headerName: sim.headerProxy.headerName, headerValue: 'CORP\\admin', caFile } },
        ],
      },
    });
  });

  after(async () => {
    await wb?.close();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("charts a user's login passes from two syncs on different simulated days", async () => {
    assert.ok(wb);
    const page = wb.page;
    await openView(page, 'License Steward');
    await runCommand(page, 'License Steward: Sync');
    // The top user heads the first group (it stays there with the passes added below).
    const group = await expandTreeRow(page, VIEW, /^Should get a pass \(/, 30_000);
    const [name] = await childRowLabels(page, VIEW, group);
    assert.ok(name, 'the site has users');
    const user = sim.state.users.find((u) => u.name === name);
    assert.ok(user);

    // A day later the user logs in four more times; the second sync records those too.
    sim.clock.set(Date.now());
    for (const hoursAgo of [2, 3, 4, 5]) {
      sim.state.addLoginUsage(user, Date.now() - hoursAgo * 3_600_000);
    }
    const seen = sim.requests.length;
    await runCommand(page, 'License Steward: Sync');
    await until(async () => sim.requests.slice(seen).some((r) => r.path.endsWith('/license/loginaccessusage/table')), 'the second sync to fetch usage');
    await waitForSyncIdle(page, VIEW);

    const today = Math.floor(Date.now() / DAY) * DAY;
    let expected = 0;
    for (let i = 0; i < sim.state.loginUsage.size; i++) {
      const start = sim.state.loginUsage.startAt(i);
      if (start >= today - 27 * DAY && sim.state.users[sim.state.loginUsage.userIndexAt(i)]?.id === user.id) {
        expected++;
      }
    }
    // Open panels reload after every sync, so the chart ends up showing both syncs either way.
    await contextMenu(page, treeRow(page, VIEW, name), 'Show Usage History', page.locator('.tabs-container .tab', { hasText: `Usage: ${name}` }));
    const frame = webviewFrame(page);
    const summary = frame.locator('#summary');
    await summary.filter({ hasText: `${user.name} (${user.userDirectory}\\${user.userId}) on History site, the last 28 days: ${expected} login passes` }).waitFor({ timeout: 30_000 });
    /** The few canvas members this check reads (the test code has no DOM lib). */
    interface Canvas2d {
      readonly width: number;
      readonly height: number;
      getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
    }
    const inked = await frame.locator('canvas').first().evaluate((el) => {
      const c = el as unknown as Canvas2d;
      const ctx = c.getContext('2d');
      const d = ctx?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
      let n = 0;
      for (let i = 3; i < d.length; i += 4) n += d[i] ? 1 : 0;
      return n;
    });
    assert.ok(inked > 1000, `the chart drew (${inked} painted pixels)`);
    await wb.screenshot('usage-history');
  });

  it('brings the history panel back after a window reload', async () => {
    assert.ok(wb);
    const page = wb.page;
    const summary = webviewFrame(page).locator('#summary');
    const before = (await summary.textContent()) ?? '';
    assert.match(before, /login passes/);
    // Reload Window shuts the workbench down properly (it saves the open editors) before loading again.
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForTimeout(2000);
    await waitForWorkbench(page, 'License Steward');
    // The serializer revives the panel with its target, name and range, and the chart loads the
    // same history from the local store, before any new sync; the tree shows the kept ranking.
    await webviewFrame(page).locator('#summary').filter({ hasText: before }).waitFor({ timeout: 60_000 });
    await treeRow(page, VIEW, 'History site').filter({ hasText: /synced / }).waitFor();
    await wb.screenshot('usage-history-after-reload');
  });
});
