import { strict as assert } from 'node:assert';
import { createRedactor } from '../../../src/http/redactor';

describe('redactor', () => {
  it('replaces configured and learned secrets', () => {
    const redactor = createRedactor(['hunter22', undefined, 'ab']);
    redactor.add('session-cookie-value');
    assert.equal(redactor.redact('pass hunter22, cookie session-cookie-value'), 'pass ***, cookie ***');
    assert.equal(redactor.redact('about ab'), 'about ab', 'too short to be a secret worth mangling text for');
  });

  it('replaces credential headers, bearer tokens, JWTs, private keys and xrfkeys wherever they appear', () => {
    const redactor = createRedactor();
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig_nature-1';
    const text = [
      'Authorization: Basic dXNlcjpwYXNz',
      '"cookie":"X-Qlik-Session=123"',
      `token ${jwt}`,
      'Bearer abc.def',
      '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----',
      'GET /qrs/about?xrfkey=abcdefghijklmnop&x=1',
      'passphrase=opensesame',
    ].join('\n');
    const out = redactor.redact(text);
    for (const leaked of ['dXNlcjpwYXNz', 'X-Qlik-Session=123', jwt, 'abc.def', 'MIIB', 'abcdefghijklmnop', 'opensesame']) {
      assert.ok(!out.includes(leaked), `${leaked} leaked in:\n${out}`);
    }
    assert.match(out, /GET \/qrs\/about\?xrfkey=\*\*\*&x=1/);
  });
});
