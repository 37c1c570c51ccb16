// One build for the CLI, the extension (next) and the benchmarks: node, CommonJS, vscode external.
//   node esbuild.js [--production] [--watch] [--outdir DIR]   (DIR: dist when absent)
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const outIndex = process.argv.indexOf('--outdir');
const out = outIndex > 0 ? process.argv[outIndex + 1] : 'dist';

/** @type {import('esbuild').BuildOptions} */
const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  // keytar is optional and native; vscode is provided by the host.
  external: ['vscode', 'keytar'],
  logLevel: 'warning',
};

/**
 * Lazy modules: each is bundled into a file of its own under DIR/lazy/, and the extension and the
 * CLI load it on first use of any of its exports. Activation and `--help` then read and compile
 * none of them: undici (most of the HTTP client; needed from the first request), ajv (policies),
 * the simulators with their certificate generation and contract validation (the demo), and the
 * CLI's commands. The
 * sources import them as usual; only these bundles defer them. A lazy module shares no classes
 * with the code that loads it (the simulators use core/model's plain data and functions only),
 * so its own copy of what it imports is harmless.
 */
const LAZY = [
  // Node's own crypto and zlib (and the streams both load) are a third of the CLI's start
  // otherwise; deferring them needs no file of ours.
  { name: 'node:crypto', builtin: true, matches: /^node:crypto$/ },
  { name: 'node:zlib', builtin: true, matches: /^node:zlib$/ },
  { name: 'undici', entry: 'undici', matches: /^undici$/ },
  { name: 'ajv', entry: 'ajv', matches: /^ajv$/ },
  // Every CLI command: `--help` needs only their texts (src/cli/commandHelp.ts).
  { name: 'runCommandLine', entry: 'src/cli/runCommandLine.ts', matches: /(^|\/)runCommandLine$/ },
  // Every src/sim/<system>/<system>Simulator.ts, imported from outside its folder.
  ...fs
    .readdirSync('src/sim', { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(`src/sim/${d.name}/${d.name}Simulator.ts`))
    .map((d) => ({ name: `${d.name}Simulator`, entry: `src/sim/${d.name}/${d.name}Simulator.ts`, matches: new RegExp(`(^|/)sim/${d.name}/${d.name}Simulator$`) })),
];

/** The names a lazy module exports, so its stand-in can offer each one. */
async function exportsOf(lazy) {
  if (lazy.builtin || !lazy.entry.startsWith('src/')) {
    // A CommonJS package or a Node module: its exports exist only once it runs, which here is harmless.
    const mod = require(lazy.builtin ? lazy.name : lazy.entry);
    return { names: Object.keys(mod), esModule: mod.__esModule === true };
  }
  const r = await esbuild.build({ ...node, entryPoints: [lazy.entry], format: 'esm', write: false, metafile: true, sourcemap: false, minify: false, logLevel: 'silent' });
  return { names: Object.values(r.metafile.outputs)[0].exports, esModule: true };
}

/**
 * Replaces imports of the lazy modules with stand-ins that load the module's file on first use.
 * @param {string} prefix the lazy folder as seen from the bundle being built (`./lazy/`, or `./`)
 * @param {Map<string, { names: string[], esModule: boolean }>} exported
 * @param {string} [self] the lazy module being built, which must not stand in for itself
 * @returns {import('esbuild').Plugin}
 */
function lazyModules(prefix, exported, self) {
  return {
    name: 'lazy-modules',
    setup(build) {
      for (const lazy of LAZY.filter((l) => l.name !== self)) {
        // Imports in our files only: the stand-in's own require must reach the real module.
        build.onResolve({ filter: lazy.matches, namespace: 'file' }, () => ({ path: lazy.name, namespace: 'lazy' }));
      }
      build.onResolve({ filter: /.*/, namespace: 'lazy' }, (args) => ({ path: args.path, external: true }));
      build.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => {
        const { names, esModule } = exported.get(args.path);
        const file = JSON.stringify(LAZY.find((l) => l.name === args.path).builtin ? args.path : `${prefix}${args.path}.js`);
        const lines = [
          'let loaded;',
          `const load = () => (loaded ??= require(${file}));`,
          ...(esModule ? ["Object.defineProperty(exports, '__esModule', { value: true });"] : []),
          ...names.map((n) => `Object.defineProperty(exports, ${JSON.stringify(n)}, { enumerable: true, get: () => load()[${JSON.stringify(n)}] });`),
        ];
        return { contents: lines.join('\n'), loader: 'js' };
      });
    },
  };
}

/**
 * Webview pages: browser, one IIFE script per page (a classic <script nonce> tag), its imported
 * CSS emitted next to it. Everything is bundled: the page may load nothing from outside.
 * @type {import('esbuild').BuildOptions}
 */
const browser = {
  bundle: true,
  platform: 'browser',
  // VS Code 1.90 runs Electron 29 (Chromium 122).
  target: 'chrome120',
  format: 'iife',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

async function builds() {
  const exported = new Map(await Promise.all(LAZY.map(async (l) => [l.name, await exportsOf(l)])));
  const lazyOut = path.join(out, 'lazy');
  return [
    { ...node, entryPoints: { cli: 'src/cli/main.ts' }, outdir: out, banner: { js: '#!/usr/bin/env node' }, plugins: [lazyModules('./lazy/', exported)] },
    { ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: out, plugins: [lazyModules('./lazy/', exported)] },
    ...LAZY.filter((l) => !l.builtin).map((l) => ({ ...node, entryPoints: { [l.name]: l.entry }, outdir: lazyOut, plugins: [lazyModules('./', exported, l.name)] })),
    { ...node, entryPoints: { 'bench/sync': 'bench/sync.ts' }, outdir: out },
    { ...node, entryPoints: { 'bench/history': 'bench/history.ts' }, outdir: out },
    { ...node, entryPoints: { 'bench/scale': 'bench/scale.ts' }, outdir: out },
    { ...node, entryPoints: { 'bench/scaleRawRank': 'bench/scaleRawRank.ts' }, outdir: out },
    { ...browser, entryPoints: { 'webview/history': 'media/history/src/main.ts' }, outdir: out },
  ];
}

async function main() {
  const present = (await builds()).filter((b) => Object.values(b.entryPoints).every((p) => !p.includes('/') || fs.existsSync(p)));
  if (watch) {
    await Promise.all(present.map(async (b) => (await esbuild.context(b)).watch()));
    return;
  }
  await Promise.all(present.map((b) => esbuild.build(b)));
  fs.chmodSync(path.join(out, 'cli.js'), 0o755);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
