import { strict as assert } from 'node:assert';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import { createSimCertificates, type SimCertificates } from '../../../src/sim/certificates';
import { startQrsSimulator } from '../../../src/sim/qrs/qrsSimulator';

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

describe('sim certificates', function () {
  this.timeout(20_000);
  let certs: SimCertificates;

  before(async () => {
    certs = await createSimCertificates({ serverNames: ['qlik.example.internal', '127.0.0.1'] });
  });

  it('issues a CA, a server certificate for the given names and a QlikClient certificate', () => {
    const ca = new X509Certificate(certs.ca);
    const server = new X509Certificate(certs.serverCert);
    const client = new X509Certificate(certs.clientCert);
    assert.equal(ca.ca, true);
    assert.equal(ca.subject, 'CN=qlik.example.internal-CA');
    assert.ok(server.checkIssued(ca) && server.verify(ca.publicKey));
    assert.ok(client.checkIssued(ca) && client.verify(ca.publicKey));
    assert.match(server.subjectAltName ?? '', /DNS:qlik\.example\.internal/);
    assert.match(server.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
    assert.deepEqual(server.keyUsage, [SERVER_AUTH]);
    assert.equal(client.subject, 'CN=QlikClient');
    assert.deepEqual(client.keyUsage, [CLIENT_AUTH]);
    assert.equal(createPublicKey(certs.serverKey).export({ type: 'spki', format: 'pem' }), server.publicKey.export({ type: 'spki', format: 'pem' }));
    assert.equal(server.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  });

  it('encrypts the client key with a passphrase, as a password-protected export', () => {
    const pem = certs.encryptedClientKey('open sesame');
    assert.match(pem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    const key = createPrivateKey({ key: pem, passphrase: 'open sesame' });
    const expected = new X509Certificate(certs.clientCert).publicKey.export({ type: 'spki', format: 'pem' });
    assert.equal(createPublicKey(key).export({ type: 'spki', format: 'pem' }), expected);
    assert.throws(() => createPrivateKey({ key: pem, passphrase: 'wrong' }));
  });

  it('gives every certificate set its own CA', async () => {
    const other = await createSimCertificates({ serverNames: ['qlik.example.internal', '127.0.0.1'] });
    assert.equal(new X509Certificate(certs.serverCert).verify(new X509Certificate(other.ca).publicKey), false);
    assert.equal(new X509Certificate(other.serverCert).verify(new X509Certificate(other.ca).publicKey), true);
  });

  it('can serve a wrong-purpose certificate that TLS clients refuse', async () => {
    const sim = await startQrsSimulator({ users: 10, serverCertPurpose: 'clientAuth' });
    try {
      const error = await new Promise<Error>((resolve) => {
        const req = request(`${sim.url}/qrs/about?xrfkey=abcdefghijklmnop`, { ca: sim.certificates.ca, agent: false }, () => resolve(new Error('connected')));
        req.on('error', resolve);
        req.end();
      });
      assert.match(error.message, /(unsupported|unsuitable) certificate purpose/i);
    } finally {
      await sim.close();
    }
  });
});
