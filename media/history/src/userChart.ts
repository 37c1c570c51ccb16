/**
 * One user's chart. Reading guide for an admin:
 * - bars: login passes used each day;
 * - solid line: login passes used in the 28 days up to that day. A login pass returns to the
 *   pool 28 days after use, so this rolling total is what the user holds at once, and it is the
 *   number the break-even compares;
 * - dashed line: the break-even (10 passes in 28 days on every known site). Where the solid line
 *   runs above it, a user access pass would have cost less than the login passes;
 * - right axis: the same heights in token-equivalents (at the site's cost per login pass), so the
 *   break-even reads as "1 token" there. Token-equivalents per day are in the legend (a value
 *   without a swatch) and the CSV, not drawn: drawn on that axis they would trace the bars' tops
 *   exactly and add only noise;
 * - a line labelled "history starts" where the store's history begins, and the rolling total
 *   faint over the shaded 27 days after it, while it counts fewer than 28 days (historyStart.ts).
 * Daily bars and the rolling total share the left axis because both count login passes; the bars
 * are small beside the total, which is honest (one day versus 28).
 * Capacity sites (Qlik Cloud) show minutes per day and their rolling 28-day total instead, and
 * License Statistics hours of license use per day and theirs; neither has a break-even or tokens.
 */
import uPlot from 'uplot';
import type { HistoryMeasure, UserHistory } from '../../../src/protocol/historyMessages';
import { firstFullWindowDay, type SeriesRole, type ShownTable } from '../../../src/protocol/historySeries';
import { baseOptions, DAY_SECONDS, legendValue, timeAxis, timeScale, timeSeries, toSeconds, valueAxis, valueOnlyLegend, type ChartSpec } from './chartBase';
import { eventMarkers } from './eventMarkers';
import { formatNumber } from './format';
import { fullWindowsOnly, historyStartMarker, rollingValue, type PartialRolling } from './historyStart';
import { withAlpha, type Palette } from './theme';

// A day's bar spans its day, from UTC midnight (align 1), like the site chart's.
const bars = uPlot.paths.bars?.({ size: [0.8, 24, 1], align: 1 });
const nothing = (): null => null;

function style(role: SeriesRole, p: Palette): uPlot.Series {
  const w = p.highContrast ? 2 : 1;
  switch (role) {
    case 'passes':
    case 'minutes':
    case 'hours':
      return { scale: 'count', stroke: p.blue, fill: withAlpha(p.blue, p.highContrast ? 1 : 0.8), width: 0, paths: bars, points: { show: false } };
    case 'rolling':
      return { scale: 'count', stroke: p.purple, width: 2 * w, points: { show: false } };
    case 'breakEven':
      return { scale: 'count', stroke: p.red, width: 1.5 * w, dash: [6, 4], points: { show: false } };
    default:
      return { scale: 'tokens', stroke: p.green, width: w, paths: nothing, points: { show: false } };
  }
}

/** What the left axis counts in each measure. */
const COUNT_AXIS: Readonly<Record<HistoryMeasure, string>> = { tokens: 'Login passes', capacity: 'Capacity minutes', hours: 'Hours of license use' };

/** Token-equivalents per login pass over the range (0.1 on every known site). */
function tokensPerPass(h: UserHistory): number {
  const passes = h.days.reduce((a, d) => a + d.loginPasses, 0);
  const tokens = h.days.reduce((a, d) => a + d.tokens, 0);
  return passes > 0 && tokens > 0 ? tokens / passes : 0.1;
}

/**
 * The rolling series' partial days, for the history-start plugin to draw faint; the uPlot series
 * (index + 1 in `series`, the time series being 0) keeps the whole windows and names a partial
 * value so in the legend. `series` and `data` are updated in place.
 */
function partialRolling(historyStart: number, table: ShownTable, series: uPlot.Series[], data: (number | null)[][]): PartialRolling | undefined {
  const i = table.series.findIndex((s) => s.role === 'rolling');
  const rolling = table.series[i];
  const line = series[i + 1];
  if (!rolling || !line || typeof line.stroke !== 'string') {
    return undefined;
  }
  const partial = { seriesIdx: i + 1, values: rolling.values, days: table.days, fullFrom: firstFullWindowDay(historyStart), color: line.stroke, width: line.width ?? 2 };
  data[i] = fullWindowsOnly(partial);
  line.value = rollingValue(partial);
  return partial;
}

/** uPlot options and data for one user's history. */
export function userChart(h: UserHistory, table: ShownTable, p: Palette): ChartSpec {
  const tokens = h.measure === 'tokens';
  const counts = table.series.filter((s) => s.role !== 'tokens').flatMap((s) => s.values);
  // Fixed y ranges: the token axis must stay an exact multiple of the pass axis, and the
  // break-even line must stay in view whatever the data.
  const top = Math.max(1, ...counts.map((v) => v ?? 0)) * 1.08;
  const ratio = tokensPerPass(h);
  const series: uPlot.Series[] = [timeSeries(), ...table.series.map((s) => ({ ...style(s.role, p), label: s.label, value: legendValue }))];
  const data = table.series.map((s) => [...s.values]);
  const plugins = [eventMarkers(h.events, p)];
  if (h.historyStart !== undefined) {
    plugins.push(historyStartMarker(h.historyStart, p, partialRolling(h.historyStart, table, series, data)));
  }
  const notDrawn = table.series.flatMap((s, i) => (s.role === 'tokens' ? [i + 1] : []));
  if (notDrawn.length > 0) {
    plugins.push(valueOnlyLegend(notDrawn));
  }
  const axes = [timeAxis(p), valueAxis(p, 'count', COUNT_AXIS[h.measure], 3)];
  if (tokens) {
    axes.push(valueAxis(p, 'tokens', `Token-equivalents (${formatNumber(ratio)} per login pass)`, 1));
  }
  return {
    options: {
      ...baseOptions(p, tokens),
      series,
      axes,
      scales: { x: timeScale(DAY_SECONDS), count: { range: () => [0, top] }, tokens: { range: () => [0, top * ratio] } },
      plugins,
    },
    data: [toSeconds(table.days), ...data],
  };
}
