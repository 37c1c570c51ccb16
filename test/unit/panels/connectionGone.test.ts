import { strict as assert } from 'node:assert';
import type { Logger } from '../../../src/core/logger';
import { ConnectionGoneError, type ConnectionAbsence } from '../../../src/panels/connectionGoneError';
import { HistoryController, type HistoryView } from '../../../src/panels/historyController';
import type { HistoryDataProvider } from '../../../src/panels/historyDataProvider';
import { StoreHistoryProvider } from '../../../src/panels/storeHistoryProvider';
import { parsePanelState, type HostMessage } from '../../../src/protocol/historyMessages';
import { demoKindOf, DEMOS, type DemoKind } from '../../../src/views/demos';

/** A provider whose connections are all gone, for the reason given. */
function goneProvider(absence: ConnectionAbsence): HistoryDataProvider {
  return new StoreHistoryProvider({
    name: () => undefined,
    kind: () => undefined,
    store: () => Promise.reject(new Error('not asked')),
    overview: () => undefined,
    userName: () => undefined,
    absence: () => absence,
  });
}

function recordingView(): HistoryView & { posted: HostMessage[]; demoOffers: DemoKind[] } {
  const view = {
    posted: [] as HostMessage[],
    demoOffers: [] as DemoKind[],
    post: (m: HostMessage) => void view.posted.push(m),
    setTitle: () => undefined,
    saveCsv: async () => undefined,
    showError: () => undefined,
    offerDemo: (demo: DemoKind) => void view.demoOffers.push(demo),
  };
  return view;
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, trace: () => undefined, debug: () => undefined, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
}

describe('a history tab whose connection is gone', () => {
  it('names the removed connection and where its history is kept, and how to see it again', () => {
    const e = new ConnectionGoneError('4f7c-id', { kind: 'removed', keptIn: '/data/history/4f7c' });
    assert.equal(
      e.describe('Prod'),
      'The connection "Prod" was removed from the settings (licenseSteward.connections); its usage history is kept in /data/history/4f7c. To see it here again, add it back with "id": "4f7c-id" in licenseSteward.connections.',
    );
    assert.match(e.message, /^The connection this tab showed was removed/);
  });

  it('says so when nothing was ever recorded, and names a connection keyed by name', () => {
    assert.equal(new ConnectionGoneError('x', { kind: 'removed', keptIn: null }).describe('Lab'), 'The connection "Lab" was removed from the settings (licenseSteward.connections), and no usage history was recorded for it.');
    assert.match(new ConnectionGoneError('name:lab', { kind: 'removed' }).describe('Lab'), /its usage history stays on this machine\. To see it here again, add a connection named "Lab" again/);
  });

  it('offers the demo again, once per load, and tells the page why it is empty', async () => {
    const view = recordingView();
    const logger = recordingLogger();
    const controller = new HistoryController({ connectionId: 'demo', userKey: null, connectionName: 'Demo site' }, '28d', goneProvider({ kind: 'demo', demo: 'qrs' }), view, logger);
    await controller.receive({ type: 'ready' });
    const last = view.posted.at(-1);
    assert.equal(last?.type, 'error');
    assert.match(last?.type === 'error' ? last.message : '', /^The demo site is not running: .* Open the demo site again \(License Steward: Open Demo Site\) and this tab fills in\.$/);
    assert.deepEqual(view.demoOffers, ['qrs']);
    assert.ok(logger.lines.every((l) => l.startsWith('info ')), 'a gone connection is not an error');
  });

  it('knows each demo by its id, and no other connection as one', () => {
    for (const kind of Object.keys(DEMOS) as DemoKind[]) {
      assert.equal(demoKindOf(DEMOS[kind].id), kind);
    }
    // The QRS demo's id predates the others and is in the state of tabs saved by earlier versions.
    assert.equal(demoKindOf('demo'), 'qrs');
    assert.equal(demoKindOf('demo-licstats'), 'licstats');
    for (const id of ['4f7c-id', 'name:demo', 'name:demo tenant', 'Demo site', '']) {
      assert.equal(demoKindOf(id), undefined, id);
    }
  });

  it('names a Qlik Cloud or License Statistics demo and offers that kind again, not the Qlik Sense site', async () => {
    const expected: readonly [DemoKind, string][] = [
      ['cloud', 'demo Qlik Cloud tenant'],
      ['capacity', 'demo capacity tenant'],
      ['licstats', 'demo License Statistics server'],
    ];
    for (const [demo, called] of expected) {
      const view = recordingView();
      const id = DEMOS[demo].id;
      const controller = new HistoryController({ connectionId: id, userKey: 'alice', connectionName: DEMOS[demo].name }, '28d', goneProvider({ kind: 'demo', demo }), view, recordingLogger());
      await controller.receive({ type: 'ready' });
      const last = view.posted.at(-1);
      assert.equal(
        last?.type === 'error' ? last.message : '',
        `The ${called} is not running: it lives only as long as the window that opened it, and its simulated history is not kept. Open the ${called} again (License Steward: Open Demo Site) and this tab fills in.`,
      );
      assert.deepEqual(view.demoOffers, [demo]);
    }
  });

  it('remembers the connection name in the state it persists, and uses it once the connection is gone', async () => {
    const view = recordingView();
    const controller = new HistoryController({ connectionId: 'c9', userKey: 'CORP\\ann', connectionName: 'Prod' }, '90d', goneProvider({ kind: 'removed', keptIn: '/k' }), view, recordingLogger());
    await controller.receive({ type: 'ready' });
    assert.deepEqual(view.posted[0], { type: 'init', state: { connection: 'c9', user: 'CORP\\ann', range: '90d', connectionName: 'Prod' } });
    const last = view.posted.at(-1);
    assert.match(last?.type === 'error' ? last.message : '', /^The connection "Prod" was removed/);
    assert.deepEqual(view.demoOffers, []);
    // What the page persists comes back after a reload with the name.
    assert.deepEqual(parsePanelState({ connection: 'c9', user: null, range: '1y', connectionName: 'Prod' }), { connection: 'c9', user: null, range: '1y', connectionName: 'Prod' });
    assert.deepEqual(parsePanelState({ connection: 'c9', user: null, range: '1y', connectionName: 7 }), { connection: 'c9', user: null, range: '1y' });
  });
});
