// The connection flows in a real extension host, against simulated sites started in the same host:
// Add Connection tests before it saves and goes back into the flow with the answers kept, Edit
// keeps files and secrets and re-syncs, and the palette's Assign commands list only the sites
// that offer the pass. Dialogs are answered by a scripted Prompter that also records them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND } from '../../../src/contributionIds';
import type { TestApi } from '../../../src/extension';
import { startQrsSimulator, type QrsSimulator } from '../../../src/sim/qrs/qrsSimulator';
import { scriptedPrompter, type Answer, type Question } from './scriptedPrompter';
import { logLine } from './extensionFiles';
import { activateForTest } from './testApi';

describe('Connection flows in the extension host', function () {
  let sim: QrsSimulator;
  let seats: QrsSimulator;
  let api: TestApi;
  let dir: string;
  const added: string[] = [];

  const byName = (name: string) => api.registry.list().find((e) => e.config.name === name);
  const usagePosts = () => sim.requests.filter((r) => r.path.endsWith('/license/loginaccessusage/table')).length;

  before(async () => {
    sim = await startQrsSimulator({ users: 40, seed: 11 });
    // A user-based site: professional and analyzer access, no tokens.
    seats = await startQrsSimulator({ users: 30, seed: 12, licenseModel: 'userBased' });
    dir = mkdtempSync(path.join(tmpdir(), 'ls-flows-'));
    writeFileSync(path.join(dir, 'root.pem'), sim.certificates.ca);
    writeFileSync(path.join(dir, 'client.pem'), sim.certificates.clientCert);
    writeFileSync(path.join(dir, 'client_key.pem'), sim.certificates.clientKey);
    writeFileSync(path.join(dir, 'seats-root.pem'), seats.certificates.ca);
    api = await activateForTest();
  });

  after(async () => {
    api?.useDialogs();
    for (const id of added) await api?.registry.remove(id).catch(() => undefined);
    await sim?.close();
    await seats?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('Add Connection tests before saving, and Edit goes back into the flow with every answer and file kept', async () => {
    let round = 0;
    let savedWhenFailed: boolean | undefined;
    const prompter = scriptedPrompter((q: Question): Answer => {
      if (q.kind === 'input' && q.prompt.startsWith('A name')) return round === 0 ? 'Flow site' : undefined;
      if (q.kind === 'input' && q.prompt.startsWith('https://')) return round === 0 ? sim.url : undefined;
      if (q.kind === 'pick' && q.placeHolder.startsWith('How does')) return 'Certificate';
      if (q.kind === 'pick' && q.placeHolder.startsWith('Which certificate authority')) return round === 0 ? "Select the site's root.pem" : 'Keep root.pem';
      if (q.kind === 'openFile') return path.join(dir, /root\.pem/.test(q.title) ? 'root.pem' : /client_key/.test(q.title) ? 'client_key.pem' : 'client.pem');
      if (q.kind === 'input' && q.prompt.startsWith('Act as')) return round === 0 ? 'CORP\\nobody' : 'INTERNAL\\sa_api';
      if (q.kind === 'pick' && q.title.endsWith('the test failed')) {
        savedWhenFailed = byName('Flow site') !== undefined;
        round++;
        return '$(edit) Edit';
      }
      return undefined;
    });
    api.answerWith(prompter);
    await vscode.commands.executeCommand(COMMAND.addConnection);

    const asked = prompter.asked;
    const at = (test: (q: Question) => boolean) => asked.filter(test);
    assert.equal(savedWhenFailed, false, 'nothing was saved before the test passed');
    const failure = at((q) => q.kind === 'pick' && q.title.endsWith('the test failed'));
    assert.equal(failure.length, 1, 'the test failed once (CORP\\nobody may not read licenses), then passed');
    assert.deepEqual(failure[0]?.kind === 'pick' && failure[0].labels, ['$(edit) Edit', '$(save) Save anyway', '$(close) Cancel']);
    assert.match(failure[0]?.kind === 'pick' ? failure[0].placeHolder : '', /CORP\\nobody/);

    const actAs = at((q) => q.kind === 'input' && q.prompt.startsWith('Act as'));
    assert.deepEqual(actAs.map((q) => q.kind === 'input' && q.value), ['INTERNAL\\sa_repository', 'CORP\\nobody'], "QRS's own account by default, then the answer given");
    const names = at((q) => q.kind === 'input' && q.prompt.startsWith('A name'));
    assert.deepEqual(names.map((q) => q.kind === 'input' && q.value), ['', 'Flow site'], 'the second round starts from the answers');

    const files = at((q) => q.kind === 'openFile');
    assert.equal(files.length, 3, `root.pem, client.pem and client_key.pem were each picked once: ${JSON.stringify(files)}`);
    assert.deepEqual(files.slice(1).map((q) => q.kind === 'openFile' && q.folder), [dir, dir], 'later file dialogs start in the folder last used');
    const keeps = at((q) => q.kind === 'pick' && q.labels[0]?.startsWith('Keep') === true).map((q) => q.kind === 'pick' && q.labels[0]);
    assert.deepEqual(keeps, ['Keep root.pem', 'Keep client.pem', 'Keep the stored client key'], 'the second round offers to keep the files just picked');

    const entry = byName('Flow site');
    assert.ok(entry, 'the connection was saved once it connected');
    added.push(entry.id);
    assert.deepEqual(entry.config.auth, { mode: 'certificate', certFile: path.join(dir, 'client.pem'), caFile: path.join(dir, 'root.pem'), userDirectory: 'INTERNAL', userId: 'sa_api' });
    assert.equal((await api.credentials.getConnectionSecret(entry.id)).privateKey, sim.certificates.clientKey);
    assert.equal(api.model.state(entry.id)?.status, 'synced', api.model.state(entry.id)?.error);
  });

  it('Edit Connection keeps the files and the key without a file dialog, saves, and re-syncs', async () => {
    const entry = byName('Flow site');
    assert.ok(entry);
    const before = usagePosts();
    const prompter = scriptedPrompter((q) => (q.kind === 'input' && q.prompt.startsWith('A name') ? 'Flow site edited' : undefined));
    api.answerWith(prompter);
    await vscode.commands.executeCommand(COMMAND.editConnection, { type: 'connection', connectionId: entry.id });

    assert.deepEqual(prompter.asked.filter((q) => q.kind === 'openFile'), [], 'no file dialog');
    const picks = prompter.asked.filter((q) => q.kind === 'pick').map((q) => q.kind === 'pick' && q.labels[0]);
    assert.deepEqual(picks, ['Qlik Sense client-managed', 'Certificate', 'Keep root.pem', 'Keep client.pem', 'Keep the stored client key'], 'Enter keeps the mode and every file');
    const edited = api.registry.get(entry.id);
    assert.equal(edited?.config.name, 'Flow site edited');
    assert.deepEqual(edited?.config.auth, entry.config.auth);
    assert.equal((await api.credentials.getConnectionSecret(entry.id)).privateKey, sim.certificates.clientKey, 'the stored key is kept');
    assert.ok(usagePosts() > before, 'the edited connection was synced again');
    assert.equal(api.model.state(entry.id)?.status, 'synced', api.model.state(entry.id)?.error);
  });

  it('a failed test offers Cancel, which saves nothing, and Save anyway, which saves and syncs', async () => {
    const answers = (after: string) =>
      scriptedPrompter((q) => {
        if (q.kind === 'input' && q.prompt.startsWith('A name')) return 'Nowhere';
        // Port 9 on loopback: nothing listens there.
        if (q.kind === 'input' && q.prompt.startsWith('https://')) return 'https://127.0.0.1:9';
        if (q.kind === 'pick' && q.placeHolder.startsWith('How does')) return 'Header';
        if (q.kind === 'pick' && q.placeHolder.startsWith('Which certificate authority')) return "Use the system's trusted CAs";
        if (q.kind === 'input' && q.prompt.startsWith('The user to send')) return 'CORP\\admin';
        if (q.kind === 'pick' && q.title.endsWith('the test failed')) return after;
        return undefined;
      });
    api.answerWith(answers('$(close) Cancel'));
    await vscode.commands.executeCommand(COMMAND.addConnection);
    assert.equal(byName('Nowhere'), undefined, 'Cancel saves nothing');

    api.answerWith(answers('$(save) Save anyway'));
    await vscode.commands.executeCommand(COMMAND.addConnection);
    const entry = byName('Nowhere');
    assert.ok(entry, 'Save anyway saves');
    added.push(entry.id);
    assert.equal(api.model.state(entry.id)?.status, 'failed', 'and syncs, which fails the same way');
    assert.match(await logLine('testing "Nowhere" before saving failed'), /127\.0\.0\.1:9/);
    await api.registry.remove(entry.id);
  });

  it('palette Assign Professional Access lists only the sites that offer it, and says so when none does', async () => {
    api.useDialogs();
    const none = await vscode.commands.executeCommand(COMMAND.assignProfessional);
    assert.equal(none, undefined);
    assert.match(await logLine(`[command] ${COMMAND.assignProfessional}: No site offers professional access:`), /"Flow site edited" offers user access passes only/);

    await api.registry.save(
      {
        id: 'flows-seats',
        name: 'Seats site',
        kind: 'qrs',
        url: `${seats.url}/${seats.headerProxy.prefix}`,
        auth: { mode: 'header', headerName: seats.headerProxy.headerName, headerValue: 'CORP\\admin', caFile: path.join(dir, 'seats-root.pem') },
        tlsVerify: true,
      },
      undefined,
    );
    added.push('flows-seats');
    await api.model.sync(['flows-seats']);
    assert.deepEqual(api.model.state('flows-seats')?.result?.overview.offeredKinds, ['professional', 'analyzer']);

    const prompter = scriptedPrompter((q) => (q.kind === 'confirm' ? false : undefined));
    api.answerWith(prompter);
    await vscode.commands.executeCommand(COMMAND.assignProfessional);
    const [first, second] = prompter.asked;
    // The token site does not offer it, so the only site that does is taken without asking.
    assert.equal(first?.kind, 'pick');
    assert.equal(first?.kind === 'pick' && first.placeHolder, 'Type a name or DIRECTORY\\id', JSON.stringify(prompter.asked));
    const unpassed = api.model.state('flows-seats')?.result?.ranked.filter((r) => !r.allocation || r.allocation.userDeleted) ?? [];
    assert.ok(unpassed.length > 0);
    assert.deepEqual(first?.kind === 'pick' && first.labels, unpassed.map((r) => r.user.name), 'the users of that site who hold no pass');
    assert.match(second?.kind === 'confirm' ? second.message : '', /^Assign a professional access to /);
  });
});
