import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { writeSimConnectionFiles, type SimConnectionFiles } from '../../../src/cli/simConnectionFile';
import { startQrsSimulator, type QrsSimulator } from '../../../src/sim/qrs/qrsSimulator';
import { cliHarness, fakeKeychain, type CliRun } from './cliHarness';

const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);
/** Far longer than a stopped command may take to exit. */
const SLOW_MS = 10_000;
/** What "promptly" means here: the signal's clean-up, not the slow answer. */
const PROMPT_MS = 3_000;

describe('CLI commands stop on SIGINT and SIGTERM', function () {
  this.timeout(30_000);
  let sim: QrsSimulator;
  let files: SimConnectionFiles;
  let dir: string;
  const { cli } = cliHarness(() => sim.clock.now());

  before(async () => {
    sim = await startQrsSimulator({ users: 60, seed: 5, now: NOW });
    dir = await mkdtemp(path.join(tmpdir(), 'ls-cli-signals-'));
    files = await writeSimConnectionFiles(sim, dir);
  });
  after(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  /**
   * Runs `argv` while the server sits on the request matching `slow`, sends `reason` once that
   * request has arrived, and measures how long the command took to stop after it.
   */
  async function stoppedWhileSlow(argv: readonly string[], slow: { method: string; path: RegExp }, reason: 'SIGINT' | 'SIGTERM'): Promise<{ run: CliRun; afterSignalMs: number }> {
    sim.fault({ ...slow, delayMs: SLOW_MS, times: 1 });
    const since = sim.requests.length;
    const signals = new AbortController();
    const running = cli(argv, { signal: signals.signal });
    const deadline = Date.now() + 15_000;
    while (!sim.requests.slice(since).some((r) => r.method === slow.method && slow.path.test(r.path))) {
      assert.ok(Date.now() < deadline, `the command reached ${slow.path} within 15 s`);
      await delay(10);
    }
    const signalledAt = Date.now();
    signals.abort(reason);
    const run = await running;
    return { run, afterSignalMs: Date.now() - signalledAt };
  }

  const overview = { method: 'GET', path: /\/qrs\/license\/accesstypeoverview$/ };

  it('rank: Ctrl+C (SIGINT) while the server is slow exits 130 at once, printing no ranking', async () => {
    const { run, afterSignalMs } = await stoppedWhileSlow(['rank', '--config', files.configFile, '--connection', 'sim'], overview, 'SIGINT');
    assert.ok(afterSignalMs < PROMPT_MS, `stopped ${afterSignalMs} ms after the signal`);
    assert.equal(run.code, 130);
    assert.equal(run.out, '');
    assert.deepEqual(run.errors, ['stopped by Ctrl+C (SIGINT).']);
  });

  it('rank: SIGTERM while the server is slow exits 143 at once', async () => {
    const { run, afterSignalMs } = await stoppedWhileSlow(['rank', '--config', files.configFile, '--connection', 'sim-header', '--format', 'json'], overview, 'SIGTERM');
    assert.ok(afterSignalMs < PROMPT_MS, `stopped ${afterSignalMs} ms after the signal`);
    assert.equal(run.code, 143);
    assert.equal(run.out, '');
    assert.deepEqual(run.errors, ['stopped by SIGTERM.']);
  });

  it('sync: SIGTERM while usage pages arrive exits 143 at once and records nothing', async () => {
    const dataDir = path.join(dir, 'data');
    const args = ['sync', '--config', files.configFile, '--connection', 'sim', '--data-dir', dataDir];
    const { run, afterSignalMs } = await stoppedWhileSlow(args, { method: 'POST', path: /\/qrs\/license\/loginaccessusage\/table$/ }, 'SIGTERM');
    assert.ok(afterSignalMs < PROMPT_MS, `stopped ${afterSignalMs} ms after the signal`);
    assert.equal(run.code, 143);
    assert.equal(run.out, '');
    assert.deepEqual(run.errors, ['stopped by SIGTERM.']);
    // The next sync finds nothing kept: the stopped one left no half-recorded day behind.
    const next = await cli(args);
    assert.equal(next.code, 0, next.errors.join('\n'));
    assert.match(next.out, /History: [1-9]\d* new records, 0 already kept/);
  });

  it('demo: a signal before it connects stops it without ranking anything', async () => {
    const signals = new AbortController();
    signals.abort('SIGINT');
    const run = await cli(['demo', '--users', '50'], { signal: signals.signal, now: () => NOW });
    assert.equal(run.code, 130);
    assert.equal(run.out, '');
    assert.deepEqual(run.errors, ['stopped by Ctrl+C (SIGINT).']);
  });

  it('login: a signal while it waits for the secret stores nothing', async () => {
    const keychain = fakeKeychain();
    const signals = new AbortController();
    signals.abort('SIGTERM');
    const run = await cli(['login', '--connection', 'sim-jwt'], { signal: signals.signal, stdin: 'half-typed-secret', keychain });
    assert.equal(run.code, 143);
    assert.equal(run.out, '');
    assert.deepEqual(run.errors, ['stopped by SIGTERM.']);
    assert.deepEqual([...keychain.entries], []);
  });
});
