import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { constants } from 'node:os';

/**
 * Groups still running. A runner that dies mid-way (uncaught error, timeout, Ctrl-C) must not leave
 * code-server and its extension host behind, so the last-chance `exit` hook kills whatever is here.
 */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) signalGroup(child, 'SIGKILL');
});
// Signals skip `exit` hooks unless turned into an ordinary exit.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => process.exit(128 + constants.signals[signal]));
}

/** Options for {@link spawnGroup}. */
export interface SpawnGroupOptions {
  readonly cwd?: string;
  readonly env: NodeJS.ProcessEnv;
  /** stdout and stderr go here; the server's chatter is only worth reading after a failure. */
  readonly logFile: string;
}

/** Starts `command` as the leader of a new process group, so stopping it also stops its children. */
export function spawnGroup(command: string, args: readonly string[], options: SpawnGroupOptions): ChildProcess {
  const log = openSync(options.logFile, 'a');
  try {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', log, log] });
    live.add(child);
    child.once('exit', () => live.delete(child));
    return child;
  } finally {
    closeSync(log); // the child holds its own descriptor
  }
}

/** SIGTERM the whole group, then SIGKILL it if the leader has not exited within `graceMs`. */
export async function stopGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    signalGroup(child, 'SIGKILL'); // the leader is gone, but its children may not be
    live.delete(child);
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child, 'SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    signalGroup(child, 'SIGKILL');
    await exited;
  }
  // Children that ignored SIGTERM (the extension host may) go with the leader's group.
  signalGroup(child, 'SIGKILL');
  live.delete(child);
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}
