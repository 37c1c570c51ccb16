/**
 * The site's chart: the top users' use stacked as bars (largest at the bottom), everyone else on
 * top, per day up to 120 days and per week beyond (see buckets.ts); and on the right axis the
 * token pool's used and available tokens as the syncs saw them (a level, not a flow, hence its
 * own axis). The site total is the height of each stack; it is in the legend, not drawn twice.
 */
import uPlot from 'uplot';
import type { SiteHistory } from '../../../src/protocol/historyMessages';
import type { ShownSeries, ShownTable } from '../../../src/protocol/historySeries';
import { bucketize } from './buckets';
import { baseOptions, DAY_SECONDS, legendValue, timeAxis, timeScale, timeSeries, toSeconds, valueAxis, zeroScale, type ChartSpec } from './chartBase';
import { eventMarkers } from './eventMarkers';
import { formatNumber } from './format';
import { withAlpha, type Palette } from './theme';

const stepped = uPlot.paths.stepped?.({ align: 1 });
// Bars start at their bucket's first day and span it: align 1 keeps a week's bar on its week.
const stackedBars = uPlot.paths.bars?.({ size: [0.9, Infinity, 1], align: 1 });
const nothing = (): null => null;

function isStacked(s: ShownSeries): boolean {
  return s.role === 'top' || s.role === 'others';
}

/**
 * Fill opacity of the i-th stacked series: the six theme colours repeat, each round fainter, so
 * 50 users stay distinguishable from their neighbours without inventing colours off-theme.
 */
function stackAlpha(i: number, p: Palette): number {
  return p.highContrast ? 1 : Math.max(0.25, 0.9 - 0.13 * Math.floor(i / p.cycle.length));
}

/** uPlot options and data for a site's history. */
export function siteChart(h: SiteHistory, table: ShownTable, p: Palette): ChartSpec {
  const capacity = h.measure === 'capacity';
  const b = bucketize(table);
  const per = b.unit === 'week' ? 'week' : 'day';
  const x = toSeconds(b.x);
  const series: uPlot.Series[] = [{ ...timeSeries(), label: b.unit === 'week' ? 'Week of' : 'Day' }];
  const data: (number | null)[][] = [];
  const bands: uPlot.Band[] = [];
  let below: number[] = x.map(() => 0);
  let belowIdx = -1;
  let stackNo = 0;
  // Stacks first, so the pool lines draw over the bars, not under them.
  const ordered = [...b.series.filter(isStacked), ...b.series.filter((s) => !isStacked(s))];
  for (const s of ordered) {
    const idx = series.length;
    if (isStacked(s)) {
      const base = below;
      const stacked = s.values.map((v, i) => (base[i] ?? 0) + (v ?? 0));
      const color = s.role === 'others' ? p.foreground : (p.cycle[stackNo % p.cycle.length] ?? p.blue);
      const raw = s.values;
      series.push({
        label: s.label,
        scale: 'use',
        stroke: color,
        width: 0,
        fill: withAlpha(color, s.role === 'others' ? 0.3 : stackAlpha(stackNo, p)),
        paths: stackedBars,
        points: { show: false },
        // The legend shows each user's own value, not the height of the stack at that point.
        value: (_u, _v, _si, i) => (i === null ? '–' : formatNumber(raw[i] ?? 0)),
      });
      if (belowIdx > 0) {
        // Each bar spans from the stack below it to its own top, so segments never overlap.
        bands.push({ series: [idx, belowIdx] });
      }
      data.push(stacked);
      below = stacked;
      belowIdx = idx;
      stackNo++;
      continue;
    }
    if (s.role === 'total') {
      series.push({ label: `${s.label.replace(/ per day$/, '')} per ${per}`, scale: 'use', stroke: p.foreground, width: 1, paths: nothing, points: { show: false }, value: legendValue });
    } else if (s.role === 'poolUsed') {
      series.push({ label: s.label, scale: 'pool', stroke: p.orange, width: 2, paths: stepped, spanGaps: true, points: { show: false }, value: legendValue });
    } else {
      series.push({ label: s.label, scale: 'pool', stroke: p.green, width: 2, dash: [6, 4], paths: stepped, spanGaps: true, points: { show: false }, value: legendValue });
    }
    data.push([...s.values]);
  }
  const axes = [timeAxis(p), valueAxis(p, 'use', `${capacity ? 'Capacity minutes' : 'Token-equivalents'} per ${per}`, 3)];
  if (h.pool.length > 0) {
    axes.push(valueAxis(p, 'pool', 'Pool tokens', 1));
  }
  return {
    options: {
      ...baseOptions(p, h.pool.length > 0),
      series,
      bands,
      axes,
      scales: { x: timeScale(b.unit === 'week' ? 7 * DAY_SECONDS : DAY_SECONDS), use: zeroScale(), pool: zeroScale() },
      plugins: [eventMarkers(h.events, p)],
    },
    data: [x, ...data],
  };
}
