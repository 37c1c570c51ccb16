// The extension in a real VS Code extension host, against a simulated Qlik Sense repository
// started inside the same host: the tree's contents, commands changing the server's state, and
// secrets staying in SecretStorage (never in settings or the log).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND } from '../../../src/contributionIds';
import type { Prompter } from '../../../src/commands/prompter';
import type { AuditEntry } from '../../../src/core/historyAudit';
import { userKey } from '../../../src/core/model';
import type { TestApi } from '../../../src/extension';
import { startQrsSimulator, type QrsSimulator } from '../../../src/sim/qrs/qrsSimulator';
import type { TreeElement, UserElement } from '../../../src/views/treeElements';
import { filesUnder, logLine } from './extensionFiles';
import { activateForTest, saveSimConnection } from './testApi';

/** Answers every question: confirms, picks the first item, types nothing. */
function answering(confirm: boolean, asked: string[] = []): Prompter {
  return {
    confirm: async (message) => (asked.push(message), confirm),
    pick: async (items) => {
      const first = items[0];
      if (!first) throw new Error('nothing to pick');
      return first.value;
    },
    input: async () => '',
    openFile: async () => {
      throw new Error('no file dialogs in this test');
    },
  };
}

/** The one audit log under the user-data dir (the connection's history store), parsed. */
function auditEntries(): AuditEntry[] {
  const userDataDir = process.env.LICENSE_STEWARD_E2E_USER_DATA_DIR;
  assert.ok(userDataDir, 'the runner says where the extension stores its data');
  const audits = filesUnder(userDataDir).filter((f) => f.endsWith('audit.jsonl'));
  assert.equal(audits.length, 1, `one audit log for the connection: ${audits.join(', ')}`);
  return readFileSync(audits[0] ?? '', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditEntry);
}

describe('License Steward in the extension host', function () {
  let sim: QrsSimulator;
  let api: TestApi;
  let dir: string;
  const id = randomUUID();

  before(async () => {
    sim = await startQrsSimulator({ users: 80, seed: 3 });
    dir = mkdtempSync(path.join(tmpdir(), 'ls-ext-'));
    api = await activateForTest();
    await saveSimConnection(api, sim, dir, { id, name: 'Sim' });
  });

  after(async () => {
    api?.useDialogs();
    await api?.registry.remove(id).catch(() => undefined);
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every user shown under the connection, in rank order: the tree groups them by what to do. */
  function users(): UserElement[] {
    const [conn] = api.tree.getChildren().filter((e) => e.type === 'connection' && e.connectionId === id);
    assert.ok(conn, 'the connection node is in the tree');
    const shown = api.tree.getChildren(conn).flatMap((e) => (e.type === 'group' ? api.tree.getChildren(e) : [e]));
    return shown.filter((e: TreeElement): e is UserElement => e.type === 'user').sort((a, b) => a.ranked.rank - b.ranked.rank);
  }

  it('shows the connection unsynced, then ranked users after Sync', async () => {
    const [conn] = api.tree.getChildren().filter((e) => e.type === 'connection' && e.connectionId === id);
    assert.ok(conn);
    assert.equal(api.tree.getTreeItem(conn).label, 'Sim');
    assert.deepEqual(api.tree.getChildren(conn).map((e) => api.tree.getTreeItem(e).label), ['Not synced yet: run Sync']);
    await vscode.commands.executeCommand(COMMAND.sync);
    const state = api.model.state(id);
    assert.equal(state?.status, 'synced', state?.error);
    const rows = users();
    assert.ok(rows.length > 10, `${rows.length} users`);
    const tokens = rows.map((r) => r.ranked.tokens);
    assert.deepEqual(tokens, [...tokens].sort((a, b) => b - a), 'ranks follow tokens');
    const top = api.tree.getTreeItem(rows[0] as TreeElement);
    assert.match(String(top.description), /^\d+ passes · [\d.]+ tokens · (no pass|user pass|quarantined|deleted user)/);
    assert.match(String(api.tree.getTreeItem(conn).description), /^\d+ of \d+ tokens available · (.+ · )?synced (just now|\d+ min ago)$/);
  });

  it('assigns a user access pass through the command, and the simulator holds it', async () => {
    const heavy = users().find((r) => r.ranked.verdict.kind === 'assign' && !r.ranked.allocation);
    assert.ok(heavy, 'the simulated site has a heavy user without a pass');
    assert.equal(api.tree.getTreeItem(heavy).contextValue, 'user+heavy+nopass+offer-user');
    const asked: string[] = [];
    api.answerWith(answering(true, asked));
    await vscode.commands.executeCommand(COMMAND.assignUserPass, heavy);
    assert.match(asked[0] ?? '', /^Assign a user access pass to .+\?$/);
    const held = sim.state.list('user').filter((a) => a.user.id === heavy.ranked.user.id);
    assert.equal(held.length, 1, 'the simulator holds the new allocation');
    const after = users().find((r) => r.ranked.user.id === heavy.ranked.user.id);
    assert.equal(after?.ranked.allocation?.kind, 'user', 'the node was re-synced');
    assert.match(String(api.tree.getTreeItem(after as TreeElement).description), /^user pass · /);
  });

  it('does nothing when the confirmation is declined', async () => {
    const heavy = users().find((r) => r.ranked.verdict.kind === 'assign' && !r.ranked.allocation);
    assert.ok(heavy);
    api.answerWith(answering(false));
    const before = sim.state.list('user').length;
    await vscode.commands.executeCommand(COMMAND.assignUserPass, heavy);
    assert.equal(sim.state.list('user').length, before);
  });

  it('revokes a recently used pass into quarantine, then reinstates it', async () => {
    const holder = users().find((r) => r.ranked.allocation?.kind === 'user' && !r.ranked.allocation.quarantined && !r.ranked.allocation.userDeleted);
    assert.ok(holder);
    const alloc = sim.state.list('user').find((a) => a.user.id === holder.ranked.user.id);
    assert.ok(alloc);
    alloc.lastUsed = sim.clock.now() - 2 * 86_400_000;
    await vscode.commands.executeCommand(COMMAND.syncConnection, { type: 'connection', connectionId: id });
    const asked: string[] = [];
    api.answerWith(answering(true, asked));
    const fresh = users().find((r) => r.ranked.user.id === holder.ranked.user.id);
    await vscode.commands.executeCommand(COMMAND.revokePass, fresh);
    assert.match(asked[0] ?? '', /^Revoke the user access pass of /);
    assert.equal(sim.state.allocation('user', alloc.id).quarantined, true);
    const quarantined = users().find((r) => r.ranked.user.id === holder.ranked.user.id);
    assert.equal(quarantined?.ranked.verdict.kind, 'quarantined');
    assert.equal(api.tree.getTreeItem(quarantined as TreeElement).contextValue, 'user+quarantined+offer-user');
    await vscode.commands.executeCommand(COMMAND.reinstatePass, quarantined);
    assert.equal(sim.state.allocation('user', alloc.id).quarantined, false);
    assert.equal(users().find((r) => r.ranked.user.id === holder.ranked.user.id)?.ranked.verdict.kind, 'holds');
  });

  it('cancelling a sync aborts the requests in flight', async () => {
    sim.fault({ path: /loginaccessusage\/table/, delayMs: 20_000, times: 1 });
    const cts = new vscode.CancellationTokenSource();
    const started = Date.now();
    const done = api.model.sync([id], cts.token);
    setTimeout(() => cts.cancel(), 300);
    await done;
    assert.ok(Date.now() - started < 5_000, `cancel took ${Date.now() - started} ms`);
    assert.equal(api.model.state(id)?.status, 'synced', 'the previous result is kept');
  });

  it('opens one usage-history panel per target, and reuses it', async () => {
    const historyTabs = () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('licenseSteward.history'));
    const user = users()[0];
    assert.ok(user);
    // The tab model reaches the extension host a moment after the panel is created.
    const settle = async (n: number) => {
      for (let i = 0; i < 50 && historyTabs().length !== n; i++) await new Promise((r) => setTimeout(r, 100));
    };
    await vscode.commands.executeCommand(COMMAND.showUsageHistory, user);
    await settle(1);
    await vscode.commands.executeCommand(COMMAND.showUsageHistory, user);
    await new Promise((r) => setTimeout(r, 500));
    const all = vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => `${t.label}:${t.input instanceof vscode.TabInputWebview ? t.input.viewType : typeof t.input}`);
    assert.equal(historyTabs().length, 1, `reopening a user reveals its panel (tabs: ${all.join(', ')})`);
    await vscode.commands.executeCommand(COMMAND.showUsageHistory, { type: 'connection', connectionId: id });
    await settle(2);
    const expected = [`Usage: ${user.ranked.user.name}`, 'Usage: Sim (site)'].sort();
    // Titles name the user once the panel's data has loaded.
    for (let i = 0; i < 50 && JSON.stringify(historyTabs().map((t) => t.label).sort()) !== JSON.stringify(expected); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(historyTabs().map((t) => t.label).sort(), expected);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('writes an audit intent and outcome for each change made from VS Code', async () => {
    const entries = auditEntries();
    assert.deepEqual(
      entries.map((e) => `${e.action} ${e.phase} ${e.result ?? '-'}`),
      ['assign intent -', 'assign outcome applied', 'revoke intent -', 'revoke outcome applied', 'reinstate intent -', 'reinstate outcome applied'],
    );
    assert.ok(entries.every((e) => e.reason === 'manual' && / \(VS Code\) as INTERNAL\\sa_api$/.test(e.actor) && e.connection === id), JSON.stringify(entries));
    const outcomes: Record<string, RegExp> = {
      assign: /^assigned \(allocation [\w-]+\)$/,
      revoke: /^revoked; quarantined until \d{4}-\d{2}-\d{2}$/,
      reinstate: /^reinstated \(allocation [\w-]+\)$/,
    };
    const ids = new Set<string>();
    for (let i = 0; i < entries.length; i += 2) {
      const [intent, outcome] = [entries[i], entries[i + 1]];
      assert.ok(intent && outcome);
      assert.equal(intent.outcome, 'requested');
      assert.ok(intent.changeId, 'an intent has a change id');
      assert.equal(outcome.changeId, intent.changeId, `the ${intent.action} outcome shares its intent's change id`);
      ids.add(intent.changeId);
      assert.deepEqual([outcome.user, outcome.kind, outcome.actor], [intent.user, intent.kind, intent.actor]);
      assert.ok(outcome.at >= intent.at);
      assert.match(outcome.outcome, outcomes[intent.action] ?? /^$/);
      assert.equal(outcome.serverAnswer, undefined, 'clean answers record no server answer');
    }
    assert.equal(ids.size, 3, 'each change has its own id');
    const [assign, , revoke, , reinstate] = entries;
    // The pass assigned is the one later revoked and reinstated, and the simulator holds it.
    assert.equal(revoke?.user.id, reinstate?.user.id);
    const assigned = /allocation ([\w-]+)/.exec(entries[1]?.outcome ?? '')?.[1];
    assert.ok(sim.state.list('user').some((a) => a.id === assigned && a.user.id === assign?.user.id), `the simulator holds ${assigned}`);
  });

  it('reports an assignment the server applied but answered with 502 as done, and says the answer was not clean', async () => {
    const heavy = users().find((r) => r.ranked.verdict.kind === 'assign' && !r.ranked.allocation);
    assert.ok(heavy, 'the simulated site has another heavy user without a pass');
    const user = heavy.ranked.user;
    const posts = () => sim.requests.filter((r) => r.method === 'POST' && r.path === '/qrs/license/useraccesstype').length;
    const [postsBefore, auditBefore] = [posts(), auditEntries().length];
    // A gateway loses the answer of a write the repository made.
    sim.fault({ method: 'POST', path: /^\/qrs\/license\/useraccesstype$/, status: 502, body: 'Bad gateway', afterHandling: true, times: 1 });
    api.answerWith(answering(true));
    assert.equal(await vscode.commands.executeCommand(COMMAND.assignUserPass, heavy), undefined);

    assert.equal(posts() - postsBefore, 1, 'the write was sent once, never repeated');
    const held = sim.state.list('user').filter((a) => a.user.id === user.id);
    assert.equal(held.length, 1, 'the simulator holds exactly one allocation');
    const allocation = held[0]?.id ?? '';
    const line = await logLine(`Assigned a user access pass to ${user.name} (${userKey(user)})`);
    assert.ok(line.includes(`[info] [change] Sim: Assigned a user access pass to ${user.name} (${userKey(user)}) (allocation ${allocation}). The server's answer was not clean (`), `a log line naming the allocation: ${line}`);
    assert.match(line, /not clean \(.*502.*Bad gateway.*\), but reading back shows the change was made\.$/);
    const after = users().find((r) => r.ranked.user.id === user.id);
    assert.equal(after?.ranked.allocation?.id, allocation, 'the tree was re-synced');

    const audit = auditEntries().slice(auditBefore);
    assert.deepEqual(audit.map((e) => `${e.action} ${e.phase} ${e.result ?? '-'}`), ['assign intent -', 'assign outcome applied']);
    const [intent, outcome] = audit;
    assert.ok(intent && outcome);
    assert.equal(intent.user.id, user.id);
    assert.equal(intent.outcome, 'requested');
    assert.ok(intent.changeId);
    assert.equal(outcome.changeId, intent.changeId);
    assert.equal(outcome.outcome, `assigned (allocation ${allocation})`);
    assert.match(outcome.serverAnswer ?? '', /502/);
    assert.ok(audit.every((e) => e.reason === 'manual' && / \(VS Code\) as INTERNAL\\sa_api$/.test(e.actor)), JSON.stringify(audit));
  });

  it('reports an assignment the server refused with 500 as not done: an error, audited as not applied, nothing allocated', async () => {
    const heavy = users().find((r) => r.ranked.verdict.kind === 'assign' && !r.ranked.allocation);
    assert.ok(heavy, 'the simulated site has another heavy user without a pass');
    const user = heavy.ranked.user;
    const posts = () => sim.requests.filter((r) => r.method === 'POST' && r.path === '/qrs/license/useraccesstype').length;
    const [postsBefore, auditBefore, allocationsBefore] = [posts(), auditEntries().length, sim.state.list('user').length];
    sim.fault({ method: 'POST', path: /^\/qrs\/license\/useraccesstype$/, status: 500, body: 'Internal error', times: 1 });
    api.answerWith(answering(true));
    // The wrapper shows the error and resolves; it never rejects to the caller.
    assert.equal(await vscode.commands.executeCommand(COMMAND.assignUserPass, heavy), undefined);

    assert.equal(posts() - postsBefore, 1, 'the write was sent once, never repeated');
    assert.equal(sim.state.list('user').filter((a) => a.user.id === user.id).length, 0, 'nothing was allocated to the user');
    assert.equal(sim.state.list('user').length, allocationsBefore, 'nothing was allocated at all');
    const line = await logLine(`[command] ${COMMAND.assignUserPass}: Not done: could not assign a user access pass to ${userKey(user)}.`);
    assert.match(line, /\[error\]/, 'the wrapper reports it as an error');
    assert.match(line, /500.*Internal error.*\(The server was asked afterwards: the change is not there\.\)$/);
    const after = users().find((r) => r.ranked.user.id === user.id);
    assert.ok(after);
    assert.equal(after.ranked.allocation, null, 'the re-synced tree shows no pass');
    assert.equal(api.model.state(id)?.status, 'synced');

    const audit = auditEntries().slice(auditBefore);
    assert.deepEqual(audit.map((e) => `${e.action} ${e.phase} ${e.result ?? '-'}`), ['assign intent -', 'assign outcome notApplied']);
    const [intent, outcome] = audit;
    assert.ok(intent && outcome);
    assert.equal(intent.user.id, user.id);
    assert.ok(intent.changeId);
    assert.equal(outcome.changeId, intent.changeId);
    assert.equal(outcome.outcome, 'not applied');
    assert.match(outcome.serverAnswer ?? '', /500/);
    assert.ok(audit.every((e) => e.reason === 'manual' && / \(VS Code\) as INTERNAL\\sa_api$/.test(e.actor)), JSON.stringify(audit));
  });

  it('Test Connection names the account and its rights', async () => {
    const report = await vscode.commands.executeCommand<string>(COMMAND.testConnection, { type: 'connection', connectionId: id });
    assert.match(report, /signed in as INTERNAL\\sa_api\. user access pass: may assign/);
  });

  it('keeps secrets in SecretStorage only: not in settings, not in the log', async () => {
    const jwtId = randomUUID();
    const token = sim.signJwt({ userId: 'admin', userDirectory: 'CORP' });
    await api.registry.save(
      { id: jwtId, name: 'Sim JWT', kind: 'qrs', url: `${sim.url}/${sim.jwtProxy.prefix}`, auth: { mode: 'jwt', caFile: path.join(dir, 'root.pem') }, tlsVerify: true },
      { token },
    );
    assert.equal((await api.credentials.getConnectionSecret(jwtId)).token, token, 'the secret round-trips');
    assert.equal((await api.credentials.getConnectionSecret(id)).privateKey, sim.certificates.clientKey);
    await vscode.commands.executeCommand(COMMAND.syncConnection, { type: 'connection', connectionId: jwtId });
    assert.equal(api.model.state(jwtId)?.status, 'synced', api.model.state(jwtId)?.error);

    const userDataDir = process.env.LICENSE_STEWARD_E2E_USER_DATA_DIR;
    assert.ok(userDataDir, 'the runner says where settings and logs live');
    const settings = readFileSync(path.join(userDataDir, 'User', 'settings.json'), 'utf8');
    assert.match(settings, /Sim JWT/, 'the connection itself is in settings');
    const keyBody = sim.certificates.clientKey.split('\n')[1] ?? '';
    assert.ok(keyBody.length > 20);
    const logs = filesUnder(path.join(userDataDir, 'logs')).filter((f) => /License Steward/.test(f));
    assert.ok(logs.some((f) => /\[sync\] Sim JWT: \d+ usage records/.test(readFileSync(f, 'utf8'))), `the License Steward log has the sync lines (${logs.join(', ')})`);
    for (const [where, text] of [['settings.json', settings], ...logs.map((f) => [f, readFileSync(f, 'utf8')])] as [string, string][]) {
      assert.ok(!text.includes(token), `the JWT leaked into ${where}`);
      assert.ok(!text.includes(keyBody), `the private key leaked into ${where}`);
    }

    api.answerWith(answering(true));
    await vscode.commands.executeCommand(COMMAND.removeConnection, { type: 'connection', connectionId: jwtId });
    assert.deepEqual(await api.credentials.getConnectionSecret(jwtId), {}, 'removing a connection deletes its secret');
    assert.equal(api.registry.get(jwtId), undefined);
  });
});
