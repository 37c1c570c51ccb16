import { strict as assert } from 'node:assert';
import { silentLogger, type Logger } from '../../../src/core/logger';
import { HistoryController, historyTitle, type HistoryView } from '../../../src/panels/historyController';
import type { HistoryTarget } from '../../../src/panels/historyTarget';
import type { HostMessage } from '../../../src/protocol/historyMessages';
import { FixtureHistoryProvider } from '../../webview/historyFixtures';

const user: HistoryTarget = { connectionId: 'c1', userKey: 'CORP\\jdoe' };
const site: HistoryTarget = { connectionId: 'c1', userKey: null };

/** A view recording what the controller did to it. */
class RecordingView implements HistoryView {
  posted: HostMessage[] = [];
  titles: string[] = [];
  errors: string[] = [];
  saved: { name: string; csv: string }[] = [];
  saveAnswer: string | undefined | Error = '/tmp/out.csv';

  post(m: HostMessage): void {
    this.posted.push(m);
  }
  setTitle(t: string): void {
    this.titles.push(t);
  }
  async saveCsv(name: string, csv: string): Promise<string | undefined> {
    this.saved.push({ name, csv });
    if (this.saveAnswer instanceof Error) {
      throw this.saveAnswer;
    }
    return this.saveAnswer;
  }
  showError(m: string): void {
    this.errors.push(m);
  }
  types(): string[] {
    return this.posted.map((m) => m.type);
  }
}

function setup(target = user, logger: Logger = silentLogger) {
  const provider = new FixtureHistoryProvider();
  const view = new RecordingView();
  const controller = new HistoryController(target, '28d', provider, view, logger);
  return { provider, view, controller };
}

describe('HistoryController', () => {
  it('answers ready with the state to persist, a loading state, then the data', async () => {
    const { provider, view, controller } = setup();
    await controller.receive({ type: 'ready' });
    assert.deepEqual(view.types(), ['init', 'loading', 'history']);
    assert.deepEqual(view.posted[0], { type: 'init', state: { connection: 'c1', user: 'CORP\\jdoe', range: '28d', connectionName: 'Demo site' } });
    assert.deepEqual(provider.calls, ['user c1 CORP\\jdoe 28d']);
    assert.deepEqual(view.titles, ['Usage: Jane Doe']);
  });

  it('loads the site totals for a site target', async () => {
    const { provider, view, controller } = setup(site);
    await controller.receive({ type: 'ready' });
    assert.deepEqual(provider.calls, ['site c1 28d']);
    assert.deepEqual(view.titles, ['Usage: Demo site (site)']);
  });

  it('switches range and remembers it for the serializer', async () => {
    const { provider, view, controller } = setup();
    await controller.receive({ type: 'setRange', range: '1y' });
    assert.deepEqual(provider.calls, ['user c1 CORP\\jdoe 1y']);
    assert.deepEqual(controller.state, { connection: 'c1', user: 'CORP\\jdoe', range: '1y', connectionName: 'Demo site' });
    const last = view.posted.at(-1);
    assert.equal(last?.type === 'history' && last.data.range, '1y');
  });

  it('validates every message: anything else is logged and does nothing', async () => {
    const warnings: string[] = [];
    const { provider, view, controller } = setup(user, { ...silentLogger, warn: (m) => warnings.push(m) });
    for (const m of [null, 'ready', { type: 'setRange', range: '10y' }, { type: 'exportCsv ' }, { type: '__proto__' }]) {
      await controller.receive(m);
    }
    assert.deepEqual(view.posted, []);
    assert.deepEqual(provider.calls, []);
    assert.equal(warnings.length, 5);
  });

  it('drops an answer overtaken by a newer range', async () => {
    const { provider, view, controller } = setup();
    provider.delayMs = 30;
    const slow = controller.receive({ type: 'setRange', range: 'all' });
    provider.delayMs = 0;
    await controller.receive({ type: 'setRange', range: '90d' });
    await slow;
    const histories = view.posted.filter((m) => m.type === 'history');
    assert.equal(histories.length, 1);
    assert.equal(histories[0]?.type === 'history' && histories[0].data.range, '90d');
  });

  it('shows the provider error in the panel', async () => {
    const { provider, view, controller } = setup();
    provider.fail = 'No usage history is recorded for this connection yet.';
    await controller.receive({ type: 'ready' });
    assert.deepEqual(view.posted.at(-1), { type: 'error', message: 'No usage history is recorded for this connection yet.' });
  });

  it('exports the shown series as CSV and reports where', async () => {
    const { view, controller } = setup();
    await controller.receive({ type: 'ready' });
    await controller.receive({ type: 'exportCsv' });
    assert.equal(view.saved.length, 1);
    assert.match(view.saved[0]?.name ?? '', /^usage-Demo-site-CORP-jdoe-28-days-\d{4}-\d\d-\d\d\.csv$/);
    assert.match(view.saved[0]?.csv ?? '', /^day,Login passes per day,/);
    assert.equal((view.saved[0]?.csv.match(/\r\n/g) ?? []).length, 29, 'header and 28 days');
    assert.deepEqual(view.posted.at(-1), { type: 'exported', path: '/tmp/out.csv' });
  });

  it('does nothing when the save dialog is cancelled, and says why when writing fails', async () => {
    const { view, controller } = setup();
    await controller.receive({ type: 'ready' });
    const before = view.posted.length;
    view.saveAnswer = undefined;
    await controller.receive({ type: 'exportCsv' });
    assert.equal(view.posted.length, before);
    view.saveAnswer = new Error('EACCES: permission denied');
    await controller.receive({ type: 'exportCsv' });
    assert.deepEqual(view.errors, ['Could not export the CSV: EACCES: permission denied']);
  });

  it('refuses to export before data arrived (or while a new range loads)', async () => {
    const { view, controller } = setup();
    await controller.receive({ type: 'exportCsv' });
    assert.equal(view.saved.length, 0);
    assert.equal(view.errors.length, 1);
  });

  it('titles panels before their data arrives', () => {
    assert.equal(historyTitle(user, 'Prod'), 'Usage: CORP\\jdoe');
    assert.equal(historyTitle(site, 'Prod'), 'Usage: Prod (site)');
    assert.equal(historyTitle(site, undefined), 'Usage: site totals');
  });
});
