import { strict as assert } from 'node:assert';
import { startCloudSimulator, type CloudSimulator } from '../../../../src/sim/cloud/cloudSimulator';
import type { CloudUser } from '../../../../src/sim/cloud/cloudSimState';
import { cloud, type ListBody } from './cloudTestClient';

const NOW = Date.UTC(2026, 10, 30, 12);
type Json = Record<string, unknown>;

describe('cloudSimulator: users, groups and roles', function () {
  this.timeout(60_000);
  let sim: CloudSimulator;

  before(async () => {
    sim = await startCloudSimulator({ users: 300, seed: 7, now: NOW });
  });

  after(async () => {
    await sim.close();
  });

  afterEach(() => {
    assert.deepEqual(sim.violations, []);
  });

  const list = async (path: string, token?: string): Promise<ListBody> => {
    const r = await cloud(sim, 'GET', path, token ? { token } : {});
    assert.equal(r.status, 200, r.text);
    return r.json<ListBody>();
  };

  /** Follows links.next.href verbatim to the end. */
  const walk = async (first: string): Promise<{ rows: Json[]; pages: ListBody[] }> => {
    const pages: ListBody[] = [];
    let href: string | undefined = first;
    while (href) {
      const page = await list(href);
      pages.push(page);
      href = page.links.next?.href;
    }
    return { rows: pages.flatMap((p) => p.data), pages };
  };

  const regular = (): CloudUser => {
    const u = sim.state.users.find((x) => x.status === 'active' && !sim.state.isTenantAdmin(x) && x.roleIds.length === 0);
    assert.ok(u);
    return u;
  };

  describe('paging', () => {
    it('walks every user exactly once at the maximum limit, by absolute links.next.href', async () => {
      const { rows, pages } = await walk('/api/v1/users?limit=100');
      assert.equal(pages.length, 3);
      const ids = rows.map((u) => u['id']);
      assert.equal(new Set(ids).size, ids.length, 'no user twice');
      assert.deepEqual([...ids].sort(), sim.state.users.map((u) => u.id).sort(), 'every user');
      const names = rows.map((u) => String(u['name']).toLowerCase());
      assert.deepEqual(names, [...names].sort(), 'sorted by +name by default');
      assert.match(pages[0]?.links.next?.href ?? '', new RegExp(`^${sim.url}/api/v1/users\\?limit=100&next=`));
      assert.equal(pages[0]?.links.prev, undefined);
      assert.equal(pages[2]?.links.next, undefined);
      assert.equal(pages[1]?.links.self?.href, pages[0]?.links.next?.href);
    });

    it('the cursors are opaque: no id, name or offset in them', async () => {
      const first = await list('/api/v1/users?limit=5');
      const cursor = new URL(first.links.next?.href ?? '').searchParams.get('next') ?? '';
      const last = first.data[4] ?? {};
      const raw = Buffer.from(cursor, 'base64url').toString('latin1');
      for (const secret of [String(last['id']), String(last['name']), '"5"', 'offset']) {
        assert.ok(!raw.includes(secret) && !cursor.includes(secret), secret);
      }
    });

    it('goes back with links.prev.href', async () => {
      const one = await list('/api/v1/users?limit=40');
      const two = await list(one.links.next?.href ?? '');
      const back = await list(two.links.prev?.href ?? '');
      assert.deepEqual(back.data.map((u) => u['id']), one.data.map((u) => u['id']));
      assert.equal(back.links.prev, undefined);
    });

    it('keeps its place when users come and go between pages', async () => {
      const one = await list('/api/v1/users?limit=100');
      const added = sim.state.addUser({ name: 'Aaron Aardvark', email: 'aaron@acme-analytics.example' });
      const gone = sim.state.users.find((u) => u.name > String(one.data[99]?.['name']) && u.status === 'active' && u.id !== sim.state.adminUserId);
      assert.ok(gone);
      sim.state.removeUser(gone.id);
      try {
        const rest = await walk(one.links.next?.href ?? '');
        const ids = [...one.data, ...rest.rows].map((u) => u['id']);
        assert.equal(new Set(ids).size, ids.length);
        assert.ok(!ids.includes(added.id), 'added before the cursor: not seen on later pages');
        assert.ok(!ids.includes(gone.id));
        assert.equal(ids.length, sim.state.users.length - 1);
      } finally {
        sim.state.removeUser(added.id);
        sim.state.users.push(gone);
      }
    });

    it('refuses a tampered cursor, next with prev, and a cursor of another query with 400', async () => {
      const first = await list('/api/v1/users?limit=10');
      const href = first.links.next?.href ?? '';
      const cursor = new URL(href).searchParams.get('next') ?? '';
      const flipped = cursor.slice(0, 10) + (cursor[10] === 'A' ? 'B' : 'A') + cursor.slice(11);
      for (const bad of [
        `/api/v1/users?limit=10&next=${flipped}`,
        `/api/v1/users?limit=10&next=${cursor}&prev=${cursor}`,
        `/api/v1/users?limit=10&prev=${cursor}`,
        `/api/v1/users?limit=10&sort=-name&next=${cursor}`,
        `/api/v1/users?limit=10&filter=${encodeURIComponent('status eq "active"')}&next=${cursor}`,
        `/api/v1/groups?next=${cursor}`,
      ]) {
        const r = await cloud(sim, 'GET', bad);
        assert.equal(r.status, 400, bad);
        const errors = r.json()['errors'] as { status: number; detail: string }[];
        assert.equal(errors[0]?.status, 400);
      }
    });

    it('counts with totalResults and sorts by the spec\'s fields', async () => {
      const page = await list('/api/v1/users?limit=3&totalResults=true&sort=-createdAt');
      assert.equal(page.totalResults, sim.state.users.length);
      const times = page.data.map((u) => Date.parse(String(u['createdAt'])));
      assert.deepEqual(times, [...times].sort((a, b) => b - a));
      assert.equal((await cloud(sim, 'GET', '/api/v1/users?limit=101')).status, 400);
      assert.deepEqual(sim.takeViolations(), ["request: GET /api/v1/users: query parameter 'limit' must be <= 100"]);
    });
  });

  describe('filters the client uses', () => {
    const filtered = async (filter: string): Promise<Json[]> => (await walk(`/api/v1/users?limit=100&filter=${encodeURIComponent(filter)}`)).rows;

    it('subject eq, email eq and id eq find one user', async () => {
      const u = regular();
      assert.deepEqual((await filtered(`subject eq "${u.subject}"`)).map((x) => x['id']), [u.id]);
      assert.deepEqual((await filtered(`email eq "${(u.email ?? '').toUpperCase()}"`)).map((x) => x['id']), [u.id], 'case-insensitive');
      assert.deepEqual((await filtered(`id eq "${u.id}"`)).map((x) => x['id']), [u.id]);
    });

    it('subject eq or email eq: one lookup for whichever the admin typed', async () => {
      const u = regular();
      for (const typed of [u.subject, u.email ?? '']) {
        const rows = await filtered(`subject eq ${JSON.stringify(typed)} or email eq ${JSON.stringify(typed)}`);
        assert.deepEqual(rows.map((x) => x['id']), [u.id], typed);
      }
      assert.deepEqual(await filtered('subject eq "auth0|nobody" or email eq "auth0|nobody"'), []);
    });

    it('fifty ids or-ed in one filter, whatever their status', async () => {
      const batch = sim.state.users.slice(-50);
      const rows = await filtered(batch.map((u) => `id eq "${u.id}"`).join(' or '));
      assert.deepEqual(rows.map((x) => x['id']).sort(), batch.map((u) => u.id).sort());
      assert.ok(rows.some((x) => x['status'] !== 'active'));
    });

    it('ids or-ed and statuses grouped and and-ed, as the spec shows', async () => {
      const [a, b] = sim.state.users.filter((u) => u.status === 'active');
      const c = sim.state.users.find((u) => u.status === 'disabled');
      assert.ok(a && b && c);
      const rows = await filtered(`(id eq "${a.id}" or id eq "${b.id}" or id eq "${c.id}") and (status eq "active")`);
      assert.deepEqual(rows.map((x) => x['id']).sort(), [a.id, b.id].sort());
    });

    it('status eq finds deleted and disabled users', async () => {
      const deleted = await filtered('status eq "deleted"');
      assert.equal(deleted.length, sim.state.users.filter((u) => u.status === 'deleted').length);
      assert.ok(deleted.length >= 2);
      assert.ok(deleted.every((u) => u['status'] === 'deleted'));
    });

    it('name co, email co, subject co, or-ed, and assignedRoles.name eq', async () => {
      const rows = await filtered('name co "anna" or email co "anna" or subject co "qlik-oauth"');
      assert.ok(rows.some((u) => String(u['name']).toLowerCase().includes('anna')));
      assert.ok(rows.some((u) => String(u['subject']).startsWith('qlik-oauth-client|')));
      const admins = await filtered('assignedRoles.name eq "TenantAdmin"');
      assert.deepEqual(admins.map((u) => u['id']).sort(), sim.state.users.filter((u) => sim.state.userRoles(u).some((r) => r.name === 'TenantAdmin')).map((u) => u.id).sort());
    });

    it('answers 400 in the users error shape for a status mixed into an or, an operator or field it does not allow', async () => {
      for (const bad of ['name eq "Bob" or name eq "Alice" and (status eq "active" or status eq "disabled")', 'name ne "x"', 'status co "act"', 'locale eq "en"', 'name eq Bob']) {
        const r = await cloud(sim, 'GET', `/api/v1/users?filter=${encodeURIComponent(bad)}`);
        assert.equal(r.status, 400, bad);
        const errors = r.json()['errors'] as { code: string; detail: string }[];
        assert.match(errors[0]?.detail ?? '', /^Invalid filter: /);
      }
    });

    it('POST /users/actions/filter takes the filter in the body', async () => {
      const u = regular();
      const r = await cloud(sim, 'POST', '/api/v1/users/actions/filter', { body: { filter: `id eq "${u.id}"` } });
      assert.equal(r.status, 200);
      assert.deepEqual(r.json<ListBody>().data.map((x) => x['id']), [u.id]);
    });
  });

  describe('users', () => {
    it('answers assignedRoles, never the removed roles, created or lastUpdated', async () => {
      const admin = await cloud(sim, 'GET', `/api/v1/users/${sim.state.adminUserId}`);
      const body = admin.json();
      assert.deepEqual((body['assignedRoles'] as Json[]).map((r) => r['name']).sort(), ['AnalyticsAdmin', 'TenantAdmin']);
      for (const removed of ['roles', 'created', 'lastUpdated']) {
        assert.ok(!(removed in body), removed);
      }
      assert.equal((body['links'] as { self: { href: string } }).self.href, `${sim.url}/api/v1/users/${sim.state.adminUserId}`);
    });

    it('fields picks fields (the required ones stay), and links only when named', async () => {
      const page = await list('/api/v1/users?limit=2&fields=email,status');
      assert.deepEqual(Object.keys(page.data[0] ?? {}).sort(), ['email', 'id', 'name', 'status', 'subject', 'tenantId']);
      const withLinks = await list('/api/v1/users?limit=2&fields=links');
      assert.ok('links' in (withLinks.data[0] ?? {}));
    });

    it('/users/me redirects to the caller with fields; a non-admin sees their own roles only', async () => {
      const u = regular();
      sim.state.users.find((x) => x.id === u.id)?.roleIds.push(sim.state.roleByName('License Viewer')?.id ?? '');
      try {
        const token = sim.apiKeyFor(u.id);
        const me = await cloud(sim, 'GET', '/api/v1/users/me?fields=assignedRoles', { token });
        assert.equal(me.status, 301);
        assert.equal(me.headers.location, `${sim.url}/api/v1/users/${u.id}?fields=assignedRoles`);
        assert.match(me.text, /Moved Permanently/);
        const self = await cloud(sim, 'GET', String(me.headers.location), { token });
        assert.deepEqual((self.json()['assignedRoles'] as Json[]).map((r) => r['name']), ['License Viewer']);
        const other = await cloud(sim, 'GET', `/api/v1/users/${sim.state.adminUserId}?fields=assignedRoles`, { token });
        assert.equal(other.status, 200);
        assert.ok(!('assignedRoles' in other.json()), 'others\' roles are hidden from non-admins');
      } finally {
        u.roleIds = [];
      }
    });

    it('404 for an unknown user, in the users error shape', async () => {
      const r = await cloud(sim, 'GET', '/api/v1/users/000000000000000000000000');
      assert.equal(r.status, 404);
      assert.deepEqual((r.json()['errors'] as Json[])[0], { code: 'USERS-7', title: 'Not found', detail: 'No user with id 000000000000000000000000.', status: 404 });
    });

    it('PATCH replace /status disables and re-enables; the user\'s key stops working meanwhile', async () => {
      const u = regular();
      const token = sim.apiKeyFor(u.id);
      const patch = (value: string) => cloud(sim, 'PATCH', `/api/v1/users/${u.id}`, { body: [{ op: 'replace', path: '/status', value }] });
      const r = await patch('disabled');
      assert.equal(r.status, 204);
      assert.equal(r.text, '');
      assert.equal((await cloud(sim, 'GET', `/api/v1/users/${u.id}`)).json()['status'], 'disabled');
      assert.equal((await cloud(sim, 'GET', '/api/v1/users/me', { token })).status, 401);
      assert.equal((await patch('active')).status, 204);
      assert.equal((await cloud(sim, 'GET', '/api/v1/users/me', { token })).status, 301);
      assert.equal((await patch('deleted')).status, 400);
      assert.equal(u.status, 'active');
    });

    it('PATCH replace /assignedRoles by id or name; all or nothing', async () => {
      const u = regular();
      const viewer = sim.state.roleByName('License Viewer');
      assert.ok(viewer);
      const patch = (body: unknown) => cloud(sim, 'PATCH', `/api/v1/users/${u.id}`, { body });
      try {
        assert.equal((await patch([{ op: 'replace', path: '/assignedRoles', value: [{ name: 'License Viewer' }, { id: sim.state.roleByName('AuditAdmin')?.id }] }])).status, 204);
        assert.deepEqual(sim.state.userRoles(u).map((r) => r.name).sort(), ['AuditAdmin', 'License Viewer']);
        assert.equal((await patch([{ op: 'remove-value', path: '/assignedRoles', value: { id: viewer.id } }])).status, 204);
        assert.deepEqual(sim.state.userRoles(u).map((r) => r.name), ['AuditAdmin']);
        const refused = await patch([{ op: 'replace', path: '/status', value: 'disabled' }, { op: 'replace', path: '/assignedRoles', value: [{ name: 'No Such Role' }] }]);
        assert.equal(refused.status, 400);
        assert.equal(u.status, 'active', 'the valid operation was not applied either');
        assert.equal((await patch([{ op: 'set', path: '/roles', value: ['TenantAdmin'] }])).status, 400);
        assert.deepEqual(sim.takeViolations(), [], 'set /roles is still in the spec\'s enums');
      } finally {
        u.roleIds = [];
      }
    });

    it('PATCH and DELETE need a tenant admin', async () => {
      const u = regular();
      const other = sim.state.users.find((x) => x.status === 'active' && x.id !== u.id && !sim.state.isTenantAdmin(x));
      assert.ok(other);
      const r = await cloud(sim, 'PATCH', `/api/v1/users/${other.id}`, { token: sim.apiKeyFor(u.id), body: [{ op: 'replace', path: '/status', value: 'disabled' }] });
      assert.equal(r.status, 403);
      assert.equal(other.status, 'active');
      assert.equal((await cloud(sim, 'DELETE', `/api/v1/users/${other.id}`, { token: sim.apiKeyFor(u.id) })).status, 403);
    });

    it('POST creates an invited user; DELETE removes one; count counts', async () => {
      const before = sim.state.users.length;
      const created = await cloud(sim, 'POST', '/api/v1/users', { body: { subject: 'auth0|newcomer', name: 'New Comer', email: 'new@acme-analytics.example' } });
      assert.equal(created.status, 201);
      assert.equal(created.json()['status'], 'invited');
      assert.equal((await cloud(sim, 'POST', '/api/v1/users', { body: { subject: 'auth0|newcomer' } })).status, 409);
      assert.equal((await cloud(sim, 'GET', '/api/v1/users/actions/count')).json()['total'], before + 1);
      assert.equal((await cloud(sim, 'DELETE', `/api/v1/users/${String(created.json()['id'])}`)).status, 204);
      assert.equal(sim.state.users.length, before);
    });
  });

  describe('groups', () => {
    it('lists groups with paging and filters', async () => {
      const { rows } = await walk('/api/v1/groups?limit=4');
      assert.equal(rows.length, sim.state.groups.length);
      const admins = await list(`/api/v1/groups?filter=${encodeURIComponent('name eq "qlik admins"')}`);
      assert.deepEqual(admins.data.map((g) => g['name']), ['Qlik Admins']);
      assert.deepEqual(((admins.data[0]?.['assignedRoles'] as Json[]) ?? []).map((r) => r['name']), ['TenantAdmin']);
      const custom = await list(`/api/v1/groups?filter=${encodeURIComponent('providerType eq "custom"')}`);
      assert.ok(custom.data.length >= 1 && custom.data.every((g) => g['providerType'] === 'custom'));
    });

    it('systemGroups=true answers Everyone, alone', async () => {
      const r = await list('/api/v1/groups?systemGroups=true');
      assert.deepEqual(r.data.map((g) => g['name']), ['com.qlik.Everyone']);
      assert.equal((await cloud(sim, 'GET', '/api/v1/groups?systemGroups=true&limit=5')).status, 400);
    });

    it('gets one group; 404 for an unknown one', async () => {
      const g = sim.state.groups[0];
      assert.ok(g);
      assert.equal((await cloud(sim, 'GET', `/api/v1/groups/${g.id}`)).json()['name'], g.name);
      const missing = await cloud(sim, 'GET', '/api/v1/groups/000000000000000000000009');
      assert.equal(missing.status, 404);
      assert.equal((missing.json()['errors'] as Json[])[0]?.['code'], 'GROUPS-7');
    });

    it('a group\'s roles make its members tenant admins', async () => {
      const u = regular();
      const admins = sim.state.groups.find((g) => g.name === 'Qlik Admins');
      assert.ok(admins);
      u.groupIds.push(admins.id);
      try {
        assert.equal((await cloud(sim, 'GET', '/api/v1/roles', { token: sim.apiKeyFor(u.id) })).status, 200);
      } finally {
        u.groupIds.pop();
      }
      assert.equal((await cloud(sim, 'GET', '/api/v1/roles', { token: sim.apiKeyFor(u.id) })).status, 403);
    });
  });

  describe('roles', () => {
    it('lists every role to a tenant admin, paged, and gets one', async () => {
      const { rows } = await walk('/api/v1/roles?limit=5');
      assert.deepEqual(rows.map((r) => r['name']).sort(), sim.state.roles.map((r) => r.name).sort());
      const tenantAdmin = rows.find((r) => r['name'] === 'TenantAdmin');
      assert.equal(tenantAdmin?.['level'], 'admin');
      assert.equal((await cloud(sim, 'GET', `/api/v1/roles/${String(tenantAdmin?.['id'])}`)).json()['name'], 'TenantAdmin');
      const custom = await list(`/api/v1/roles?filter=${encodeURIComponent('type eq "custom"')}`);
      assert.ok(custom.data.length > 0 && custom.data.every((r) => r['type'] === 'custom'));
      assert.equal((await cloud(sim, 'GET', '/api/v1/roles/000000000000000000000009')).status, 404);
    });
  });
});
