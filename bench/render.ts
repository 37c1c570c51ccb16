/**
 * bench/render: the usage-history page in headless Chromium, a site of 50 top users over a year,
 * timed from the host message to the chart's first draw (performance.now inside the page: the
 * validation, the series math, uPlot's layout and canvas drawing). Against a baseline measured
 * in the same run: uPlot alone with default options drawing the same 365 days × 50 series as raw
 * lines (no theme, stacking, markers or validation). Prints medians and the ratio.
 *
 *   npm run bench:render [-- --runs 15 --warmup 3]
 *
 * Headless without a GPU: the canvas is rasterised in software, like a remote VS Code session.
 */
import { parseArgs } from 'node:util';
import type { HistoryRange } from '../src/protocol/historyMessages';
import { fixtureSiteHistory, fixtureUserHistory } from '../test/webview/historyFixtures';
import { buildBundles, bundleProbeScript, launchChromium, openPage, PageServer, type OpenedPage } from '../test/webview/webviewHarness';

const TARGET_MS = 100;
const USERS = 50;
const viewport = { width: 1000, height: 700 };

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Runs `once` warm-up plus measured times; the median of the measured ones. */
async function measure(runs: number, warmup: number, once: () => Promise<number>): Promise<{ median: number; min: number; max: number }> {
  const times: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const ms = await once();
    if (i >= warmup) {
      times.push(ms);
    }
  }
  return { median: median(times), min: Math.min(...times), max: Math.max(...times) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' }, warmup: { type: 'string', default: '3' } } });
  const runs = Number(values.runs);
  const warmup = Number(values.warmup);
  await buildBundles();
  const server = await PageServer.start();
  const chromium = await launchChromium();
  const pages: OpenedPage[] = [];
  try {
    const panel = await openPage(chromium.browser, server.addPage('panel.html', { bodyClass: 'vscode-dark' }), {}, viewport);
    const baseline = await openPage(chromium.browser, server.addPage('baseline.html', { bodyClass: 'vscode-dark', scriptUri: server.addScript('baseline.js', await bundleProbeScript('uplotBaseline.ts')) }), {}, viewport);
    pages.push(panel, baseline);
    const site = (range: HistoryRange) => ({ type: 'history', data: fixtureSiteHistory(range, USERS) });
    const year = fixtureSiteHistory('1y', USERS);
    const raw = [year.topDays.map((d) => d / 1000), ...year.top.map((t) => [...t.values])];

    const results = [
      { name: `site, 1 year × ${USERS} users (weekly stacked bars, as shipped)`, r: await measure(runs, warmup, () => panel.probe('timeRender', site('1y'))) },
      { name: `site, 90 days × ${USERS} users (daily stacked bars)`, r: await measure(runs, warmup, () => panel.probe('timeRender', site('90d'))) },
      { name: 'user, 1 year (daily bars, rolling total, markers)', r: await measure(runs, warmup, () => panel.probe('timeRender', { type: 'history', data: fixtureUserHistory('1y') })) },
    ];
    const base = await measure(runs, warmup, async () => (await baseline.page.evaluate(`window.uplotBaseline(${JSON.stringify(raw)})`)) as number);
    for (const p of pages) {
      const violations = await p.probe('violations');
      if (violations.length || p.errors.length) {
        throw new Error(`the page reported problems: ${[...violations, ...p.errors].join('; ')}`);
      }
    }

    const fmt = (r: { median: number; min: number; max: number }) => `${r.median.toFixed(1)} ms (min ${r.min.toFixed(1)}, max ${r.max.toFixed(1)})`;
    console.log(`bench/render: headless Chromium ${chromium.browser.version()}, ${viewport.width}×${viewport.height}, median of ${runs} after ${warmup} warm-up`);
    console.log(`baseline (uPlot defaults, 365 days × ${USERS} raw lines): ${fmt(base)}`);
    for (const { name, r } of results) {
      console.log(`${name}: ${fmt(r)}   ratio ${(r.median / base.median).toFixed(2)}x`);
    }
    const headline = results[0]?.r.median ?? Infinity;
    console.log(`site year × ${USERS}: ${headline.toFixed(1)} ms, target < ${TARGET_MS} ms: ${headline < TARGET_MS ? 'met' : 'MISSED'}`);
    if (headline >= TARGET_MS) {
      process.exitCode = 1;
    }
  } finally {
    for (const p of pages) {
      await p.close();
    }
    await chromium.close();
    await server.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
