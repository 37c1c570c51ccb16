import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CLI_PATH, REPO_ROOT } from './builtCli';
import { useBuiltCli } from './useBuiltCli';

const DIST = path.join(REPO_ROOT, 'dist');

/**
 * The files under dist/ a fresh Node has loaded when `code` is done (relative paths).
 * @param exitCode what the probe must exit with (a command line refused as incomplete exits 1)
 */
async function loadedAfter(code: string, exitCode = 0): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bundles-'));
  const report = path.join(dir, 'loaded.json');
  try {
    const probe = `
      const Module = require('node:module');
      const load = Module._load;
      Module._load = function (request, ...rest) {
        if (request === 'vscode') return new Proxy(function () {}, { get: (t, k) => (k === '__esModule' ? false : t), construct: () => ({}) });
        return load.call(this, request, ...rest);
      };
      process.on('exit', () => {
        const dist = ${JSON.stringify(DIST + path.sep)};
        const files = Object.keys(require.cache).filter((f) => f.startsWith(dist)).map((f) => f.slice(dist.length));
        require('node:fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify(files));
      });
      ${code}
    `;
    const exited = await promisify(execFile)(process.execPath, ['-e', probe], { cwd: REPO_ROOT, maxBuffer: 1 << 24 }).then(
      () => 0,
      (e: { code?: unknown }) => (typeof e.code === 'number' ? e.code : Promise.reject(e)),
    );
    assert.equal(exited, exitCode, 'the probe\'s exit code');
    return JSON.parse(await readFile(report, 'utf8')) as string[];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('the built bundles load their lazy parts on use only', function () {
  this.timeout(120_000);
  useBuiltCli();

  it('activating the extension reads dist/extension.js alone: no simulator, certificates, validator or HTTP stack', async () => {
    const loaded = await loadedAfter(`require(${JSON.stringify(path.join(DIST, 'extension.js'))});`);
    assert.deepEqual(loaded, ['extension.js']);
  });

  it('"--help" reads dist/cli.js alone, with the lazy files beside it', async () => {
    const help = await loadedAfter(`process.argv = [process.argv[0], ${JSON.stringify(CLI_PATH)}, '--help']; require(${JSON.stringify(CLI_PATH)});`);
    assert.deepEqual(help, ['cli.js']);
    const lazy = (await readdir(path.join(DIST, 'lazy'))).filter((f) => f.endsWith('.js'));
    assert.ok(['qrsSimulator.js', 'undici.js', 'ajv.js', 'runCommandLine.js'].every((f) => lazy.includes(f)), lazy.join(', '));
  });

  it('a command reads the CLI\'s commands from dist/lazy/runCommandLine.js, and nothing it does not use', async () => {
    // `rank` without its options: refused (exit 1) by the command itself, before any request.
    const rank = await loadedAfter(`process.argv = [process.argv[0], ${JSON.stringify(CLI_PATH)}, 'rank']; require(${JSON.stringify(CLI_PATH)});`, 1);
    assert.deepEqual(rank.sort(), ['cli.js', path.join('lazy', 'runCommandLine.js')]);
  });

  it('ships every lazy file the extension loads in the VSIX, and not the CLI\'s commands', async () => {
    const ignore = (await readFile(path.join(REPO_ROOT, '.vscodeignore'), 'utf8')).split('\n');
    assert.ok(ignore.includes('!dist/lazy/!(runCommandLine).js'), '.vscodeignore lets every dist/lazy/*.js in but the CLI\'s commands');
    // The extension names each lazy file it may load; each must exist, and none is the CLI's.
    const bundle = await readFile(path.join(DIST, 'extension.js'), 'utf8');
    const named = [...new Set([...bundle.matchAll(/require\("\.\/lazy\/([\w.]+)"\)/g)].map((m) => m[1]))];
    assert.ok(named.length >= 3, named.join(', '));
    assert.ok(!named.includes('runCommandLine.js'), named.join(', '));
    const present = await readdir(path.join(DIST, 'lazy'));
    assert.deepEqual(named.filter((f) => f && !present.includes(f)), []);
  });
});
