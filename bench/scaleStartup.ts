/**
 * bench/scale's startup figures: what the production extension bundle weighs and what loading it
 * costs (a fresh Node with a stand-in `vscode` module, timing `require` alone), and the CLI's
 * cold start (`--help`) against a bare `node -e 0`, both in the same run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { kb, median, ms, runJson, times, type Row } from './scaleStats';

/**
 * Node modules the extension host has loaded before any extension activates (it is a Node
 * application that reads files, hashes, and talks HTTP(S) through its proxy support): an
 * extension that imports them pays nothing for them there.
 */
const HOST_MODULES = ['fs', 'fs/promises', 'path', 'os', 'crypto', 'net', 'tls', 'http', 'https', 'stream', 'events', 'url', 'util', 'child_process', 'perf_hooks'];

/** A `vscode` that is anything asked of it: loading the bundle touches the API only this deep. */
function anything(): unknown {
  const fn = function () {
    return proxy;
  };
  const proxy: unknown = new Proxy(fn, { get: (_t, key) => (key === '__esModule' ? false : proxy), apply: () => proxy, construct: () => ({}) });
  return proxy;
}

/** Child mode: the time `require` of the bundle takes, after preloading the host's modules or not. */
export function activationChild(bundle: string, preload: boolean): void {
  if (preload) {
    HOST_MODULES.forEach((m) => require(`node:${m}`));
    void performance.now();
  }
  const stub = anything();
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = loader._load;
  loader._load = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? stub : load.call(this, request, ...rest);
  };
  const t = performance.now();
  require(bundle);
  process.stdout.write(`${JSON.stringify({ ms: performance.now() - t })}\n`);
}

/** Wall time of `node args`, ms. */
function timeNode(args: readonly string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, [...args], { stdio: 'ignore' });
  if (r.status !== 0) {
    throw new Error(`node ${args.join(' ')} exited ${r.status}`);
  }
  return performance.now() - t;
}

/** The size, activation and cold-start rows. */
export async function startupRows(self: string, builtDir: string, runs: number): Promise<{ rows: Row[]; note: string }> {
  const extension = path.join(builtDir, 'extension.js');
  const lazyDir = path.join(builtDir, 'lazy');
  const lazy = existsSync(lazyDir) ? readdirSync(lazyDir).filter((n) => n.endsWith('.js')) : [];
  // The extension's own lazy files: the ones its bundle names (the CLI's commands are not among them).
  const bundle = readFileSync(extension, 'utf8');
  const extensionLazy = lazy.filter((n) => bundle.includes(`"./lazy/${n}"`));
  const lazyBytes = extensionLazy.reduce((s, n) => s + statSync(path.join(lazyDir, n)).size, 0);
  const bytes = statSync(extension).size;
  const host: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    host.push((await runJson<{ ms: number }>([self, '--child', 'activation', '--bundle', extension, '--preload'])).ms);
    bare.push((await runJson<{ ms: number }>([self, '--child', 'activation', '--bundle', extension])).ms);
  }
  const cli = path.join(builtDir, 'cli.js');
  const nodeOnly: number[] = [];
  const help: number[] = [];
  for (let i = 0; i < runs; i++) {
    nodeOnly.push(timeNode(['-e', '0']));
    help.push(timeNode([cli, '--help']));
  }
  const [h, b, n, c] = [median(host), median(bare), median(nodeOnly), median(help)];
  const rows: Row[] = [
    { what: 'dist/extension.js', ours: kb(bytes), baseline: `${kb(bytes + lazyBytes)} with its lazy files`, ratio: times(bytes / (bytes + lazyBytes)), target: 'demo, certificates, validation lazy' },
    { what: 'activation module load', ours: ms(h), baseline: `${ms(b)} in a bare Node`, ratio: '', target: '≤ 40 ms', met: h <= 40 },
    { what: 'CLI cold start (--help)', ours: ms(c), baseline: `${ms(n)} node -e 0`, ratio: times(c / n), target: '≤ 1.4×', met: c / n <= 1.4 },
  ];
  const note = `lazy files (dist/lazy/, loaded on first use): ${lazy.map((f) => `${f} ${kb(statSync(path.join(lazyDir, f)).size)}`).join(', ')}; activation: require() of the bundle with a stand-in vscode, Node's own modules the extension host already has (${HOST_MODULES.length}) preloaded; medians of ${runs}`;
  return { rows, note };
}
