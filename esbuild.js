// One build for the CLI, the extension (next) and the benchmarks: node, CommonJS, vscode external.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

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

const builds = [
  { ...node, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  { ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { 'bench/sync': 'bench/sync.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { 'bench/history': 'bench/history.ts' }, outdir: 'dist' },
  { ...browser, entryPoints: { 'webview/history': 'media/history/src/main.ts' }, outdir: 'dist' },
];

async function main() {
  const fs = require('node:fs');
  const present = builds.filter((b) => Object.values(b.entryPoints).every((p) => fs.existsSync(p)));
  if (watch) {
    await Promise.all(present.map(async (b) => (await esbuild.context(b)).watch()));
    return;
  }
  await Promise.all(present.map((b) => esbuild.build(b)));
  fs.chmodSync('dist/cli.js', 0o755);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
