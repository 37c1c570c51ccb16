// Generic checks every build must pass: the extension loads, activates and registers each command
// its manifest contributes (a command missing from activate() would otherwise surface only as a
// "command not found" toast).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** Set by the e2e runners from package.json; the default serves a bare test-electron run. */
const extensionId = process.env.LICENSE_STEWARD_E2E_EXTENSION_ID ?? 'license-steward.license-steward';

function contributedCommands(manifest: unknown): string[] {
  const contributes = (manifest as { contributes?: { commands?: ReadonlyArray<{ command?: unknown }> } }).contributes;
  return (contributes?.commands ?? []).map((c) => c.command).filter((c): c is string => typeof c === 'string');
}

describe('activation', () => {
  it('activates the extension under test', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not loaded`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers every contributed command', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension);
    await extension.activate();
    const contributed = contributedCommands(extension.packageJSON as unknown);
    assert.ok(contributed.length > 0, 'the manifest contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), []);
  });
});
