// Bundles the extension-host specs to CommonJS for VS Code's Node extension host, which loads them
// with plain require() (no tsx there). `vscode` comes from the host; mocha stays external so the
// harness entry and the specs share one mocha instance, resolved from node_modules.
//   node test/e2e/buildTests.mjs [--root DIR]   DIR/test/e2e/extensionHost/**/*.test.ts -> DIR/out/e2e/extensionHost/
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import esbuild from 'esbuild';

const harnessDir = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { root: { type: 'string', default: path.resolve(harnessDir, '../..') } } });
const root = path.resolve(values.root);
const specDir = path.join(root, 'test/e2e/extensionHost');
const outdir = path.join(root, 'out/e2e/extensionHost');

/** @type {Record<string, string>} */
const entryPoints = { index: path.join(harnessDir, 'extensionHost/index.ts') };
for (const file of readdirSync(specDir, { recursive: true, encoding: 'utf8' })) {
  if (file.endsWith('.test.ts')) entryPoints[file.slice(0, -'.ts'.length)] = path.join(specDir, file);
}

rmSync(outdir, { recursive: true, force: true }); // a deleted spec must not keep running from a stale .js
await esbuild.build({
  entryPoints,
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20', // desktop VS Code 1.90's extension host; code-server's is Node 24
  format: 'cjs',
  // For debuggers only: the host installs its own Error.prepareStackTrace, so stacks name the .js.
  sourcemap: 'linked',
  external: ['vscode', 'mocha', 'keytar'],
  logLevel: 'warning',
});
console.log(`buildTests: ${Object.keys(entryPoints).length - 1} spec(s) -> ${path.relative(process.cwd(), outdir) || outdir}`);
