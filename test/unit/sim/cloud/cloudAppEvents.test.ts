import { strict as assert } from 'node:assert';
import { DAY_MS } from '../../../../src/core/model';
import { generateCloudData, type CloudGeneratorOptions } from '../../../../src/sim/cloud/cloudDataGenerator';
import { startCloudSimulator, type CloudSimulator } from '../../../../src/sim/cloud/cloudSimulator';
import { cloud, type ListBody } from './cloudTestClient';

const NOW = Date.UTC(2026, 10, 30, 12);
type Json = Record<string, unknown>;
const SESSION_TYPES = ['com.qlik.user-session.begin', 'com.qlik.user-session.end'];

describe('cloudSimulator: app events in the audit log', function () {
  this.timeout(60_000);
  const sims: CloudSimulator[] = [];

  async function simulator(appEvents?: 'current' | 'v1' | 'none'): Promise<CloudSimulator> {
    const sim = await startCloudSimulator({ users: 200, seed: 11, now: NOW, ...(appEvents ? { appEvents } : {}) });
    sims.push(sim);
    return sim;
  }

  afterEach(async () => {
    const seen = sims.splice(0);
    await Promise.all(seen.map((s) => s.close()));
    for (const sim of seen) {
      assert.deepEqual(sim.violations, [], 'requests and answers fit specs/cloud');
    }
  });

  async function get(sim: CloudSimulator, path: string): Promise<Json> {
    const r = await cloud(sim, 'GET', path);
    assert.equal(r.status, 200, r.text);
    return r.json();
  }

  async function walk(sim: CloudSimulator, path: string): Promise<Json[]> {
    const rows: Json[] = [];
    let next: string | undefined = path;
    while (next) {
      const page = (await get(sim, next)) as unknown as ListBody;
      rows.push(...(page.data as Json[]));
      next = page.links?.next?.href;
    }
    return rows;
  }

  it('lists the app event types a tenant records, by the names it uses, beside the session types', async () => {
    const [current, v1, none] = await Promise.all([simulator(), simulator('v1'), simulator('none')]);
    assert.deepEqual(
      (await get(current, '/api/v1/audits/types'))['data'],
      [
        'com.qlik.app.created',
        'com.qlik.app.data.updated',
        'com.qlik.app.deleted',
        'com.qlik.app.exported',
        'com.qlik.app.published',
        ...SESSION_TYPES,
        'com.qlik.v1.app.opened',
        'com.qlik.v1.app.reload.finished',
      ],
    );
    const legacy = (await get(v1, '/api/v1/audits/types'))['data'] as string[];
    assert.ok(legacy.includes('com.qlik.v1.app.created') && !legacy.includes('com.qlik.app.created'));
    assert.deepEqual((await get(none, '/api/v1/audits/types'))['data'], SESSION_TYPES);
    assert.deepEqual(none.state.appEvents, []);
    assert.deepEqual((await get(current, '/api/v1/audits/sources'))['data'], ['com.qlik/edge-auth', 'com.qlik/apps']);
  });

  it('serves app events by type and user, each naming the acting user and the app; only professionals author', async () => {
    const sim = await simulator();
    const window = `eventTime=${new Date(NOW - 90 * DAY_MS).toISOString()}/${new Date(NOW).toISOString()}`;
    const created = await walk(sim, `/api/v1/audits?limit=100&eventType=com.qlik.app.created&${window}`);
    const expected = sim.state.appEvents.filter((e) => e.eventType === 'com.qlik.app.created' && e.eventTime >= NOW - 90 * DAY_MS);
    assert.ok(expected.length > 5);
    assert.deepEqual(created.map((e) => e['id']).sort(), expected.map((e) => e.id).sort());
    for (const e of created) {
      assert.equal(e['source'], 'com.qlik/apps');
      const user = sim.state.user(String(e['userId']));
      assert.equal(user && sim.state.assignmentOf(user.subject)?.type, 'professional', 'the author holds a professional license');
      assert.ok(sim.state.appIds.includes(String((e['data'] as Json)['id'])));
    }
    const someone = expected[0];
    assert.ok(someone);
    const theirs = await walk(sim, `/api/v1/audits?limit=100&userId=${someone.userId}&source=com.qlik/apps`);
    assert.ok(theirs.length > 0 && theirs.every((e) => e['userId'] === someone.userId && e['source'] === 'com.qlik/apps'));
    const event = await get(sim, `/api/v1/audits/${someone.id}`);
    assert.equal(event['eventType'], 'com.qlik.app.created');
  });

  it('has professionals who author and professionals who only open apps', async () => {
    const sim = await simulator();
    const authoring = new Set(['com.qlik.app.created', 'com.qlik.app.data.updated', 'com.qlik.app.published']);
    const recent = sim.state.appEvents.filter((e) => e.eventTime >= NOW - 90 * DAY_MS);
    const authors = new Set(recent.filter((e) => authoring.has(e.eventType)).map((e) => e.userId));
    const openers = new Set(recent.filter((e) => e.eventType === 'com.qlik.v1.app.opened').map((e) => e.userId));
    const consumers = [...openers].filter((id) => !authors.has(id));
    assert.ok(authors.size >= 5 && consumers.length >= 5, `${authors.size} authors, ${consumers.length} consumers`);
  });

  it('records an app event a test adds, and lists a type the tenant had not recorded before', async () => {
    const sim = await simulator();
    const user = sim.state.users.find((u) => u.status === 'active' && sim.state.assignmentOf(u.subject)?.type === 'professional');
    assert.ok(user);
    const event = sim.state.addAppEvent(user.id, 'com.qlik.v1.app.published', NOW - DAY_MS);
    const found = await walk(sim, `/api/v1/audits?limit=100&eventType=com.qlik.v1.app.published&userId=${user.id}`);
    assert.deepEqual(found.map((e) => e['id']), [event.id]);
    assert.ok(((await get(sim, '/api/v1/audits/types'))['data'] as string[]).includes('com.qlik.v1.app.published'));
  });

  it('draws app events from a PRNG of their own: the rest of a seeded tenant is the same with or without them', () => {
    const base: CloudGeneratorOptions = { users: 150, seed: 3, now: NOW, subscription: 'user-based', orphans: 3, deletedUsers: 2 };
    const { appEvents, appEventTypes, ...rest } = generateCloudData(base);
    const without = generateCloudData({ ...base, appEvents: 'none' });
    assert.ok(appEvents.length > 0 && appEventTypes.length > 0);
    assert.deepEqual(without.appEvents, []);
    assert.deepEqual({ ...without, appEvents: [], appEventTypes: [] }, { ...rest, appEvents: [], appEventTypes: [] });
  });
});
