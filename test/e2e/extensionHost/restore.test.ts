// What a reloaded window shows before any request: the last sync kept next to the connection's
// history store, restored by a fresh model (as activate() builds one) without touching the server;
// and what a sync that does not finish leaves behind (cancelled, or the server gone halfway).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { silentLogger } from '../../../src/core/logger';
import type { TestApi } from '../../../src/extension';
import { startQrsSimulator, type QrsSimulator } from '../../../src/sim/qrs/qrsSimulator';
import { SYNC_SNAPSHOT_FILE } from '../../../src/store/syncSnapshotFile';
import { connectionDirName } from '../../../src/store/storeDirs';
import { ConnectionHistory } from '../../../src/views/connectionHistory';
import { Settings } from '../../../src/views/settings';
import { UsersTreeModel } from '../../../src/views/usersTreeModel';
import { activateForTest } from './testApi';

/** The file a connection's last sync is kept in, found under the profile (globalStorage lives there). */
function snapshotFile(connectionId: string): string {
  const userDataDir = process.env.LICENSE_STEWARD_E2E_USER_DATA_DIR;
  assert.ok(userDataDir, 'the runner says where the extension stores its data');
  const wanted = path.join(connectionDirName(connectionId), SYNC_SNAPSHOT_FILE);
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? walk(path.join(dir, n)) : [path.join(dir, n)]));
  const found = walk(userDataDir).filter((f) => f.endsWith(wanted));
  assert.equal(found.length, 1, `one kept sync for the connection: ${found.join(', ')}`);
  return found[0] ?? '';
}

describe('License Steward after a reload', function () {
  let sim: QrsSimulator;
  let api: TestApi;
  let dir: string;
  const id = randomUUID();

  before(async () => {
    sim = await startQrsSimulator({ users: 60, seed: 13 });
    dir = mkdtempSync(path.join(tmpdir(), 'ls-restore-'));
    writeFileSync(path.join(dir, 'root.pem'), sim.certificates.ca);
    api = await activateForTest();
    await api.registry.save({
      id,
      name: 'Restored site',
      kind: 'qrs',
      url: `${sim.url}/${sim.headerProxy.prefix}`,
      auth: { mode: 'header', headerName: sim.headerProxy.headerName, headerValue: 'CORP\\admin', caFile: path.join(dir, 'root.pem') },
      tlsVerify: true,
      timeoutSeconds: 2,
    });
  });

  after(async () => {
    await api?.registry.remove(id).catch(() => undefined);
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the last ranking from the kept sync, before any request', async () => {
    const [outcome] = await api.model.sync([id]);
    assert.deepEqual(outcome, { id, outcome: 'synced' });
    const live = api.model.state(id)?.result;
    assert.ok(live);
    const file = snapshotFile(id);
    // A new window builds everything afresh over the same global storage.
    const globalStorage = path.resolve(path.dirname(file), '../..');
    const requests = sim.requests.length;
    const stores = new ConnectionHistory(globalStorage, silentLogger, 400);
    const model = new UsersTreeModel(api.registry, new Settings(), silentLogger, stores);
    try {
      assert.equal(model.state(id)?.result, undefined, 'nothing before the restore');
      await model.restore();
      const restored = model.state(id);
      assert.equal(restored?.restored, true);
      assert.equal(restored?.status, 'idle', 'no sync ran in this model');
      assert.equal(restored?.result?.at, live.at, 'its age is that of the sync');
      assert.deepEqual(
        restored?.result?.ranked.map((r) => [r.rank, r.user.id, r.tokens, r.verdict.kind]),
        live.ranked.map((r) => [r.rank, r.user.id, r.tokens, r.verdict.kind]),
      );
      assert.equal(sim.requests.length, requests, 'the restore sent nothing to the server');
    } finally {
      model.dispose();
      stores.dispose();
    }
  });

  it('says a sync cancelled before its turn was skipped, and keeps what was shown', async () => {
    const cts = new vscode.CancellationTokenSource();
    cts.cancel();
    const before = api.model.state(id)?.result?.at;
    assert.deepEqual(await api.model.sync([id], cts.token), [{ id, outcome: 'skipped' }]);
    assert.equal(api.model.state(id)?.result?.at, before);
  });

  it('says in plain words that the server went away mid-sync, and keeps the last ranking', async () => {
    const before = api.model.state(id)?.result?.at;
    // The usage read never answers within the connection's 2 s: the server went quiet halfway.
    sim.fault({ path: /loginaccessusage\/table/, delayMs: 6_000, times: 1 });
    const [outcome] = await api.model.sync([id]);
    assert.deepEqual(outcome, { id, outcome: 'failed' });
    const s = api.model.state(id);
    assert.equal(s?.status, 'failed');
    assert.match(s?.error ?? '', /^The server went away in the middle of the sync\. Nothing of this sync was recorded and the tree keeps the ranking from .+\. Sync again once the server answers/);
    assert.equal(s?.result?.at, before, 'the last good ranking stays');
  });
});
