/**
 * Weekly buckets for long site charts. A year of daily stacked use is a comb (weekends are
 * empty) that hides who uses what; weekly sums keep the totals exact and show the trend. The
 * CSV keeps the daily rows.
 */
import type { ShownSeries, ShownTable } from '../../../src/protocol/historySeries';

const DAY_MS = 86_400_000;

/** Up to this many days the chart stays daily (28 and 90 days read fine per day). */
export const DAILY_UP_TO = 120;

/** The series of a table grouped per bucket, `x` being each bucket's first day (epoch ms). */
export interface Buckets {
  readonly unit: 'day' | 'week';
  readonly x: readonly number[];
  readonly series: readonly ShownSeries[];
}

/** Monday (UTC) of the week a day falls in; 1970-01-01 was a Thursday. */
function weekStart(day: number): number {
  const n = Math.floor(day / DAY_MS);
  return (n - ((n + 3) % 7)) * DAY_MS;
}

/** Levels (the pool) keep the week's last reading; flows (use) add up. */
function combine(s: ShownSeries, values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) {
    return null;
  }
  return s.role === 'poolUsed' || s.role === 'poolAvailable' ? (known.at(-1) ?? null) : Math.round(known.reduce((a, v) => a + v, 0) * 1e6) / 1e6;
}

/** Daily for short tables, weekly (Monday to Sunday, partial at both ends) for long ones. */
export function bucketize(table: ShownTable): Buckets {
  if (table.days.length <= DAILY_UP_TO) {
    return { unit: 'day', x: table.days, series: table.series };
  }
  const groups: { start: number; idx: number[] }[] = [];
  table.days.forEach((day, i) => {
    const start = weekStart(day);
    const last = groups.at(-1);
    if (last && last.start === start) {
      last.idx.push(i);
    } else {
      groups.push({ start, idx: [i] });
    }
  });
  return {
    unit: 'week',
    x: groups.map((g) => g.start),
    series: table.series.map((s) => ({ ...s, values: groups.map((g) => combine(s, g.idx.map((i) => s.values[i] ?? null))) })),
  };
}
