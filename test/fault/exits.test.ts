import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { DAY_MS } from '../../src/core/model';
import { cliHistoryKey, HistoryStores } from '../../src/store/historyStores';
import { historyStoreDir } from '../../src/store/storeDirs';
import { LOCK_NAME } from '../../src/store/writeLock';
import { useBuiltCli } from './useBuiltCli';
import { runCliProcess, startCli, type CliResult } from './cliProcess';
import { startFaultSite, type FaultSite } from './faultSite';

/**
 * Exits are clean: a signal or a vanished data directory ends the built CLI promptly, with the
 * exit code and message a scheduler or an admin expects, and leaves the store usable. Each test
 * names what the CLI before this issue (9813bb7) did.
 */

const USAGE_TABLE = /\/qrs\/license\/loginaccessusage\/table$/;

/** How long a stopped CLI may take to exit after its signal (it has a socket to close, a store to leave). */
const PROMPT_MS = 2_000;

function expectExit(r: CliResult, code: number): void {
  assert.equal(r.code, code, `exit ${r.code} (signal ${r.signal}), expected ${code}\n--- stderr ---\n${r.err}\n--- stdout ---\n${r.out.slice(0, 2_000)}`);
}

/** Every file named `name` under `dir`. */
async function filesNamed(dir: string, name: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name === name).map((e) => path.join(e.parentPath, e.name));
}

describe('fault suite: exits are clean', function () {
  this.timeout(60_000);
  useBuiltCli();

  let site: FaultSite;

  before(async () => {
    site = await startFaultSite({ users: 300, seed: 5 });
  });
  after(async () => {
    await site?.close();
  });
  afterEach(() => {
    site.proxy.clearRules();
  });

  const newDataDir = () => mkdtemp(path.join(site.dir, 'data-'));

  /** Holds every usage /table read for `ms` and resolves once the CLI's first one is being held. */
  async function holdUsageReads(ms: number): Promise<{ waiting: Promise<unknown> }> {
    const since = site.proxy.seen.length;
    site.proxy.rule({ method: 'POST', path: USAGE_TABLE, delayMs: ms, times: Infinity, label: 'slow /table' });
    return { waiting: site.proxy.waitFor((r) => r.rule === 'slow /table' && r.status === 'pending', { since, timeoutMs: 15_000 }) };
  }

  /** Sends `signal` once the CLI waits on a held /table read; the run's result and how long it took to exit after the signal. */
  async function signalDuringRead(args: string[], signal: NodeJS.Signals): Promise<{ result: CliResult; afterSignalMs: number }> {
    const held = await holdUsageReads(30_000);
    const run = startCli(args, { env: site.env, timeoutMs: 40_000 });
    await held.waiting;
    const sent = performance.now();
    run.kill(signal);
    const result = await run.done;
    return { result, afterSignalMs: Math.round(performance.now() - sent) };
  }

  // Before: the CLI only noted the signal and kept waiting for the held read until its 30 s
  // timeout, then exited 2 ("did not answer"): a scheduler could not tell a stop from an outage.
  it('SIGINT during a rank whose /table reads are held exits 130 within 2 s and says it was stopped', async () => {
    const { result, afterSignalMs } = await signalDuringRead(site.cliArgs('rank', 'sim'), 'SIGINT');
    expectExit(result, 130);
    assert.ok(afterSignalMs < PROMPT_MS, `exited ${afterSignalMs} ms after SIGINT`);
    assert.match(result.err, /stopped by Ctrl\+C \(SIGINT\)/);
    assert.equal(result.out, '', 'no ranking printed');
  });

  // Before: as for SIGINT (exit 2 after 30 s); a scheduler's SIGTERM was not honoured either.
  it('SIGTERM during a rank exits 143 within 2 s and says it was stopped', async () => {
    const { result, afterSignalMs } = await signalDuringRead(site.cliArgs('rank', 'sim'), 'SIGTERM');
    expectExit(result, 143);
    assert.ok(afterSignalMs < PROMPT_MS, `exited ${afterSignalMs} ms after SIGTERM`);
    assert.match(result.err, /stopped by SIGTERM/);
  });

  // Before: the sync ignored the signal, waited out the held read and exited 2 after 30 s.
  it('SIGTERM during a sync exits 143, leaves no write.lock and records nothing; the next sync counts every record once', async () => {
    const dataDir = await newDataDir();
    const { result, afterSignalMs } = await signalDuringRead(site.cliArgs('sync', 'sim', '--data-dir', dataDir), 'SIGTERM');
    expectExit(result, 143);
    assert.ok(afterSignalMs < PROMPT_MS, `exited ${afterSignalMs} ms after SIGTERM`);
    assert.match(result.err, /stopped by SIGTERM/);
    assert.deepEqual(await filesNamed(dataDir, LOCK_NAME), [], 'no write.lock left behind');
    site.proxy.clearRules();

    const next = await runCliProcess(site.cliArgs('sync', 'sim', '--data-dir', dataDir), { env: site.env });
    expectExit(next, 0);
    const synced = /^Synced "sim": (\d+) usage records/m.exec(next.out);
    assert.ok(synced?.[1], next.out);
    const records = Number(synced[1]);
    assert.ok(records > 100);
    assert.match(next.out, new RegExp(`History: ${records} new records, 0 already kept, 0 allocation changes`), 'the stopped sync had recorded nothing');
    const stores = new HistoryStores(dataDir);
    try {
      const store = await stores.get(cliHistoryKey('sim'));
      const days = await store.siteSeries({ from: site.sim.clock.now() - 100 * DAY_MS, to: Date.now() + DAY_MS });
      assert.equal(
        days.reduce((sum, d) => sum + d.loginPasses, 0),
        records,
        'the store holds each record once',
      );
    } finally {
      await stores.closeAll();
    }
    assert.deepEqual(await filesNamed(dataDir, LOCK_NAME), []);
  });

  // Before: the sync waited out the other writer's lock (30 s) whatever signal came meanwhile,
  // then exited 3; in 8f443c1 it still waited the 30 s (the signal did not reach the lock wait).
  it('SIGTERM while a sync waits for another live writer\'s lock exits 143 within 2 s and leaves that lock alone', async () => {
    const dataDir = await newDataDir();
    const storeDir = historyStoreDir(dataDir, cliHistoryKey('sim'));
    await mkdir(storeDir, { recursive: true });
    // Another writer on this host that is alive (this test process) holds the lock.
    const lockFile = path.join(storeDir, LOCK_NAME);
    const lock = JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now(), token: 'another-writer' });
    await writeFile(lockFile, lock);

    const since = site.proxy.seen.length;
    const run = startCli(site.cliArgs('sync', 'sim', '--data-dir', dataDir), { env: site.env, timeoutMs: 45_000 });
    // Both usage pages answered (the site has one, and the empty one read ahead): the sync has
    // read everything and now waits for the lock.
    for (const skip of ['0', '20000']) {
      await site.proxy.waitFor((r) => USAGE_TABLE.test(r.path) && r.query['skip'] === skip && typeof r.status === 'number' && r.status < 300, { since, timeoutMs: 15_000 });
    }
    await new Promise((resolve) => setTimeout(resolve, 700));
    const reads = site.proxy.seen.length;
    const sent = performance.now();
    run.kill('SIGTERM');
    const result = await run.done;
    const afterSignalMs = Math.round(performance.now() - sent);
    expectExit(result, 143);
    assert.ok(afterSignalMs < PROMPT_MS, `exited ${afterSignalMs} ms after SIGTERM`);
    assert.match(result.err, /stopped by SIGTERM/);
    assert.equal(site.proxy.seen.length, reads, 'it was waiting for the lock, not reading');
    assert.equal(await readFile(lockFile, 'utf8'), lock, "the other writer's lock is untouched");

    await rm(lockFile);
    const next = await runCliProcess(site.cliArgs('sync', 'sim', '--data-dir', dataDir), { env: site.env });
    expectExit(next, 0);
    assert.match(next.out, /History: [1-9]\d* new records, 0 already kept/);
    assert.equal(existsSync(lockFile), false);
  });

  // Before: the lock loop read ENOENT as "the lock was released" and tried again forever at full
  // CPU: the run never ended.
  it('the data directory deleted during a sync: exit 1 within seconds, naming the directory', async () => {
    const dataDir = await newDataDir();
    const held = await holdUsageReads(1_500);
    const run = startCli(site.cliArgs('sync', 'sim', '--data-dir', dataDir), { env: site.env, timeoutMs: 20_000 });
    await held.waiting;
    await rm(dataDir, { recursive: true, force: true });
    const deleted = performance.now();
    const result = await run.done;
    const afterDeleteMs = Math.round(performance.now() - deleted);
    expectExit(result, 1);
    // 1.5 s of held read, then at most a few seconds: a spinning lock loop never gets here.
    assert.ok(afterDeleteMs < 6_000, `exited ${afterDeleteMs} ms after the directory went`);
    assert.ok(result.err.includes(dataDir), `the message names the directory: ${result.err}`);
    assert.match(result.err, /removed or moved/);
  });

  // Before: mkdir's ENOTDIR surfaced raw ("ENOTDIR: not a directory, mkdir …") with exit 3.
  it('a --data-dir that is a file (or lies under one): exit 1, saying the file is a file, not a directory', async () => {
    const file = path.join(site.dir, 'not-a-dir.txt');
    await writeFile(file, 'hello\n');
    for (const dataDir of [file, path.join(file, 'below')]) {
      const result = await runCliProcess(site.cliArgs('sync', 'sim', '--data-dir', dataDir), { env: site.env });
      expectExit(result, 1);
      assert.ok(result.err.includes(`${file} is a file, not a directory`), `--data-dir ${dataDir}: ${result.err}`);
    }
  });
});
