// UI suite against the packaged extension: package the VSIX with vsce, install it into a fresh
// extensions dir, then run test/e2e/ui/*.ui.ts with mocha in this process; each spec opens its own
// code-server + Chromium through uiSession.ts. Screenshots of failures land in test-results/.
//   tsx test/e2e/harness/runUiTests.ts [--root DIR] [--vsix FILE] [--grep TEXT] [--timeout SECONDS]
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import Mocha from 'mocha';
import { installVsix } from './codeServer';
import { collectResults, formatResults } from './results';
import { assertBuilt, createRunDir, readManifest, resultsDir } from './runDir';
import { resolveTools } from './tools';
import { captureFailures, closeAllSessions, configureUiRun, noteFailure } from './uiSession';

const { values } = parseArgs({
  options: {
    root: { type: 'string', default: path.resolve(__dirname, '../../..') },
    vsix: { type: 'string' },
    grep: { type: 'string' },
    timeout: { type: 'string', default: '1200' }, // the whole run: 23 specs take ~7 min on an idle 2-core machine
  },
});
const root = path.resolve(values.root);
const overallTimeoutMs = Number(values.timeout) * 1000;

async function main(): Promise<number> {
  const tools = resolveTools();
  const out = resultsDir(root, 'ui');
  const run = createRunDir('license-steward-ui-run');
  try {
    const vsix = values.vsix ? path.resolve(values.vsix) : await packageVsix(root, path.join(run.root, 'extension.vsix'));
    await installVsix(tools, run, vsix);
    console.log(`ui: installed ${path.basename(vsix)}`);
    configureUiRun({ tools, extensionsDir: run.extensionsDir, resultsDir: out });
    return await runSpecs(path.join(root, 'test/e2e/ui'));
  } finally {
    await closeAllSessions();
    run.remove();
  }
}

/** Packages exactly as `npm run package` does (vsce runs `vscode:prepublish` first, if defined). */
async function packageVsix(projectRoot: string, file: string): Promise<string> {
  assertBuilt(readManifest(projectRoot));
  const vsce = require.resolve('@vscode/vsce/vsce');
  const started = Date.now();
  await promisify(execFile)(process.execPath, [vsce, 'package', '--no-dependencies', '--out', file], { cwd: projectRoot, timeout: 300_000 });
  console.log(`ui: packaged ${path.basename(file)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return file;
}

async function runSpecs(specDir: string): Promise<number> {
  const specs = readdirSync(specDir).filter((f) => f.endsWith('.ui.ts')).sort();
  if (specs.length === 0) throw new Error(`no *.ui.ts specs in ${specDir}`);
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    timeout: 90_000, // a spec's first step starts code-server and a browser
    ...(values.grep ? { grep: values.grep } : {}),
    rootHooks: { afterEach: captureFailures },
  });
  for (const spec of specs) mocha.addFile(path.join(specDir, spec));
  await mocha.loadFilesAsync();
  return new Promise((resolve) => {
    const runner = mocha.run(() => {
      console.log(`\n${formatResults('ui', results)}`);
      resolve(results.failed > 0 ? 1 : 0);
    });
    const results = collectResults(runner);
    runner.on('fail', (test) => noteFailure(test.fullTitle()));
  });
}

// A hung browser or server must not hold CI: exiting runs processGroup's exit hook, which kills them.
setTimeout(() => {
  console.log(`ui: the run exceeded ${overallTimeoutMs / 1000} s\n\nui: 0 passed, 1 failed`);
  process.exit(1);
}, overallTimeoutMs).unref();

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    console.log('ui: 0 passed, 1 failed');
    process.exit(1);
  },
);
