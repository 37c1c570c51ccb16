/**
 * The rendering benchmark's baseline page: uPlot alone, default options, the same days and
 * series as raw lines. No theme, no stacking, no markers, no validation: what uPlot costs by
 * itself on this machine, measured in the same run as the panel.
 */
import uPlot from 'uplot';

declare global {
  interface Window {
    /** Renders `data` (x in seconds, then one array per series); resolves with the ms to the first draw. */
    uplotBaseline(data: number[][]): Promise<number>;
  }
}

let plot: uPlot | undefined;

window.uplotBaseline = (data) =>
  new Promise((resolve) => {
    plot?.destroy();
    const t0 = performance.now();
    const series: uPlot.Series[] = [{}, ...data.slice(1).map((_, i) => ({ label: `s${i}`, stroke: 'red' }))];
    plot = new uPlot({ width: Math.max(document.body.clientWidth, 320), height: 400, series, hooks: { draw: [() => resolve(performance.now() - t0)] } }, data as uPlot.AlignedData, document.body);
  });
