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
    fails({ connections: [{ ...ok.connections[0], kind: 'cloud' }] }, /kind "cloud" is not supported/);
    fails({ connections: [{ ...ok.connections[0], auth: { mode: 'ntlm' } }] }, /mode must be "certificate", "header" or "jwt"/);
    fails({ connections: [{ ...ok.connections[0], auth: { ...cert, keyFile: '' } }] }, /connections\[0\] \("prod"\): auth: "keyFile" is required/);
    fails({ connections: [ok.connections[0], { ...ok.connections[0], name: 'PROD' }] }, /two connections are named "PROD"/);
    fails({ ...ok, rules: { windowDays: 0 } }, /windowDays must be a whole number/);
    fails({ connections: [{ ...ok.connections[0], tlsVerify: 'no' }] }, /tlsVerify must be true or false/);
  });

  it('refuses secrets in the file and says where they belong', () => {
    fails({ connections: [{ ...ok.connections[0], auth: { mode: 'jwt', token: 'eyJ...' } }] }, /"token" must not be in a config file.*LICENSE_STEWARD_SECRET_/);
  });

  it('lists the connections it has when a name is wrong', () => {
    const c = parseConfig(ok, 'cfg.json');
    assert.throws(() => findConnection(c, 'test', 'cfg.json'), /no connection named "test" \(it has: "prod"\)/);
  });
});
