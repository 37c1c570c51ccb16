// Adding and editing a certificate connection through the real VS Code UI, against a simulated
// Qlik Sense repository started by this test: the file dialogs start in the folder last used,
// Edit keeps client.pem and the stored key without opening a file dialog, and the edited
// connection syncs again. A failed sync then offers Edit Connection on its notification.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startQrsSimulator, type QrsSimulator } from '../../../src/sim/qrs/qrsSimulator';
import { openWorkbench, type Workbench } from '../harness/uiSession';
import { chooseFileInDialog, clickNotificationButton, openView, pickQuickItem, runCommand, treeRow, typeQuickInput, until } from '../harness/workbench';

const VIEW = 'Users';

/** The steps of the connection flow, found by what each one shows. */
function flowSteps(page: Page) {
  const widget = page.locator('.quick-input-widget');
  return {
    /** Waits for the input step that shows `hint`; returns its prefilled value. */
    async value(hint: string): Promise<string> {
      await widget.filter({ hasText: hint }).waitFor();
      return widget.locator('.quick-input-box input').inputValue();
    },
    /** Waits for the input step that shows `hint`, then answers it. */
    async answer(hint: string, text: string): Promise<void> {
      await widget.filter({ hasText: hint }).waitFor();
      await typeQuickInput(page, text);
    },
    /** Waits for the pick list whose placeholder starts with `hint`, then picks `label`. */
    async choose(hint: string, label: string): Promise<void> {
      await widget.locator(`input[placeholder^="${hint}"]`).waitFor();
      await pickQuickItem(page, label);
    },
  };
}

describe('Edit Connection through the VS Code UI', () => {
  let sim: QrsSimulator;
  let wb: Workbench | undefined;
  let dir: string;
  const usageReads = () => sim.requests.filter((r) => r.path.endsWith('/license/loginaccessusage/table')).length;

  before(async () => {
    sim = await startQrsSimulator({ users: 40, seed: 21 });
    dir = mkdtempSync(path.join(tmpdir(), 'ls-ui-edit-'));
    writeFileSync(path.join(dir, 'root.pem'), sim.certificates.ca);
    writeFileSync(path.join(dir, 'client.pem'), sim.certificates.clientCert);
    writeFileSync(path.join(dir, 'client_key.pem'), sim.certificates.clientKey);
    wb = await openWorkbench({ containerTitle: 'License Steward', settings: { 'licenseSteward.connections': [] } });
  });

  after(async () => {
    await wb?.close();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds a certificate connection: tested before it is saved, each file dialog starting where the last one was', async () => {
    assert.ok(wb);
    const page = wb.page;
    const step = flowSteps(page);
    await openView(page, 'License Steward');
    await runCommand(page, 'License Steward: Add Connection');
    await step.choose('Which license system?', 'Qlik Sense client-managed');
    await step.answer('A name for this site', 'Cert site');
    await step.answer('https://host:4242 (certificate)', sim.url);
    await step.choose('How does License Steward sign in?', 'Certificate');
    await step.choose('Which certificate authority', "Select the site's root.pem");
    await chooseFileInDialog(page, 'root.pem', path.join(dir, 'root.pem'));
    // The next dialog opens in the folder root.pem came from.
    const certDialog = page.locator('.quick-input-widget', { has: page.locator('.quick-input-title', { hasText: 'client certificate' }) });
    const input = certDialog.locator('.quick-input-box input');
    await until(async () => (await input.inputValue()) === `${dir}/`, `the client.pem dialog to start in ${dir}/`);
    await chooseFileInDialog(page, 'client certificate', path.join(dir, 'client.pem'));
    await chooseFileInDialog(page, 'client key', path.join(dir, 'client_key.pem'));
    assert.equal(await step.value('Act as (X-Qlik-User)'), 'INTERNAL\\sa_repository', "QRS's own service account by default");
    await typeQuickInput(page, 'INTERNAL\\sa_repository');
    await treeRow(page, VIEW, 'Cert site').waitFor({ timeout: 30_000 });
    await page.locator('.monaco-list-row', { hasText: 'Cert site' }).filter({ hasText: /tokens available/ }).waitFor({ timeout: 30_000 });
    // The status bar names the site its tokens belong to.
    await page.locator('.statusbar-item', { hasText: /Cert site: \d+ \/ \d+ tokens/ }).first().waitFor();
    await wb.screenshot('certificate-site-added');
  });

  it('edits the connection keeping its files (no file dialog), and it syncs again', async () => {
    assert.ok(wb);
    const page = wb.page;
    const step = flowSteps(page);
    const before = usageReads();
    await runCommand(page, 'License Steward: Edit Connection');
    await step.choose('Which license system?', 'Qlik Sense client-managed');
    assert.equal(await step.value('A name for this site'), 'Cert site');
    await typeQuickInput(page, 'Cert site renamed');
    assert.equal(await step.value('https://host:4242 (certificate)'), sim.url);
    await typeQuickInput(page, sim.url);
    await step.choose('How does License Steward sign in?', 'Certificate');
    await step.choose('Which certificate authority', 'Keep root.pem');
    await step.choose('Which client certificate', 'Keep client.pem');
    await step.choose('Which client key', 'Keep the stored client key');
    // Straight from the key step to the account: no file dialog came in between.
    assert.equal(await step.value('Act as (X-Qlik-User)'), 'INTERNAL\\sa_repository');
    await wb.screenshot('edit-keeps-files');
    await typeQuickInput(page, 'INTERNAL\\sa_repository');
    await page.locator('.monaco-list-row', { hasText: 'Cert site renamed' }).filter({ hasText: /tokens available/ }).waitFor({ timeout: 30_000 });
    await until(async () => usageReads() > before, 'the edited connection to sync again');
    await wb.screenshot('edited-site-synced');
  });

  it('offers Edit Connection when a sync fails', async () => {
    assert.ok(wb);
    const page = wb.page;
    sim.fault({ path: /accesstypeoverview/, status: 500, body: 'Repository restarting', times: 5 });
    await runCommand(page, 'License Steward: Sync');
    await clickNotificationButton(page, /Sync failed for "Cert site renamed"/, 'Edit Connection');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Edit connection "Cert site renamed"' }).waitFor();
    await wb.screenshot('sync-failed-edit');
    await page.keyboard.press('Escape');
  });
});
