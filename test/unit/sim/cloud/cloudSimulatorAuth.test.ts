import { strict as assert } from 'node:assert';
import { startCloudSimulator, type CloudSimulator } from '../../../../src/sim/cloud/cloudSimulator';
import { cloud } from './cloudTestClient';

const NOW = Date.UTC(2026, 10, 30, 12);
type Json = Record<string, unknown>;

function errorsOf(body: Json): { code: string; title: string; detail?: string }[] {
  return body['errors'] as { code: string; title: string; detail?: string }[];
}

describe('cloudSimulator: auth, versions, rate limits, faults', function () {
  this.timeout(60_000);
  let sim: CloudSimulator;

  before(async () => {
    sim = await startCloudSimulator({ users: 60, seed: 4, now: NOW, tokenLifetimeSeconds: 600 });
  });

  after(async () => {
    await sim.close();
  });

  afterEach(() => {
    assert.deepEqual(sim.violations, []);
  });

  const nonAdmin = (): string => {
    const user = sim.state.users.find((u) => u.status === 'active' && !sim.state.isTenantAdmin(u));
    assert.ok(user);
    return user.id;
  };

  describe('API keys', () => {
    it('answers 401 without a token, in each API\'s error shape', async () => {
      const users = await cloud(sim, 'GET', '/api/v1/users', { token: null });
      assert.equal(users.status, 401);
      assert.equal(errorsOf(users.json())[0]?.code, 'HTTP-401');
      assert.match(users.json()['traceId'] as string, /^[0-9a-f]{32}$/);
      const licenses = await cloud(sim, 'GET', '/api/v1/licenses/overview', { token: null });
      assert.equal(licenses.status, 401);
      assert.equal(typeof licenses.json()['message'], 'string', 'licenses keeps the deprecated message');
      assert.equal(typeof licenses.json()['error'], 'string');
    });

    it('refuses a malformed, forged or other-tenant token', async () => {
      const forged = sim.apiKey.slice(0, -3) + (sim.apiKey.endsWith('AAA') ? 'BBB' : 'AAA');
      const other = await startCloudSimulator({ users: 10, seed: 99, now: NOW });
      try {
        for (const token of ['not-a-token', forged, other.apiKey]) {
          assert.equal((await cloud(sim, 'GET', '/api/v1/users', { token })).status, 401, token);
        }
        assert.equal((await cloud(sim, 'GET', '/api/v1/users', { token: null, headers: { Authorization: `Basic ${sim.apiKey}` } })).status, 401);
      } finally {
        await other.close();
      }
    });

    it('acts as the key\'s user, and stops when the user is disabled', async () => {
      const id = nonAdmin();
      const key = sim.apiKeyFor(id);
      assert.equal(key, sim.apiKeyFor(id), 'the same key for the same user');
      const me = await cloud(sim, 'GET', '/api/v1/users/me', { token: key });
      assert.equal(me.status, 301);
      assert.match(String(me.headers.location), new RegExp(`/api/v1/users/${id}$`));
      sim.state.setUserStatus(id, 'disabled');
      try {
        const refused = await cloud(sim, 'GET', '/api/v1/users/me', { token: key });
        assert.equal(refused.status, 401);
        assert.match(errorsOf(refused.json())[0]?.detail ?? '', /not an active user/);
      } finally {
        sim.state.setUserStatus(id, 'active');
      }
      assert.throws(() => sim.apiKeyFor('nobody'), RangeError);
    });

    it('the admin key is a TenantAdmin\'s; another user\'s key gets 403 from the roles API', async () => {
      assert.equal((await cloud(sim, 'GET', '/api/v1/roles')).status, 200);
      const r = await cloud(sim, 'GET', '/api/v1/roles', { token: sim.apiKeyFor(nonAdmin()) });
      assert.equal(r.status, 403);
      assert.match(errorsOf(r.json())[0]?.detail ?? '', /TenantAdmin/);
      assert.equal((await cloud(sim, 'GET', `/api/v1/roles/${sim.state.roles[0]?.id}`, { token: sim.apiKeyFor(nonAdmin()) })).status, 403);
    });
  });

  describe('OAuth machine-to-machine', () => {
    const token = async (body: Record<string, string>, form = false): Promise<{ status: number; body: Json }> => {
      const r = await cloud(sim, 'POST', '/oauth/token', { token: null, body, form, headers: { 'qlik-api-version': null } });
      return { status: r.status, body: r.json() };
    };
    const credentials = (): Record<string, string> => ({ grant_type: 'client_credentials', client_id: sim.oauth.clientId, client_secret: sim.oauth.clientSecret });

    it('issues a bearer token for client credentials in a JSON or a form body', async () => {
      for (const form of [false, true]) {
        const r = await token({ ...credentials(), scope: 'admin_classic' }, form);
        assert.equal(r.status, 200);
        assert.equal(r.body['token_type'], 'bearer');
        assert.equal(r.body['expires_in'], 600);
        assert.equal(r.body['scope'], 'admin_classic');
        assert.equal(r.body['expires_at'], new Date(NOW + 600_000).toISOString());
        const users = await cloud(sim, 'GET', '/api/v1/licenses/assignments', { token: r.body['access_token'] as string });
        assert.equal(users.status, 200, 'the M2M client is a tenant admin');
      }
    });

    it('takes HTTP Basic client authentication too', async () => {
      const basic = Buffer.from(`${sim.oauth.clientId}:${sim.oauth.clientSecret}`).toString('base64');
      const r = await cloud(sim, 'POST', '/oauth/token', { token: null, body: { grant_type: 'client_credentials' }, headers: { Authorization: `Basic ${basic}` } });
      assert.equal(r.status, 200);
    });

    it('refuses a wrong secret or client with 401 invalid_client, other grants with 400', async () => {
      const wrong = await token({ ...credentials(), client_secret: 'nope' });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body['error'], 'invalid_client');
      assert.equal(typeof wrong.body['error_description'], 'string');
      assert.equal((await token({ ...credentials(), client_id: 'someone' })).status, 401);
      assert.equal((await token({ grant_type: 'client_credentials' })).status, 401);
      assert.equal((await token({ ...credentials(), grant_type: 'password' })).body['error'], 'unsupported_grant_type');
      assert.equal((await token({ client_id: sim.oauth.clientId })).body['error'], 'invalid_request');
      assert.equal((await token({ ...credentials(), scope: 'admin_classic everything' })).body['error'], 'invalid_scope');
      assert.equal((await cloud(sim, 'GET', '/oauth/token', { token: null })).status, 405);
    });

    it('expires tokens in simulator time: 401 after the lifetime, a fresh token works', async () => {
      const first = (await token(credentials())).body['access_token'] as string;
      assert.equal((await cloud(sim, 'GET', '/api/v1/users', { token: first })).status, 200);
      sim.clock.advance(599_000);
      assert.equal((await cloud(sim, 'GET', '/api/v1/users', { token: first })).status, 200);
      sim.clock.advance(1_000);
      try {
        const expired = await cloud(sim, 'GET', '/api/v1/users', { token: first });
        assert.equal(expired.status, 401);
        assert.match(errorsOf(expired.json())[0]?.detail ?? '', /expired/);
        const second = (await token(credentials())).body['access_token'] as string;
        assert.notEqual(second, first);
        assert.equal((await cloud(sim, 'GET', '/api/v1/users', { token: second })).status, 200);
      } finally {
        sim.clock.set(NOW);
      }
    });

    it('without admin_classic the client is no admin', async () => {
      const userDefault = (await token({ ...credentials(), scope: 'user_default' })).body['access_token'] as string;
      assert.equal((await cloud(sim, 'GET', '/api/v1/licenses/assignments', { token: userDefault })).status, 403);
      assert.equal((await cloud(sim, 'GET', '/api/v1/users/me', { token: userDefault })).status, 301);
    });
  });

  describe('qlik-api-version', () => {
    it('answers a request without it as the oldest version, with Deprecation and Sunset', async () => {
      const r = await cloud(sim, 'GET', '/api/v1/licenses/status', { headers: { 'qlik-api-version': null } });
      assert.equal(r.status, 200);
      assert.equal(r.headers['deprecation'], `@${Date.UTC(2026, 7, 1) / 1000}`);
      assert.equal(r.headers['sunset'], new Date(Date.UTC(2027, 4, 1)).toUTCString());
      assert.equal(sim.requests.at(-1)?.headers['qlik-api-version'], undefined);
    });

    it('records the version sent; the newest carries no deprecation, an older one does', async () => {
      const newest = await cloud(sim, 'GET', '/api/v1/licenses/status');
      assert.equal(newest.headers['deprecation'], undefined);
      assert.equal(newest.headers['sunset'], undefined);
      assert.equal(sim.requests.at(-1)?.headers['qlik-api-version'], '2026-11');
      const older = await cloud(sim, 'GET', '/api/v1/licenses/status', { headers: { 'qlik-api-version': '2026-08' } });
      assert.equal(older.headers['deprecation'], `@${Date.UTC(2026, 10, 1) / 1000}`);
      const unknown = await cloud(sim, 'GET', '/api/v1/licenses/status', { headers: { 'qlik-api-version': '2019-01' } });
      assert.equal(unknown.headers['deprecation'], `@${Date.UTC(2026, 7, 1) / 1000}`, 'an unknown version is answered as the oldest');
    });

    it('adds the headers to refusals too', async () => {
      const r = await cloud(sim, 'GET', '/api/v1/users', { token: null, headers: { 'qlik-api-version': null } });
      assert.equal(r.status, 401);
      assert.ok(r.headers['deprecation']);
    });
  });

  describe('rate limiting', () => {
    it('answers every Nth request 429 with retry-after and the gateway body; never the token endpoint', async () => {
      const limited = await startCloudSimulator({ users: 20, seed: 4, now: NOW, rateLimit: { every: 3, retryAfterSeconds: 7 } });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 6; i++) {
          const r = await cloud(limited, 'GET', i % 2 === 0 ? '/api/v1/licenses/overview' : '/api/v1/users');
          statuses.push(r.status);
          if (r.status === 429) {
            assert.equal(r.headers['retry-after'], '7');
            assert.deepEqual(r.json(), { errors: [{ code: 'HTTP-429', title: 'API rate limit reached.', detail: 'You need to wait 7 seconds until limit is lifted.' }] });
          }
        }
        assert.deepEqual(statuses, [200, 200, 429, 200, 200, 429]);
        for (let i = 0; i < 4; i++) {
          const r = await cloud(limited, 'POST', '/oauth/token', { token: null, body: { grant_type: 'client_credentials', client_id: limited.oauth.clientId, client_secret: limited.oauth.clientSecret } });
          assert.equal(r.status, 200);
        }
        assert.equal((await cloud(limited, 'GET', '/api/v1/users')).status, 200, 'token requests were not counted');
        assert.deepEqual(limited.violations, []);
      } finally {
        await limited.close();
      }
    });

    it('limits the token endpoint when asked', async () => {
      const limited = await startCloudSimulator({ users: 20, seed: 4, now: NOW, rateLimit: { every: 2, tokenEndpoint: true } });
      try {
        const body = { grant_type: 'client_credentials', client_id: limited.oauth.clientId, client_secret: limited.oauth.clientSecret };
        assert.equal((await cloud(limited, 'POST', '/oauth/token', { token: null, body })).status, 200);
        const r = await cloud(limited, 'POST', '/oauth/token', { token: null, body });
        assert.equal(r.status, 429);
        assert.equal(r.headers['retry-after'], '1');
      } finally {
        await limited.close();
      }
    });
  });

  describe('faults', () => {
    const adder = (): { subject: string; type: string } => {
      const user = sim.state.users.find((u) => u.status === 'active' && !sim.state.assignmentOf(u.subject) && u.clientId === undefined);
      assert.ok(user);
      sim.state.setAllotmentUnits('analyzer', sim.state.unitsUsed(sim.state.allotment('analyzer')!) + 5);
      return { subject: user.subject, type: 'analyzer' };
    };
    const add = (row: { subject: string; type: string }) => cloud(sim, 'POST', '/api/v1/licenses/assignments/actions/add', { body: { add: [row] } });

    it('stands in for a request: the write is not applied', async () => {
      const row = adder();
      sim.fault({ method: 'POST', path: /actions\/add$/, status: 503, times: 1 });
      const r = await add(row);
      assert.equal(r.status, 503);
      assert.equal(errorsOf(r.json())[0]?.title, 'Simulated fault');
      assert.equal(sim.state.assignmentOf(row.subject), undefined);
      assert.equal((await add(row)).status, 207, 'times: 1 is used up');
      assert.equal(sim.state.assignmentOf(row.subject)?.type, 'analyzer');
    });

    it('after handling: the write is applied and its answer replaced, with a given body and headers', async () => {
      const row = adder();
      sim.fault({ path: /actions\/add$/, status: 502, afterHandling: true, times: 1, body: 'Bad gateway', headers: { 'retry-after': '2' } });
      const r = await add(row);
      assert.equal(r.status, 502);
      assert.equal(r.text, 'Bad gateway');
      assert.match(String(r.headers['content-type']), /text\/plain/);
      assert.equal(r.headers['retry-after'], '2');
      assert.equal(sim.state.assignmentOf(row.subject)?.type, 'analyzer');
    });

    it('after handling: the answer is lost when the connection drops', async () => {
      const row = adder();
      sim.fault({ path: /actions\/add$/, drop: true, afterHandling: true, times: 1 });
      await assert.rejects(add(row));
      assert.equal(sim.state.assignmentOf(row.subject)?.type, 'analyzer', 'applied although no answer came');
    });

    it('delays, matches the method, and without times affects every request', async () => {
      sim.fault({ method: 'PUT', path: /licenses\/settings$/, status: 500 });
      sim.fault({ method: 'GET', path: /licenses\/status$/, delayMs: 150, times: 2 });
      for (let i = 0; i < 2; i++) {
        assert.equal((await cloud(sim, 'PUT', '/api/v1/licenses/settings', { body: { autoAssignAnalyzer: true } })).status, 500);
      }
      assert.equal(sim.state.license.settings?.autoAssignAnalyzer, false, 'never handled');
      assert.equal((await cloud(sim, 'GET', '/api/v1/licenses/settings')).status, 200, 'GET is not matched');
      const t = Date.now();
      assert.equal((await cloud(sim, 'GET', '/api/v1/licenses/status')).status, 200);
      assert.ok(Date.now() - t >= 140, 'delayed');
      assert.equal((await cloud(sim, 'GET', '/api/v1/licenses/status')).status, 200);
      const quick = Date.now();
      assert.equal((await cloud(sim, 'GET', '/api/v1/licenses/status')).status, 200);
      assert.ok(Date.now() - quick < 140, 'the delay was used up');
    });
  });
});
