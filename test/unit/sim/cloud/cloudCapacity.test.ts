import { strict as assert } from 'node:assert';
import { DAY_MS } from '../../../../src/core/model';
import { startCloudSimulator, type CloudSimulator } from '../../../../src/sim/cloud/cloudSimulator';
import { cloud, type ListBody } from './cloudTestClient';

const NOW = Date.UTC(2026, 10, 30, 12);
type Json = Record<string, unknown>;
const BEGIN = 'com.qlik.user-session.begin';
const END = 'com.qlik.user-session.end';

describe('cloudSimulator: capacity tenant and audits', function () {
  this.timeout(60_000);
  let sim: CloudSimulator;

  before(async () => {
    sim = await startCloudSimulator({ users: 200, seed: 21, now: NOW, subscription: 'capacity' });
  });

  after(async () => {
    await sim.close();
  });

  afterEach(() => {
    assert.deepEqual(sim.violations, []);
  });

  const get = async (path: string, token?: string): Promise<Json> => {
    const r = await cloud(sim, 'GET', path, token ? { token } : {});
    assert.equal(r.status, 200, r.text);
    return r.json();
  };

  const walk = async (first: string): Promise<Json[]> => {
    const rows: Json[] = [];
    let href: string | undefined = first;
    while (href) {
      const page = (await get(href)) as unknown as ListBody;
      rows.push(...page.data);
      href = page.links.next?.href;
    }
    return rows;
  };

  describe('licenses', () => {
    it('reports purchased Full Users and who signed in this month; no professional or analyzer allotment', async () => {
      const overview = await get('/api/v1/licenses/overview');
      const allotments = overview['allotments'] as { name: string; units: number; unitsUsed: number; overage: number }[];
      assert.deepEqual(allotments.map((a) => a.name), ['fullUser']);
      const full = allotments[0];
      assert.ok(full);
      const monthStart = Date.UTC(2026, 10, 1);
      const signedIn = new Set(sim.state.sessions.filter((s) => s.begin >= monthStart).map((s) => s.userId));
      assert.equal(full.unitsUsed, signedIn.size);
      assert.ok(full.units >= full.unitsUsed);
      assert.equal(full.overage, full.units * 10, 'overage up to 10× the purchased amount');
      assert.match(String(overview['product']), /^Qlik Cloud Analytics (Standard|Premium|Enterprise)$/);
    });

    it('has no assignments and refuses every assignment action row by row', async () => {
      assert.deepEqual((await get('/api/v1/licenses/assignments'))['data'], []);
      const user = sim.state.users.find((u) => u.status === 'active' && u.clientId === undefined);
      assert.ok(user);
      const add = await cloud(sim, 'POST', '/api/v1/licenses/assignments/actions/add', {
        body: { add: ['professional', 'analyzer', 'fullUser'].map((type) => ({ subject: user.subject, type })) },
      });
      assert.equal(add.status, 207);
      assert.deepEqual(
        add.json<{ data: Json[] }>().data.map((r) => [r['type'], r['status'], r['code']]),
        [['professional', 403, 'LICENSES-011'], ['analyzer', 403, 'LICENSES-011'], ['fullUser', 403, 'LICENSES-011']],
      );
      assert.deepEqual(sim.state.assignments, []);
      const del = await cloud(sim, 'POST', '/api/v1/licenses/assignments/actions/delete', { body: { delete: [{ subject: user.subject, type: 'professional' }] } });
      assert.equal(del.json<{ data: Json[] }>().data[0]?.['code'], 'LICENSES-016');
    });

    it('has no auto-assign settings and no analyzer capacity consumption', async () => {
      assert.deepEqual(await get('/api/v1/licenses/settings'), {});
      assert.equal((await cloud(sim, 'PUT', '/api/v1/licenses/settings', { body: { autoAssignAnalyzer: true } })).status, 400);
      assert.deepEqual((await get('/api/v1/licenses/consumption'))['data'], []);
    });

    it('roles say which make a Full User', async () => {
      const roles = await walk('/api/v1/roles?limit=100');
      assert.equal(roles.find((r) => r['name'] === 'SharedSpaceCreator')?.['userEntitlementType'], 'fullUser');
      assert.equal(roles.find((r) => r['name'] === 'TenantAdmin')?.['userEntitlementType'], undefined);
    });
  });

  describe('audits', () => {
    const events = (query: string): Promise<Json[]> => walk(`/api/v1/audits?limit=100&${query}`);
    const window = `eventTime=${new Date(NOW - 90 * DAY_MS).toISOString()}/${new Date(NOW).toISOString()}`;

    it('walks the session events of 90 days exactly once, newest first, by next cursors', async () => {
      const rows = await events(`eventType=${BEGIN}&${window}`);
      const expected = sim.state.audits.filter((e) => e.eventType === BEGIN && e.eventTime >= NOW - 90 * DAY_MS);
      assert.equal(rows.length, expected.length);
      assert.ok(rows.length > 500);
      assert.equal(new Set(rows.map((e) => e['id'])).size, rows.length);
      assert.ok(rows.every((e) => e['eventType'] === BEGIN));
      const times = rows.map((e) => Date.parse(String(e['eventTime'])));
      assert.deepEqual(times, [...times].sort((a, b) => b - a));
    });

    it('pairs begin and end by the session id in data', async () => {
      const user = sim.state.sessions.at(-1)?.userId ?? '';
      const rows = await events(`userId=${user}`);
      const begins = rows.filter((e) => e['eventType'] === BEGIN).map((e) => (e['data'] as Json)['sessionId']);
      const ends = rows.filter((e) => e['eventType'] === END).map((e) => (e['data'] as Json)['sessionId']);
      assert.ok(begins.length > 0);
      assert.deepEqual([...begins].sort(), [...ends].sort());
    });

    it('shows users who have not signed in for over 30 days', async () => {
      const rows = await events(`eventType=${BEGIN}`);
      const last = new Map<string, number>();
      for (const e of rows) {
        const t = Date.parse(String(e['eventTime']));
        last.set(String(e['userId']), Math.max(last.get(String(e['userId'])) ?? 0, t));
      }
      for (const [id, t] of last) {
        assert.equal(sim.state.lastSignIn(id), t, 'the state helper agrees with the audit trail');
      }
      const inactive = [...last].filter(([, t]) => NOW - t > 30 * DAY_MS);
      const recent = [...last].filter(([, t]) => NOW - t <= 7 * DAY_MS);
      assert.ok(inactive.length >= 10, `${inactive.length} inactive users`);
      assert.ok(recent.length >= 50);
      const never = sim.state.users.filter((u) => u.status === 'active' && !last.has(u.id));
      assert.ok(never.length > 0, 'some never signed in at all');
    });

    it('filters by an eventTime interval, and refuses a bad one', async () => {
      const from = NOW - 7 * DAY_MS;
      const rows = await events(`eventTime=${new Date(from).toISOString()}/${new Date(NOW).toISOString()}`);
      assert.equal(rows.length, sim.state.audits.filter((e) => e.eventTime >= from && e.eventTime <= NOW).length);
      assert.equal((await cloud(sim, 'GET', `/api/v1/audits?eventTime=${new Date(NOW).toISOString()}/${new Date(from).toISOString()}`)).status, 400);
      assert.equal((await cloud(sim, 'GET', '/api/v1/audits?sort=eventTime')).status, 400, 'sort needs its + or -');
    });

    it('keeps 90 days: older events leave the list, stay in the archive', async () => {
      const oldest = sim.state.audits[0];
      assert.ok(oldest);
      assert.equal((await cloud(sim, 'GET', `/api/v1/audits/${oldest.id}`)).status, 200);
      const before = (await events(`eventType=${BEGIN}`)).length;
      sim.clock.advance(10 * DAY_MS);
      try {
        const after = (await events(`eventType=${BEGIN}`)).length;
        const dropped = sim.state.audits.filter((e) => e.eventType === BEGIN && e.eventTime < NOW + 10 * DAY_MS - 90 * DAY_MS).length;
        assert.ok(dropped > 0);
        assert.equal(after, before - dropped);
        const gone = await cloud(sim, 'GET', `/api/v1/audits/${oldest.id}`);
        assert.equal(gone.status, 404);
        const day = new Date(oldest.eventTime).toISOString().slice(0, 10);
        const archived = await get(`/api/v1/audits/archive?date=${day}`);
        assert.ok((archived['data'] as Json[]).some((e) => e['eventId'] === oldest.eventId));
        assert.equal((await cloud(sim, 'GET', `/api/v1/audits/archive?date=${new Date(NOW).toISOString().slice(0, 10)}`)).status, 404);
      } finally {
        sim.clock.set(NOW);
      }
    });

    it('a non-admin reads their own trail only', async () => {
      const s = [...sim.state.sessions].reverse().find((x) => {
        const u = sim.state.user(x.userId);
        return u !== undefined && u.status === 'active' && !sim.state.isTenantAdmin(u);
      });
      assert.ok(s);
      const token = sim.apiKeyFor(s.userId);
      const mine = await get('/api/v1/audits?limit=100', token);
      assert.ok((mine['data'] as Json[]).length > 0);
      assert.ok((mine['data'] as Json[]).every((e) => e['userId'] === s.userId));
      const others = await get(`/api/v1/audits?userId=${sim.state.adminUserId}`, token);
      assert.deepEqual(others['data'], []);
    });

    it('lists its types and sources, and its settings say 90 days', async () => {
      assert.deepEqual((await get('/api/v1/audits/types'))['data'], [BEGIN, END]);
      assert.equal(((await get('/api/v1/audits/sources'))['data'] as string[]).length, 1);
      assert.deepEqual((await get('/api/v1/audits/settings'))['data'], { EventTTL: 90 * 86_400, ArchiveEnabled: true });
    });
  });

  describe('releasing a Full User', () => {
    it('Disable User is PATCH replace /status on a user idle for 30 days; the users API then shows them disabled', async () => {
      const rows = await walk(`/api/v1/audits?limit=100&eventType=${BEGIN}`);
      const lastSeen = new Map<string, number>();
      for (const e of rows) {
        lastSeen.set(String(e['userId']), Math.max(lastSeen.get(String(e['userId'])) ?? 0, Date.parse(String(e['eventTime']))));
      }
      const [idle] = [...lastSeen].filter(([id, t]) => NOW - t > 30 * DAY_MS && sim.state.user(id)?.status === 'active');
      assert.ok(idle);
      const r = await cloud(sim, 'PATCH', `/api/v1/users/${idle[0]}`, { body: [{ op: 'replace', path: '/status', value: 'disabled' }] });
      assert.equal(r.status, 204);
      const user = await get(`/api/v1/users/${idle[0]}`);
      assert.equal(user['status'], 'disabled');
      const disabled = await walk(`/api/v1/users?limit=100&filter=${encodeURIComponent(`(id eq "${idle[0]}") and (status eq "disabled")`)}`);
      assert.equal(disabled.length, 1);
    });
  });
});
