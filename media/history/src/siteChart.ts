/**
 * The site's chart: the top users' use stacked as bars (largest at the bottom), each in its own
 * colour (seriesColors.ts), everyone else on top, per day up to 120 days and per week beyond (see
 * buckets.ts); and on the right axis the token pool's used and available tokens as the syncs saw
 * them (a level, not a flow, hence its own axis). The site total is the height of each stack; it
 * is a value in the legend, not drawn twice. A line marks where the recorded history begins.
 */
import uPlot from 'uplot';
import type { HistoryMeasure, SiteHistory } from '../../../src/protocol/historyMessages';
import type { ShownSeries, ShownTable } from '../../../src/protocol/historySeries';
import { bucketize } from './buckets';
import { baseOptions, DAY_SECONDS, legendValue, timeAxis, timeScale, timeSeries, toSeconds, valueAxis, valueOnlyLegend, zeroScale, type ChartSpec } from './chartBase';
import { eventMarkers } from './eventMarkers';
import { formatNumber } from './format';
import { historyStartMarker } from './historyStart';
import { SERIES_COLORS } from './seriesColors';
import { withAlpha, type Palette } from './theme';

// Bars start at their bucket's first day and span it: align 1 keeps a week's bar on its week.
const stackedBars = uPlot.paths.bars?.({ size: [0.9, Infinity, 1], align: 1 });
const nothing = (): null => null;

function isStacked(s: ShownSeries): boolean {
  return s.role === 'top' || s.role === 'others';
}

/**
 * Fill opacity of the i-th stacked series. The host stacks ten users, one per colour, drawn
 * opaque: the colours' contrast with the background holds as measured. Past ten (a host that
 * stacks more) the colours repeat, each round fainter, so neighbours still differ.
 */
function stackAlpha(i: number, p: Palette): number {
  return p.highContrast ? 1 : Math.max(0.3, 1 - 0.25 * Math.floor(i / SERIES_COLORS.length));
}

/**
 * The pool as levels: each reading holds until the next one, and the last one to the end of its
 * bucket. uPlot's stepped path steps from one reading to the next, so it draws nothing for a
 * single reading, and a connection synced once (the demo, a site just added) has exactly one:
 * the pool was in the legend with nothing drawn. Readings left of the view still set the level
 * its left edge starts at.
 */
function levels(bucketSeconds: number): uPlot.Series.PathBuilder {
  return (u, si, i0, i1) => {
    const xs = u.data[0];
    const ys = u.data[si] ?? [];
    const scale = u.series[si]?.scale ?? 'y';
    let first = i0;
    while (first > 0 && (ys[first] === null || ys[first] === undefined)) {
      first--;
    }
    const stroke = new Path2D();
    let level: number | undefined;
    let lastX = 0;
    for (let i = first; i <= i1; i++) {
      const v = ys[i];
      if (v === null || v === undefined) {
        continue;
      }
      const x = u.valToPos(xs[i] ?? 0, 'x', true);
      const y = u.valToPos(v, scale, true);
      if (level === undefined) {
        stroke.moveTo(x, y);
      } else {
        stroke.lineTo(x, level);
        stroke.lineTo(x, y);
      }
      level = y;
      lastX = xs[i] ?? 0;
    }
    if (level === undefined) {
      return null;
    }
    stroke.lineTo(u.valToPos(lastX + bucketSeconds, 'x', true), level);
    return { stroke, fill: null, clip: null, flags: 0 };
  };
}

/** What the stacked bars count in each measure, per day or week. */
const USE_AXIS: Readonly<Record<HistoryMeasure, string>> = { tokens: 'Token-equivalents', capacity: 'Capacity minutes', hours: 'Hours of license use' };

/** uPlot options and data for a site's history. */
export function siteChart(h: SiteHistory, table: ShownTable, p: Palette): ChartSpec {
  const b = bucketize(table);
  const per = b.unit === 'week' ? 'week' : 'day';
  const x = toSeconds(b.x);
  const bucketSeconds = b.unit === 'week' ? 7 * DAY_SECONDS : DAY_SECONDS;
  const pool = levels(bucketSeconds);
  const series: uPlot.Series[] = [{ ...timeSeries(), label: b.unit === 'week' ? 'Week of' : 'Day' }];
  const data: (number | null)[][] = [];
  const bands: uPlot.Band[] = [];
  let below: number[] = x.map(() => 0);
  let belowIdx = -1;
  let stackNo = 0;
  const notDrawn: number[] = [];
  // Stacks first, so the pool lines draw over the bars, not under them.
  const ordered = [...b.series.filter(isStacked), ...b.series.filter((s) => !isStacked(s))];
  for (const s of ordered) {
    const idx = series.length;
    if (isStacked(s)) {
      const base = below;
      const stacked = s.values.map((v, i) => (base[i] ?? 0) + (v ?? 0));
      const color = s.role === 'others' ? p.foreground : (SERIES_COLORS[stackNo % SERIES_COLORS.length] ?? p.blue);
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
        value: (_u, _v, _si, i) => {
          const v = i === null ? null : (raw[i] ?? null);
          return v === null ? '–' : formatNumber(v);
        },
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
      notDrawn.push(idx);
      series.push({ label: `${s.label.replace(/ per day$/, '')} per ${per}`, scale: 'use', stroke: p.foreground, width: 1, paths: nothing, points: { show: false }, value: legendValue });
    } else {
      // In the theme's foreground, solid and dashed: levels over the coloured flows, never
      // mistaken for one of the users.
      const width = p.highContrast ? 3 : 2;
      const dash = s.role === 'poolUsed' ? {} : { dash: [6, 4] };
      series.push({ label: s.label, scale: 'pool', stroke: p.foreground, width, ...dash, paths: pool, points: { show: false }, value: legendValue });
    }
    data.push([...s.values]);
  }
  const axes = [timeAxis(p), valueAxis(p, 'use', `${USE_AXIS[h.measure]} per ${per}`, 3)];
  if (h.pool.length > 0) {
    axes.push(valueAxis(p, 'pool', 'Pool tokens', 1));
  }
  return {
    options: {
      ...baseOptions(p, h.pool.length > 0),
      series,
      bands,
      axes,
      scales: { x: timeScale(bucketSeconds), use: zeroScale(), pool: zeroScale() },
      plugins: [eventMarkers(h.events, p), valueOnlyLegend(notDrawn), ...(h.historyStart === undefined ? [] : [historyStartMarker(h.historyStart, p)])],
    },
    data: [x, ...data],
  };
}
