// Entry point VS Code loads inside the extension host (extensionTestsPath): the test-electron
// contract, `run(): Promise<void>`. Bundled to out/e2e/extensionHost/index.js by test/e2e/buildTests.mjs;
// the specs next to it are loaded by mocha itself so each gets the bdd globals.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import { collectResults, RESULTS_FILE_ENV, writeResults } from '../harness/results';

/** Runs every `*.test.js` beside this file; rejects when any test fails. */
export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    reporter: 'spec',
    // The first command often waits for activation and a simulator round trip.
    timeout: 30_000,
    ...(process.env.LICENSE_STEWARD_E2E_GREP ? { grep: process.env.LICENSE_STEWARD_E2E_GREP } : {}),
  });
  const specs = readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  if (specs.length === 0) throw new Error(`no *.test.js specs in ${__dirname}`);
  for (const spec of specs) mocha.addFile(path.join(__dirname, spec));

  const resultsFile = process.env[RESULTS_FILE_ENV];
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (resultsFile) writeResults(resultsFile, results);
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
    const results = collectResults(runner);
  });
}
