/**
 * Allocation changes as vertical marker lines with a letter at the top, and a tooltip naming
 * them when the cursor is on their day. The same changes are listed as text under the chart
 * (see eventList.ts) for keyboard and screen-reader users; the canvas alone would hide them.
 */
import type uPlot from 'uplot';
import type { ChartEvent } from '../../../src/protocol/historyMessages';
import { formatDay } from './format';
import type { Palette } from './theme';

/** Words for each kind of change, shared with the event list. */
export const EVENT_WORDS: Readonly<Record<ChartEvent['kind'], string>> = {
  assigned: 'Assigned',
  revoked: 'Revoked',
  quarantined: 'Quarantined',
  reinstated: 'Reinstated',
  deleted: 'User deleted',
};

/** The mark drawn atop each marker line; distinct per kind (two kinds start with R). */
export const EVENT_SYMBOLS: Readonly<Record<ChartEvent['kind'], string>> = {
  assigned: '+',
  revoked: '−',
  quarantined: 'Q',
  reinstated: '↺',
  deleted: '×',
};

/** `+ assigned, − revoked`: the key to the symbols of the kinds present. */
export function markerKey(events: readonly ChartEvent[]): string {
  const kinds = (Object.keys(EVENT_SYMBOLS) as ChartEvent['kind'][]).filter((k) => events.some((e) => e.kind === k));
  return kinds.map((k) => `${EVENT_SYMBOLS[k]} ${EVENT_WORDS[k].toLowerCase()}`).join(', ');
}

function colorOf(kind: ChartEvent['kind'], p: Palette): string {
  switch (kind) {
    case 'assigned':
      return p.green;
    case 'revoked':
      return p.red;
    case 'quarantined':
      return p.orange;
    case 'reinstated':
      return p.blue;
    default:
      return p.foreground;
  }
}

/** One line of text per change: `Mar 4, 2024 — Assigned: CORP\jdoe (rule: heavy use)`. */
export function describeEvent(e: ChartEvent): string {
  return `${formatDay(e.day)} — ${EVENT_WORDS[e.kind]}: ${e.user} (${e.source})`;
}

/** The uPlot plugin drawing `events` on a chart. */
export function eventMarkers(events: readonly ChartEvent[], p: Palette): uPlot.Plugin {
  const byDay = new Map<number, ChartEvent[]>();
  for (const e of events) {
    byDay.set(e.day, [...(byDay.get(e.day) ?? []), e]);
  }
  let tip: HTMLDivElement | undefined;
  return {
    hooks: {
      init: (u) => {
        tip = document.createElement('div');
        tip.className = 'marker-tip';
        tip.hidden = true;
        u.over.appendChild(tip);
      },
      draw: (u) => {
        const ctx = u.ctx;
        const { top, height } = u.bbox;
        const px = window.devicePixelRatio || 1;
        ctx.save();
        ctx.font = `bold ${Math.round((p.fontSize - 2) * px)}px ${p.fontFamily}`;
        ctx.textAlign = 'center';
        ctx.textBaseline = 'top';
        for (const [day, list] of byDay) {
          const x = Math.round(u.valToPos(day / 1000, 'x', true));
          if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) {
            continue;
          }
          const first = list[0] as ChartEvent;
          ctx.strokeStyle = colorOf(first.kind, p);
          ctx.fillStyle = ctx.strokeStyle;
          ctx.lineWidth = px * (p.highContrast ? 2 : 1);
          ctx.setLineDash([3 * px, 3 * px]);
          ctx.beginPath();
          ctx.moveTo(x + 0.5, top);
          ctx.lineTo(x + 0.5, top + height);
          ctx.stroke();
          // The first change's symbol, or a count when several changes share the day.
          ctx.fillText(list.length > 1 ? String(list.length) : EVENT_SYMBOLS[first.kind], x, top + 2 * px);
        }
        ctx.restore();
      },
      setCursor: (u) => {
        if (!tip) {
          return;
        }
        const idx = u.cursor.idx;
        const xs = u.data[0];
        const list = idx === null || idx === undefined ? undefined : byDay.get(Math.round((xs[idx] ?? 0) * 1000));
        if (!list || u.cursor.left === undefined || u.cursor.left < 0) {
          tip.hidden = true;
          return;
        }
        tip.textContent = list.map(describeEvent).join('\n');
        tip.hidden = false;
        // Keep the tip inside the plot: flip it to the left of the cursor in the right half.
        const left = u.cursor.left;
        tip.style.left = `${left}px`;
        tip.style.transform = left > u.over.clientWidth / 2 ? 'translateX(calc(-100% - 8px))' : 'translateX(8px)';
      },
    },
  };
}
