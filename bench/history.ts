/**
 * bench/history: a year of daily usage for 10,000 users written through the real store (weekly
 * syncs, then compaction), then the three reads the history webview makes, against baselines
 * measured in the same run on the same data:
 *
 * - raw scan: fs.readFile of every segment file and a decode of every cell, no index used to seek;
 * - JSON lines: the same cells as one JSON line per user and day (what a naive store would keep),
 *   read and parsed whole.
 *
 * Two densities: "realistic" (heavy, regular, occasional and dormant users; weekends quiet;
 * about 14% of user-days active) and "full" (all 10,000 users active every day: the worst case).
 * "fresh" opens a new store instance per query (a webview opening); "warm" reuses one (the next
 * chart); "new process" is a child process's first query, JIT and all (a CLI run).
 *
 *   npm run build && node dist/bench/history.js [-- --users 10000 --days 365 --runs 7 --density both]
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { compareUsageDescending, DailyAccumulator, monthLabel, monthOfDay, utcDay } from '../src/core/history';
import { DAY_MS, type Allocation, type UsageRecord, type User } from '../src/core/model';
import { hash53 } from '../src/core/hash53';
import { openHistoryStore } from '../src/store/historyStore';
import { blockUser, decodeHeader, decodeLookup, forEachCell, HEADER_BYTES } from '../src/store/segmentFormat';

type Density = 'realistic' | 'full';
type Query = 'user' | 'site' | 'top';

/** 2025-01-06 (a Monday) is day 0; the year ends 2026-01-05. */
const START = Date.UTC(2025, 0, 6);
const LOGIN_PASS_COST = 0.1;
const TOP = 50;
const TARGETS: Record<Query, string> = { user: '< 50 ms', site: '< 200 ms', top: '(none set)' };

const userOf = (u: number): User => ({ id: `00000000-0000-4000-8000-${String(u).padStart(12, '0')}`, directory: 'CORP', userId: `user${u}`, name: `User ${u}` });

/** Activity of user u on day d: login passes and capacity minutes (0 when idle). Deterministic. */
function activity(density: Density, u: number, d: number): { passes: number; minutes: number } {
  const h = hash53(`${u}:${d}`);
  const r = (h % 1_000_000) / 1_000_000;
  if (density === 'full') {
    return { passes: 1 + (h % 3), minutes: u % 5 === 0 ? 6 * (1 + (h % 10)) : 0 };
  }
  const cls = u % 10;
  const p = cls === 0 ? 0.8 : cls <= 3 ? 0.3 : cls <= 7 ? 0.05 : 0.005;
  const weekday = (d % 7) < 5;
  if (r >= p * (weekday ? 1 : 0.1)) {
    return { passes: 0, minutes: 0 };
  }
  return { passes: 1 + (Math.floor(h / 1_000_000) % (cls === 0 ? 4 : 2)), minutes: u % 5 === 0 ? 6 * (1 + (h % 20)) : 0 };
}

/** One sync's records, in pages of 5,000, for days [from, to). */
function* pages(density: Density, users: number, from: number, to: number): Generator<UsageRecord[]> {
  let page: UsageRecord[] = [];
  for (let d = from; d < to; d++) {
    for (let u = 0; u < users; u++) {
      const a = activity(density, u, d);
      const start = START + d * DAY_MS + (u % 10) * 3_600_000;
      for (let k = 0; k < a.passes; k++) {
        page.push({ id: `lp-${d}-${u}-${k}`, user: userOf(u), start, stop: start + 3_600_000, unit: 'loginPass', amount: 1, pool: 'Occasional' });
      }
      if (a.minutes) {
        page.push({ id: `cap-${d}-${u}`, user: userOf(u), start, stop: start + a.minutes * 60_000, unit: 'capacityMinutes', amount: a.minutes, pool: null });
      }
      if (page.length >= 5000) {
        yield page;
        page = [];
      }
    }
  }
  if (page.length) {
    yield page;
  }
}

function allocationsAt(week: number, users: number): Allocation[] {
  const out: Allocation[] = [];
  for (let u = 0; u < users; u += 5) {
    // A few percent change holder each week, so the store records events too.
    if ((u / 5 + week) % 37 !== 0) {
      out.push({ id: `alloc-${u}`, kind: 'user', user: userOf(u), lastUsed: null, quarantined: (u / 5 + week) % 53 === 0, quarantineEnd: null, userDeleted: false, excess: false });
    }
  }
  return out;
}

interface Generated {
  readonly dir: string;
  readonly now: number;
  readonly activeUserDays: number;
  readonly records: number;
  readonly syncs: number;
  readonly genMs: number;
  readonly dupSync: { ms: number; records: number; duplicates: number };
}

async function generate(density: Density, users: number, days: number): Promise<Generated> {
  const dir = await mkdtemp(path.join(tmpdir(), `bench-history-${density}-`));
  let now = START;
  const store = await openHistoryStore(dir, { now: () => now });
  let activeUserDays = 0;
  let records = 0;
  let syncs = 0;
  const t0 = performance.now();
  for (let from = 0; from < days; from += 7) {
    const to = Math.min(days, from + 7);
    now = START + to * DAY_MS - DAY_MS / 2; // the sync runs at noon of the window's last day
    const r = await store.recordSync({
      at: now,
      records: pages(density, users, from, to),
      allocations: allocationsAt(syncs, users),
      listedKinds: ['user'],
      tokenCosts: { loginPassCost: LOGIN_PASS_COST },
      pool: { totalTokens: 2000, availableTokens: 200 + (syncs % 50), usedTokens: 1800 - (syncs % 50) },
    });
    records += r.added;
    syncs++;
  }
  await store.compact();
  const genMs = performance.now() - t0;
  for (let d = 0; d < days; d++) {
    for (let u = 0; u < users; u++) {
      const a = activity(density, u, d);
      activeUserDays += a.passes || a.minutes ? 1 : 0;
    }
  }
  // What each daily sync in production costs: 28 days the store already has, all duplicates.
  const t1 = performance.now();
  const dup = await store.recordSync({ at: now, records: pages(density, users, days - 28, days), allocations: allocationsAt(syncs - 1, users), listedKinds: ['user'], tokenCosts: { loginPassCost: LOGIN_PASS_COST } });
  const dupSync = { ms: performance.now() - t1, records: dup.duplicates + dup.added, duplicates: dup.duplicates };
  await store.compact();
  await store.close();
  return { dir, now, activeUserDays, records, syncs, genMs, dupSync };
}

/** The same cells as JSON lines, one file per month. */
async function writeJsonLines(g: Generated, density: Density, users: number, days: number): Promise<string> {
  const dir = path.join(g.dir, 'jsonl');
  await import('node:fs/promises').then((fs) => fs.mkdir(dir));
  let out: ReturnType<typeof createWriteStream> | null = null;
  let month = -1;
  for (let d = 0; d < days; d++) {
    const day = utcDay(START) + d;
    if (monthOfDay(day) !== month) {
      await new Promise<void>((r) => (out ? out.end(() => r()) : r()));
      month = monthOfDay(day);
      out = createWriteStream(path.join(dir, `${monthLabel(month)}.jsonl`));
    }
    let chunk = '';
    for (let u = 0; u < users; u++) {
      const a = activity(density, u, d);
      if (a.passes || a.minutes) {
        chunk += `${JSON.stringify({ day: day * DAY_MS, user: userOf(u), loginPasses: a.passes, tokens: a.passes * LOGIN_PASS_COST, capacityMinutes: a.minutes })}\n`;
      }
    }
    if (!out?.write(chunk)) {
      await new Promise<void>((r) => out?.once('drain', () => r()));
    }
  }
  await new Promise<void>((r) => (out ? out.end(() => r()) : r()));
  return dir;
}

const yearRange = (now: number) => ({ from: now - 365 * DAY_MS, to: now + DAY_MS });

/** License Steward: one query on a store instance (fresh: opened and closed around it). */
async function ours(dir: string, now: number, q: Query, user: string, warm?: Awaited<ReturnType<typeof openHistoryStore>>): Promise<{ ms: number; check: number }> {
  const t0 = performance.now();
  const store = warm ?? (await openHistoryStore(dir, { now: () => now }));
  const range = yearRange(now);
  let check = 0;
  if (q === 'user') {
    check = (await store.userSeries(user, range)).reduce((s, p) => s + p.loginPasses, 0);
  } else if (q === 'site') {
    check = (await store.siteSeries(range)).reduce((s, p) => s + p.loginPasses, 0);
  } else {
    check = (await store.topUsers(range, TOP)).reduce((s, t) => s + t.total.loginPasses, 0);
  }
  if (!warm) {
    await store.close();
  }
  return { ms: performance.now() - t0, check };
}

/** Baseline 1: read every segment file whole and decode every cell; no index used to seek. */
async function rawScan(dir: string, now: number, q: Query, user: string): Promise<{ ms: number; check: number }> {
  const t0 = performance.now();
  const first = utcDay(yearRange(now).from);
  const last = utcDay(yearRange(now).to - 1);
  const span = { first, last };
  const site = new DailyAccumulator(span);
  const perUser = new Map<string, DailyAccumulator>();
  const names = (await readdir(dir)).filter((n) => /^[md]-.*\.seg$/.test(n));
  const files = await Promise.all(names.map((n) => readFile(path.join(dir, n))));
  for (const [i, bytes] of files.entries()) {
    const h = decodeHeader(names[i] ?? '', bytes.subarray(0, HEADER_BYTES), bytes.length);
    const s = h.sections;
    const lk = decodeLookup(bytes.subarray(s.lookup.offset, s.lookup.offset + s.lookup.length), h.rowCount);
    const blocks = bytes.subarray(s.blocks.offset, s.blocks.offset + s.blocks.length);
    for (let r = 0; r < h.rowCount; r++) {
      const off = lk.blockOffset[r] ?? 0;
      const block = blocks.subarray(off, off + (lk.blockLength[r] ?? 0));
      const u = blockUser(block);
      let acc = site;
      if (q !== 'site') {
        if (q === 'user' && u.id !== user) {
          continue;
        }
        acc = perUser.get(u.id) ?? new DailyAccumulator(span);
        perUser.set(u.id, acc);
      }
      const into = acc;
      forEachCell(block, h.firstDay, (day, lp, tok, cap) => into.add(day, lp, tok, cap));
    }
  }
  let check: number;
  if (q === 'site') {
    check = site.total().loginPasses;
  } else if (q === 'user') {
    check = perUser.get(user)?.total().loginPasses ?? 0;
  } else {
    const ranked = [...perUser.values()].map((a) => a.total()).sort(compareUsageDescending).slice(0, TOP);
    check = ranked.reduce((s, t) => s + t.loginPasses, 0);
  }
  return { ms: performance.now() - t0, check };
}

/** Baseline 2: the same cells as JSON lines, read and parsed whole. */
async function jsonLines(dir: string, now: number, q: Query, user: string): Promise<{ ms: number; check: number }> {
  const t0 = performance.now();
  const range = yearRange(now);
  const span = { first: utcDay(range.from), last: utcDay(range.to - 1) };
  const site = new DailyAccumulator(span);
  const perUser = new Map<string, DailyAccumulator>();
  for (const name of (await readdir(dir)).sort()) {
    const text = await readFile(path.join(dir, name), 'utf8');
    for (const line of text.split('\n')) {
      if (!line) {
        continue;
      }
      const c = JSON.parse(line) as { day: number; user: User; loginPasses: number; tokens: number; capacityMinutes: number };
      if (q === 'user' && c.user.id !== user) {
        continue;
      }
      let acc = site;
      if (q !== 'site') {
        acc = perUser.get(c.user.id) ?? new DailyAccumulator(span);
        perUser.set(c.user.id, acc);
      }
      acc.add(utcDay(c.day), c.loginPasses, c.tokens, c.capacityMinutes);
    }
  }
  const check =
    q === 'site'
      ? site.total().loginPasses
      : q === 'user'
        ? (perUser.get(user)?.total().loginPasses ?? 0)
        : [...perUser.values()].map((a) => a.total()).sort(compareUsageDescending).slice(0, TOP).reduce((s, t) => s + t.loginPasses, 0);
  return { ms: performance.now() - t0, check };
}

/** Child mode: the first query of a brand-new process. */
async function child(dir: string, now: number, q: Query, user: string): Promise<void> {
  const m = await ours(dir, now, q, user);
  process.stdout.write(`${JSON.stringify(m)}\n`);
}

function runChild(args: string[]): Promise<{ ms: number; check: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [__filename, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as { ms: number; check: number }) : reject(new Error(`child exited ${code}`))));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const ms = (x: number) => (x < 10 ? `${x.toFixed(2)} ms` : `${x.toFixed(0)} ms`);
const ratio = (a: number, b: number) => `${(a / b).toFixed(3)}x`;
const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;

async function dirSize(dir: string, filter: (n: string) => boolean): Promise<{ bytes: number; files: number }> {
  const names = (await readdir(dir)).filter(filter);
  const sizes = await Promise.all(names.map(async (n) => (await stat(path.join(dir, n))).size));
  return { bytes: sizes.reduce((a, b) => a + b, 0), files: names.length };
}

async function scenario(density: Density, users: number, days: number, runs: number, keep: boolean): Promise<void> {
  const g = await generate(density, users, days);
  const jsonDir = await writeJsonLines(g, density, users, days);
  const seg = await dirSize(g.dir, (n) => n.endsWith('.seg'));
  const json = await dirSize(jsonDir, () => true);
  const density100 = (100 * g.activeUserDays) / (users * days);
  console.log(`\n== ${density}: ${users} users × ${days} days, ${density100.toFixed(1)}% of user-days active (${g.activeUserDays.toLocaleString('en')} cells), ${g.records.toLocaleString('en')} records`);
  console.log(`   written by ${g.syncs} weekly syncs + compaction in ${(g.genMs / 1000).toFixed(1)} s; store ${mb(seg.bytes)} in ${seg.files} files (JSON lines: ${mb(json.bytes)})`);
  console.log(`   a daily sync re-sending 28 stored days (${g.dupSync.records.toLocaleString('en')} records, ${g.dupSync.duplicates.toLocaleString('en')} duplicates): ${ms(g.dupSync.ms)}`);

  const heavyUsers = Array.from({ length: runs + 1 }, (_, i) => userOf(i * 10).id); // class 0: active all year
  const warm = await openHistoryStore(g.dir, { now: () => g.now });
  const rows: string[][] = [];
  for (const q of ['user', 'site', 'top'] as const) {
    const fresh: number[] = [], hot: number[] = [], raw: number[] = [], jl: number[] = [], proc: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const user = heavyUsers[i] ?? '';
      // Alternate the variants so drift on a noisy machine hits all alike; round 0 warms up.
      const a = await ours(g.dir, g.now, q, user);
      const b = await ours(g.dir, g.now, q, user, warm);
      const c = await rawScan(g.dir, g.now, q, user);
      const d = i < 3 ? await jsonLines(jsonDir, g.now, q, user) : null;
      const e = i < 4 ? await runChild(['--child', q, '--dir', g.dir, '--now', String(g.now), '--user', user]) : null;
      if (a.check !== c.check || b.check !== c.check || (d && d.check !== c.check) || (e && e.check !== c.check)) {
        throw new Error(`${q}: the variants disagree (${a.check}, ${b.check}, ${c.check}, ${d?.check}, ${e?.check})`);
      }
      if (i > 0) {
        fresh.push(a.ms);
        hot.push(b.ms);
        raw.push(c.ms);
        if (d) {
          jl.push(d.ms);
        }
        if (e) {
          proc.push(e.ms);
        }
      }
    }
    const [f, h, r, j, p] = [median(fresh), median(hot), median(raw), median(jl), median(proc)];
    const label = q === 'user' ? 'one user’s series' : q === 'site' ? 'site totals' : `top ${TOP} users’ series`;
    rows.push([label, ms(f), ms(h), ms(p), ms(r), ratio(f, r), ms(j), ratio(f, j), TARGETS[q]]);
  }
  await warm.close();
  const head = ['query (a year)', 'fresh', 'warm', 'new process', 'raw scan', 'fresh/raw', 'JSON lines', 'fresh/JSON', 'target'];
  const widths = head.map((hd, i) => Math.max(hd.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) => `   ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')}`;
  console.log(fmt(head));
  rows.forEach((r) => console.log(fmt(r)));
  console.log(`   medians of ${runs} runs (JSON lines: 2, new process: 3) after one warm-up; "fresh" opens the store for each query`);
  if (!keep) {
    await rm(g.dir, { recursive: true, force: true });
  } else {
    console.log(`   kept ${g.dir}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      dir: { type: 'string' },
      now: { type: 'string' },
      user: { type: 'string' },
      users: { type: 'string', default: '10000' },
      days: { type: 'string', default: '365' },
      runs: { type: 'string', default: '7' },
      density: { type: 'string', default: 'both' },
      keep: { type: 'boolean', default: false },
    },
  });
  if (values.child && values.dir && values.now) {
    return child(values.dir, Number(values.now), values.child as Query, values.user ?? '');
  }
  const densities: Density[] = values.density === 'both' ? ['realistic', 'full'] : [values.density as Density];
  for (const d of densities) {
    await scenario(d, Number(values.users), Number(values.days), Number(values.runs), values.keep);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
