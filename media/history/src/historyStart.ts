/**
 * Where the recorded history begins. Before it the store knows nothing: the series are unknown
 * there (nothing drawn, `–` in the legend) and a vertical line labelled "history starts" says why.
 *
 * For 27 days after it a rolling 28-day total counts fewer than 28 recorded days, so it climbs
 * however steady the use was, which reads as a user ramping up. Hiding that part would leave a
 * connection synced for the first time (the demo, a new site) with no rolling line at all, so
 * instead the span is shaded and labelled, and the line drawn there faint and dashed; it turns
 * solid on the first day whose window is whole.
 */
import type uPlot from 'uplot';
import { formatNumber } from './format';
import { withAlpha, type Palette } from './theme';

/** Words on the chart; the summary says the same in full sentences. */
export const HISTORY_START_LABEL = 'history starts';
const PARTIAL_LABEL = '28-day total partial';

/** A rolling series whose first days count a partial window. */
export interface PartialRolling {
  /** The series' index in the uPlot options. */
  readonly seriesIdx: number;
  /** Its values as computed, partial days included (the chart's data has null there). */
  readonly values: readonly (number | null)[];
  /** UTC midnights (epoch ms) of the values. */
  readonly days: readonly number[];
  /** The first day whose window is whole (epoch ms). */
  readonly fullFrom: number;
  readonly color: string;
  /** Line width in CSS pixels. */
  readonly width: number;
}

/** The chart's data for a rolling series: its partial days left out (the plugin draws them). */
export function fullWindowsOnly(r: Pick<PartialRolling, 'values' | 'days' | 'fullFrom'>): (number | null)[] {
  return r.values.map((v, i) => ((r.days[i] ?? 0) < r.fullFrom ? null : v));
}

/** The legend's value for a rolling series: marked when its window is not whole yet. */
export function rollingValue(r: Pick<PartialRolling, 'values' | 'days' | 'fullFrom'>): (u: uPlot, v: number | null, si: number, i: number | null) => string {
  return (_u, _v, _si, i) => {
    const v = i === null ? null : (r.values[i] ?? null);
    if (i === null || v === null) {
      return '–';
    }
    return (r.days[i] ?? 0) < r.fullFrom ? `${formatNumber(v)} (partial)` : formatNumber(v);
  };
}

/** Canvas x of a day (epoch ms). */
function xOf(u: uPlot, day: number): number {
  return Math.round(u.valToPos(day / 1000, 'x', true));
}

/** The uPlot plugin marking the start at `start` (epoch ms), and a rolling series' partial days. */
export function historyStartMarker(start: number, p: Palette, rolling?: PartialRolling): uPlot.Plugin {
  const px = (): number => window.devicePixelRatio || 1;
  return {
    hooks: {
      // Under the axes and series: the shade is background.
      drawClear: (u) => {
        if (!rolling) {
          return;
        }
        const { left, top, width, height } = u.bbox;
        const from = Math.max(left, xOf(u, start));
        const to = Math.min(left + width, xOf(u, rolling.fullFrom));
        if (to > from) {
          u.ctx.save();
          u.ctx.fillStyle = withAlpha(p.foreground, p.highContrast ? 0.16 : 0.07);
          u.ctx.fillRect(from, top, to - from, height);
          u.ctx.restore();
        }
      },
      // With the rolling series, so the faint part lies where the solid part does.
      drawSeries: (u, si) => {
        if (rolling && si === rolling.seriesIdx) {
          drawPartial(u, rolling, p, px());
        }
      },
      draw: (u) => drawLine(u, start, rolling?.fullFrom, p, px()),
    },
  };
}

function drawPartial(u: uPlot, r: PartialRolling, p: Palette, px: number): void {
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const xs = u.data[0];
  const scale = u.series[r.seriesIdx]?.scale ?? 'y';
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  ctx.strokeStyle = p.highContrast ? r.color : withAlpha(r.color, 0.45);
  ctx.lineWidth = r.width * px;
  ctx.setLineDash([4 * px, 4 * px]);
  ctx.beginPath();
  let drawing = false;
  r.days.forEach((day, i) => {
    const v = r.values[i] ?? null;
    // Up to and including the first whole window, so the faint line meets the solid one.
    if (day > r.fullFrom || v === null) {
      drawing = false;
      return;
    }
    const x = u.valToPos(xs[i] ?? 0, 'x', true);
    const y = u.valToPos(v, scale, true);
    if (drawing) {
      ctx.lineTo(x, y);
    } else {
      ctx.moveTo(x, y);
      drawing = true;
    }
  });
  ctx.stroke();
  ctx.restore();
}

function drawLine(u: uPlot, start: number, fullFrom: number | undefined, p: Palette, px: number): void {
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const x = xOf(u, start);
  const lineHeight = (p.fontSize + 2) * px;
  ctx.save();
  ctx.font = `${Math.round((p.fontSize - 2) * px)}px ${p.fontFamily}`;
  ctx.fillStyle = p.foreground;
  ctx.textBaseline = 'top';
  // The first text row is the allocation markers' (eventMarkers.ts): these labels go below it.
  const row = top + 2 * px + lineHeight;
  if (x >= left && x <= left + width) {
    ctx.strokeStyle = p.foreground;
    ctx.lineWidth = px * (p.highContrast ? 2 : 1);
    ctx.beginPath();
    ctx.moveTo(x + 0.5, top);
    ctx.lineTo(x + 0.5, top + height);
    ctx.stroke();
    placeText(ctx, HISTORY_START_LABEL, x, row, left + width, 4 * px);
  }
  if (fullFrom !== undefined) {
    // Inside the shaded span, under the start's label, where it fits.
    const from = Math.max(left, x);
    const to = Math.min(left + width, xOf(u, fullFrom));
    if (to - from > ctx.measureText(PARTIAL_LABEL).width + 8 * px) {
      ctx.fillText(PARTIAL_LABEL, from + 4 * px, row + lineHeight);
    }
  }
  ctx.restore();
}

/** Text right of `x`, or left of it where it would run past `right`. */
function placeText(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, right: number, gap: number): void {
  const fits = x + gap + ctx.measureText(text).width <= right;
  ctx.textAlign = fits ? 'left' : 'right';
  ctx.fillText(text, fits ? x + gap : x - gap, y);
}
