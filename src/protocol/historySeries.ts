/**
 * The series the usage-history panel shows, derived once from a history message. Shared by the
 * webview (which draws them) and the host (which exports them as CSV), so the file an admin
 * saves holds exactly the numbers on screen. No vscode and no DOM imports.
 */
import type { DailyValues, HistoryMeasure, SiteHistory, UserHistory } from './historyMessages';

/** What a series means; the webview picks its style (bars, line, stack, axis) by role. */
export type SeriesRole =
  | 'passes'
  | 'rolling'
  | 'breakEven'
  | 'tokens'
  | 'minutes'
  | 'hours'
  | 'total'
  | 'top'
  | 'others'
  | 'poolUsed'
  | 'poolAvailable';

/** One series as shown: a value per day of the table, null where nothing is known. */
export interface ShownSeries {
  readonly role: SeriesRole;
  readonly label: string;
  /** The user key of a `top` series (names are not unique). */
  readonly key?: string;
  readonly values: readonly (number | null)[];
}

/** Days (UTC midnight, epoch ms) and the series over them, in drawing order. */
export interface ShownTable {
  readonly days: readonly number[];
  readonly series: readonly ShownSeries[];
}

/** The login-pass recycle period, and so the window of the rolling total. */
export const ROLLING_DAYS = 28;

const DAY_MS = 86_400_000;

/** Derived values are sums of decimals: round so 0.30000000000000004 never reaches a CSV. */
function tidy(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/**
 * The total of the last `ROLLING_DAYS` days at each day of `days`, counting `leadIn` days too.
 * Windows are by date, not by index, so a gap in the series cannot stretch a window.
 */
export function rollingTotals(leadIn: readonly DailyValues[], days: readonly DailyValues[], value: (d: DailyValues) => number): number[] {
  const all = [...leadIn, ...days];
  const out: number[] = [];
  let sum = 0;
  let tail = 0;
  for (let i = 0; i < all.length; i++) {
    const d = all[i] as DailyValues;
    sum += value(d);
    while ((all[tail] as DailyValues).day <= d.day - ROLLING_DAYS * DAY_MS) {
      sum -= value(all[tail] as DailyValues);
      tail++;
    }
    if (i >= leadIn.length) {
      out.push(tidy(sum));
    }
  }
  return out;
}

/**
 * The first day whose rolling total covers a whole window of recorded days: the 28th day of the
 * history. Before it the total counts fewer days, so it climbs however steady the use was.
 */
export function firstFullWindowDay(historyStart: number): number {
  return historyStart + (ROLLING_DAYS - 1) * DAY_MS;
}

/**
 * `values` with the days before the history began as unknown (null): the store has zeros there,
 * but nobody recorded them, and a chart or CSV showing 0 would say the users were idle.
 */
function recordedOnly(h: UserHistory | SiteHistory, days: readonly number[], values: readonly number[]): (number | null)[] {
  const start = h.historyStart;
  return values.map((v, i) => (start !== undefined && (days[i] ?? 0) < start ? null : v));
}

/** The role of a user's daily series in each measure: the bars, and what a summary counts. */
export const DAILY_ROLE: Readonly<Record<HistoryMeasure, SeriesRole>> = { tokens: 'passes', capacity: 'minutes', hours: 'hours' };

/**
 * One user's series. Token sites: daily login passes, their rolling 28-day total against the
 * break-even (a user pass is cheaper once a user burns that many passes in 28 days), and the
 * daily token-equivalents. Capacity tenants: daily minutes and their rolling 28-day total;
 * License Statistics: daily hours of license use and theirs. Neither has a break-even to draw.
 */
export function userTable(h: UserHistory): ShownTable {
  const days = h.days.map((d) => d.day);
  const recorded = (values: readonly number[]) => recordedOnly(h, days, values);
  if (h.measure === 'capacity') {
    return {
      days,
      series: [
        { role: 'minutes', label: 'Capacity minutes per day', values: recorded(h.days.map((d) => d.capacityMinutes)) },
        { role: 'rolling', label: `Capacity minutes in the last ${ROLLING_DAYS} days`, values: recorded(rollingTotals(h.leadIn, h.days, (d) => d.capacityMinutes)) },
      ],
    };
  }
  if (h.measure === 'hours') {
    return {
      days,
      series: [
        { role: 'hours', label: 'Hours of license use per day', values: recorded(h.days.map((d) => d.hours)) },
        { role: 'rolling', label: `Hours in the last ${ROLLING_DAYS} days`, values: recorded(rollingTotals(h.leadIn, h.days, (d) => d.hours)) },
      ],
    };
  }
  return {
    days,
    series: [
      { role: 'passes', label: 'Login passes per day', values: recorded(h.days.map((d) => d.loginPasses)) },
      { role: 'rolling', label: `Login passes in the last ${ROLLING_DAYS} days`, values: recorded(rollingTotals(h.leadIn, h.days, (d) => d.loginPasses)) },
      { role: 'breakEven', label: `Break-even: ${h.breakEvenPasses} passes in ${ROLLING_DAYS} days`, values: days.map(() => h.breakEvenPasses) },
      { role: 'tokens', label: 'Token-equivalents per day', values: recorded(h.days.map((d) => d.tokens)) },
    ],
  };
}

/** What the site chart stacks in each measure: a day's value, and the total series' label. */
const SITE_MEASURE: Readonly<Record<HistoryMeasure, { readonly value: (d: DailyValues) => number; readonly label: string }>> = {
  tokens: { value: (d) => d.tokens, label: 'Site token-equivalents per day' },
  capacity: { value: (d) => d.capacityMinutes, label: 'Site capacity minutes per day' },
  hours: { value: (d) => d.hours, label: 'Site hours of license use per day' },
};

/**
 * The site's series: the daily total, each top user (largest first), everyone else, and the
 * pool's used and available tokens on the days a sync saw them.
 */
export function siteTable(h: SiteHistory): ShownTable {
  const days = h.totals.map((d) => d.day);
  const measure = SITE_MEASURE[h.measure];
  const totals = recordedOnly(h, days, h.totals.map(measure.value));
  const topIndex = new Map(h.topDays.map((day, i) => [day, i]));
  const top = h.top.map((t): ShownSeries => ({
    role: 'top',
    label: t.name,
    key: t.key,
    values: days.map((day, d) => {
      const i = topIndex.get(day);
      return i === undefined || totals[d] === null ? null : (t.values[i] ?? null);
    }),
  }));
  const others = totals.map((total, i) => (total === null ? null : Math.max(0, tidy(top.reduce((rest, t) => rest - (t.values[i] ?? 0), total)))));
  const series: ShownSeries[] = [
    { role: 'total', label: measure.label, values: totals },
    ...top,
  ];
  if (others.some((v) => v !== null && v > 0)) {
    series.push({ role: 'others', label: 'Other users', values: others });
  }
  if (h.pool.length > 0) {
    const pool = new Map(h.pool.map((p) => [p.day, p]));
    series.push(
      { role: 'poolUsed', label: 'Pool tokens used', values: days.map((day) => pool.get(day)?.used ?? null) },
      { role: 'poolAvailable', label: 'Pool tokens available', values: days.map((day) => pool.get(day)?.available ?? null) },
    );
  }
  return { days, series };
}

/** The table for either kind of history. */
export function shownTable(h: UserHistory | SiteHistory): ShownTable {
  return h.target === 'user' ? userTable(h) : siteTable(h);
}
