/**
 * One paragraph saying what the chart shows, read out by screen readers (aria-live) and used as
 * the canvas's accessible name: the verdict an admin would otherwise read off the lines.
 */
import type { HistoryMeasure, HistoryRange, SiteHistory, UserHistory } from '../../../src/protocol/historyMessages';
import { DAILY_ROLE, firstFullWindowDay, ROLLING_DAYS, shownTable, type ShownSeries } from '../../../src/protocol/historySeries';
import { formatDay, formatNumber } from './format';

const RANGE_TEXT: Readonly<Record<HistoryRange, string>> = {
  '28d': 'the last 28 days',
  '90d': 'the last 90 days',
  '1y': 'the last year',
  all: 'all recorded history',
};

function sum(values: readonly (number | null)[]): number {
  return values.reduce<number>((a, v) => a + (v ?? 0), 0);
}

/** The largest value and its day, or undefined when nothing was used. */
function peak(days: readonly number[], s: ShownSeries | undefined): { day: number; value: number } | undefined {
  let best: { day: number; value: number } | undefined;
  s?.values.forEach((v, i) => {
    if (v !== null && v > 0 && (!best || v > best.value)) {
      best = { day: days[i] ?? 0, value: v };
    }
  });
  return best;
}

/** `n` and the noun that agrees with it as written (sums of hours are not exact: 0.9999 reads `1`). */
function counted(n: number, one: string, many: string): string {
  return `${formatNumber(n)} ${Math.round(n * 100) === 100 ? one : many}`;
}

/** `n` of a measure's daily unit: `1 login pass`, `2.5 hours`. */
function amount(measure: HistoryMeasure, n: number): string {
  const [one, many] = measure === 'tokens' ? ['login pass', 'login passes'] : measure === 'capacity' ? ['minute', 'minutes'] : ['hour', 'hours'];
  return counted(n, one, many);
}

function changes(n: number): string {
  return n === 0 ? '' : ` ${n} allocation change${n === 1 ? '' : 's'} marked.`;
}

/**
 * Where the history begins, when the chart shows it: days before it are blank, not idle; and for
 * a user, until when the rolling total counts fewer than 28 days (the chart draws that part faint).
 */
function historyNote(h: UserHistory | SiteHistory, days: readonly number[]): string {
  const first = days[0];
  const last = days.at(-1);
  if (h.historyStart === undefined || first === undefined || last === undefined) {
    return '';
  }
  const starts = h.historyStart > first ? ` History starts on ${formatDay(h.historyStart)}; days before it are not recorded.` : '';
  if (h.target === 'site') {
    return starts;
  }
  const full = firstFullWindowDay(h.historyStart);
  if (full <= first) {
    return starts;
  }
  const partial =
    full > last
      ? ` The ${ROLLING_DAYS}-day total counts fewer than ${ROLLING_DAYS} recorded days on every day shown (drawn faint).`
      : ` The ${ROLLING_DAYS}-day total counts fewer than ${ROLLING_DAYS} recorded days before ${formatDay(full)} (drawn faint).`;
  return starts + partial;
}

function userSummary(h: UserHistory): string {
  const t = shownTable(h);
  const find = (role: ShownSeries['role']) => t.series.find((s) => s.role === role);
  const who = `${h.user.name} (${h.user.key}) on ${h.connection}, ${RANGE_TEXT[h.range]}`;
  const daily = find(DAILY_ROLE[h.measure]);
  const top = peak(t.days, daily);
  const note = historyNote(h, t.days);
  if (!top) {
    return `${who}: no use recorded.${note}${changes(h.events.length)}`;
  }
  const busiest = ` Busiest day ${formatDay(top.day)} with ${amount(h.measure, top.value)}.`;
  const latest = find('rolling')?.values.at(-1) ?? 0;
  if (h.measure === 'capacity') {
    return `${who}: ${formatNumber(sum(daily?.values ?? []))} capacity minutes; ${formatNumber(latest)} in the ${ROLLING_DAYS} days up to the last day shown.${busiest}${note}${changes(h.events.length)}`;
  }
  if (h.measure === 'hours') {
    return `${who}: ${amount('hours', sum(daily?.values ?? []))} of license use; ${formatNumber(latest)} in the ${ROLLING_DAYS} days up to the last day shown.${busiest}${note}${changes(h.events.length)}`;
  }
  const verdict =
    latest >= h.breakEvenPasses
      ? `at or above the break-even of ${formatNumber(h.breakEvenPasses)}: a user access pass would cost less`
      : `below the break-even of ${formatNumber(h.breakEvenPasses)}: login passes cost less than a user pass`;
  return `${who}: ${formatNumber(sum(daily?.values ?? []))} login passes (${formatNumber(sum(find('tokens')?.values ?? []))} token-equivalents). ${formatNumber(latest)} login passes in the ${ROLLING_DAYS} days up to the last day shown, ${verdict}.${busiest}${note}${changes(h.events.length)}`;
}

/** What the site's totals count, one and many. */
const SITE_UNIT: Readonly<Record<HistoryMeasure, readonly [string, string]>> = {
  tokens: ['token-equivalent', 'token-equivalents'],
  capacity: ['capacity minute', 'capacity minutes'],
  hours: ['hour', 'hours'],
};

function siteSummary(h: SiteHistory): string {
  const t = shownTable(h);
  const total = sum(t.series.find((s) => s.role === 'total')?.values ?? []);
  const head = `${h.connection} (site totals), ${RANGE_TEXT[h.range]}: ${counted(total, ...SITE_UNIT[h.measure])} used`;
  const first = t.series.find((s) => s.role === 'top');
  const leader = first && total > 0 ? `; the largest user, ${first.label}, used ${formatNumber(sum(first.values))} (${Math.round((sum(first.values) / total) * 100)}%)` : '';
  const pool = h.pool.at(-1);
  const poolText = pool ? ` Pool on ${formatDay(pool.day)}: ${formatNumber(pool.used)} tokens used, ${formatNumber(pool.available)} available.` : '';
  return `${head}${leader}. ${h.top.length === 1 ? '1 top user' : `${h.top.length} top users`} stacked.${poolText}${historyNote(h, t.days)}${changes(h.events.length)}`;
}

/** The summary of a history. */
export function summarize(h: UserHistory | SiteHistory): string {
  return h.target === 'user' ? userSummary(h) : siteSummary(h);
}
