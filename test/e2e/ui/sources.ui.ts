// Qlik Cloud tenants and License Statistics through the real VS Code UI, on the demos Open Demo Site
// starts: a right-click assigns analyzer access on a user-based tenant after the modal confirmation,
// a capacity tenant lists the users who have not signed in for 30 days with Disable User on them,
// and a License Statistics connection flags its denied users and offers no write command. The demo
// simulators run inside the extension host, out of this process's reach, so every check reads what
// the admin sees: after a change the extension re-syncs, so the tree shows the tenant's own state.
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { openWorkbench, type Workbench } from '../harness/uiSession';
import { childRowLabels, contextMenu, expandTreeRow, modalDialog, modalDialogButton, notification, openView, pickQuickItem, runCommand, treeRow, until, waitForSyncIdle } from '../harness/workbench';

const VIEW = 'Users';
/** A capacity tenant's inactivity threshold (the `inactiveDays` default). */
const INACTIVE_DAYS = 30;
/** The items a user node's context menu may carry that change something on the server. */
const WRITE_ITEMS = /Assign|Revoke|Reinstate|Change License Type|Disable User|Release/;

/** Opens a demo the way an admin does: the palette's Open Demo Site, then the system in its picker. */
async function openDemo(page: Page, pick: string, connection: string): Promise<Locator> {
  await openView(page, 'License Steward');
  await runCommand(page, 'License Steward: Open Demo Site');
  await pickQuickItem(page, pick);
  const row = treeRow(page, VIEW, connection);
  // Starting a simulator (certificates, generated data) and the first sync take a while on a busy machine.
  await row.filter({ hasText: /synced / }).waitFor({ timeout: 60_000 });
  await waitForSyncIdle(page, VIEW);
  return row;
}

/** A tree row's description: the grey text after its label. */
async function description(row: Locator): Promise<string> {
  return (await row.locator('.label-description').innerText()).trim();
}

/** The count in a group's label, e.g. 12 in `Inactive users (12)` or `Unused passes (12 · frees 9 tokens)`. */
async function groupCount(page: Page, title: string): Promise<number> {
  const row = treeRow(page, VIEW, new RegExp(`^${title} \\(\\d+`));
  await row.waitFor();
  const m = /\((\d+)/.exec(await row.locator('.label-name').innerText());
  assert.ok(m?.[1], `"${title}" shows a count`);
  return Number(m[1]);
}

/**
 * The labels of the context menu a right-click on `row` opens, the menu closed again. Retried:
 * a menu that loses focus to a toast closes before it can be read.
 */
async function contextMenuLabels(page: Page, row: Locator): Promise<string[]> {
  const menu = page.locator('.monaco-menu');
  for (let attempt = 1; ; attempt++) {
    await row.click({ button: 'right' });
    const shown = await menu.locator('.action-item .action-label').first().waitFor({ timeout: 5_000 }).then(() => true, () => false);
    if (shown) {
      const labels = (await menu.locator('.action-item .action-label').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
      await page.keyboard.press('Escape');
      await menu.waitFor({ state: 'detached', timeout: 5_000 });
      return labels;
    }
    if (attempt === 3) throw new Error('no context menu after three right-clicks');
  }
}

/** The text of the hover a row shows when the pointer rests on it (the TreeItem's tooltip). */
async function hoverText(page: Page, row: Locator): Promise<string> {
  const hover = page.locator('.monaco-hover, .workbench-hover').filter({ visible: true });
  // A hover shows after a delay and only for a pointer that moved onto the row.
  await page.mouse.move(0, 0);
  await row.locator('.label-name').hover();
  await hover.first().waitFor({ timeout: 10_000 });
  const text = (await hover.first().innerText()).replace(/\s+/g, ' ').trim();
  await page.mouse.move(0, 0);
  return text;
}

describe('Sources through the VS Code UI: a Qlik Cloud user-based tenant', () => {
  let wb: Workbench | undefined;

  before(async () => {
    wb = await openWorkbench({ containerTitle: 'License Steward', settings: { 'licenseSteward.connections': [] } });
  });

  after(async () => {
    await wb?.close();
  });

  it('assigns analyzer access to a user without a license by right-click, and the re-synced tenant holds it', async () => {
    assert.ok(wb);
    const page = wb.page;
    const tenant = await openDemo(page, 'Demo Qlik Cloud tenant', 'Demo tenant');
    // The tenant's own count of free analyzer licenses, read back by every sync.
    const analyzer = /analyzer (\d+)\/(\d+)/.exec(await description(tenant));
    assert.ok(analyzer, `the tenant shows its analyzer licenses: ${await description(tenant)}`);
    const free = Number(analyzer[1]);
    assert.ok(free > 0, 'the demo tenant has an analyzer license to give');
    // Without a capacity break-even nobody is "Should get a pass": users without a license ride on
    // analyzer capacity, ranked by its minutes.
    const without = await groupCount(page, 'Fine on analyzer capacity');
    const holders = await groupCount(page, 'Uses its pass');
    const group = await expandTreeRow(page, VIEW, /^Fine on analyzer capacity \(/);
    const [name] = await childRowLabels(page, VIEW, group);
    assert.ok(name, 'the tenant has users without a license');
    const row = treeRow(page, VIEW, name);
    assert.match(await description(row), /^\d+ capacity min · no pass$/);

    await contextMenu(page, row, 'Assign Analyzer Access', modalDialog(page));
    const asked = (await modalDialog(page).textContent()) ?? '';
    assert.match(asked, new RegExp(`Assign an analyzer access to ${escapeRegExp(name.replace(/ \(.*\)$/, ''))} \\(.+\\)\\?`));
    assert.match(asked, /capacity minutes in 28 days/, 'the confirmation says why');
    await wb.screenshot('cloud-assign-confirmation');
    await modalDialogButton(page, 'Assign');
    await notification(page, new RegExp(`Assigned an analyzer access to ${escapeRegExp(name.replace(/ \(.*\)$/, ''))}`), 60_000);

    // The extension re-syncs the tenant after the change: its answers now count one analyzer
    // license fewer and one more holder.
    await until(async () => new RegExp(`analyzer ${free - 1}/${analyzer[2]}`).test(await description(tenant)), `the tenant to show ${free - 1} free analyzer licenses`, 60_000);
    await waitForSyncIdle(page, VIEW);
    assert.equal(await groupCount(page, 'Fine on analyzer capacity'), without - 1);
    assert.equal(await groupCount(page, 'Uses its pass'), holders + 1);
    // Ranked by capacity minutes, the heaviest user without a license is near the top of the holders.
    const holds = await expandTreeRow(page, VIEW, /^Uses its pass \(/);
    const holding = await childRowLabels(page, VIEW, holds);
    assert.ok(holding.includes(name), `${name} is among the holders: ${holding.join(', ')}`);
    assert.match(await description(treeRow(page, VIEW, name)), /^analyzer pass · allocated (just now|\d+ min ago), not used yet · \d+ capacity min$/);
    await wb.screenshot('cloud-assigned');
  });
});

describe('Sources through the VS Code UI: a Qlik Cloud capacity tenant', () => {
  let wb: Workbench | undefined;

  before(async () => {
    wb = await openWorkbench({ containerTitle: 'License Steward', settings: { 'licenseSteward.connections': [] } });
  });

  after(async () => {
    await wb?.close();
  });

  it('lists the users who have not signed in for 30 days as disable candidates, with Disable User on them', async () => {
    assert.ok(wb);
    const page = wb.page;
    const tenant = await openDemo(page, 'Demo capacity tenant', 'Demo capacity tenant');
    const inactive = await groupCount(page, 'Inactive users');
    assert.ok(inactive > 0, 'the demo tenant has inactive users');
    assert.match(await description(tenant), new RegExp(`^\\d+ of \\d+ Full Users · ${inactive} inactive · synced `));
    const group = await expandTreeRow(page, VIEW, /^Inactive users \(/);
    const names = await childRowLabels(page, VIEW, group, Math.min(inactive, 5));
    for (const name of names) {
      const row = treeRow(page, VIEW, name);
      const text = await description(row);
      const m = /^\d+ session min · (?:no sign-in|last sign-in (\d+) days? ago)$/.exec(text);
      assert.ok(m, `${name}: ${text}`);
      if (m[1] !== undefined) assert.ok(Number(m[1]) >= INACTIVE_DAYS, `${name} signed in ${m[1]} days ago, within the threshold`);
      // A screen reader hears the verdict the tooltip shows.
      assert.match((await row.getAttribute('aria-label')) ?? '', /→ disable candidate \(frees 1 Full User\)$/, name);
    }
    const [first] = names;
    assert.ok(first);
    const row = treeRow(page, VIEW, first);
    assert.match(await hoverText(page, row), new RegExp(`Rank \\d+: .*(no sign-in|not signed in).* → disable candidate \\(frees 1 Full User\\)`));
    await wb.screenshot('capacity-inactive-users');

    const items = await contextMenuLabels(page, row);
    assert.ok(items.includes('Disable User'), `the menu offers Disable User: ${items.join(', ')}`);
    // No user type to assign on a capacity tenant since February 2026.
    assert.deepEqual(items.filter((i) => /Assign|Revoke|Change License Type/.test(i)), [], `no license commands: ${items.join(', ')}`);
  });
});

describe('Sources through the VS Code UI: License Statistics', () => {
  let wb: Workbench | undefined;

  before(async () => {
    wb = await openWorkbench({ containerTitle: 'License Steward', settings: { 'licenseSteward.connections': [] } });
  });

  after(async () => {
    await wb?.close();
  });

  it('ranks users by hours with the denied ones flagged first, and offers no write command on them', async () => {
    assert.ok(wb);
    const page = wb.page;
    const server = await openDemo(page, 'Demo License Statistics server', 'Demo License Statistics');
    const denied = await groupCount(page, 'Denied a license');
    assert.ok(denied > 0, 'the demo server refused someone a license');
    assert.match(await description(server), new RegExp(`^${denied} denied a license · `));
    // The jobs come first: nobody here gets a pass, so the denied lead.
    const group = await expandTreeRow(page, VIEW, /^Denied a license \(/);
    const names = await childRowLabels(page, VIEW, group, Math.min(denied, 3));
    let hours = Infinity;
    for (const name of names) {
      const text = await description(treeRow(page, VIEW, name));
      const m = /^denied (\d+)× · ([\d.]+) h(?: · .+)?$/.exec(text);
      assert.ok(m, `${name}: ${text}`);
      assert.ok(Number(m[2]) <= hours, `ranked by hours used: ${name} has ${m[2]} h after ${hours} h`);
      hours = Number(m[2]);
    }
    const [first] = names;
    assert.ok(first);
    const row = treeRow(page, VIEW, first);
    assert.match(await hoverText(page, row), /Denied (once|\d+ times) in the window: needed a license that was not there/);
    await wb.screenshot('licstats-denied');

    const items = await contextMenuLabels(page, row);
    assert.ok(items.includes('Show Usage History'), `the menu still has the read-only items: ${items.join(', ')}`);
    assert.deepEqual(items.filter((i) => WRITE_ITEMS.test(i)), [], `a read-only connection offers no write command: ${items.join(', ')}`);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
