/**
 * bench/scale's ranking: a synthetic site of 80,000 ranked users (names that repeat, token use
 * that ties by the thousand, a tenth holding passes), ranked by `rankUsers` against the bare sort
 * of the same users by tokens and name with one `Intl.Collator`, measured in the same process.
 */
import { DAY_MS, type Allocation, type LicenseOverview, type User } from '../src/core/model';
import { rankUsers } from '../src/core/ranking';
import type { SyncResult } from '../src/core/sync';
import { UsageTally } from '../src/core/usageTally';
import type { VerdictRules } from '../src/core/verdict';
import { cpuMs, median } from './scaleStats';

const FIRST = ['Anna', 'Ben', 'Carla', 'David', 'Elena', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Karin', 'Lars', 'Maria', 'Nils', 'Olga', 'Pedro', 'Émile', 'Zoë'];
const LAST = ['Andersson', 'Bauer', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Hansen', 'Ivanova', 'Jensen', 'Kowalski', 'Larsen', "O'Neil", 'van der Berg'];

const NOW = Date.UTC(2026, 10, 30, 12);
const RULES: VerdictRules = { windowDays: 28, inactiveDays: 30, capacityBreakEvenMinutes: null };
const OVERVIEW: LicenseOverview = {
  tokens: { total: 20_000, available: 500, userPassCost: 1, loginPassCost: 0.1, userAccess: { allocated: 8000, used: 7000, quarantined: 100 }, loginAccess: { allocated: 5000, used: 4000, unavailable: 0 } },
  professional: null,
  analyzer: null,
  capacity: null,
  offeredKinds: ['user'],
};

/** A deterministic stream of numbers in [0, 1) (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A synced site of `users` users, ranked as a sync ranks it. */
export function syntheticSite(users: number): SyncResult {
  const random = prng(7);
  const tally = new UsageTally({ from: NOW - RULES.windowDays * DAY_MS, to: NOW });
  const allocations: Allocation[] = [];
  let seq = 0;
  // The users as a sync holds them: parsed from the server's JSON. Built by template literals,
  // their strings would be ropes, which V8 flattens when a Map first hashes them and reads
  // through an indirection after: costs no sync's users carry.
  const people = JSON.parse(
    JSON.stringify(
      Array.from({ length: users }, (_v, i): User => ({
        id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        directory: 'CORP',
        userId: `user${i}`,
        // Every fourth name a numbered filler account, the rest people whose names repeat.
        name: i % 4 === 0 ? `Filler ${i}` : `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`,
      })),
    ),
  ) as User[];
  for (let i = 0; i < users; i++) {
    const user = people[i] as User;
    // Heavy-tailed appetite: most users a pass or two, a few dozens.
    const passes = Math.floor(1 + 30 * random() ** 4);
    tally.add(Array.from({ length: passes }, () => ({ id: `r${seq++}`, user, start: NOW - Math.floor(random() * RULES.windowDays * DAY_MS), stop: null, unit: 'loginPass' as const, amount: 1, pool: 'Occasional users' })));
    if (i % 10 === 0) {
      const lastUsed = NOW - Math.floor(random() * 60 * DAY_MS);
      allocations.push({ id: `a${i}`, kind: 'user', user, lastUsed, allocatedAt: lastUsed - 90 * DAY_MS, quarantined: i % 70 === 0, quarantineEnd: i % 70 === 0 ? NOW + 3 * DAY_MS : null, userDeleted: false, excess: false });
    }
  }
  const ranked = rankUsers({ overview: OVERVIEW, tally, allocations, rules: RULES, now: NOW });
  return { overview: OVERVIEW, allocations, tally, ranked, at: NOW, dropped: [] };
}

/** Child mode: rankUsers of the synthetic site, and the bare collator sort, CPU ms (medians of `runs` calls each). */
export function rankingChild(users: number, runs: number): void {
  const site = syntheticSite(users);
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  const bare = site.ranked.map((r) => ({ tokens: r.tokens, name: r.user.name, id: r.user.id }));
  const ours: number[] = [];
  const raw: number[] = [];
  // A full collection before each measured call (the child runs with --expose-gc): the garbage
  // of building the site and of the calls before is not this call's cost, and a collection of it
  // landing in one call or another made the median swing by a third between identical runs.
  const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  for (let i = 0; i <= runs; i++) {
    collect();
    let t = cpuMs();
    rankUsers({ overview: site.overview, tally: site.tally, allocations: site.allocations, rules: RULES, now: NOW });
    const a = cpuMs() - t;
    collect();
    t = cpuMs();
    [...bare].sort((x, y) => y.tokens - x.tokens || collator.compare(x.name, y.name) || (x.id < y.id ? -1 : 1));
    const b = cpuMs() - t;
    // The first round compiles and warms up.
    if (i > 0) {
      ours.push(a);
      raw.push(b);
    }
  }
  process.stdout.write(`${JSON.stringify({ users: site.ranked.length, ours: median(ours), raw: median(raw) })}\n`);
}
