import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../../../src/core/logger';
import { AuthError, ServerError, TimeoutError, TlsError } from '../../../../src/core/errors';
import { startQrsSimulator, type QrsSimulator } from '../../../../src/sim/qrs/qrsSimulator';
import { QRS_SPEC_VERSION } from '../../../../src/sim/qrs/qrsSpec';
import { QrsClient } from '../../../../src/sources/qrs/qrsClient';
import { createQrsSource, type QrsSource } from '../../../../src/sources/qrs/qrsSource';
import { certificateOptions, headerOptions, jwtOptions, trafficCheck } from './simConnection';

describe('QRS client against the simulator', function () {
  this.timeout(30_000);
  let sim: QrsSimulator;
  let check: ReturnType<typeof trafficCheck>;
  const opened: { close(): Promise<void> }[] = [];
  const open = <T extends { close(): Promise<void> }>(thing: T): T => {
    opened.push(thing);
    return thing;
  };

  before(async () => {
    sim = await startQrsSimulator({ users: 60, seed: 3 });
  });
  after(async () => {
    await sim.close();
  });
  beforeEach(() => {
    check = trafficCheck(sim);
  });
  afterEach(async function () {
    await Promise.all(opened.splice(0).map((thing) => thing.close()));
    if (this.currentTest?.state === 'passed') {
      check.assertClean();
    }
  });

  const newRequests = () => sim.requests.slice(check.since);

  it('sends a fresh 16-character xrfkey on every request, the same in query and header', async () => {
    const source = open(createQrsSource(certificateOptions(sim)));
    await source.whoAmI();
    await source.overview();
    await source.allocations();
    await source.findUser('CORP', 'admin');
    const requests = newRequests();
    assert.ok(requests.length >= 4);
    const keys = requests.map((r) => {
      const key = r.query['xrfkey'];
      assert.match(key ?? '', /^[A-Za-z0-9]{16}$/);
      assert.equal(r.headers['x-qlik-xrfkey'], key, `${r.method} ${r.path}`);
      return key;
    });
    assert.equal(new Set(keys).size, keys.length, 'every key is fresh');
  });

  it('certificate mode: mutual TLS, acting as X-Qlik-User', async () => {
    const source = open(createQrsSource(certificateOptions(sim, 'INTERNAL\\sa_api')));
    const me = await source.whoAmI();
    assert.deepEqual(me, { user: 'INTERNAL\\sa_api', server: `Qlik Sense repository ${QRS_SPEC_VERSION}` });
    assert.equal(newRequests()[0]?.path, '/qrs/about');
    assert.equal(newRequests()[0]?.headers['x-qlik-user'], 'UserDirectory=INTERNAL; UserId=sa_api');
  });

  it('certificate mode with an encrypted client key and its passphrase', async () => {
    const base = certificateOptions(sim);
    assert.equal(base.auth.mode, 'certificate');
    if (base.auth.mode !== 'certificate') {
      return;
    }
    const passphrase = 'export password 1';
    const source = open(createQrsSource({ ...base, auth: { ...base.auth, key: sim.encryptedClientKey(passphrase), passphrase } }));
    assert.equal((await source.whoAmI()).user, 'INTERNAL\\sa_api');
    const wrong = open(createQrsSource({ ...base, auth: { ...base.auth, key: sim.encryptedClientKey(passphrase), passphrase: 'not it' } }));
    await assert.rejects(wrong.whoAmI(), (error: unknown) => error instanceof TlsError && error.code === 'TLS_KEY_PASSPHRASE');
  });

  it('header mode through the virtual proxy reuses the session cookie', async () => {
    const before = { ...sim.state.auth };
    const source = open(createQrsSource(headerOptions(sim, 'CORP\\admin')));
    // The header value is a credential, so the source does not name it as the account.
    assert.equal((await source.whoAmI()).user, null);
    await source.overview();
    await source.allocations();
    const requests = newRequests();
    assert.ok(requests.every((r) => r.path.startsWith('/hdr/qrs/')));
    assert.equal(requests[0]?.headers['cookie'], undefined);
    assert.ok(requests.slice(1).every((r) => /X-Qlik-Session-hdr=/.test(r.headers['cookie'] ?? '')));
    assert.equal(sim.state.auth.byCredentials - before.byCredentials, 1, 'one login');
    assert.equal(sim.state.auth.byCookie - before.byCookie, requests.length - 1, 'the rest ride the session');
  });

  it('header mode: the header value shows in no refusal, no server message quoted and no log line', async () => {
    const value = 'CORP\\someone';
    const lines: string[] = [];
    const keep = (m: string): void => void lines.push(m);
    const logger: Logger = { trace: keep, debug: keep, info: keep, warn: keep, error: keep };
    const source = open(createQrsSource({ ...headerOptions(sim, value), logger }));
    // Signed in, without rights to license data: 403.
    await assert.rejects(source.overview(), (error: unknown) => {
      assert.ok(error instanceof AuthError, String(error));
      assert.equal(error.status, 403);
      assert.match(error.message, /^The connected account lacks rights to GET \/hdr\/qrs\/license\/accesstypeoverview/);
      assert.ok(!error.message.includes(value), error.message);
      return true;
    });
    // A proxy that rejects the user and quotes it back: 401.
    sim.fault({ method: 'GET', path: /^\/hdr\/qrs\/about$/, status: 401, body: `Unknown user ${value}; the header ${sim.headerProxy.headerName} was ${value}`, times: 1 });
    await assert.rejects(source.whoAmI(), (error: unknown) => {
      assert.ok(error instanceof AuthError, String(error));
      assert.equal(error.status, 401);
      assert.match(error.message, /^The server rejected the credentials of this connection \(401 on GET \/hdr\/qrs\/about/);
      assert.match(error.message, /The server said: Unknown user \*\*\*; the header X-Qlik-HeaderUser was \*\*\*$/);
      return true;
    });
    assert.ok(lines.length >= 2, 'the transport logged the calls');
    assert.deepEqual(lines.filter((l) => l.includes(value)), []);
  });

  it('says license-steward/<version of package.json> as its User-Agent on every request', async () => {
    const { version } = JSON.parse(readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8')) as { version: string };
    assert.match(version, /^\d+\.\d+\.\d+/);
    const token = sim.signJwt({ userId: 'admin', userDirectory: 'CORP' });
    for (const options of [certificateOptions(sim), headerOptions(sim), jwtOptions(sim, token)]) {
      const source = open(createQrsSource(options));
      await source.whoAmI();
      await source.overview();
    }
    const requests = newRequests();
    assert.ok(requests.length >= 6);
    for (const r of requests) {
      assert.equal(r.headers['user-agent'], `license-steward/${version}`, `${r.method} ${r.path}`);
    }
  });

  it('jwt mode: Bearer token, identity as claimed by the token, cookie reuse', async () => {
    const token = sim.signJwt({ userId: 'admin', userDirectory: 'CORP' });
    const source = open(createQrsSource(jwtOptions(sim, token)));
    assert.deepEqual(await source.whoAmI(), { user: 'CORP\\admin (as claimed by the token)', server: `Qlik Sense repository ${QRS_SPEC_VERSION}` });
    await source.overview();
    const [first, second] = newRequests();
    assert.equal(first?.headers['authorization'], `Bearer ${token}`);
    assert.match(second?.headers['cookie'] ?? '', /X-Qlik-Session-jwt=/);
  });

  it('jwt mode: an expired token is an AuthError that names the setting and hides the token', async () => {
    const token = sim.signJwt({ userId: 'admin', userDirectory: 'CORP' }, { expiresInSeconds: 60 });
    sim.clock.advance(120_000);
    const source = open(createQrsSource(jwtOptions(sim, token)));
    await assert.rejects(source.whoAmI(), (error: unknown) => {
      assert.ok(error instanceof AuthError, String(error));
      assert.equal(error.code, 'AUTH_REJECTED');
      assert.match(error.message, /Check the connection's JWT/);
      assert.match(error.message, /The JWT has expired/);
      assert.ok(!error.message.includes(token));
      return true;
    });
  });

  it('unknown CA: asks for root.pem', async () => {
    const { ca: _ca, ...withoutCa } = certificateOptions(sim);
    const source = open(createQrsSource(withoutCa));
    await assert.rejects(source.whoAmI(), (error: unknown) => {
      assert.ok(error instanceof TlsError, String(error));
      assert.equal(error.code, 'TLS_UNKNOWN_CA');
      assert.match(error.message, /root\.pem/);
      return true;
    });
  });

  it('wrong host name: lists the names the certificate holds', async () => {
    const other = await startQrsSimulator({ users: 10, serverNames: ['qlik.example.internal'] });
    try {
      const source = open(createQrsSource(certificateOptions(other)));
      await assert.rejects(source.whoAmI(), (error: unknown) => {
        assert.ok(error instanceof TlsError, String(error));
        assert.equal(error.code, 'TLS_HOST_MISMATCH');
        assert.match(error.message, /connect with a host name the certificate lists: qlik\.example\.internal\./);
        return true;
      });
    } finally {
      await other.close();
    }
  });

  it('counts with a filter, and reads counts the way the server writes them', async () => {
    const client = open(new QrsClient(certificateOptions(sim)));
    const all = await client.count('user');
    const admins = await client.count('user', "userDirectory eq 'CORP' and userId eq 'admin'");
    assert.equal(all, sim.state.users.filter((u) => !u.deleted).length);
    assert.equal(admins, 1);
  });

  it('surfaces the QRS text of a 400', async () => {
    const client = open(new QrsClient(certificateOptions(sim)));
    await assert.rejects(client.get('user/full', { filter: "userId eq 'unterminated" }), (error: unknown) => {
      assert.ok(error instanceof ServerError, String(error));
      assert.equal(error.status, 400);
      assert.match(error.message, /^The server answered GET \/qrs\/user\/full\?filter=userId eq 'unterminated&xrfkey=\*\*\* with 400: \S/);
      return true;
    });
  });

  it('retries a read the server failed with 503, and times out a read that never comes', async () => {
    sim.fault({ method: 'GET', path: /\/qrs\/about$/, status: 503, times: 2 });
    const source: QrsSource = open(createQrsSource(certificateOptions(sim)));
    assert.equal((await source.whoAmI()).user, 'INTERNAL\\sa_api');
    assert.equal(newRequests().filter((r) => r.path === '/qrs/about').length, 3);

    sim.fault({ method: 'GET', path: /\/qrs\/about$/, delayMs: 2_000, times: 1 });
    const impatient = open(createQrsSource(certificateOptions(sim, 'INTERNAL\\sa_api', { timeoutMs: 300 })));
    await assert.rejects(impatient.whoAmI(), (error: unknown) => error instanceof TimeoutError && /localhost:\d+ did not answer GET \/qrs\/about/.test(error.message));
  });
});
