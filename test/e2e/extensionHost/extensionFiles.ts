// What the extension under test wrote to disk, read by the extension-host specs: its log lines and
// the files of its history stores, under the user-data dir the runner gives it.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** Every file under dir, recursively. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** The user-data dir of the VS Code instance under test. */
export function userDataDir(): string {
  const dir = process.env.LICENSE_STEWARD_E2E_USER_DATA_DIR;
  assert.ok(dir, 'the runner says where the extension keeps its data and logs');
  return dir;
}

/**
 * The first line of the License Steward log (its output channel's file) that contains `text`.
 * Commands log what they show: `[change] <connection>: <message>` before an information message,
 * the wrapper `[command] <id>: <message>` before an error notification. The channel writes its
 * file a moment later, so this waits for the line.
 */
export async function logLine(text: string): Promise<string> {
  for (let i = 0; ; i++) {
    const logs = filesUnder(path.join(userDataDir(), 'logs')).filter((f) => /License Steward/.test(f));
    const line = logs.flatMap((f) => readFileSync(f, 'utf8').split('\n')).find((l) => l.includes(text));
    if (line !== undefined) return line;
    if (i >= 50) assert.fail(`no line with ${JSON.stringify(text)} in the License Steward log (${logs.join(', ')})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
