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
import { contextMenu, modalDialog, modalDialogButton, notification, openView, runCommand, treeRow, treeRowLabels } from '../harness/workbench';

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
    await treeRow(wb.page, VIEW, topHeavy.name).waitFor({ timeout: 30_000 });
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
    await contextMenu(wb.page, row, 'Assign User Access Pass');
    await modalDialog(wb.page).waitFor();
    assert.match((await modalDialog(wb.page).textContent()) ?? '', /Assign a user access pass to .*login passes in 28 days/);
    await wb.screenshot('assign-confirmation');
    await modalDialogButton(wb.page, 'Assign');
    await notification(wb.page, /Assigned a user access pass to/, 30_000);
    await assert.doesNotReject(async () => {
      for (let i = 0; i < 50 && !/user pass/.test((await treeRow(wb!.page, VIEW, topHeavy.name).textContent()) ?? ''); i++) {
        await new Promise((r) => setTimeout(r, 200));
      }
    });
    assert.match((await treeRow(wb.page, VIEW, topHeavy.name).textContent()) ?? '', /user pass/, 'the node shows the new pass');
    const held = sim.state.list('user').filter((a) => a.user.id === topHeavy.id);
    assert.equal(held.length, 1, 'the simulator holds the allocation');
    await wb.screenshot('assigned');
  });
});
