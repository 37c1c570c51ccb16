// Add Connection for a Qlik Cloud tenant that signs in with an OAuth machine-to-machine client, in
// a real extension host against the Cloud simulator: the client id goes to settings, the client
// secret to SecretStorage only; Test Connection and the sync get their bearer tokens from
// /oauth/token, and neither the secret nor a token reaches settings or the log.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND } from '../../../src/contributionIds';
import type { TestApi } from '../../../src/extension';
import { startCloudSimulator, type CloudSimulator } from '../../../src/sim/cloud/cloudSimulator';
import { filesUnder, userDataDir } from './extensionFiles';
import { scriptedPrompter, type Answer, type Question } from './scriptedPrompter';
import { activateForTest } from './testApi';

describe('A Qlik Cloud tenant with an OAuth client, added in the extension host', function () {
  this.timeout(120_000);
  let cloud: CloudSimulator;
  let api: TestApi;
  let dir: string;
  const added: string[] = [];

  before(async () => {
    cloud = await startCloudSimulator({ users: 40, seed: 33 });
    dir = mkdtempSync(path.join(tmpdir(), 'ls-oauth-'));
    writeFileSync(path.join(dir, 'root.pem'), cloud.certificates.ca);
    api = await activateForTest();
  });

  after(async () => {
    api?.useDialogs();
    for (const id of added) await api?.registry.remove(id).catch(() => undefined);
    await cloud?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks for the client id and secret, tests with a token from /oauth/token, keeps the secret in SecretStorage alone, and syncs', async () => {
    const { clientId, clientSecret } = cloud.oauth;
    const prompter = scriptedPrompter((q: Question): Answer => {
      if (q.kind === 'pick' && q.placeHolder === 'Which license system?') return 'Qlik Cloud';
      if (q.kind === 'input' && q.prompt.startsWith('A name')) return 'OAuth tenant';
      if (q.kind === 'input' && q.prompt.startsWith('The tenant:')) return cloud.url;
      if (q.kind === 'pick' && q.placeHolder.startsWith('Which certificate authority')) return "Select the proxy's CA certificate";
      if (q.kind === 'openFile') return path.join(dir, 'root.pem');
      if (q.kind === 'pick' && q.placeHolder === 'How does License Steward sign in?') return 'OAuth client';
      if (q.kind === 'input' && q.prompt === 'OAuth client id') return clientId;
      if (q.kind === 'input' && q.prompt.startsWith('OAuth client secret')) return clientSecret;
      return undefined;
    });
    api.answerWith(prompter);
    await vscode.commands.executeCommand(COMMAND.addConnection);

    const secretQuestion = prompter.asked.find((q) => q.kind === 'input' && q.prompt.startsWith('OAuth client secret'));
    assert.ok(secretQuestion?.kind === 'input' && secretQuestion.password === true, `the secret is typed hidden: ${JSON.stringify(prompter.asked)}`);
    assert.deepEqual(
      prompter.asked.filter((q) => q.kind === 'pick' && q.title.endsWith('the test failed')),
      [],
      'the test passed on the first round',
    );
    const entry = api.registry.list().find((e) => e.config.name === 'OAuth tenant');
    assert.ok(entry, 'saved');
    added.push(entry.id);
    assert.deepEqual(entry.config.auth, { mode: 'oauth', clientId, caFile: path.join(dir, 'root.pem') });
    assert.deepEqual(await api.credentials.getConnectionSecret(entry.id), { clientSecret });

    const tokenRequests = cloud.requests.filter((r) => r.method === 'POST' && r.path === '/oauth/token');
    assert.ok(tokenRequests.length >= 1, 'a token was fetched with the client credentials');
    const apiCalls = cloud.requests.filter((r) => r.path.startsWith('/api/v1/'));
    assert.ok(apiCalls.some((r) => r.path === '/api/v1/users/me'), 'Test Connection read the caller');
    assert.ok(apiCalls.length > 0 && apiCalls.every((r) => /^Bearer \S+$/.test(r.headers['authorization'] ?? '') && !(r.headers['authorization'] ?? '').includes(clientSecret)), 'the APIs saw bearer tokens, never the secret');

    const state = api.model.state(entry.id);
    assert.equal(state?.status, 'synced', state?.error);
    assert.ok((state?.result?.ranked.length ?? 0) > 0, 'the sync ranked the tenant');

    const settings = readFileSync(path.join(userDataDir(), 'User', 'settings.json'), 'utf8');
    assert.match(settings, /OAuth tenant/, 'the connection itself is in settings');
    assert.match(settings, new RegExp(clientId), 'and its client id');
    const tokens = apiCalls.map((r) => (r.headers['authorization'] ?? '').replace(/^Bearer /, '')).filter((t) => t.length > 10);
    const logs = filesUnder(path.join(userDataDir(), 'logs')).filter((f) => /License Steward/.test(f));
    for (const [where, text] of [['settings.json', settings], ...logs.map((f) => [f, readFileSync(f, 'utf8')])] as [string, string][]) {
      assert.ok(!text.includes(clientSecret), `the client secret leaked into ${where}`);
      for (const t of new Set(tokens)) assert.ok(!text.includes(t), `an access token leaked into ${where}`);
    }
  });
});
