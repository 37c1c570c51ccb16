/**
 * Owns the uPlot instance in the chart container: builds it for a history, rebuilds it when the
 * theme changes (colours are baked into uPlot's options) and resizes it with the container.
 */
import uPlot from 'uplot';
import type { SiteHistory, UserHistory } from '../../../src/protocol/historyMessages';
import { shownTable } from '../../../src/protocol/historySeries';
import type { ChartSpec } from './chartBase';
import { siteChart } from './siteChart';
import type { Palette } from './theme';
import { userChart } from './userChart';

/** Chart height for a container width: wide enough to read, never taller than the view. */
function heightFor(width: number): number {
  return Math.round(Math.max(220, Math.min(width * 0.45, window.innerHeight * 0.6, 460)));
}

export class HistoryChart {
  private plot: uPlot | undefined;
  private shown: UserHistory | SiteHistory | undefined;
  private readonly resizeObserver: ResizeObserver;
  private pendingResize = 0;
  /** Completed draws; the tests and the benchmark wait on it (data-draws on the container). */
  private draws = 0;

  constructor(
    private readonly container: HTMLElement,
    private palette: Palette,
    private readonly describe: () => string,
  ) {
    // One resize per frame: dragging a sash fires the observer for every pixel. The window
    // height matters too (it caps the chart height), and does not resize the container.
    const schedule = (): void => {
      cancelAnimationFrame(this.pendingResize);
      this.pendingResize = requestAnimationFrame(() => this.resize());
    };
    this.resizeObserver = new ResizeObserver(schedule);
    this.resizeObserver.observe(container);
    window.addEventListener('resize', schedule);
  }

  /** Draws a history, replacing whatever was shown. */
  show(h: UserHistory | SiteHistory): void {
    this.shown = h;
    this.rebuild();
  }

  /** Redraws with a new theme's colours. */
  setPalette(p: Palette): void {
    this.palette = p;
    if (this.shown) {
      this.rebuild();
    }
  }

  /** Removes the chart (loading and error states show no stale chart). */
  clear(): void {
    this.shown = undefined;
    this.plot?.destroy();
    this.plot = undefined;
  }

  private spec(h: UserHistory | SiteHistory): ChartSpec {
    const table = shownTable(h);
    return h.target === 'user' ? userChart(h, table, this.palette) : siteChart(h, table, this.palette);
  }

  private rebuild(): void {
    const h = this.shown;
    if (!h) {
      return;
    }
    this.plot?.destroy();
    const { options, data } = this.spec(h);
    const width = Math.max(this.container.clientWidth, 320);
    const hooks = options.hooks ?? {};
    this.plot = new uPlot({ ...options, width, height: heightFor(width), hooks: { ...hooks, draw: [...(hooks.draw ?? []), () => this.drawn()] } }, data, this.container);
    const canvas = this.plot.root.querySelector('canvas');
    canvas?.setAttribute('role', 'img');
    canvas?.setAttribute('aria-label', this.describe());
  }

  private resize(): void {
    if (!this.plot) {
      return;
    }
    const width = Math.max(this.container.clientWidth, 320);
    const height = heightFor(width);
    if (width !== this.plot.width || height !== this.plot.height) {
      this.plot.setSize({ width, height });
    }
  }

  private drawn(): void {
    this.draws++;
    this.container.dataset['draws'] = String(this.draws);
  }
}
