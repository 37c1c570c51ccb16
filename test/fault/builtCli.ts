import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

/** The repository root. */
export const REPO_ROOT = path.resolve(__dirname, '../..');

/** The binary users run (`bin` in package.json), built by `node esbuild.js`. */
export const CLI_PATH = path.join(REPO_ROOT, 'dist', 'cli.js');

const BUILD_TIMEOUT_MS = 180_000;

let build: Promise<void> | undefined;

/**
 * Builds dist/ from the current sources, once per test process: every fault suite tests the
 * bundle users get, and a stale dist/cli.js would test yesterday's code. A failed build stays
 * failed for the run, so each suite reports it rather than rebuilding.
 */
export function buildCliOnce(): Promise<void> {
  build ??= promisify(execFile)(process.execPath, ['esbuild.js'], { cwd: REPO_ROOT, timeout: BUILD_TIMEOUT_MS }).then(
    () => undefined,
    (e: unknown) => {
      const err = e as { message?: string; stderr?: string };
      throw new Error(`node esbuild.js failed, so the CLI cannot be tested:\n${err.stderr || err.message || String(e)}`);
    },
  );
  return build;
}
