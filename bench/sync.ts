/**
 * bench/sync: a simulated site of 20,000 users and 300,000 login-pass records, synced through
 * the real QRS client, against a raw `undici.request` + `JSON.parse` of the same pages measured
 * in the same run. Prints ratios (these machines are noisy; absolute numbers mean little).
 *
 *   npm run bench:sync [-- --users 20000 --records 300000 --rounds 3]
 *
 * Each measurement runs in its own child process so peak memory (VmHWM) is that variant's alone;
 * the simulator runs in another process so its 300,000 records are not counted either.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { silentLogger } from '../src/core/logger';
import { DEFAULT_RULES, syncSource } from '../src/core/sync';
import { createQrsSource } from '../src/sources/qrs/qrsSource';
import { PAGE, rawPages, WINDOW_DAYS, type SimConnection } from './scaleRawPages';

interface Measurement {
  readonly ms: number;
  /** Peak RSS growth over the process's RSS just before the work, bytes. */
  readonly peakBytes: number;
  readonly records: number;
  readonly payloadBytes: number;
  /** CPU time the process spent (user + system, all threads), ms: contention on 2 cores shows here. */
  readonly cpuMs?: number;
}

function rssNow(): number {
  return process.memoryUsage().rss;
}

function peakRss(): number {
  // VmHWM is the kernel's high-water mark of resident memory: no sampling can miss a peak.
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m?.[1] ? Number(m[1]) * 1024 : rssNow();
}

/** The baseline: the same pages, fetched and parsed with nothing else, all kept in memory. */
async function baseline(conn: SimConnection, now: number): Promise<Measurement> {
  const pages: unknown[] = [];
  let records = 0;
  const before = rssNow();
  const t0 = performance.now();
  const payloadBytes = await rawPages(conn, now, (rows) => {
    pages.push(rows);
    records += rows.length;
  });
  return { ms: performance.now() - t0, peakBytes: peakRss() - before, records, payloadBytes };
}

/** License Steward's sync: overview, allocations, usage pages folded into a tally, ranking. */
async function ours(conn: SimConnection, now: number): Promise<Measurement> {
  const source = createQrsSource({
    baseUrl: conn.url,
    ca: conn.ca,
    auth: { mode: 'certificate', cert: conn.cert, key: conn.key, userDirectory: 'INTERNAL', userId: 'sa_api' },
    pageSize: PAGE,
    logger: silentLogger,
  });
  const before = rssNow();
  const t0 = performance.now();
  const result = await syncSource(source, { rules: { ...DEFAULT_RULES, windowDays: WINDOW_DAYS }, now });
  const ms = performance.now() - t0;
  const peakBytes = peakRss() - before;
  await source.close();
  return { ms, peakBytes, records: result.tally.recordCount, payloadBytes: 0 };
}

async function child(variant: string, connFile: string, now: number): Promise<void> {
  const conn = JSON.parse(await readFile(connFile, 'utf8')) as SimConnection;
  const cpu = process.cpuUsage();
  const m = variant === 'baseline' ? await baseline(conn, now) : await ours(conn, now);
  const used = process.cpuUsage(cpu);
  process.stdout.write(JSON.stringify({ ...m, cpuMs: Math.round((used.user + used.system) / 1000) }) + '\n');
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} exited ${code}`))));
  });
}

function startSim(cli: string, users: number, records: number, dir: string): Promise<{ proc: ChildProcess; configFile: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [cli, 'sim', 'qrs', '--users', String(users), '--records', String(records), '--seed', '1', '--dir', dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^Config: (.+)$/m.exec(out);
      if (m?.[1]) {
        resolve({ proc, configFile: m[1].trim() });
      }
    });
    proc.on('exit', (code) => reject(new Error(`the simulator exited (${code}) before it was ready`)));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      conn: { type: 'string' },
      now: { type: 'string' },
      users: { type: 'string', default: '20000' },
      records: { type: 'string', default: '300000' },
      rounds: { type: 'string', default: '3' },
    },
  });
  if (values.child && values.conn && values.now) {
    return child(values.child, values.conn, Number(values.now));
  }
  const cli = path.resolve(__dirname, '..', 'cli.js');
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-sync-'));
  const users = Number(values.users);
  const records = Number(values.records);
  const t0 = performance.now();
  const sim = await startSim(cli, users, records, dir);
  console.log(`simulator: ${users} users, ${records} login-pass records, ready in ${Math.round(performance.now() - t0)} ms`);
  try {
    const config = JSON.parse(await readFile(sim.configFile, 'utf8')) as { connections: { url: string }[] };
    const connFile = path.join(dir, 'bench-conn.json');
    const conn: SimConnection = {
      url: config.connections[0]?.url ?? '',
      ca: await readFile(path.join(dir, 'root.pem'), 'utf8'),
      cert: await readFile(path.join(dir, 'client.pem'), 'utf8'),
      key: await readFile(path.join(dir, 'client_key.pem'), 'utf8'),
    };
    await import('node:fs/promises').then((fs) => fs.writeFile(connFile, JSON.stringify(conn)));
    const now = Date.now();
    const self = path.resolve(__dirname, 'sync.js');
    const base: Measurement[] = [];
    const mine: Measurement[] = [];
    // Alternate the variants so drift on a noisy machine hits both alike; one warm-up each.
    for (let round = 0; round <= Number(values.rounds); round++) {
      for (const variant of ['baseline', 'ours'] as const) {
        const m = JSON.parse(await run(process.execPath, [self, '--child', variant, '--conn', connFile, '--now', String(now)])) as Measurement;
        if (round > 0) {
          (variant === 'baseline' ? base : mine).push(m);
        }
      }
    }
    const b = { ms: median(base.map((m) => m.ms)), peak: median(base.map((m) => m.peakBytes)) };
    const o = { ms: median(mine.map((m) => m.ms)), peak: median(mine.map((m) => m.peakBytes)) };
    const payload = base[0]?.payloadBytes ?? 0;
    console.log(`records synced: ours ${mine[0]?.records}, baseline ${base[0]?.records}; payload ${mb(payload)} of JSON in ${Math.ceil((base[0]?.records ?? 0) / PAGE)} pages`);
    console.log(`baseline (undici.request + JSON.parse, pages kept): ${b.ms.toFixed(0)} ms, peak +${mb(b.peak)}`);
    console.log(`license-steward sync (overview, allocations, usage, ranking): ${o.ms.toFixed(0)} ms, peak +${mb(o.peak)}`);
    console.log(`time ratio   ${(o.ms / b.ms).toFixed(2)}x   (target <= 1.15x)`);
    // The payload's memory is what holding it parsed costs: the baseline's peak. The JSON text
    // size is printed for scale only; a parsed row takes several times its text.
    console.log(`memory ratio ${(o.peak / b.peak).toFixed(2)}x of the payload held in memory   (target <= 2x)`);
    console.log(`(for scale: peak ${(o.peak / payload).toFixed(2)}x the ${mb(payload)} of JSON text; CPU ${median(mine.map((m) => m.cpuMs ?? 0))} ms vs ${median(base.map((m) => m.cpuMs ?? 0))} ms)`);
  } finally {
    sim.proc.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
