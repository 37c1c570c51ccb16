import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Run dirs still here at exit belong to a run cut short (timeout, Ctrl-C): remove them too.
const liveDirs = new Set<string>();
process.once('exit', () => {
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
});

/** Scratch space for one run: profile, extensions and workspace live here and go with it. */
export interface RunDir {
  readonly root: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly workspace: string;
  remove(): void;
}

/** A fresh run directory; the workspace starts as a copy of `template` when given. */
export function createRunDir(prefix: string, template?: string): RunDir {
  const root = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  const dirs = {
    root,
    userDataDir: path.join(root, 'user-data'),
    extensionsDir: path.join(root, 'extensions'),
    workspace: path.join(root, 'workspace'),
  };
  for (const dir of [dirs.userDataDir, dirs.extensionsDir, dirs.workspace]) mkdirSync(dir, { recursive: true });
  if (template) cpSync(template, dirs.workspace, { recursive: true });
  liveDirs.add(root);
  return {
    ...dirs,
    remove: () => {
      rmSync(root, { recursive: true, force: true });
      liveDirs.delete(root);
    },
  };
}

/**
 * `<root>/test-results/<tier>` (git-ignored), emptied first so every screenshot and log in it is
 * from this run, and kept afterwards for people and CI artifacts to look at.
 */
export function resultsDir(projectRoot: string, tier: 'ext-host' | 'ui'): string {
  const dir = path.join(projectRoot, 'test-results', tier);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The extension manifest fields the harness needs. */
export interface ExtensionManifest {
  /** `publisher.name`, as `vscode.extensions.getExtension` wants it. */
  readonly id: string;
  /** Absolute path of `main`, when the manifest has one. */
  readonly main?: string;
}

/** Reads `<root>/package.json`. */
export function readManifest(root: string): ExtensionManifest {
  const json: unknown = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const m = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  if (typeof m.publisher !== 'string' || typeof m.name !== 'string') throw new Error(`${root}/package.json lacks publisher or name`);
  return { id: `${m.publisher}.${m.name}`, ...(typeof m.main === 'string' ? { main: path.resolve(root, m.main) } : {}) };
}

/** Fails early, with the fix, when the extension bundle a run would load is missing. */
export function assertBuilt(manifest: ExtensionManifest): void {
  if (manifest.main && !existsSync(manifest.main) && !existsSync(`${manifest.main}.js`)) {
    throw new Error(`${manifest.main} is missing; build the extension first (npm run build)`);
  }
}
