// The CA step of Add/Edit Connection for Qlik Cloud and License Statistics, in a real extension
// host against simulators started in it. Each simulator's certificate comes from a CA of its own,
// as behind a TLS-inspecting proxy (Cloud) or from a private CA (License Statistics): trusting only
// the system's CAs fails the test before saving, picking the CA file connects, saves and syncs, and
// Edit keeps the file without a dialog.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND } from '../../../src/contributionIds';
import type { TestApi } from '../../../src/extension';
import { startCloudSimulator, type CloudSimulator } from '../../../src/sim/cloud/cloudSimulator';
import { startLicstatsSimulator, type LicstatsSimulator } from '../../../src/sim/licstats/licstatsSimulator';
import { scriptedPrompter, type Answer, type Question } from './scriptedPrompter';
import { activateForTest } from './testApi';

const CA_QUESTION = 'Which certificate authority';
const SYSTEM_CAS = "Use the system's trusted CAs";

describe('The CA step for Qlik Cloud and License Statistics in the extension host', function () {
  this.timeout(120_000);
  let cloud: CloudSimulator;
  let licstats: LicstatsSimulator;
  let api: TestApi;
  let dir: string;
  const added: string[] = [];

  const byName = (name: string) => api.registry.list().find((e) => e.config.name === name);
  const caPicks = (asked: readonly Question[]) => asked.filter((q): q is Extract<Question, { kind: 'pick' }> => q.kind === 'pick' && q.placeHolder.startsWith(CA_QUESTION));

  before(async () => {
    cloud = await startCloudSimulator({ users: 40, seed: 31 });
    licstats = await startLicstatsSimulator({ seed: 32 });
    dir = mkdtempSync(path.join(tmpdir(), 'ls-ca-step-'));
    writeFileSync(path.join(dir, 'root.pem'), cloud.certificates.ca);
    writeFileSync(path.join(dir, 'licstats-ca.pem'), licstats.certificates.ca);
    api = await activateForTest();
  });

  after(async () => {
    api?.useDialogs();
    for (const id of added) await api?.registry.remove(id).catch(() => undefined);
    await cloud?.close();
    await licstats?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds a Qlik Cloud tenant behind a TLS-inspecting proxy: the CA file picked, tested before saving, saved and synced', async () => {
    const meRequests = () => cloud.requests.filter((r) => r.path === '/api/v1/users/me').length;
    let round = 0;
    let savedWhenFailed: boolean | undefined;
    let testedBeforeSave: number | undefined;
    const watch = api.registry.onDidChange(() => {
      if (testedBeforeSave === undefined && byName('Proxy tenant')) testedBeforeSave = meRequests();
    });
    const prompter = scriptedPrompter((q: Question): Answer => {
      if (q.kind === 'pick' && q.placeHolder === 'Which license system?') return 'Qlik Cloud';
      if (q.kind === 'input' && q.prompt.startsWith('A name')) return round === 0 ? 'Proxy tenant' : undefined;
      if (q.kind === 'input' && q.prompt.startsWith('The tenant:')) return round === 0 ? cloud.url : undefined;
      // The first round trusts the system's CAs alone, which the proxy's certificate does not chain to.
      if (q.kind === 'pick' && q.placeHolder.startsWith(CA_QUESTION)) return round === 0 ? SYSTEM_CAS : "Select the proxy's CA certificate";
      if (q.kind === 'openFile') return path.join(dir, 'root.pem');
      if (q.kind === 'pick' && q.placeHolder === 'How does License Steward sign in?') return 'API key';
      if (q.kind === 'input' && q.prompt.startsWith('API key')) return round === 0 ? cloud.apiKey : undefined;
      if (q.kind === 'pick' && q.title.endsWith('the test failed')) {
        savedWhenFailed = byName('Proxy tenant') !== undefined;
        round++;
        return '$(edit) Edit';
      }
      return undefined;
    });
    api.answerWith(prompter);
    try {
      await vscode.commands.executeCommand(COMMAND.addConnection);
    } finally {
      watch.dispose();
    }

    const failures = prompter.asked.filter((q) => q.kind === 'pick' && q.title.endsWith('the test failed'));
    assert.equal(failures.length, 1, `the system's CAs failed once, the CA file passed: ${JSON.stringify(prompter.asked)}`);
    assert.match(failures[0]?.kind === 'pick' ? failures[0].placeHolder : '', /certificate|CA/i, 'the failure is the untrusted certificate');
    assert.equal(savedWhenFailed, false, 'nothing was saved before the test passed');

    const ca = caPicks(prompter.asked);
    assert.deepEqual(
      ca.map((q) => q.labels),
      [
        [SYSTEM_CAS, "Select the proxy's CA certificate"],
        [SYSTEM_CAS, "Select the proxy's CA certificate"],
      ],
      "the system's CAs first, as a tenant's certificate is publicly trusted; no file to keep yet",
    );
    const files = prompter.asked.filter((q) => q.kind === 'openFile');
    assert.equal(files.length, 1);
    assert.match(files[0]?.kind === 'openFile' ? files[0].title : '', /TLS-inspecting proxy's CA certificate/);

    const entry = byName('Proxy tenant');
    assert.ok(entry, 'saved once the test passed');
    added.push(entry.id);
    assert.ok((testedBeforeSave ?? 0) > 0, 'Test Connection read /users/me before the connection was saved');
    assert.deepEqual([entry.config.kind, entry.config.url, entry.config.tlsVerify], ['cloud', cloud.url, true]);
    assert.deepEqual(entry.config.auth, { mode: 'apiKey', caFile: path.join(dir, 'root.pem') });
    assert.equal((await api.credentials.getConnectionSecret(entry.id)).apiKey, cloud.apiKey, 'the key from the first round is kept');
    const state = api.model.state(entry.id);
    assert.equal(state?.status, 'synced', state?.error);
    assert.ok((state?.result?.ranked.length ?? 0) > 0, 'the sync ranked the tenant');
    assert.ok(cloud.requests.some((r) => r.path.startsWith('/api/v1/licenses/')), 'the sync read the licenses');
  });

  it('Edit Connection keeps the Qlik Cloud CA file without a dialog', async () => {
    const entry = byName('Proxy tenant');
    assert.ok(entry);
    const prompter = scriptedPrompter(() => undefined);
    api.answerWith(prompter);
    await vscode.commands.executeCommand(COMMAND.editConnection, { type: 'connection', connectionId: entry.id });

    assert.deepEqual(prompter.asked.filter((q) => q.kind === 'openFile'), [], 'no file dialog');
    assert.deepEqual(caPicks(prompter.asked)[0]?.labels, ['Keep root.pem', SYSTEM_CAS, "Select the proxy's CA certificate"], 'Enter keeps the file');
    assert.deepEqual(api.registry.get(entry.id)?.config, entry.config);
    assert.equal(api.model.state(entry.id)?.status, 'synced', api.model.state(entry.id)?.error);
  });

  it('adds a License Statistics server whose certificate comes from a private CA, and keeps the CA on Edit', async () => {
    const prompter = scriptedPrompter((q: Question): Answer => {
      if (q.kind === 'pick' && q.placeHolder === 'Which license system?') return 'License Statistics';
      if (q.kind === 'input' && q.prompt.startsWith('A name')) return 'Private CA server';
      if (q.kind === 'input' && q.prompt.startsWith('The License Statistics server')) return licstats.url;
      if (q.kind === 'pick' && q.placeHolder.startsWith(CA_QUESTION)) return "Select the server's CA certificate";
      if (q.kind === 'openFile') return path.join(dir, 'licstats-ca.pem');
      if (q.kind === 'input' && q.prompt.startsWith('API token')) return licstats.apiToken;
      // A failed test would end the flow here: the assertions below then name what was asked.
      if (q.kind === 'pick' && q.title.endsWith('the test failed')) return '$(close) Cancel';
      return undefined;
    });
    api.answerWith(prompter);
    await vscode.commands.executeCommand(COMMAND.addConnection);

    const entry = byName('Private CA server');
    assert.ok(entry, `saved: ${JSON.stringify(prompter.asked)}`);
    added.push(entry.id);
    assert.deepEqual(caPicks(prompter.asked)[0]?.labels, [SYSTEM_CAS, "Select the server's CA certificate"]);
    assert.deepEqual(entry.config.auth, { mode: 'token', caFile: path.join(dir, 'licstats-ca.pem') });
    assert.equal(api.model.state(entry.id)?.status, 'synced', api.model.state(entry.id)?.error);

    const edit = scriptedPrompter(() => undefined);
    api.answerWith(edit);
    await vscode.commands.executeCommand(COMMAND.editConnection, { type: 'connection', connectionId: entry.id });
    assert.deepEqual(edit.asked.filter((q) => q.kind === 'openFile'), [], 'no file dialog');
    assert.equal(caPicks(edit.asked)[0]?.labels[0], 'Keep licstats-ca.pem');
    assert.deepEqual(api.registry.get(entry.id)?.config.auth, entry.config.auth);
  });
});
