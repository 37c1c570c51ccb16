import { strict as assert } from 'node:assert';
import { findConnection, parseConfig } from '../../../src/core/connectionConfig';
import { ConfigError } from '../../../src/core/errors';

const cert = { mode: 'certificate', certFile: 'client.pem', keyFile: 'client_key.pem', caFile: 'root.pem', userDirectory: 'INTERNAL', userId: 'sa_api' };
const ok = { connections: [{ name: 'prod', kind: 'qrs', url: 'https://qs.example.com:4242/', auth: cert }] };

function fails(json: unknown, pattern: RegExp): void {
  assert.throws(() => parseConfig(json, 'cfg.json'), (e: unknown) => e instanceof ConfigError && pattern.test(e.message));
}

describe('parseConfig', () => {
  it('accepts the documented shapes and trims the url', () => {
    const c = parseConfig(
      {
        connections: [
          ok.connections[0],
          { name: 'proxy', kind: 'qrs', url: 'https://qs.example.com/hdr', auth: { mode: 'header', headerName: 'X-User', headerValue: 'CORP\\svc' }, tlsVerify: false },
          { name: 'jwt', kind: 'qrs', url: 'https://qs.example.com/jwt', auth: { mode: 'jwt' }, timeoutSeconds: 60 },
        ],
        rules: { windowDays: 90, inactiveDays: 45 },
      },
      'cfg.json',
    );
    assert.equal(c.connections[0]?.url, 'https://qs.example.com:4242');
    assert.equal(c.connections[0]?.tlsVerify, true);
    assert.equal(c.connections[1]?.tlsVerify, false);
    assert.deepEqual(c.rules, { windowDays: 90, inactiveDays: 45 });
    assert.equal(findConnection(c, 'PROXY', 'cfg.json').name, 'proxy');
  });

  it('names the field and the fix for each mistake', () => {
    fails({}, /"connections" must be an array/);
    fails({ connections: [{ ...ok.connections[0], url: 'http://qs:4242' }] }, /must start with https:\/\//);
    fails({ connections: [{ ...ok.connections[0], url: 'https://qs:4242/qrs' }] }, /leave \/qrs off/);
    fails({ connections: [{ ...ok.connections[0], url: 'https://me:pw@qs:4242' }] }, /must not carry credentials/);
    fails({ connections: [{ ...ok.connections[0], kind: 'sharepoint' }] }, /kind "sharepoint" is not supported/);
    fails({ connections: [{ ...ok.connections[0], auth: { mode: 'ntlm' } }] }, /mode must be "certificate", "header" or "jwt"/);
    fails({ connections: [{ ...ok.connections[0], auth: { ...cert, keyFile: '' } }] }, /connections\[0\] \("prod"\): auth: "keyFile" is required/);
    fails({ connections: [ok.connections[0], { ...ok.connections[0], name: 'PROD' }] }, /two connections are named "PROD"/);
    fails({ ...ok, rules: { windowDays: 0 } }, /windowDays must be a whole number/);
    fails({ connections: [{ ...ok.connections[0], tlsVerify: 'no' }] }, /tlsVerify must be true or false/);
  });

  it('refuses secrets in the file and says where they belong', () => {
    fails({ connections: [{ ...ok.connections[0], auth: { mode: 'jwt', token: 'eyJ...' } }] }, /"token" must not be in a config file.*LICENSE_STEWARD_SECRET_/);
  });

  describe('header authentication', () => {
    const header = (headerName: string, headerValue = 'CORP\\svc') => ({ connections: [{ name: 'proxy', kind: 'qrs', url: 'https://qs.example.com/hdr', auth: { mode: 'header', headerName, headerValue } }] });

    it('refuses headers the client sets itself or that carry other credentials, in any case, and names the header to use', () => {
      const refused = ['Authorization', 'authorization', 'COOKIE', 'Cookie', 'Proxy-Authorization', 'Host', 'Content-Type', 'content-length', 'X-Qlik-Xrfkey', 'User-Agent', 'Accept', 'Transfer-Encoding', 'Connection'];
      for (const name of refused) {
        assert.throws(
          () => parseConfig(header(name), 'cfg.json'),
          (e: unknown) => {
            assert.ok(e instanceof ConfigError, `${name}: ${String(e)}`);
            assert.ok(e.message.startsWith(`cfg.json: connections[0] ("proxy"): auth: headerName "${name}" cannot be used: `), e.message);
            assert.match(e.message, /Header authentication header name", e\.g\. X-Qlik-User-Header\.$/);
            assert.ok(!e.message.includes('CORP\\svc'), 'the header value is a credential');
            return true;
          },
          name,
        );
      }
      fails(header('Cookie'), /"Cookie" cannot be used: it carries other credentials \(the proxy session cookie License Steward keeps\)/);
      fails(header('authorization'), /"authorization" cannot be used: it carries other credentials/);
      fails(header('Content-Type'), /"Content-Type" cannot be used: License Steward sets it on requests itself/);
      // The names virtual proxies use still pass.
      for (const name of ['X-Qlik-User-Header', 'hdr-usr', 'X-Qlik-User', 'x-remote-user']) {
        const auth = parseConfig(header(name), 'cfg.json').connections[0]?.auth;
        assert.deepEqual(auth, { mode: 'header', headerName: name, headerValue: 'CORP\\svc' });
      }
    });

    it('refuses a name that is no HTTP header name, and a value with a line break, without quoting the value', () => {
      fails(header('X User'), /headerName "X User" is not an HTTP header name/);
      fails(header('X-User:'), /is not an HTTP header name/);
      assert.throws(
        () => parseConfig(header('X-Qlik-User-Header', 'CORP\\svc\r\nX-Other: 1'), 'cfg.json'),
        (e: unknown) => e instanceof ConfigError && /headerValue contains a control character/.test(e.message) && !e.message.includes('svc'),
      );
    });
  });

  it('lists the connections it has when a name is wrong', () => {
    const c = parseConfig(ok, 'cfg.json');
    assert.throws(() => findConnection(c, 'test', 'cfg.json'), /no connection named "test" \(it has: "prod"\)/);
  });

  describe('Qlik Cloud and License Statistics connections', () => {
    const conn = (c: Record<string, unknown>) => ({ connections: [c] });

    it('accepts a tenant with an API key or an OAuth client, keeping only the origin', () => {
      const c = parseConfig(
        {
          connections: [
            { name: 'tenant', kind: 'cloud', url: 'https://acme.eu.qlikcloud.com/', auth: { mode: 'apiKey' } },
            { name: 'm2m', kind: 'cloud', url: 'https://acme.eu.qlikcloud.com', auth: { mode: 'oauth', clientId: 'abc', caFile: 'proxy.pem' }, subscription: 'capacity', capacityBreakEvenMinutes: 600 },
          ],
        },
        'cfg.json',
      );
      assert.deepEqual(c.connections[0], { name: 'tenant', kind: 'cloud', url: 'https://acme.eu.qlikcloud.com', auth: { mode: 'apiKey' }, tlsVerify: true });
      assert.deepEqual(c.connections[1], {
        name: 'm2m',
        kind: 'cloud',
        url: 'https://acme.eu.qlikcloud.com',
        auth: { mode: 'oauth', clientId: 'abc', caFile: 'proxy.pem' },
        tlsVerify: true,
        subscription: 'capacity',
        capacityBreakEvenMinutes: 600,
      });
    });

    it('refuses a tenant url with a path, a secret in the file, an unknown mode or subscription', () => {
      fails(conn({ name: 't', kind: 'cloud', url: 'https://acme.eu.qlikcloud.com/api/v1', auth: { mode: 'apiKey' } }), /url must be the tenant alone .*leave \/api\/v1 off/);
      fails(conn({ name: 't', kind: 'cloud', url: 'https://acme.eu.qlikcloud.com', auth: { mode: 'apiKey', apiKey: 'eyJ' } }), /"apiKey" must not be in a config file/);
      fails(conn({ name: 't', kind: 'cloud', url: 'https://acme.eu.qlikcloud.com', auth: { mode: 'oauth', clientId: 'a', clientSecret: 's' } }), /"clientSecret" must not be in a config file/);
      fails(conn({ name: 't', kind: 'cloud', url: 'https://acme.eu.qlikcloud.com', auth: { mode: 'basic' } }), /mode must be "apiKey" or "oauth"/);
      fails(conn({ name: 't', kind: 'cloud', url: 'https://acme.eu.qlikcloud.com', auth: { mode: 'oauth' } }), /"clientId" is required/);
      fails(conn({ name: 't', kind: 'cloud', url: 'http://acme.eu.qlikcloud.com', auth: { mode: 'apiKey' } }), /must start with https:\/\//);
      fails(conn({ name: 't', kind: 'cloud', url: 'https://acme.eu.qlikcloud.com', auth: { mode: 'apiKey' }, subscription: 'premium' }), /subscription must be "user-based" or "capacity"/);
    });

    it('accepts a License Statistics server with a token and report path overrides', () => {
      const c = parseConfig(conn({ name: 'eng', kind: 'licstats', url: 'https://licstat.example.com/ls/', auth: { mode: 'token' }, reports: { usagePerUser: '/api/v3/usage' } }), 'cfg.json');
      assert.deepEqual(c.connections[0], { name: 'eng', kind: 'licstats', url: 'https://licstat.example.com/ls', auth: { mode: 'token' }, tlsVerify: true, reports: { usagePerUser: '/api/v3/usage' } });
      fails(conn({ name: 'eng', kind: 'licstats', url: 'https://licstat.example.com', auth: { mode: 'token', token: 'x' } }), /"token" must not be in a config file/);
      fails(conn({ name: 'eng', kind: 'licstats', url: 'https://licstat.example.com', auth: { mode: 'apiKey' } }), /mode must be "token"/);
      fails(conn({ name: 'eng', kind: 'licstats', url: 'https://licstat.example.com', auth: { mode: 'token' }, reports: { usagePerUser: 3 } }), /reports: "usagePerUser" is required and must be a non-empty string/);
    });

    it('names the three kinds when the kind is unknown', () => {
      fails(conn({ name: 'x', kind: 'flexlm', url: 'https://x', auth: {} }), /use "qrs" \(Qlik Sense client-managed\), "cloud" \(Qlik Cloud\) or "licstats" \(License Statistics\)/);
    });
  });
});
