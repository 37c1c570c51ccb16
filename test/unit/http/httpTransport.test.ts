import { strict as assert } from 'node:assert';
import { createServer } from 'node:net';
import { AuthError, CancelledError, ServerError, NetworkError, TimeoutError } from '../../../src/core/errors';
import { createHttpTransport, type HttpTransport, type HttpTransportOptions } from '../../../src/http/httpTransport';
import { eventually, recordingLogger, sendJson, startTestServer, type Handler, type TestServer } from './testServer';

describe('httpTransport', () => {
  // Whatever the current test opened, for afterEach to close (a test may open several).
  const liveServers: TestServer[] = [];
  const liveTransports: HttpTransport[] = [];
  const sleeps: number[] = [];

  async function setup(handler: Handler, options: Partial<HttpTransportOptions> = {}): Promise<{ server: TestServer; transport: HttpTransport }> {
    const server = await startTestServer(handler);
    liveServers.push(server);
    const transport = createHttpTransport({
      baseUrl: `${server.url}/base`,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      ...options,
    });
    liveTransports.push(transport);
    return { server, transport };
  }

  afterEach(async () => {
    sleeps.length = 0;
    await Promise.all(liveTransports.splice(0).map((t) => t.close()));
    await Promise.all(liveServers.splice(0).map((server) => server.close()));
  });

  it('sends JSON and parses JSON answers under the base path', async () => {
    const { server, transport } = await setup((req, res) => sendJson(res, 201, { echo: JSON.parse(req.body) as unknown }));
    const response = await transport.request({ method: 'POST', path: '/things', body: { a: 1 } });
    assert.equal(response.status, 201);
    assert.deepEqual(response.body, { echo: { a: 1 } });
    assert.equal(server.requests[0]?.url, '/base/things');
    assert.equal(server.requests[0]?.headers['content-type'], 'application/json');
  });

  it('encodes query values with spaces, quotes and ampersands so the server reads them back unchanged', async () => {
    const { server, transport } = await setup((_req, res) => sendJson(res, 200, []));
    const filter = "userDirectory eq 'CORP' and userId eq 'o''brien&co+1'";
    await transport.request({ method: 'GET', path: '/user', query: { filter, take: 5, skipped: undefined, flag: true } });
    const seen = new URL(server.requests[0]?.url ?? '', 'http://x');
    assert.equal(seen.searchParams.get('filter'), filter);
    assert.equal(seen.searchParams.get('take'), '5');
    assert.equal(seen.searchParams.get('flag'), 'true');
    assert.equal(seen.searchParams.has('skipped'), false);
    assert.ok(!(server.requests[0]?.url ?? '').includes('+'), 'spaces are %20, and a literal + is escaped');
  });

  it('retries a GET on 503 with growing back-off and succeeds', async () => {
    const { server, transport } = await setup((_req, res, i) => (i < 2 ? sendJson(res, 503, 'busy') : sendJson(res, 200, { ok: true })));
    const response = await transport.request({ method: 'GET', path: '/x' });
    assert.deepEqual(response.body, { ok: true });
    assert.equal(server.requests.length, 3);
    assert.equal(sleeps.length, 2);
    assert.ok((sleeps[1] ?? 0) > (sleeps[0] ?? 0), `back-off grows: ${sleeps.join(', ')}`);
  });

  it('gives up a GET after maxRetries and reports the last status', async () => {
    const { server, transport } = await setup((_req, res) => sendJson(res, 502, 'bad gateway'), { maxRetries: 2 });
    await assert.rejects(transport.request({ method: 'GET', path: '/x' }), (error: unknown) => {
      assert.ok(error instanceof ServerError);
      assert.equal(error.status, 502);
      return true;
    });
    assert.equal(server.requests.length, 3);
  });

  it('never retries a POST on 503 without Retry-After', async () => {
    const { server, transport } = await setup((_req, res) => sendJson(res, 503, 'busy'));
    await assert.rejects(transport.request({ method: 'POST', path: '/x', body: {} }), ServerError);
    assert.equal(server.requests.length, 1);
    assert.equal(sleeps.length, 0);
  });

  it('honours Retry-After in seconds on 429 for a read', async () => {
    const { server, transport } = await setup((_req, res, i) => (i === 0 ? sendJson(res, 429, 'slow down', { 'retry-after': '2' }) : sendJson(res, 200, {})));
    const response = await transport.request({ method: 'GET', path: '/x' });
    assert.equal(response.status, 200);
    assert.equal(server.requests.length, 2);
    assert.deepEqual(sleeps, [2000]);
  });

  it('never repeats a write, even on 429/503 with Retry-After: it reports when to try again', async () => {
    const now = Date.parse('2024-05-01T10:00:00Z');
    for (const method of ['POST', 'PUT', 'DELETE'] as const) {
      const { server, transport } = await setup((_req, res) => sendJson(res, 503, 'busy', { 'retry-after': '2' }), { now: () => now });
      await assert.rejects(transport.request({ method, path: '/x', body: {} }), (error: unknown) => {
        assert.ok(error instanceof ServerError);
        assert.equal(error.retryAt, now + 2000);
        assert.match(error.message, /with 503 \(the server asks to be tried again after 2024-05-01T10:00:02Z\): busy$/);
        return true;
      });
      assert.equal(server.requests.length, 1, method);
    }
    assert.deepEqual(sleeps, []);
  });

  it('repeats a POST that only reads (idempotent) like a GET', async () => {
    const { server, transport } = await setup((_req, res, i) => (i === 0 ? sendJson(res, 502, 'gateway') : sendJson(res, 201, { rows: [] })));
    const response = await transport.request({ method: 'POST', path: '/table', body: {}, idempotent: true });
    assert.equal(response.status, 201);
    assert.equal(server.requests.length, 2);
  });

  it('honours Retry-After as an HTTP date on 503', async () => {
    const now = Date.parse('2024-05-01T10:00:00Z');
    const { server, transport } = await setup(
      (_req, res, i) => (i === 0 ? sendJson(res, 503, 'maintenance', { 'retry-after': 'Wed, 01 May 2024 10:00:05 GMT' }) : sendJson(res, 200, 'ok')),
      { now: () => now },
    );
    await transport.request({ method: 'GET', path: '/x' });
    assert.equal(server.requests.length, 2);
    assert.deepEqual(sleeps, [5000]);
  });

  it('reports instead of waiting when Retry-After is longer than allowed', async () => {
    const { server, transport } = await setup((_req, res) => sendJson(res, 429, 'quota', { 'retry-after': '3600' }));
    await assert.rejects(transport.request({ method: 'GET', path: '/x' }), (error: unknown) => error instanceof ServerError && error.status === 429);
    assert.equal(server.requests.length, 1);
  });

  it('times out with TimeoutError naming the host, and does not retry', async () => {
    const { server, transport } = await setup(() => undefined, { timeoutMs: 150 });
    await assert.rejects(transport.request({ method: 'GET', path: '/slow' }), (error: unknown) => {
      assert.ok(error instanceof TimeoutError, String(error));
      assert.equal(error.code, 'TIMEOUT');
      assert.match(error.message, /127\.0\.0\.1:\d+ did not answer GET \/base\/slow within 150 ms/);
      return true;
    });
    assert.equal(server.requests.length, 1);
  });

  it('cancels at once on abort, and the server sees the socket close', async () => {
    const { server, transport } = await setup(() => undefined);
    const controller = new AbortController();
    const pending = transport.request({ method: 'GET', path: '/hang', signal: controller.signal });
    await eventually(() => server.requests.length === 1);
    const closedBefore = server.closedSockets;
    controller.abort();
    await assert.rejects(pending, (error: unknown) => error instanceof CancelledError && error.code === 'CANCELLED');
    await eventually(() => server.closedSockets > closedBefore);
    assert.equal(server.requests.length, 1, 'no retry after a cancel');
  });

  it('does not start a request whose signal is already aborted', async () => {
    const { server, transport } = await setup((_req, res) => sendJson(res, 200, {}));
    await assert.rejects(transport.request({ method: 'GET', path: '/x', signal: AbortSignal.abort() }), CancelledError);
    assert.equal(server.requests.length, 0);
  });

  it('stops waiting between retries when cancelled', async () => {
    const controller = new AbortController();
    const { server, transport } = await setup((_req, res) => sendJson(res, 503, 'busy'), {
      sleep: async () => {
        controller.abort();
        throw new Error('aborted');
      },
    });
    await assert.rejects(transport.request({ method: 'GET', path: '/x', signal: controller.signal }), CancelledError);
    assert.equal(server.requests.length, 1);
  });

  it('sends session cookies back and forgets expired ones', async () => {
    const { server, transport } = await setup((_req, res, i) => {
      const cookies = i === 0 ? ['X-Qlik-Session=abc123def; Path=/; HttpOnly; Secure', 'other=1'] : i === 1 ? ['other=; Max-Age=0'] : [];
      sendJson(res, 200, {}, cookies.length ? { 'set-cookie': cookies } : {});
    });
    await transport.request({ method: 'GET', path: '/a' });
    await transport.request({ method: 'GET', path: '/b' });
    await transport.request({ method: 'GET', path: '/c' });
    assert.equal(server.requests[0]?.headers.cookie, undefined);
    assert.equal(server.requests[1]?.headers.cookie, 'X-Qlik-Session=abc123def; other=1');
    assert.equal(server.requests[2]?.headers.cookie, 'X-Qlik-Session=abc123def');
  });

  it('redacts configured secrets, bearer tokens and cookies from errors and logs', async () => {
    const logger = recordingLogger();
    const secret = 's3cr3t-passphrase';
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJ1c2VySWQiOiJqZG9lIn0.c2lnbmF0dXJl';
    const { transport } = await setup(
      (_req, res, i) =>
        i === 0
          ? sendJson(res, 200, {}, { 'set-cookie': 'X-Qlik-Session=cookie-value-42; Path=/' })
          : sendJson(res, 400, { message: `bad input ${secret} with Authorization: Bearer ${jwt} and session cookie-value-42` }),
      { logger, secrets: [secret] },
    );
    await transport.request({ method: 'GET', path: '/login', query: { xrfkey: 'abcdefghijklmnop' } });
    const error = await transport.request({ method: 'POST', path: '/x', body: {} }).then(
      () => assert.fail('expected a 400'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ServerError);
    const text = `${String(error)} ${error.serverMessage}`;
    for (const leaked of [secret, jwt, 'cookie-value-42']) {
      assert.ok(!text.includes(leaked), `error leaks ${leaked}: ${text}`);
    }
    assert.match(error.message, /bad input \*\*\*/);
    const log = logger.lines.join('\n');
    assert.match(log, /debug GET \/base\/login\?xrfkey=\*\*\* 200 \d+ms/);
    assert.ok(!log.includes('abcdefghijklmnop'), log);
    assert.ok(!log.includes(secret), log);
  });

  it('maps 403 to AuthError naming the account, and 401 to the setting to check', async () => {
    const { transport } = await setup((req, res) => sendJson(res, req.url?.includes('forbidden') ? 403 : 401, 'Access denied'), {
      account: 'CORP\\jdoe',
      credentialsHint: 'the JWT',
    });
    await assert.rejects(transport.request({ method: 'GET', path: '/forbidden', describe: 'read user access passes' }), (error: unknown) => {
      assert.ok(error instanceof AuthError);
      assert.equal(error.code, 'AUTH_FORBIDDEN');
      assert.match(error.message, /^The account CORP\\jdoe lacks rights to read user access passes\./);
      return true;
    });
    await assert.rejects(transport.request({ method: 'GET', path: '/who' }), (error: unknown) => {
      assert.ok(error instanceof AuthError);
      assert.equal(error.code, 'AUTH_REJECTED');
      assert.match(error.message, /rejected the credentials of the account CORP\\jdoe .*Check the JWT\./);
      return true;
    });
  });

  it('quotes a long server message trimmed to about 300 characters', async () => {
    const { transport } = await setup((_req, res) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`Invalid filter: ${'x'.repeat(1000)}`);
    });
    await assert.rejects(transport.request({ method: 'GET', path: '/x' }), (error: unknown) => {
      assert.ok(error instanceof ServerError);
      assert.match(error.message, /^The server answered GET \/base\/x with 400: Invalid filter: x+…$/);
      assert.ok(error.message.length < 400);
      return true;
    });
  });

  it('says nothing listens when the connection is refused, without retrying', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const address = probe.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const transport = createHttpTransport({ baseUrl: `http://127.0.0.1:${port}/qrs`, serviceName: 'the Repository Service', sleep: async (ms) => void sleeps.push(ms) });
    liveTransports.push(transport);
    await assert.rejects(transport.request({ method: 'GET', path: '/about' }), (error: unknown) => {
      assert.ok(error instanceof NetworkError, String(error));
      assert.equal(error.code, 'NET_REFUSED');
      assert.equal(error.message, `Nothing listens at 127.0.0.1:${port}: is the Repository Service running and port ${port} open?`);
      return true;
    });
    assert.equal(sleeps.length, 0);
  });

  it('retries a GET after the server drops the connection', async () => {
    const { server, transport } = await setup((_req, res, i) => (i === 0 ? res.socket?.destroy() : sendJson(res, 200, 'ok')));
    const response = await transport.request({ method: 'GET', path: '/x' });
    assert.equal(response.body, 'ok');
    assert.equal(server.requests.length, 2);
  });

  it('does not retry a POST after the server drops the connection', async () => {
    const { server, transport } = await setup((_req, res) => res.socket?.destroy());
    await assert.rejects(transport.request({ method: 'POST', path: '/x', body: {} }), NetworkError);
    assert.equal(server.requests.length, 1);
  });
});
