/**
 * bench/scale's history: a year of daily usage for a whole site written through the real store
 * (weekly syncs, then compaction), then the site's history of every user at once
 * (`topUsers(year, all users)`, each with a daily series), against a raw scan measured in the
 * same run: every segment file read whole, every cell decoded into per-user series.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { compareUsageDescending, DailyAccumulator, utcDay } from '../src/core/history';
import { DAY_MS, type UsageRecord, type User } from '../src/core/model';
import { hash53 } from '../src/core/hash53';
import { openHistoryStore } from '../src/store/historyStore';
import { blockUser, decodeHeader, decodeLookup, forEachCell, HEADER_BYTES } from '../src/store/segmentFormat';
import { cpuMs, median } from './scaleStats';

/** 2025-01-06 (a Monday) is day 0. */
const START = Date.UTC(2025, 0, 6);
const DAYS = 365;

const userOf = (u: number): User => ({ id: `00000000-0000-4000-8000-${String(u).padStart(12, '0')}`, directory: 'CORP', userId: `user${u}`, name: `User ${u}` });

/** Login passes of user u on day d: heavy, regular, occasional and dormant users; quiet weekends. */
function passesOn(u: number, d: number): number {
  const h = hash53(`${u}:${d}`);
  const cls = u % 10;
  const p = cls === 0 ? 0.8 : cls <= 3 ? 0.3 : cls <= 7 ? 0.05 : 0.005;
  const weekday = d % 7 < 5;
  return (h % 1_000_000) / 1_000_000 < p * (weekday ? 1 : 0.1) ? 1 + (Math.floor(h / 1_000_000) % (cls === 0 ? 4 : 2)) : 0;
}

function* pages(users: readonly User[], from: number, to: number): Generator<UsageRecord[]> {
  let page: UsageRecord[] = [];
  for (let d = from; d < to; d++) {
    users.forEach((user, u) => {
      const n = passesOn(u, d);
      const start = START + d * DAY_MS + (u % 10) * 3_600_000;
      for (let k = 0; k < n; k++) {
        page.push({ id: `lp-${d}-${u}-${k}`, user, start, stop: start + 3_600_000, unit: 'loginPass', amount: 1, pool: 'Occasional' });
      }
    });
    if (page.length >= 20_000) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) {
    yield page;
  }
}

/** Writes the year; returns the store's folder and the time of its last sync. */
async function generate(userCount: number): Promise<{ dir: string; now: number; genMs: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-scale-history-'));
  const users = Array.from({ length: userCount }, (_, u) => userOf(u));
  let now = START;
  const store = await openHistoryStore(dir, { now: () => now });
  const t0 = performance.now();
  for (let from = 0; from < DAYS; from += 7) {
    const to = Math.min(DAYS, from + 7);
    now = START + to * DAY_MS - DAY_MS / 2;
    await store.recordSync({ at: now, records: pages(users, from, to), allocations: null, listedKinds: [], tokenCosts: { loginPassCost: 0.1 } });
  }
  await store.compact();
  await store.close();
  return { dir, now, genMs: performance.now() - t0 };
}

const yearOf = (now: number) => ({ from: now - DAYS * DAY_MS, to: now + DAY_MS });

/** The store's answer: every user's total and daily series, most first. */
async function ours(dir: string, now: number, users: number): Promise<{ cpu: number; check: number }> {
  const t = cpuMs();
  const store = await openHistoryStore(dir, { now: () => now });
  const all = await store.topUsers(yearOf(now), users);
  await store.close();
  return { cpu: cpuMs() - t, check: all.reduce((sum, x) => sum + x.total.loginPasses, 0) };
}

/** The raw scan: every file read whole, every cell decoded, every user's series built. */
async function raw(dir: string, now: number): Promise<{ cpu: number; check: number }> {
  const t = cpuMs();
  const range = yearOf(now);
  const span = { first: utcDay(range.from), last: utcDay(range.to - 1) };
  const perUser = new Map<string, DailyAccumulator>();
  const names = (await readdir(dir)).filter((n) => /^[md]-.*\.seg$/.test(n));
  for (const name of names) {
    const bytes = await readFile(path.join(dir, name));
    const h = decodeHeader(name, bytes.subarray(0, HEADER_BYTES), bytes.length);
    const s = h.sections;
    const lk = decodeLookup(bytes.subarray(s.lookup.offset, s.lookup.offset + s.lookup.length), h.rowCount);
    const blocks = bytes.subarray(s.blocks.offset, s.blocks.offset + s.blocks.length);
    for (let r = 0; r < h.rowCount; r++) {
      const off = lk.blockOffset[r] ?? 0;
      const block = blocks.subarray(off, off + (lk.blockLength[r] ?? 0));
      const id = blockUser(block).id;
      let acc = perUser.get(id);
      if (!acc) {
        acc = new DailyAccumulator(span);
        perUser.set(id, acc);
      }
      const into = acc;
      forEachCell(block, h.firstDay, (day, lp, tok, cap) => into.add(day, lp, tok, cap));
    }
  }
  const ranked = [...perUser.values()].map((a) => ({ total: a.total(), series: a.points() })).sort((a, b) => compareUsageDescending(a.total, b.total));
  return { cpu: cpuMs() - t, check: ranked.reduce((sum, x) => sum + x.total.loginPasses, 0) };
}

/** Child mode: writes the store, asks both ways `runs` times, prints medians. */
export async function historyChild(users: number, runs: number): Promise<void> {
  const g = await generate(users);
  try {
    const o: number[] = [];
    const r: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const a = await ours(g.dir, g.now, users);
      const b = await raw(g.dir, g.now);
      if (a.check !== b.check) {
        throw new Error(`the store and the raw scan disagree: ${a.check} and ${b.check} login passes`);
      }
      if (i > 0) {
        o.push(a.cpu);
        r.push(b.cpu);
      }
    }
    process.stdout.write(`${JSON.stringify({ users, genMs: g.genMs, ours: median(o), raw: median(r) })}\n`);
  } finally {
    await rm(g.dir, { recursive: true, force: true });
  }
}
