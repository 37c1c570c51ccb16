/**
 * The usage-history webview in a real browser: the built bundle, the production HTML and CSP,
 * headless Chromium, and a stand-in for VS Code's side of the messaging.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { SERIES_COLORS } from '../../media/history/src/seriesColors';
import type { DailyValues, HostMessage } from '../../src/protocol/historyMessages';
import { fixtureSiteHistory, fixtureUserHistory } from './historyFixtures';
import { buildBundles, launchChromium, openPage, PageServer, type OpenedPage } from './webviewHarness';

const results = path.resolve(__dirname, '../../test-results');
const userState = { connection: 'c1', user: 'CORP\\jdoe', range: '1y' } as const;
/** The dark theme's --vscode-charts-foreground and --vscode-charts-purple (webviewHarness.ts). */
const DARK_FOREGROUND = '#cccccc';
const DARK_PURPLE = '#b180d7';

describe('usage-history webview in Chromium', function () {
  this.timeout(60_000);
  let server: PageServer;
  let chromium: { browser: Browser; close(): Promise<void> };
  let darkUrl: string;
  let opened: OpenedPage | undefined;

  before(async () => {
    await buildBundles();
    mkdirSync(results, { recursive: true });
    server = await PageServer.start();
    darkUrl = server.addPage('dark.html', { bodyClass: 'vscode-dark' });
    chromium = await launchChromium();
  });

  after(async () => {
    await chromium?.close();
    await server?.close();
  });

  afterEach(async function () {
    if (opened) {
      // Every test also proves the page ran without a CSP violation or a script error.
      const violations = await opened.probe('violations');
      const errors = opened.errors;
      await opened.close();
      opened = undefined;
      if (this.currentTest?.state === 'passed') {
        assert.deepEqual(violations, [], 'CSP violations');
        assert.deepEqual(errors, [], 'console errors');
      }
    }
  });

  async function open(url = darkUrl, init = {}, viewport?: { width: number; height: number }): Promise<OpenedPage> {
    opened = await openPage(chromium.browser, url, init, viewport);
    return opened;
  }

  async function send(p: OpenedPage, m: HostMessage | unknown): Promise<void> {
    await p.probe('send', m);
  }

  /** Sends a history and waits until the chart has drawn it. */
  async function render(p: OpenedPage, m: HostMessage): Promise<void> {
    const before = await p.probe('draws');
    await send(p, m);
    await waitForDraws(p, before);
  }

  /** Waits until the chart has drawn more than `n` times. */
  async function waitForDraws(p: OpenedPage, n: number): Promise<void> {
    await p.probe('until', 'draws', n);
  }

  /** Waits until the page has posted at least `n` messages. */
  async function waitForPosted(p: OpenedPage, n: number): Promise<void> {
    await p.probe('until', 'posted', n - 1);
  }

  it('posts ready once it listens, and nothing else', async () => {
    const p = await open();
    await waitForPosted(p, 1);
    assert.deepEqual(await p.probe('posted'), [{ type: 'ready' }]);
    assert.equal(await p.page.locator('.loading').isVisible(), true, 'loading state before data');
  });

  it('renders a year of one user: bars, rolling total, break-even, markers, summary, legend', async () => {
    const p = await open();
    await send(p, { type: 'init', state: userState });
    await render(p, { type: 'history', data: fixtureUserHistory('1y') });
    const ink = await p.probe('canvasInk');
    assert.ok(ink && ink.width > 600 && ink.height > 200, `canvas ${JSON.stringify(ink)}`);
    assert.ok(ink.inked > 0.03, `only ${(ink.inked * 100).toFixed(1)}% of the canvas drawn`);
    assert.equal(await p.page.locator('.loading').isVisible(), false);
    const summary = (await p.page.locator('#summary').textContent()) ?? '';
    assert.match(summary, /Jane Doe \(CORP\\jdoe\) on Demo site, the last year: \d+ login passes/);
    assert.match(summary, /break-even of 10/);
    assert.equal(await p.page.locator('canvas[role=img]').getAttribute('aria-label'), summary);
    const legend = await p.page.locator('.u-legend .u-series .u-label').allTextContents();
    assert.deepEqual(legend, ['Day', 'Login passes per day', 'Login passes in the last 28 days', 'Break-even: 10 passes in 28 days', 'Token-equivalents per day']);
    // Legend-only values have no swatch: a swatch would promise a line the plot does not have.
    assert.deepEqual(await p.page.locator('.u-legend .u-series.value-only .u-label').allTextContents(), ['Token-equivalents per day']);
    assert.equal(await p.page.locator('.u-legend .u-series.value-only .u-marker').isVisible(), false, 'visibility: hidden');
    assert.equal(await p.page.locator('.events li').count(), 5);
    assert.deepEqual(await p.probe('state'), userState, 'the page persisted what init said');
    await p.page.screenshot({ path: path.join(results, 'history-user-dark.png'), fullPage: true });
  });

  it('names the allocation changes under the cursor', async () => {
    const p = await open();
    await render(p, { type: 'history', data: fixtureUserHistory('1y') });
    const over = await p.page.locator('.u-over').boundingBox();
    assert.ok(over);
    const tip = p.page.locator('.marker-tip');
    // Sweep the plot left to right until the cursor sits on a marker's day.
    for (let x = over.x + 1; x < over.x + over.width && !(await tip.isVisible()); x += 2) {
      await p.page.mouse.move(x, over.y + over.height / 2);
    }
    assert.match((await tip.textContent()) ?? '', /— Assigned: CORP\\jdoe \(manual\)/);
    await p.page.screenshot({ path: path.join(results, 'history-user-marker-tip.png') });
  });

  it('switches range with the keyboard, asks the host, and draws the answer', async () => {
    const p = await open();
    await send(p, { type: 'init', state: { ...userState, range: '28d' } });
    await render(p, { type: 'history', data: fixtureUserHistory('28d') });
    // Tab to the range group (the checked radio takes the focus), then one arrow to the right.
    await p.page.keyboard.press('Tab');
    assert.equal(await p.probe('focusedValue'), '28d');
    await p.page.keyboard.press('ArrowRight');
    await waitForPosted(p, 2);
    assert.deepEqual((await p.probe('posted')).at(-1), { type: 'setRange', range: '90d' });
    assert.equal((await p.probe('state') as { range?: string }).range, '90d', 'range persisted for a reload');
    assert.equal(await p.page.locator('.loading').isVisible(), true);
    await send(p, { type: 'loading', range: '90d' });
    const before = await p.probe('canvasInk');
    await render(p, { type: 'history', data: fixtureUserHistory('90d') });
    assert.notDeepEqual(await p.probe('canvasInk'), before, 'the 90-day chart differs from the 28-day one');
    assert.match((await p.page.locator('#summary').textContent()) ?? '', /the last 90 days/);
    await p.page.keyboard.press('ArrowRight');
    await waitForPosted(p, 3);
    assert.deepEqual((await p.probe('posted')).at(-1), { type: 'setRange', range: '1y' });
  });

  it('redraws in the new colours when VS Code switches from dark to light', async () => {
    const p = await open();
    await send(p, { type: 'init', state: userState });
    await render(p, { type: 'history', data: fixtureUserHistory('1y') });
    const dark = await p.probe('canvasInk');
    const draws = await p.probe('draws');
    await p.probe('setThemeClass', 'vscode-light');
    await waitForDraws(p, draws);
    const light = await p.probe('canvasInk');
    assert.ok(dark && light);
    assert.notDeepEqual(light.mean, dark.mean, 'the same colours after a theme change');
    // Light theme: darker ink on average (dark text and lines on white).
    assert.ok(light.mean[0] + light.mean[1] + light.mean[2] < dark.mean[0] + dark.mean[1] + dark.mean[2], `${light.mean} vs ${dark.mean}`);
    await p.page.screenshot({ path: path.join(results, 'history-user-light.png'), fullPage: true });
  });

  it('follows the panel size', async () => {
    const p = await open();
    await send(p, { type: 'init', state: userState });
    await render(p, { type: 'history', data: fixtureUserHistory('1y') });
    const wide = await p.probe('canvasInk');
    const draws = await p.probe('draws');
    await p.page.setViewportSize({ width: 600, height: 700 });
    await waitForDraws(p, draws);
    const narrow = await p.probe('canvasInk');
    assert.ok(wide && narrow && narrow.width < wide.width, `${narrow?.width} < ${wide?.width}`);
    assert.ok(narrow.inked > 0.03);
  });

  it('renders a site: 50 users stacked, others, total and the pool on its own axis', async () => {
    const p = await open();
    await send(p, { type: 'init', state: { connection: 'c1', user: null, range: '1y' } });
    await render(p, { type: 'history', data: fixtureSiteHistory('1y', 50) });
    const ink = await p.probe('canvasInk');
    assert.ok(ink && ink.inked > 0.1, `stacked areas cover the plot: ${JSON.stringify(ink)}`);
    const legend = await p.page.locator('.u-legend .u-series .u-label').allTextContents();
    assert.equal(legend.filter((l) => /^User \d+$/.test(l)).length, 50);
    assert.deepEqual(legend.slice(-4), ['Other users', 'Site token-equivalents per week', 'Pool tokens used', 'Pool tokens available']);
    assert.deepEqual(await p.page.locator('.u-legend .u-series.value-only .u-label').allTextContents(), ['Site token-equivalents per week']);
    assert.match((await p.page.locator('#summary').textContent()) ?? '', /Demo site \(site totals\), the last year: .* token-equivalents used; the largest user, User 1/);
    await p.page.screenshot({ path: path.join(results, 'history-site-dark.png'), fullPage: true });
  });

  it('gives each of ten stacked users a colour of its own, opaque, in a light theme', async () => {
    const p = await open(server.addPage('light-site.html', { bodyClass: 'vscode-light' }));
    await render(p, { type: 'history', data: { ...fixtureSiteHistory('28d', 10), events: [] } });
    for (const color of SERIES_COLORS) {
      assert.ok((await p.probe('plotInk', color, 0, 1, 2)) > 50, `no stack drawn in ${color}`);
    }
    await p.page.screenshot({ path: path.join(results, 'history-site-light.png'), fullPage: true });
  });

  it('draws the pool read by a single sync (a connection synced once), on its last day', async () => {
    const p = await open();
    const site = { ...fixtureSiteHistory('28d', 3), events: [], pool: [] };
    const today = site.topDays.at(-1) ?? 0;
    await render(p, { type: 'history', data: site });
    assert.equal(await p.probe('plotInk', DARK_FOREGROUND), 0, 'without a pool nothing in the plot has its colour');
    await render(p, { type: 'history', data: { ...site, pool: [{ day: today, used: 61, available: 39 }] } });
    const lastDay = await p.probe('plotInk', DARK_FOREGROUND, 27 / 28, 1);
    assert.ok(lastDay > 30, `the pool's levels span the last day: ${lastDay} pixels`);
    assert.equal(await p.probe('plotInk', DARK_FOREGROUND, 0, 26 / 28), 0, 'and nothing before the reading');
    await p.page.screenshot({ path: path.join(results, 'history-site-one-pool-reading.png'), fullPage: true });
  });

  it('marks where the history starts, and draws the 28-day total faint until its window is whole', async () => {
    const p = await open();
    const h = fixtureUserHistory('90d');
    const start = h.days[20]?.day ?? 0;
    const zero = (d: DailyValues): DailyValues => ({ ...d, loginPasses: 0, tokens: 0, capacityMinutes: 0 });
    await render(p, {
      type: 'history',
      data: { ...h, events: [], leadIn: h.leadIn.map(zero), days: h.days.map((d) => (d.day < start ? zero(d) : d)), historyStart: start },
    });
    // The 90 days span the plot's width: day i starts at i/90 of it.
    const marker = await p.probe('plotInk', DARK_FOREGROUND, 19.5 / 90, 20.5 / 90);
    assert.ok(marker > 150, `a line at the first recorded day: ${marker} pixels`);
    assert.equal(await p.probe('plotInk', DARK_FOREGROUND, 2 / 90, 18 / 90), 0, 'nothing drawn before it');
    // Full strength only from the 28th recorded day (day 47): faint (translucent) before.
    assert.equal(await p.probe('plotInk', DARK_PURPLE, 20.5 / 90, 46.5 / 90), 0, 'the partial total at full strength');
    assert.ok((await p.probe('plotInk', DARK_PURPLE, 47.5 / 90, 1)) > 100, 'the whole-window total drawn');
    const summary = (await p.page.locator('#summary').textContent()) ?? '';
    assert.match(summary, / History starts on .+; days before it are not recorded\. The 28-day total counts fewer than 28 recorded days before .+ \(drawn faint\)\./);
    // The legend names a partial total as such.
    const over = await p.page.locator('.u-over').boundingBox();
    assert.ok(over);
    const rolling = p.page.locator('.u-legend .u-series').nth(2).locator('.u-value');
    await p.page.mouse.move(over.x + (30.5 / 90) * over.width, over.y + over.height / 2);
    assert.match((await rolling.textContent()) ?? '', /^\d+ \(partial\)$/);
    await p.page.mouse.move(over.x + (70.5 / 90) * over.width, over.y + over.height / 2);
    assert.match((await rolling.textContent()) ?? '', /^\d+$/);
    await p.page.mouse.move(over.x + (10.5 / 90) * over.width, over.y + over.height / 2);
    assert.equal(await p.page.locator('.u-legend .u-series').nth(1).locator('.u-value').textContent(), '–', 'no passes are known before the history starts');
    await p.page.screenshot({ path: path.join(results, 'history-user-history-start.png'), fullPage: true });
  });

  it('renders capacity minutes for a capacity site, 28 days, light theme', async () => {
    const p = await open(server.addPage('light.html', { bodyClass: 'vscode-light' }));
    await render(p, { type: 'history', data: fixtureUserHistory('28d', 'capacity') });
    const legend = await p.page.locator('.u-legend .u-series .u-label').allTextContents();
    assert.deepEqual(legend, ['Day', 'Capacity minutes per day', 'Capacity minutes in the last 28 days']);
    assert.match((await p.page.locator('#summary').textContent()) ?? '', /capacity minutes; \d+ in the 28 days up to the last day shown/);
    assert.ok(((await p.probe('canvasInk'))?.inked ?? 0) > 0.03);
    await p.page.screenshot({ path: path.join(results, 'history-user-capacity-light.png'), fullPage: true });
  });

  it('renders hours of license use for License Statistics, a user and the site', async () => {
    const p = await open();
    await render(p, { type: 'history', data: fixtureUserHistory('28d', 'hours') });
    assert.deepEqual(await p.page.locator('.u-legend .u-series .u-label').allTextContents(), ['Day', 'Hours of license use per day', 'Hours in the last 28 days']);
    assert.match((await p.page.locator('#summary').textContent()) ?? '', /^Jane Doe \(CORP\\jdoe\) on Demo site, the last 28 days: [\d.]+ hours? of license use; [\d.]+ in the 28 days up to the last day shown\. Busiest day .+ with [\d.]+ hours?\./);
    assert.ok(((await p.probe('canvasInk'))?.inked ?? 0) > 0.03);
    await p.page.screenshot({ path: path.join(results, 'history-user-hours-dark.png'), fullPage: true });

    await render(p, { type: 'history', data: fixtureSiteHistory('28d', 3, 'hours') });
    const legend = await p.page.locator('.u-legend .u-series .u-label').allTextContents();
    assert.ok(legend.includes('Site hours of license use per day'), legend.join(' | '));
    assert.ok(!legend.some((l) => /minutes|token/i.test(l)), legend.join(' | '));
    assert.match((await p.page.locator('#summary').textContent()) ?? '', /^Demo site \(site totals\), the last 28 days: [\d.]+ hours used; the largest user, User 1, used [\d.]+/);
    await p.page.screenshot({ path: path.join(results, 'history-site-hours-dark.png'), fullPage: true });
  });

  it('ignores malformed host messages and keeps working', async () => {
    const p = await open();
    const junk: unknown[] = [
      null,
      42,
      'history',
      { type: 'nope' },
      { type: 'history' },
      { type: 'history', data: { ...fixtureUserHistory('28d'), days: [{ day: 'yesterday' }] } },
      { type: 'history', data: { ...fixtureSiteHistory('28d', 3), top: [{ key: 'k', name: 'n', values: [1] }] } },
      { type: 'loading', range: '5y' },
      { type: 'init', state: { connection: 1 } },
      { type: 'error', message: { toString: 'x' } },
      { type: 'exported' },
    ];
    for (const m of junk) {
      await send(p, m);
    }
    await render(p, { type: 'history', data: fixtureUserHistory('28d') });
    assert.equal(await p.probe('draws'), 1, 'only the valid history was drawn');
    assert.equal(await p.page.locator('.error').isVisible(), false);
  });

  it('shows an error instead of a chart, and a loading state while waiting', async () => {
    const p = await open();
    await render(p, { type: 'history', data: fixtureUserHistory('28d') });
    await send(p, { type: 'error', message: 'No usage history is recorded for this connection yet.' });
    await p.page.locator('.error').waitFor({ state: 'visible' });
    assert.equal(await p.page.locator('.error').textContent(), 'No usage history is recorded for this connection yet.');
    assert.equal(await p.page.locator('.chart canvas').count(), 0, 'no stale chart under the error');
    await send(p, { type: 'loading', range: '90d' });
    await p.page.locator('.loading').waitFor({ state: 'visible' });
    assert.equal(await p.page.locator('.error').isVisible(), false);
    assert.equal(await p.probe('checkedRange'), '90d');
    assert.notEqual(await p.page.locator('vscode-button').getAttribute('disabled'), null, 'nothing to export while loading');
  });

  it('asks the host to export, and says where the file went', async () => {
    const p = await open();
    await render(p, { type: 'history', data: fixtureUserHistory('28d') });
    await p.page.locator('vscode-button').click();
    assert.deepEqual((await p.probe('posted')).at(-1), { type: 'exportCsv' });
    await send(p, { type: 'exported', path: '/tmp/usage.csv' });
    await p.page.getByText('Saved /tmp/usage.csv').waitFor();
  });

  it('shows the range it had before a reload until the host answers', async () => {
    const p = await open(darkUrl, { state: { ...userState, range: '90d' } });
    assert.equal(await p.probe('checkedRange'), '90d');
    await p.page.keyboard.press('Tab');
    assert.equal(await p.probe('focusedValue'), '90d', 'Tab enters the group on the checked radio');
  });

  it('has a CSP that reports what it blocks (the violation check above is live)', async () => {
    const p = await open();
    await p.probe('tryInlineStyle');
    await p.probe('until', 'violations', 0);
    assert.match((await p.probe('violations'))[0] ?? '', /^style-src-elem /);
    opened = undefined;
    await p.close();
  });
});
