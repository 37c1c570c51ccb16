import { strict as assert } from 'node:assert';
import { DAY_MS } from '../../../src/core/model';
import { startQrsSimulator, type QrsSimulator } from '../../../src/sim/qrs/qrsSimulator';
import { callSim, qrs } from './qrsTestClient';

type Json = Record<string, unknown>;
const NOW = Date.UTC(2024, 5, 15, 12);
const XRF = 'XSRF prevention check failed. Possible XSRF discovered.';

function responseViolations(sim: QrsSimulator): string[] {
  return sim.violations.filter((v) => v.startsWith('response:'));
}

describe('qrsSimulator', function () {
  this.timeout(20_000);
  let sim: QrsSimulator;

  before(async () => {
    sim = await startQrsSimulator({ users: 300, seed: 3, now: NOW });
  });

  after(async () => {
    await sim.close();
  });

  afterEach(() => {
    assert.deepEqual(responseViolations(sim), []);
  });

  describe('xrfkey', () => {
    it('refuses a request without one, with QRS text', async () => {
      const r = await qrs(sim, 'GET', '/about', { xrfkey: false });
      assert.equal(r.status, 403);
      assert.equal(r.text, XRF);
    });

    it('refuses a mismatch and a malformed key', async () => {
      assert.equal((await qrs(sim, 'GET', '/about', { xrfkey: { query: 'abcdefghijklmnop', header: 'abcdefghijklmnoq' } })).status, 403);
      assert.equal((await qrs(sim, 'GET', '/about', { xrfkey: { query: 'abcdefghijklmnop' } })).status, 403);
      assert.equal((await qrs(sim, 'GET', '/about', { xrfkey: 'short' })).status, 403);
      assert.equal((await qrs(sim, 'GET', '/about', { xrfkey: 'abcdefgh-jklmnop' })).status, 403);
    });

    it('accepts the query name in any case (Qlik writes Xrfkey=)', async () => {
      const r = await callSim(sim, 'GET', '/qrs/about?Xrfkey=abcdefghijklmnop', { xrfkey: { header: 'abcdefghijklmnop' } });
      assert.equal(r.status, 200);
    });
  });

  describe('certificate door', () => {
    it('requires a client certificate from the site CA', async () => {
      const r = await qrs(sim, 'GET', '/about', { cert: false });
      assert.equal(r.status, 403);
      assert.equal(r.text, 'Client certificate required');
    });

    it('acts as sa_repository by default and parses X-Qlik-User tolerantly', async () => {
      assert.equal((await qrs(sim, 'GET', '/license/accesstypeoverview')).status, 200);
      const r = await qrs(sim, 'GET', '/license/useraccesstype/count', { headers: { 'x-qlik-user': ' userdirectory = corp ;USERID=Admin ' } });
      assert.equal(r.status, 200);
      assert.ok(r.json<number>() > 0, 'CORP\\admin sees allocations');
      assert.equal((await qrs(sim, 'GET', '/about', { headers: { 'X-Qlik-User': 'CORP\\admin' } })).status, 400);
    });
  });

  describe('header proxy', () => {
    const hdr = (headers: Record<string, string>) => callSim(sim, 'GET', `/${sim.headerProxy.prefix}/qrs/license/useraccesstype/count`, { headers });

    it('answers 401 without the header or a session', async () => {
      const r = await hdr({});
      assert.equal(r.status, 401);
    });

    it('logs in by header, sets a session cookie and then accepts the cookie alone', async () => {
      const before = { ...sim.state.auth };
      const first = await hdr({ [sim.headerProxy.headerName]: 'CORP\\admin' });
      assert.equal(first.status, 200);
      assert.ok(first.json<number>() > 0);
      const setCookie = first.headers['set-cookie']?.[0] ?? '';
      assert.match(setCookie, /^X-Qlik-Session-hdr=[0-9a-f]{32}; Path=\/hdr; HttpOnly; Secure; SameSite=None$/);
      const cookie = setCookie.split(';')[0] ?? '';
      const second = await hdr({ Cookie: cookie });
      assert.equal(second.status, 200);
      assert.equal(second.headers['set-cookie'], undefined);
      assert.deepEqual(sim.state.auth, { byCookie: before.byCookie + 1, byCredentials: before.byCredentials + 1 });
    });

    it('puts a bare user id in the proxy directory (CORP)', async () => {
      const r = await hdr({ [sim.headerProxy.headerName]: 'admin' });
      assert.ok(r.json<number>() > 0);
    });

    it('forgets idle sessions after 30 minutes of simulator time', async () => {
      const first = await hdr({ [sim.headerProxy.headerName]: 'CORP\\admin' });
      const cookie = (first.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
      sim.clock.advance(31 * 60_000);
      try {
        assert.equal((await hdr({ Cookie: cookie })).status, 401);
      } finally {
        sim.clock.set(NOW);
      }
    });

    it('does not take a cookie from another proxy', async () => {
      const first = await hdr({ [sim.headerProxy.headerName]: 'CORP\\admin' });
      const value = (first.headers['set-cookie']?.[0] ?? '').split(';')[0]?.split('=')[1] ?? '';
      const r = await callSim(sim, 'GET', `/${sim.jwtProxy.prefix}/qrs/about`, { headers: { Cookie: `X-Qlik-Session-jwt=${value}` } });
      assert.equal(r.status, 401);
    });
  });

  describe('JWT proxy', () => {
    const jwt = (headers: Record<string, string>) => callSim(sim, 'GET', `/${sim.jwtProxy.prefix}/qrs/license/useraccesstype/count`, { headers });

    it('accepts a token signed by the simulator and reuses the session cookie', async () => {
      const token = sim.signJwt({ userId: 'admin', userDirectory: 'CORP' });
      const before = { ...sim.state.auth };
      const first = await jwt({ Authorization: `Bearer ${token}` });
      assert.equal(first.status, 200);
      assert.ok(first.json<number>() > 0);
      const cookie = (first.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
      assert.match(cookie, /^X-Qlik-Session-jwt=/);
      assert.equal((await jwt({ Cookie: cookie })).status, 200);
      assert.deepEqual(sim.state.auth, { byCookie: before.byCookie + 1, byCredentials: before.byCredentials + 1 });
    });

    it('refuses missing, tampered, foreign-algorithm and expired tokens', async () => {
      assert.equal((await jwt({})).status, 401);
      const token = sim.signJwt({ userId: 'admin', userDirectory: 'CORP' }, { expiresInSeconds: 60 });
      const [h, , s] = token.split('.');
      const forged = Buffer.from(JSON.stringify({ userId: 'sa_api', userDirectory: 'INTERNAL' })).toString('base64url');
      const tampered = await jwt({ Authorization: `Bearer ${h}.${forged}.${s}` });
      assert.equal(tampered.status, 401);
      assert.match(tampered.text, /signature/);
      const none = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
      assert.match((await jwt({ Authorization: `Bearer ${none}.${forged}.` })).text, /RS256/);
      sim.clock.advance(61_000);
      try {
        const expired = await jwt({ Authorization: `Bearer ${token}` });
        assert.equal(expired.status, 401);
        assert.match(expired.text, /expired/);
      } finally {
        sim.clock.set(NOW);
      }
    });

    it('needs userId and userDirectory claims to map the user', async () => {
      const token = sim.signJwt({ userId: '', userDirectory: 'CORP' });
      assert.match((await jwt({ Authorization: `Bearer ${token}` })).text, /userId and userDirectory/);
    });
  });

  describe('rights', () => {
    const jdoe = () => sim.state.users.find((u) => u.userDirectory === 'CORP' && u.userId !== 'admin' && !u.deleted);

    it('shows a non-admin empty license lists, count 0 and no table rows (Qlik-Cli #88)', async () => {
      const as = `CORP\\${jdoe()?.userId ?? ''}`;
      assert.deepEqual((await qrs(sim, 'GET', '/license/useraccesstype', { as })).json(), []);
      assert.deepEqual((await qrs(sim, 'GET', '/license/loginaccessusage/full', { as })).json(), []);
      assert.equal((await qrs(sim, 'GET', '/license/useraccesstype/count', { as })).json(), 0);
      const table = await qrs(sim, 'POST', '/license/loginaccessusage/table', {
        as,
        body: { type: 'License.LoginAccessUsage', columns: [{ name: 'id', columnType: 1, definition: 'id' }] },
      });
      assert.equal(table.status, 201);
      assert.deepEqual(table.json<Json>()['rows'], []);
      const any = sim.state.list('user')[0];
      assert.equal((await qrs(sim, 'GET', `/license/useraccesstype/${any?.id ?? ''}`, { as })).status, 404);
    });

    it('answers previewcreateprivilege false and 403 on writes for a non-admin', async () => {
      const user = jdoe();
      assert.ok(user);
      const as = `CORP\\${user.userId}`;
      const item = { user: { id: user.id, userId: user.userId, userDirectory: user.userDirectory } };
      const preview = await qrs(sim, 'POST', '/license/useraccesstype/previewcreateprivilege', { as, body: item });
      assert.equal(preview.status, 201);
      assert.equal(preview.json(), false);
      assert.equal((await qrs(sim, 'POST', '/license/useraccesstype/previewcreateprivilege', { body: item })).json(), true);
      assert.equal((await qrs(sim, 'POST', '/license/useraccesstype', { as, body: item })).status, 403);
      const a = sim.state.list('user')[0];
      assert.ok(a);
      assert.equal((await qrs(sim, 'PUT', `/license/useraccesstype/${a.id}`, { as, body: { modifiedDate: new Date(a.modifiedDate).toISOString() } })).status, 403);
      assert.equal((await qrs(sim, 'DELETE', `/license/useraccesstype/${a.id}`, { as })).status, 403);
      assert.equal((await qrs(sim, 'GET', '/license/accesstypeoverview', { as })).status, 403);
      assert.equal(sim.state.list('user').includes(a), true);
    });

    it('lets a non-admin read only themselves in /user', async () => {
      const user = jdoe();
      assert.ok(user);
      const list = await qrs(sim, 'GET', '/user/full', { as: `CORP\\${user.userId}` });
      assert.deepEqual(list.json<Json[]>().map((u) => u['id']), [user.id]);
      assert.equal((await qrs(sim, 'GET', '/user/count', { as: `CORP\\${user.userId}` })).json(), 1);
    });

    it('honours a custom admin list', async () => {
      const custom = await startQrsSimulator({ users: 20, admins: ['CORP\\admin'], now: NOW });
      try {
        assert.equal((await qrs(custom, 'GET', '/license/useraccesstype/count')).json(), 0, 'sa_repository is no admin here');
        assert.ok((await qrs(custom, 'GET', '/license/useraccesstype/count', { as: 'CORP\\admin' })).json<number>() > 0);
      } finally {
        await custom.close();
      }
    });
  });

  describe('reads', () => {
    it('filters users, nested allocation properties and usage by date', async () => {
      const internal = (await qrs(sim, 'GET', '/user', { query: { filter: "userDirectory eq 'INTERNAL'" } })).json<Json[]>();
      assert.deepEqual(internal.map((u) => u['userId']).sort(), ['sa_api', 'sa_repository', 'sa_scheduler']);
      const holder = sim.state.list('user').find((a) => !a.user.deleted)?.user;
      assert.ok(holder);
      const mine = await qrs(sim, 'GET', '/license/useraccesstype/full', {
        query: { filter: `user.userId eq '${holder.userId.toUpperCase()}' and user.userDirectory eq 'corp'` },
      });
      assert.deepEqual(mine.json<Json[]>().map((a) => (a['user'] as Json)['id']), [holder.id]);
      const since = NOW - 28 * DAY_MS;
      const expected = Array.from({ length: sim.state.loginUsage.size }, (_, i) => sim.state.loginUsage.startAt(i)).filter((s) => s >= since).length;
      const count = await qrs(sim, 'GET', '/license/loginaccessusage/count', { query: { filter: `useStartTime ge '${new Date(since).toISOString()}'` } });
      assert.equal(count.json(), expected);
      assert.ok(expected > 0 && expected < sim.state.loginUsage.size);
    });

    it('answers 400 naming the position of a bad filter', async () => {
      const r = await qrs(sim, 'GET', '/user', { query: { filter: "userId eq 'x' and" } });
      assert.equal(r.status, 400);
      assert.match(r.text, /position 18/);
      assert.match((await qrs(sim, 'GET', '/user', { query: { filter: "shoeSize eq '4'" } })).text, /unknown property 'shoeSize'/);
    });

    it('orders by one or more properties', async () => {
      const byName = (await qrs(sim, 'GET', '/user/full', { query: { orderby: 'name desc' } })).json<Json[]>().map((u) => String(u['name']).toLowerCase());
      assert.deepEqual(byName, [...byName].sort().reverse());
      const usage = (
        await qrs(sim, 'GET', '/license/loginaccessusage/full', {
          query: { orderby: 'useStartTime desc', filter: `useStartTime ge '${new Date(NOW - 3 * DAY_MS).toISOString()}'` },
        })
      ).json<Json[]>();
      const starts = usage.map((u) => Date.parse(String(u['useStartTime'])));
      assert.ok(starts.length > 5);
      assert.deepEqual(starts, [...starts].sort((a, b) => b - a));
      const two = (await qrs(sim, 'GET', '/license/useraccesstype/full', { query: { orderby: 'quarantined desc, lastUsed asc' } })).json<Json[]>();
      const flags = two.map((a) => a['quarantined']);
      assert.deepEqual(flags, [...flags].sort((a, b) => Number(b) - Number(a)));
      assert.match((await qrs(sim, 'GET', '/user', { query: { orderby: 'name upwards' } })).text, /not asc or desc/);
    });

    it('pages /table with skip and take, sorted, covering every row once', async () => {
      const definition = {
        type: 'License.LoginAccessUsage',
        columns: [
          { name: 'id', columnType: 1, definition: 'id' },
          { name: 'who', columnType: 'Property', definition: 'user.userId' },
          { name: 'start', columnType: 1, definition: 'useStartTime' },
          { name: 'group', columnType: 1, definition: 'loginAccessType.name' },
        ],
      };
      const total = (await qrs(sim, 'GET', '/license/loginaccessusage/count')).json<number>();
      const ids: string[] = [];
      for (let skip = 0; skip < total + 1000; skip += 1000) {
        const page = await qrs(sim, 'POST', '/license/loginaccessusage/table', { query: { skip, take: 1000, sortColumn: 'id', orderAscending: true }, body: definition });
        assert.equal(page.status, 201);
        const t = page.json<{ columnNames: string[]; rows: unknown[][] }>();
        assert.deepEqual(t.columnNames, ['id', 'who', 'start', 'group']);
        for (const row of t.rows) {
          assert.equal(typeof row[1], 'string');
          assert.match(String(row[2]), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
          ids.push(String(row[0]));
        }
      }
      assert.equal(ids.length, total);
      assert.equal(new Set(ids).size, total);
      assert.deepEqual(ids, [...ids].sort());
      const all = await qrs(sim, 'POST', '/license/loginaccessusage/table', { query: { take: 0 }, body: definition });
      assert.equal(all.json<{ rows: unknown[] }>().rows.length, total);
      const desc = await qrs(sim, 'POST', '/license/loginaccessusage/table', { query: { take: 5, sortcolumn: 'start', orderascending: false }, body: definition });
      const starts = desc.json<{ rows: string[][] }>().rows.map((r) => r[2] ?? '');
      assert.deepEqual(starts, [...starts].sort().reverse());
    });

    it('filters /table rows and rejects columns it cannot fill', async () => {
      const definition = { type: 'User', columns: [{ name: 'userId', columnType: 1, definition: 'user.userId' }] };
      const t = await qrs(sim, 'POST', '/license/useraccesstype/table', {
        query: { filter: 'quarantined eq true' },
        body: { type: 'x', columns: [{ name: 'q', columnType: 1, definition: 'quarantined' }, { name: 'end', columnType: 1, definition: 'quarantineEnd' }] },
      });
      const rows = t.json<{ rows: [boolean, string][] }>().rows;
      assert.ok(rows.length > 0);
      assert.ok(rows.every(([q, end]) => q === true && Date.parse(end) > NOW));
      assert.match((await qrs(sim, 'POST', '/license/useraccesstype/table', { body: { ...definition, columns: [{ name: 'x', columnType: 1, definition: 'color' }] } })).text, /'color' is not a property/);
      assert.match(
        (await qrs(sim, 'POST', '/license/useraccesstype/table', { body: { columns: [{ name: 'x', columnType: 3, definition: 'sessions', list: [] }] } })).text,
        /Property columns .* only/,
      );
      assert.match((await qrs(sim, 'POST', '/license/useraccesstype/table', { query: { sortcolumn: 'shoe' }, body: definition })).text, /sortColumn 'shoe'/);
    });

    it('counts, and gets single entities by id', async () => {
      assert.equal((await qrs(sim, 'GET', '/user/count')).json(), sim.state.users.filter((u) => !u.deleted).length);
      assert.equal((await qrs(sim, 'GET', '/license/useraccesstype/count')).json(), sim.state.list('user').length);
      const a = sim.state.list('user')[0];
      assert.ok(a);
      const got = (await qrs(sim, 'GET', `/license/useraccesstype/${a.id.toUpperCase()}`)).json<Json>();
      assert.equal(got['id'], a.id);
      assert.equal((await qrs(sim, 'GET', '/license/useraccesstype/00000000-0000-0000-0000-000000000001')).status, 404);
      const usageId = sim.state.loginUsage.idAt(7);
      const usage = (await qrs(sim, 'GET', `/license/loginaccessusage/${usageId}`)).json<Json>();
      assert.equal(usage['id'], usageId);
      assert.ok(Array.isArray(usage['sessions']) && usage['sessions'].length >= 1 && usage['sessions'].length <= 5);
    });

    it('lists condensed entities as the spec defines them and adds privileges only when asked', async () => {
      const condensed = (await qrs(sim, 'GET', '/license/useraccesstype')).json<Json[]>();
      assert.deepEqual(Object.keys(condensed[0] ?? {}), ['id']);
      const full = (await qrs(sim, 'GET', '/license/useraccesstype/full')).json<Json[]>();
      assert.ok(full.every((a) => !('privileges' in a)));
      const withPrivileges = (await qrs(sim, 'GET', '/license/useraccesstype/full', { query: { privileges: true } })).json<Json[]>();
      assert.deepEqual(withPrivileges[0]?.['privileges'], ['create', 'read', 'update', 'delete']);
    });

    it('shows deleted holders only through deletedUserId/deletedUserDirectory', async () => {
      const gone = (await qrs(sim, 'GET', '/license/useraccesstype/full', { query: { filter: 'deletedUserId ne null' } })).json<Json[]>();
      assert.ok(gone.length >= 1);
      for (const a of gone) {
        assert.equal('user' in a, false);
        assert.equal(a['deletedUserDirectory'], 'CORP');
        assert.equal(a['quarantined'], true);
      }
    });

    it('answers 404 for unknown paths, 405 for undeclared methods and 501 for spec operations it does not simulate', async () => {
      assert.equal((await qrs(sim, 'GET', '/license/nonsense/thing')).status, 404);
      assert.equal((await callSim(sim, 'GET', '/elsewhere/about')).status, 404);
      assert.equal((await qrs(sim, 'PATCH', '/about')).status, 405);
      const group = await qrs(sim, 'GET', '/license/useraccessgroup');
      assert.equal(group.status, 501);
      assert.match(group.text, /not simulated/);
    });
  });

  describe('contract enforcement', () => {
    it('rejects a request body the spec does not allow, and records it', async () => {
      const before = sim.violations.length;
      const r = await qrs(sim, 'POST', '/license/useraccesstype', { body: { user: { id: 'nope' } } });
      assert.equal(r.status, 400);
      assert.match(r.text, /userId/);
      assert.ok(sim.violations.slice(before).every((v) => v.startsWith('request: ')));
      assert.ok(sim.violations.length > before);
      assert.equal((await qrs(sim, 'GET', '/license/useraccesstype/count', { query: { orderby: 'id' } })).status, 400);
      assert.equal((await callSim(sim, 'POST', '/qrs/license/useraccesstype', { headers: { 'Content-Type': 'application/json' }, body: undefined })).status, 400);
    });

    it('can be switched off (the handler then judges the body)', async () => {
      const loose = await startQrsSimulator({ users: 30, now: NOW, contract: 'off' });
      try {
        const user = loose.state.users.find((u) => u.userDirectory === 'CORP' && !loose.state.list('user').some((a) => a.user === u));
        assert.ok(user);
        const r = await qrs(loose, 'POST', '/license/useraccesstype', { body: { user: { id: user.id } } });
        assert.equal(r.status, 201);
        assert.deepEqual(loose.violations, []);
      } finally {
        await loose.close();
      }
    });
  });

  describe('faults and the request log', () => {
    it('injects statuses a given number of times', async () => {
      sim.fault({ method: 'GET', path: /\/about$/, status: 503, times: 2, body: 'busy' });
      const first = await qrs(sim, 'GET', '/about');
      assert.equal(first.status, 503);
      assert.equal(first.text, 'busy');
      assert.equal((await qrs(sim, 'GET', '/about')).status, 503);
      assert.equal((await qrs(sim, 'GET', '/about')).status, 200);
    });

    it('injects delays', async () => {
      sim.fault({ path: /accesstypeoverview/, delayMs: 300, times: 1 });
      const started = performance.now();
      assert.equal((await qrs(sim, 'GET', '/license/accesstypeoverview')).status, 200);
      assert.ok(performance.now() - started >= 290);
    });

    it('applies a request and then replaces its answer with afterHandling; without it, nothing is applied', async () => {
      const holds = (id: string) => sim.state.list('user').some((a) => a.user.id === id);
      const [applied, refused] = sim.state.users.filter((u) => u.userDirectory === 'CORP' && !u.deleted && !holds(u.id));
      assert.ok(applied && refused);
      const create = (u: typeof applied) => qrs(sim, 'POST', '/license/useraccesstype', { body: { user: { id: u.id, userId: u.userId, userDirectory: u.userDirectory } } });

      sim.fault({ method: 'POST', path: /^\/qrs\/license\/useraccesstype$/, status: 502, body: 'Bad gateway', afterHandling: true, times: 1 });
      const late = await create(applied);
      assert.equal(late.status, 502);
      assert.equal(late.text, 'Bad gateway');
      assert.equal(holds(applied.id), true, 'the write was applied before the fault answered');

      sim.fault({ method: 'POST', path: /^\/qrs\/license\/useraccesstype$/, status: 500, times: 1 });
      assert.equal((await create(refused)).status, 500);
      assert.equal(holds(refused.id), false, 'a fault without afterHandling stands in for the request');
      assert.equal((await create(refused)).status, 201, 'each fault was used up');
    });

    it('delays the answer of a handled request with afterHandling', async () => {
      sim.fault({ path: /\/about$/, delayMs: 300, afterHandling: true, times: 1 });
      const started = performance.now();
      const r = await qrs(sim, 'GET', '/about');
      assert.equal(r.status, 200);
      assert.ok(performance.now() - started >= 290);
    });

    it('logs method, path, query and headers', async () => {
      await qrs(sim, 'GET', '/user/count', { query: { filter: "userId eq 'admin'" }, as: 'INTERNAL\\sa_api' });
      const last = sim.requests[sim.requests.length - 1];
      assert.equal(last?.method, 'GET');
      assert.equal(last?.path, '/qrs/user/count');
      assert.equal(last?.query['filter'], "userId eq 'admin'");
      assert.equal(last?.headers['x-qlik-user'], 'UserDirectory=INTERNAL; UserId=sa_api');
    });
  });
});
