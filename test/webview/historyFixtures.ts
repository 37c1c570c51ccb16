/**
 * Generated usage histories for the panel's tests and the rendering benchmark: deterministic
 * (seeded), shaped like a real site (weekday peaks, a few heavy users, sparse pool readings).
 */
import type { ChartEvent, DailyValues, HistoryMeasure, HistoryRange, SiteHistory, UserHistory } from '../../src/protocol/historyMessages';
import type { HistoryDataProvider } from '../../src/panels/historyDataProvider';

const DAY_MS = 86_400_000;
/** 2024-06-30, a fixed "today" so screenshots and numbers do not move between runs. */
export const FIXTURE_TODAY = Date.UTC(2024, 5, 30);

const RANGE_DAYS: Readonly<Record<HistoryRange, number>> = { '28d': 28, '90d': 90, '1y': 365, all: 730 };

/** A small seeded PRNG (mulberry32): the same seed gives the same history. */
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

/** The UTC midnights of the last `n` days up to {@link FIXTURE_TODAY}, oldest first. */
export function fixtureDays(n: number, offset = 0): number[] {
  return Array.from({ length: n }, (_, i) => FIXTURE_TODAY - (n - 1 - i + offset) * DAY_MS);
}

/**
 * Days of use. License Statistics hours are the minutes' draw as hours, so every measure takes
 * the same random numbers and the other measures' histories stay as they were.
 */
function dailyOf(days: readonly number[], intensity: number, rnd: () => number, measure: HistoryMeasure = 'tokens'): DailyValues[] {
  return days.map((day) => {
    const weekday = new Date(day).getUTCDay() % 6 !== 0;
    const passes = weekday && rnd() < intensity ? 1 + Math.floor(rnd() * 3 * intensity) : 0;
    const minutes = passes * Math.round(20 + rnd() * 40);
    return measure === 'hours'
      ? { day, loginPasses: 0, tokens: 0, capacityMinutes: 0, hours: Math.round((minutes / 60) * 100) / 100 }
      : { day, loginPasses: passes, tokens: Math.round(passes * 10) / 100, capacityMinutes: minutes, hours: 0 };
  });
}

function eventsOver(days: readonly number[], users: readonly string[], rnd: () => number, n: number): ChartEvent[] {
  const kinds: ChartEvent['kind'][] = ['assigned', 'revoked', 'quarantined', 'reinstated', 'deleted'];
  return Array.from({ length: n }, (_, i) => ({
    day: days[Math.floor(((i + 0.5) / n) * days.length)] ?? FIXTURE_TODAY,
    kind: kinds[i % kinds.length] ?? 'assigned',
    user: users[Math.floor(rnd() * users.length)] ?? 'CORP\\jdoe',
    source: i % 2 === 0 ? 'manual' : 'seen by sync',
  }));
}

/** One user's history over a range (a heavy user: the rolling total crosses the break-even). */
export function fixtureUserHistory(range: HistoryRange = '1y', measure: HistoryMeasure = 'tokens'): UserHistory {
  const rnd = prng(7);
  const days = fixtureDays(RANGE_DAYS[range]);
  const leadIn = dailyOf(fixtureDays(27, RANGE_DAYS[range]), 0.5, rnd, measure);
  return {
    target: 'user',
    connection: 'Demo site',
    user: { key: 'CORP\\jdoe', name: 'Jane Doe' },
    range,
    days: dailyOf(days, 0.55, rnd, measure),
    leadIn,
    measure,
    breakEvenPasses: 10,
    events: eventsOver(days, ['CORP\\jdoe'], rnd, range === '28d' ? 2 : 5),
  };
}

/** A site's history: `topN` users stacked, the totals a bit above their sum, pool readings. */
export function fixtureSiteHistory(range: HistoryRange = '1y', topN = 10, measure: HistoryMeasure = 'tokens'): SiteHistory {
  const rnd = prng(11);
  const days = fixtureDays(RANGE_DAYS[range]);
  const top = Array.from({ length: topN }, (_, i) => {
    const daily = dailyOf(days, Math.max(0.1, 0.9 - i * 0.015), rnd, measure);
    return { key: `CORP\\user${String(i + 1).padStart(2, '0')}`, name: `User ${i + 1}`, values: daily.map((d) => (measure === 'hours' ? d.hours : measure === 'capacity' ? d.capacityMinutes : d.tokens)) };
  });
  const totals = days.map((day, i): DailyValues => {
    const fromTop = top.reduce((a, t) => a + (t.values[i] ?? 0), 0);
    const others = Math.round(rnd() * 30) / 100;
    const total = Math.round((fromTop + others) * 100) / 100;
    if (measure === 'hours') {
      return { day, loginPasses: 0, tokens: 0, capacityMinutes: 0, hours: total };
    }
    return { day, loginPasses: Math.round(total * 10), tokens: total, capacityMinutes: measure === 'capacity' ? fromTop + Math.round(others * 100) : 0, hours: 0 };
  });
  const pool = measure !== 'tokens' ? [] : days.filter((_, i) => i % 3 === 0).map((day, i) => ({ day, used: 60 + (i % 20), available: 140 - (i % 20) }));
  return { target: 'site', connection: 'Demo site', range, measure, totals, top, topDays: days, pool, events: eventsOver(days, top.map((t) => t.key), rnd, 6) };
}

/** A provider answering from the generators, counting calls; `fail` makes it reject. */
export class FixtureHistoryProvider implements HistoryDataProvider {
  calls: string[] = [];
  fail: string | undefined;
  delayMs = 0;

  async userHistory(connectionId: string, userKey: string, range: HistoryRange): Promise<UserHistory> {
    this.calls.push(`user ${connectionId} ${userKey} ${range}`);
    await this.wait();
    return { ...fixtureUserHistory(range), user: { key: userKey, name: 'Jane Doe' } };
  }

  async siteHistory(connectionId: string, range: HistoryRange): Promise<SiteHistory> {
    this.calls.push(`site ${connectionId} ${range}`);
    await this.wait();
    return fixtureSiteHistory(range);
  }

  connectionName(connectionId: string): string | undefined {
    return connectionId === 'c1' ? 'Demo site' : undefined;
  }

  private async wait(): Promise<void> {
    if (this.delayMs > 0) {
      await new Promise((r) => setTimeout(r, this.delayMs));
    }
    if (this.fail !== undefined) {
      throw new Error(this.fail);
    }
  }
}
