// The extension under test, activated, and the test API it exports in ExtensionMode.Test: what
// every extension-host spec starts from.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../../src/extension';
import type { QrsSimulator } from '../../../src/sim/qrs/qrsSimulator';

/** The id the runner installed the extension under. */
export const EXTENSION_ID = process.env.LICENSE_STEWARD_E2E_EXTENSION_ID ?? 'license-steward.license-steward';

/** Activates the extension (once; later calls get the same API) and returns its test API. */
export async function activateForTest(): Promise<TestApi> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `the extension ${EXTENSION_ID} is installed`);
  const exported = (await ext.activate()) as TestApi | undefined;
  assert.ok(exported, 'the extension exports its test API in ExtensionMode.Test');
  return exported;
}

/**
 * Saves a connection to a QRS simulator as an admin would: the QMC's client.pem and root.pem
 * written to `dir`, the private key in SecretStorage.
 */
export async function saveSimConnection(api: TestApi, sim: QrsSimulator, dir: string, connection: { readonly id: string; readonly name: string }): Promise<void> {
  writeFileSync(path.join(dir, 'client.pem'), sim.certificates.clientCert);
  writeFileSync(path.join(dir, 'root.pem'), sim.certificates.ca);
  await api.registry.save(
    {
      ...connection,
      kind: 'qrs',
      url: sim.url,
      auth: { mode: 'certificate', certFile: path.join(dir, 'client.pem'), caFile: path.join(dir, 'root.pem'), userDirectory: 'INTERNAL', userId: 'sa_api' },
      tlsVerify: true,
    },
    { privateKey: sim.certificates.clientKey },
  );
}
