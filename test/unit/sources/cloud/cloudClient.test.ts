import { strict as assert } from 'node:assert';
import { AuthError, ConfigError, ServerError } from '../../../../src/core/errors';
import { createSimCertificates, type SimCertificates } from '../../../../src/sim/certificates';
import { API_VERSION_HEADER, QLIK_API_VERSION } from '../../../../src/sources/cloud/cloudApiVersion';
import { CloudClient, tenantOrigin } from '../../../../src/sources/cloud/cloudClient';
import { CloudProtocolError } from '../../../../src/sources/cloud/cloudErrors';
import type { CloudAuth, CloudClientOptions } from '../../../../src/sources/cloud/cloudOptions';
import { asUserPage, type CloudUser } from '../../../../src/sources/cloud/cloudWire';
import { recordingLogger, sendJson, startTestServer, type Handler, type SeenRequest, type TestServer } from '../../http/testServer';

const API_KEY = 'api-key-0123456789abcdef';
const CLIENT_SECRET = 'client-secret-0123456789';
const OAUTH: CloudAuth = { mode: 'oauth', clientId: 'm2m-client', clientSecret: CLIENT_SECRET };

function user(id: string): CloudUser {
  return { id, subject: `auth0|${id}`, name: `User ${id}` };
}

function pathOf(req: SeenRequest): string {
  return new URL(req.url, 'https://x').pathname;
}

describe('Qlik Cloud client (local tenant)', function () {
  this.timeout(20_000);
  let certs: SimCertificates;
  const servers: TestServer[] = [];
  const clients: CloudClient[] = [];

  before(async () => {
    certs = await createSimCertificates({ serverNames: ['127.0.0.1', 'localhost'] });
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function tenant(handler: Handler): Promise<TestServer> {
    const server = await startTestServer(handler, { cert: certs.serverCert, key: certs.serverKey });
    servers.push(server);
    return server;
  }

  function client(server: TestServer, options: Partial<CloudClientOptions> = {}): CloudClient {
    const c = new CloudClient({ baseUrl: server.url, ca: certs.ca, auth: { mode: 'apiKey', apiKey: API_KEY }, ...options });
    clients.push(c);
    return c;
  }

  /** A token endpoint that hands out `token-1`, `token-2`, … living `lifetime` seconds each. */
  function tokenAnswer(req: SeenRequest, res: Parameters<Handler>[1], issued: { count: number }, lifetime = 3600): boolean {
    if (pathOf(req) !== '/oauth/token') {
      return false;
    }
    issued.count++;
    sendJson(res, 200, { access_token: `token-${issued.count}-abcdefgh`, token_type: 'bearer', expires_in: lifetime, scope: 'admin_classic' });
    return true;
  }

  describe('tenant URL', () => {
    it('takes only an https origin without a path', () => {
      assert.equal(tenantOrigin('https://acme.eu.qlikcloud.com/'), 'https://acme.eu.qlikcloud.com');
      assert.throws(() => tenantOrigin('http://acme.eu.qlikcloud.com'), (e: unknown) => e instanceof ConfigError && /https/.test(e.message));
      assert.throws(() => tenantOrigin('https://acme.eu.qlikcloud.com/api/v1'), (e: unknown) => e instanceof ConfigError && /path/.test(e.message));
      assert.throws(() => tenantOrigin('acme'), ConfigError);
    });
  });

  describe('API key', () => {
    it('sends the key as a bearer and the pinned qlik-api-version on every call', async () => {
      const server = await tenant((_req, res) => sendJson(res, 200, { data: [] }));
      const c = client(server);
      await c.get('/api/v1/licenses/overview');
      await c.post('/api/v1/licenses/assignments/actions/add', { add: [] }, { expect: [200] });
      assert.equal(server.requests.length, 2);
      for (const req of server.requests) {
        assert.equal(req.headers['authorization'], `Bearer ${API_KEY}`);
        assert.equal(req.headers[API_VERSION_HEADER], QLIK_API_VERSION);
        assert.match(String(req.headers['user-agent']), /^license-steward\//);
      }
    });

    it('a 401 is an AuthError at once, naming the API key and never showing it', async () => {
      const server = await tenant((req, res) => sendJson(res, 401, { errors: [{ code: 'HTTP-401', title: `bad token ${String(req.headers['authorization'])}` }] }));
      const error = await client(server).get('/api/v1/users').then(
        () => assert.fail('expected a 401'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof AuthError && error.status === 401, String(error));
      assert.match(error.message, /API key/);
      assert.ok(!error.message.includes(API_KEY), error.message);
      assert.equal(server.requests.length, 1);
    });
  });

  describe('OAuth machine-to-machine', () => {
    it('asks /oauth/token once with JSON client credentials and reuses the token until shortly before it expires', async () => {
      let clock = Date.UTC(2026, 10, 1);
      const issued = { count: 0 };
      const server = await tenant((req, res) => tokenAnswer(req, res, issued, 600) || sendJson(res, 200, { ok: true }));
      const c = client(server, { auth: OAUTH, now: () => clock });
      await Promise.all([c.get('/api/v1/users/me'), c.get('/api/v1/licenses/overview'), c.get('/api/v1/licenses/status')]);
      const tokenRequests = server.requests.filter((r) => pathOf(r) === '/oauth/token');
      assert.equal(tokenRequests.length, 1, 'concurrent calls share one token request');
      assert.deepEqual(JSON.parse(tokenRequests[0]?.body ?? '{}'), { client_id: 'm2m-client', client_secret: CLIENT_SECRET, grant_type: 'client_credentials', scope: 'admin_classic' });
      assert.equal(tokenRequests[0]?.headers['content-type'], 'application/json');
      assert.equal(tokenRequests[0]?.headers['authorization'], undefined);
      for (const req of server.requests.filter((r) => pathOf(r) !== '/oauth/token')) {
        assert.equal(req.headers['authorization'], 'Bearer token-1-abcdefgh');
      }
      // 600 s lifetime: renewed 60 s early at most, so still good at 530 s...
      clock += 530_000;
      await c.get('/api/v1/users/me');
      assert.equal(issued.count, 1);
      // ...and fetched again at 545 s.
      clock += 15_000;
      await c.get('/api/v1/users/me');
      assert.equal(issued.count, 2);
      assert.equal(server.requests.at(-1)?.headers['authorization'], 'Bearer token-2-abcdefgh');
    });

    it('on a 401 fetches a new token and tries once more; a second 401 stands', async () => {
      const issued = { count: 0 };
      let rejectAll = false;
      const server = await tenant((req, res) => {
        if (tokenAnswer(req, res, issued)) {
          return;
        }
        const revoked = req.headers['authorization'] === 'Bearer token-1-abcdefgh';
        sendJson(res, revoked || rejectAll ? 401 : 200, revoked || rejectAll ? { errors: [{ code: 'HTTP-401', title: 'Unauthorized' }] } : { ok: true });
      });
      const c = client(server, { auth: OAUTH });
      assert.deepEqual(await c.get('/api/v1/users/me'), { ok: true });
      assert.equal(issued.count, 2);
      assert.deepEqual(
        server.requests.map((r) => `${r.method} ${pathOf(r)}`),
        ['POST /oauth/token', 'GET /api/v1/users/me', 'POST /oauth/token', 'GET /api/v1/users/me'],
      );
      rejectAll = true;
      const before = server.requests.length;
      await assert.rejects(c.get('/api/v1/users/me'), (e: unknown) => e instanceof AuthError && e.status === 401);
      const after = server.requests.slice(before).map((r) => `${r.method} ${pathOf(r)}`);
      assert.deepEqual(after, ['GET /api/v1/users/me', 'POST /oauth/token', 'GET /api/v1/users/me'], 'one new token, one more try, no loop');
    });

    it('a refused client secret is an AuthError that names the OAuth client and never shows the secret', async () => {
      const server = await tenant((req, res) => sendJson(res, 400, { error: 'invalid_client', error_description: `unknown client secret ${JSON.parse(req.body || '{}').client_secret as string}` }));
      const error = await client(server, { auth: OAUTH })
        .get('/api/v1/users/me')
        .then(
          () => assert.fail('expected a refusal'),
          (e: unknown) => e,
        );
      assert.ok(error instanceof AuthError && error.status === 401, String(error));
      assert.match(error.message, /OAuth client id and secret/);
      assert.ok(!error.message.includes(CLIENT_SECRET), error.message);
      assert.equal(server.requests.length, 1, 'no API call without a token');
    });

    it('a token answer without a lifetime is a protocol error, not a token kept for ever', async () => {
      const server = await tenant((_req, res) => sendJson(res, 200, { access_token: 'token-without-end', token_type: 'bearer' }));
      await assert.rejects(client(server, { auth: OAUTH }).get('/api/v1/users/me'), (e: unknown) => e instanceof CloudProtocolError && /POST \/oauth\/token/.test(e.message));
    });

    it('an access token the server echoes into an error is redacted', async () => {
      const issued = { count: 0 };
      const server = await tenant((req, res) => tokenAnswer(req, res, issued) || sendJson(res, 500, { errors: [{ code: 'X', title: `failed for ${String(req.headers['authorization']).slice(7)}` }] }));
      const error = await client(server, { auth: OAUTH })
        .post('/api/v1/licenses/assignments/actions/add', { add: [] }, { expect: [207] })
        .then(
          () => assert.fail('expected a 500'),
          (e: unknown) => e,
        );
      assert.ok(error instanceof ServerError, String(error));
      assert.ok(!error.message.includes('token-1-abcdefgh'), error.message);
    });
  });

  describe('logs', () => {
    it('never show an access token, even one a server echoes into an answer the transport retries', async () => {
      const issued = { count: 0 };
      const server = await tenant((req, res, i) => {
        if (tokenAnswer(req, res, issued)) {
          return;
        }
        const token = String(req.headers['authorization']).slice('Bearer '.length);
        sendJson(res, i === 1 ? 503 : 200, i === 1 ? `overloaded while serving ${token}` : { ok: true });
      });
      const logger = recordingLogger();
      assert.deepEqual(await client(server, { auth: OAUTH, logger }).get('/api/v1/users'), { ok: true });
      assert.ok(logger.lines.some((l) => l.includes('overloaded while serving ***')), logger.lines.join('\n'));
      assert.ok(logger.lines.every((l) => !l.includes('token-1-abcdefgh') && !l.includes(CLIENT_SECRET)), logger.lines.join('\n'));
    });
  });

  describe('paging', () => {
    it('follows links.next.href byte for byte, relative or absolute, until there is none', async () => {
      // Cursors with characters a decode-and-re-encode would change.
      const second = '/api/v1/users?limit=100&next=a%2Bb%3D%3D+c%7e';
      let third = '';
      const server = await tenant((req, res) => {
        if (req.url === '/api/v1/users?limit=100') {
          sendJson(res, 200, { data: [user('1')], links: { self: { href: 'x' }, next: { href: second } } });
        } else if (req.url === second) {
          sendJson(res, 200, { data: [user('2')], links: { self: { href: 'x' }, next: { href: third } } });
        } else {
          sendJson(res, 200, { data: [user('3')], links: { self: { href: 'x' } } });
        }
      });
      third = `${server.url}/api/v1/users?limit=100&next=%5Bcursor%5D`;
      const seen: string[] = [];
      for await (const page of client(server).pages('/api/v1/users', { limit: 100 }, asUserPage)) {
        seen.push(...page.map((u) => u.id));
      }
      assert.deepEqual(seen, ['1', '2', '3']);
      assert.deepEqual(
        server.requests.map((r) => r.url),
        ['/api/v1/users?limit=100', second, '/api/v1/users?limit=100&next=%5Bcursor%5D'],
      );
    });

    it('refuses a next link on another origin without sending the credentials there', async () => {
      const elsewhere = await tenant((_req, res) => sendJson(res, 200, { data: [] }));
      const server = await tenant((_req, res) => sendJson(res, 200, { data: [user('1')], links: { next: { href: `${elsewhere.url}/api/v1/users?next=abc` } } }));
      const read = async (): Promise<void> => {
        for await (const page of client(server).pages('/api/v1/users', { limit: 100 }, asUserPage)) {
          assert.equal(page.length, 1);
        }
      };
      await assert.rejects(read(), (e: unknown) => e instanceof CloudProtocolError && e.message.includes('GET /api/v1/users') && e.message.includes(new URL(elsewhere.url).origin));
      assert.equal(elsewhere.requests.length, 0);
    });

    it('refuses a link back to a page already read instead of looping', async () => {
      const server = await tenant((_req, res) => sendJson(res, 200, { data: [user('1')], links: { next: { href: '/api/v1/users?next=same' } } }));
      const read = async (): Promise<number> => {
        let pages = 0;
        for await (const _page of client(server).pages('/api/v1/users', { limit: 100 }, asUserPage)) {
          pages++;
        }
        return pages;
      };
      await assert.rejects(read(), (e: unknown) => e instanceof CloudProtocolError && /already read/.test(e.message));
      assert.equal(server.requests.length, 2);
    });

    it('a page that is not a list is a protocol error naming the request, not an empty result', async () => {
      const server = await tenant((_req, res) => sendJson(res, 200, { users: [] }));
      const read = async (): Promise<void> => {
        for await (const _page of client(server).pages('/api/v1/users', { limit: 100 }, asUserPage)) {
          assert.fail('no page expected');
        }
      };
      await assert.rejects(read(), (e: unknown) => e instanceof CloudProtocolError && e.message.includes('GET /api/v1/users') && /page of users/.test(e.message));
    });
  });

  describe('rate limits', () => {
    it('waits out a 429 on a read for its retry-after, then reads again', async () => {
      const server = await tenant((_req, res, i) =>
        i === 0 ? sendJson(res, 429, { errors: [{ code: 'HTTP-429', title: 'API rate limit reached.' }] }, { 'retry-after': '1' }) : sendJson(res, 200, { ok: true }),
      );
      const started = Date.now();
      assert.deepEqual(await client(server).get('/api/v1/licenses/overview'), { ok: true });
      assert.ok(Date.now() - started >= 950, 'waited about a second');
      assert.equal(server.requests.length, 2);
    });

    it('never repeats a write on 429: the caller reads the state back', async () => {
      const server = await tenant((_req, res) => sendJson(res, 429, { errors: [{ code: 'HTTP-429', title: 'API rate limit reached.' }] }, { 'retry-after': '1' }));
      await assert.rejects(
        client(server).post('/api/v1/licenses/assignments/actions/add', { add: [] }, { expect: [207] }),
        (e: unknown) => e instanceof ServerError && e.status === 429 && e.retryAt !== undefined,
      );
      assert.equal(server.requests.length, 1);
    });
  });

  describe('deprecation notices', () => {
    it('logs a Deprecation or Sunset header once per value, as a warning', async () => {
      let sunset = 'Wed, 01 Sep 2027 00:00:00 GMT';
      const server = await tenant((_req, res) => sendJson(res, 200, { ok: true }, { deprecation: '@1788220800', sunset }));
      const logger = recordingLogger();
      const c = client(server, { logger });
      await c.get('/api/v1/users');
      await c.get('/api/v1/users');
      await c.get('/api/v1/groups');
      const warnings = logger.lines.filter((l) => l.startsWith('warn '));
      assert.equal(warnings.length, 2, warnings.join('\n'));
      assert.ok(warnings.some((w) => w.includes('@1788220800') && w.includes('GET /api/v1/users') && w.includes(QLIK_API_VERSION)));
      assert.ok(warnings.some((w) => w.includes(sunset)));
      sunset = 'Thu, 01 Sep 2028 00:00:00 GMT';
      await c.get('/api/v1/users');
      assert.equal(logger.lines.filter((l) => l.startsWith('warn ')).length, 3);
    });

    it('logs nothing for answers without them', async () => {
      const server = await tenant((_req, res) => sendJson(res, 200, { ok: true }));
      const logger = recordingLogger();
      await client(server, { logger }).get('/api/v1/users');
      assert.deepEqual(
        logger.lines.filter((l) => l.startsWith('warn ')),
        [],
      );
    });
  });

  describe('/users/me', () => {
    it('follows its redirect on the tenant, query and all', async () => {
      const server = await tenant((req, res) => {
        if (pathOf(req) === '/api/v1/users/me') {
          res.writeHead(301, { location: '/api/v1/users/u-7?fields=id,subject' });
          res.end();
        } else {
          sendJson(res, 200, user('7'));
        }
      });
      assert.deepEqual(await client(server).getRedirected('/api/v1/users/me', { fields: 'id,subject' }), user('7'));
      assert.deepEqual(
        server.requests.map((r) => r.url),
        ['/api/v1/users/me?fields=id%2Csubject', '/api/v1/users/u-7?fields=id,subject'],
      );
    });

    it('takes a 200 as it is, and refuses a redirect off the tenant', async () => {
      const direct = await tenant((_req, res) => sendJson(res, 200, user('1')));
      assert.deepEqual(await client(direct).getRedirected('/api/v1/users/me'), user('1'));
      const away = await tenant((_req, res) => {
        res.writeHead(301, { location: 'https://login.example.com/api/v1/users/1' });
        res.end();
      });
      await assert.rejects(client(away).getRedirected('/api/v1/users/me'), (e: unknown) => e instanceof CloudProtocolError && /login\.example\.com/.test(e.message));
      assert.equal(away.requests.length, 1);
    });
  });
});
