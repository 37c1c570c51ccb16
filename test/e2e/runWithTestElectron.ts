// The same extension-host suite in desktop VS Code, for people who have it: @vscode/test-electron
// downloads VS Code (or uses LICENSE_STEWARD_VSCODE_PATH, an installed `code` executable) and loads
// out/e2e/extensionHost/index.js. Not part of `npm test`: CI machines cannot reach the download.
//   node test/e2e/buildTests.mjs && tsx test/e2e/runWithTestElectron.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { formatResults, readResults, RESULTS_FILE_ENV } from './harness/results';
import { readManifest } from './harness/runDir';

async function main(): Promise<number> {
  const root = path.resolve(__dirname, '../..');
  const scratch = mkdtempSync(path.join(tmpdir(), 'license-steward-electron-'));
  const resultsFile = path.join(scratch, 'results.json');
  const workspace = path.join(scratch, 'workspace');
  const userDataDir = path.join(scratch, 'user-data');
  try {
    const code = await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out/e2e/extensionHost/index.js'),
      ...(process.env.LICENSE_STEWARD_VSCODE_PATH ? { vscodeExecutablePath: process.env.LICENSE_STEWARD_VSCODE_PATH } : {}),
      // A throwaway profile with no other extensions, trusted like the code-server tier.
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', userDataDir],
      extensionTestsEnv: {
        [RESULTS_FILE_ENV]: resultsFile,
        LICENSE_STEWARD_E2E_EXTENSION_ID: readManifest(root).id,
        LICENSE_STEWARD_E2E_USER_DATA_DIR: userDataDir,
      },
    });
    const results = readResults(resultsFile);
    console.log(results ? formatResults('ext-host', results) : 'ext-host: no results\n\next-host: 0 passed, 1 failed');
    return code === 0 && results !== undefined && results.failed === 0 ? 0 : 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
