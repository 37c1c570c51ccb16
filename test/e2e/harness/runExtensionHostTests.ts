// Runs the extension-host suite inside code-server's real Node extension host, the way VS Code runs
// its own web integration tests: the workbench URL carries ?payload= with extensionDevelopmentPath
// and extensionTestsPath, and the workbench reports the exit code through window.codeAutomationExit.
//   tsx test/e2e/harness/runExtensionHostTests.ts [--root DIR] [--tests FILE] [--workspace DIR] [--grep TEXT] [--timeout SECONDS]
import { appendFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { format, parseArgs } from 'node:util';
import { launchBrowser, type BrowserSession } from './browser';
import { CodeServer } from './codeServer';
import { assertBuilt, createRunDir, readManifest, resultsDir } from './runDir';
import { formatResults, readResults, RESULTS_FILE_ENV, type TestResults } from './results';
import { resolveTools } from './tools';

const { values } = parseArgs({
  options: {
    root: { type: 'string', default: path.resolve(__dirname, '../../..') },
    tests: { type: 'string' },
    workspace: { type: 'string' },
    grep: { type: 'string' },
    timeout: { type: 'string', default: '300' },
  },
});
const root = path.resolve(values.root);
const testsEntry = path.resolve(values.tests ?? path.join(root, 'out/e2e/extensionHost/index.js'));
const timeoutMs = Number(values.timeout) * 1000;

type Outcome = { kind: 'exit'; code: number } | { kind: 'timeout' };

async function main(): Promise<number> {
  const tools = resolveTools();
  const manifest = readManifest(root);
  assertBuilt(manifest);
  if (!existsSync(testsEntry)) throw new Error(`${testsEntry} is missing; run: node test/e2e/buildTests.mjs`);

  const out = resultsDir(root, 'ext-host');
  const consoleLog = path.join(out, 'console.log');
  const run = createRunDir('license-steward-ext-host', values.workspace);
  const resultsFile = path.join(run.root, 'results.json');
  let server: CodeServer | undefined;
  let browser: BrowserSession | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    server = await CodeServer.start({
      tools,
      ...run,
      logFile: path.join(out, 'code-server.log'),
      smokeTestDriver: true,
      env: {
        [RESULTS_FILE_ENV]: resultsFile,
        LICENSE_STEWARD_E2E_EXTENSION_ID: manifest.id,
        // Lets specs prove a secret never reached settings.json or the logs under it.
        LICENSE_STEWARD_E2E_USER_DATA_DIR: run.userDataDir,
        // mocha runs inside the host, so the filter travels as environment (read by extensionHost/index.ts).
        ...(values.grep ? { LICENSE_STEWARD_E2E_GREP: values.grep } : {}),
      },
    });
    browser = await launchBrowser({ executablePath: tools.chromium, scratchDir: run.root });
    const page = browser.page;
    let settle: (outcome: Outcome) => void = () => undefined;
    const exited = new Promise<Outcome>((resolve) => {
      settle = resolve;
      // A payload the workbench ignores (no smoke-test driver) would otherwise wait forever.
      timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => settle({ kind: 'exit', code }));
    // The workbench forwards the extension host's console (mocha's spec reporter included) here.
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      appendFileSync(consoleLog, `${format(...args)}\n`);
    });
    await page.goto(server.workbenchUrl([
      ['extensionDevelopmentPath', server.remoteUri(root)],
      ['extensionTestsPath', server.remoteUri(testsEntry)],
      ['skipWelcome', 'true'],
    ]));
    const outcome = await exited;
    if (outcome.kind === 'timeout') {
      // After codeAutomationExit the host is gone, so only a timeout leaves something worth a picture.
      await page.screenshot({ path: path.join(out, 'timeout.png') }).catch(() => undefined);
    }
    return report(outcome, readResults(resultsFile), consoleLog);
  } finally {
    clearTimeout(timer);
    await browser?.close().catch(() => undefined);
    await server?.stop();
    run.remove();
  }
}

function report(outcome: Outcome, results: TestResults | undefined, consoleLog: string): number {
  if (!results) {
    const why = outcome.kind === 'timeout'
      ? `no result within ${timeoutMs / 1000} s (payload ignored? extension failed to load? see ${consoleLog})`
      : `the host exited with ${outcome.code} before writing results (see ${consoleLog})`;
    console.log(`ext-host: no results: ${why}\n\next-host: 0 passed, 1 failed`);
    return 1;
  }
  const clean = outcome.kind === 'exit' && outcome.code === 0 && results.failed === 0;
  if (!clean && results.failed === 0) {
    // Every test passed yet the run failed (e.g. run() threw after mocha): still a failure to count.
    const why = outcome.kind === 'exit' ? `exit code ${outcome.code}` : 'timeout';
    results.failed++;
    results.tests.push({ title: 'extension-host run', state: 'failed', error: `${why}; see ${consoleLog}` });
  }
  console.log(formatResults('ext-host', results));
  return clean ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    console.log('ext-host: 0 passed, 1 failed');
    process.exit(1);
  },
);
