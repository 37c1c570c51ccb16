/** What every history chart shares: the time axis in UTC, themed axes, the legend. */
import uPlot from 'uplot';
import { formatNumber } from './format';
import type { Palette } from './theme';

/** A chart ready for uPlot: options without size (the container decides) and its data. */
export interface ChartSpec {
  readonly options: Omit<uPlot.Options, 'width' | 'height'>;
  readonly data: uPlot.AlignedData;
}

/**
 * Days are UTC midnights. uPlot shows local time by default, which would label every bar with
 * the previous day west of Greenwich; pinning the axis to UTC keeps the dates the store meant.
 */
const utc = (ts: number): Date => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC');

/** Legend and cursor values: `–` for unknown, locale digits otherwise. */
export function legendValue(_u: uPlot, v: number | null): string {
  return v === null || v === undefined ? '–' : formatNumber(v);
}

/** The time (x) axis. */
export function timeAxis(p: Palette): uPlot.Axis {
  return {
    stroke: p.foreground,
    font: `${p.fontSize - 1}px ${p.fontFamily}`,
    grid: { stroke: p.grid, width: 0.5 },
    ticks: { stroke: p.grid, width: 0.5 },
  };
}

/** A value axis on the left (side 3) or right (side 1), labelled with its unit. */
export function valueAxis(p: Palette, scale: string, label: string, side: 1 | 3): uPlot.Axis {
  return {
    scale,
    side,
    label,
    stroke: p.foreground,
    font: `${p.fontSize - 1}px ${p.fontFamily}`,
    labelFont: `${p.fontSize}px ${p.fontFamily}`,
    // Only the left axis draws grid lines: two grids on different scales read as noise.
    grid: { show: side === 3, stroke: p.grid, width: 0.5 },
    ticks: { stroke: p.grid, width: 0.5 },
    values: (_u, splits) => splits.map((v) => formatNumber(v)),
    size: 56,
  };
}

/**
 * The x scale: from the first bucket to the end of the last one, since bars start at their
 * bucket's first moment and span it (a day or a week, in seconds).
 */
export function timeScale(bucketSeconds: number): uPlot.Scale {
  return { time: true, range: (_u, min, max) => [min ?? 0, (max ?? 0) + bucketSeconds] };
}

/** A y scale from zero to a little above the largest value shown. */
export function zeroScale(): uPlot.Scale {
  return { range: (_u, _min, max) => [0, Math.max(max ?? 0, 1) * 1.05] };
}

/**
 * Options shared by the user and site charts. Without a right axis the last date label needs
 * room of its own at the right edge.
 */
export function baseOptions(p: Palette, rightAxis: boolean): Pick<uPlot.Options, 'tzDate' | 'cursor' | 'legend' | 'padding' | 'focus'> {
  return {
    tzDate: utc,
    cursor: { points: { size: 6 }, drag: { x: true, y: false }, focus: { prox: 16 } },
    focus: { alpha: p.highContrast ? 1 : 0.35 },
    legend: { live: true },
    padding: [12, rightAxis ? 8 : 28, 0, 8],
  };
}

/**
 * Marks the legend rows of series that are values only, never drawn (a site's total is the height
 * of its stack; a user's token-equivalents would trace the bars' tops): without a swatch, which
 * would promise a line, and not clickable, since hiding them would change nothing (history.css).
 * `seriesIdx` are indices into the uPlot series, the time series being 0.
 */
export function valueOnlyLegend(seriesIdx: readonly number[]): uPlot.Plugin {
  return {
    hooks: {
      init: (u) => {
        const rows = u.root.querySelectorAll<HTMLElement>('.u-legend .u-series');
        for (const i of seriesIdx) {
          const row = rows[i];
          row?.classList.add('value-only');
          row?.setAttribute('title', 'A value only: not drawn on the chart');
          // Captured at the row, the click never reaches uPlot's toggle on the label.
          row?.addEventListener('click', (e) => e.stopPropagation(), true);
        }
      },
    },
  };
}

/** The x series (days in seconds, uPlot's time unit) with a date-only legend value. */
export function timeSeries(): uPlot.Series {
  return { label: 'Day', value: '{YYYY}-{MM}-{DD}' };
}

/** A day in uPlot's time unit (seconds). */
export const DAY_SECONDS = 86_400;

/** Days in epoch ms → uPlot's x values in seconds. */
export function toSeconds(days: readonly number[]): number[] {
  return days.map((d) => d / 1000);
}
