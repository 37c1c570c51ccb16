// The extension under test, activated, and the test API it exports in ExtensionMode.Test: what
// every extension-host spec starts from.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../../src/extension';

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
