/**
 * CSV of the series a usage-history panel shows: one row per day, a column per series, the same
 * numbers the chart draws (both come from `shownTable`).
 */
import { CSV_EOL as EOL, csvCell } from '../core/csv';
import type { HistoryRange, SiteHistory, UserHistory } from '../protocol/historyMessages';
import { shownTable, type ShownSeries } from '../protocol/historySeries';

/**
 * A column's name. Every user column names its `DIR\id`, which a spreadsheet can join on; a label
 * the host already disambiguated ends with it, and keeps the legend's wording.
 */
function header(s: ShownSeries): string {
  return csvCell(s.key === undefined || s.label.endsWith(`(${s.key})`) ? s.label : `${s.label} (${s.key})`);
}

/** `2024-03-01` for a UTC midnight. */
function isoDay(day: number): string {
  return new Date(day).toISOString().slice(0, 10);
}

/** The CSV text: header row, then one row per day; an unknown value is an empty cell. */
export function historyCsv(h: UserHistory | SiteHistory): string {
  const table = shownTable(h);
  const rows = [['day', ...table.series.map(header)].join(',')];
  table.days.forEach((day, i) => {
    rows.push([isoDay(day), ...table.series.map((s) => (s.values[i] === null || s.values[i] === undefined ? '' : String(s.values[i])))].join(','));
  });
  return rows.join(EOL) + EOL;
}

const RANGE_WORDS: Readonly<Record<HistoryRange, string>> = { '28d': '28-days', '90d': '90-days', '1y': '1-year', all: 'all' };

/** A file name that says what the file holds, safe on every file system. */
export function historyCsvFileName(h: UserHistory | SiteHistory, today: number): string {
  const who = h.target === 'user' ? h.user.key : 'site';
  const raw = `usage ${h.connection} ${who} ${RANGE_WORDS[h.range]} ${isoDay(today)}`;
  return `${raw.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '')}.csv`;
}
