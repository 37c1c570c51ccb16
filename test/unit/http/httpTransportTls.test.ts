import { strict as assert } from 'node:assert';
import { TLSSocket } from 'node:tls';
import { TlsError } from '../../../src/core/errors';
import { createHttpTransport, type HttpTransport, type HttpTransportOptions } from '../../../src/http/httpTransport';
import { createSimCertificates, type SimCertificates } from '../../../src/sim/certificates';
import { recordingLogger, sendJson, startTestServer, type TestServer } from './testServer';

describe('httpTransport TLS', function () {
  this.timeout(30_000);
  let localhost: SimCertificates;
  let otherHost: SimCertificates;
  let server: TestServer | undefined;
  let transport: HttpTransport | undefined;

  before(async () => {
    [localhost, otherHost] = await Promise.all([
      createSimCertificates({ serverNames: ['localhost', '127.0.0.1'] }),
      createSimCertificates({ serverNames: ['qlik.example.internal', 'qlik'] }),
    ]);
  });

  afterEach(async () => {
    await transport?.close();
    await server?.close();
    transport = undefined;
    server = undefined;
  });

  /** An HTTPS server that requires a client certificate from `certs`' CA and says who connected. */
  async function mtlsServer(certs: SimCertificates): Promise<TestServer> {
    return startTestServer(
      (_req, res) => {
        const socket = res.socket;
        const peer = socket instanceof TLSSocket ? socket.getPeerCertificate().subject?.CN : undefined;
        sendJson(res, 200, { peer });
      },
      { cert: certs.serverCert, key: certs.serverKey, ca: certs.ca, requestCert: true, rejectUnauthorized: true },
    );
  }

  async function failure(options: Partial<HttpTransportOptions>): Promise<TlsError> {
    assert.ok(server);
    transport = createHttpTransport({ baseUrl: `${server.url}/qrs`, sleep: async () => undefined, ...options });
    const error = await transport.request({ method: 'GET', path: '/about' }).then(
      () => assert.fail('expected a TLS failure'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof TlsError, `not a TlsError: ${String(error)}`);
    return error;
  }

  it('connects with the CA and a client certificate', async () => {
    server = await mtlsServer(localhost);
    transport = createHttpTransport({ baseUrl: `${server.url}/qrs`, ca: localhost.ca, cert: localhost.clientCert, key: localhost.clientKey });
    const response = await transport.request({ method: 'GET', path: '/about' });
    assert.deepEqual(response.body, { peer: 'QlikClient' });
  });

  it('opens an encrypted client key with its passphrase', async () => {
    server = await mtlsServer(localhost);
    transport = createHttpTransport({
      baseUrl: `${server.url}/qrs`,
      ca: localhost.ca,
      cert: localhost.clientCert,
      key: localhost.encryptedClientKey('open sesame'),
      passphrase: 'open sesame',
    });
    assert.equal((await transport.request({ method: 'GET', path: '/about' })).status, 200);
  });

  it('says the passphrase is wrong, without echoing it', async () => {
    server = await mtlsServer(localhost);
    const error = await failure({ ca: localhost.ca, cert: localhost.clientCert, key: localhost.encryptedClientKey('right one'), passphrase: 'wrong one' });
    assert.equal(error.code, 'TLS_KEY_PASSPHRASE');
    // A fresh salt each run: about one wrong passphrase in 170 gets OpenSSL's "unsupported" instead of "bad decrypt", worded apart.
    assert.match(error.message, /client_key\.pem.*passphrase is wrong( or missing|, or the file is not the key it was exported with)\./);
    assert.ok(!error.message.includes('wrong one'));
  });

  it('asks for root.pem when the server certificate comes from an unknown CA', async () => {
    server = await mtlsServer(localhost);
    const error = await failure({ cert: localhost.clientCert, key: localhost.clientKey });
    assert.equal(error.code, 'TLS_UNKNOWN_CA');
    assert.match(error.message, /Give the connection the CA certificate that signed it as its CA file \(on Qlik Sense, the site's root\.pem; behind a TLS-inspecting proxy, the proxy's CA\)\./);
    assert.match(error.message, /127\.0\.0\.1:\d+/);
  });

  it('lists the names the certificate is valid for when the host name does not match', async () => {
    server = await mtlsServer(otherHost);
    const error = await failure({ ca: otherHost.ca, cert: otherHost.clientCert, key: otherHost.clientKey });
    assert.equal(error.code, 'TLS_HOST_MISMATCH');
    assert.match(error.message, /not valid for the name "127\.0\.0\.1": connect with a host name the certificate lists: qlik\.example\.internal, qlik\./);
  });

  it('explains "unsupported certificate purpose"', async () => {
    const wrongPurpose = await createSimCertificates({ serverNames: ['127.0.0.1'], serverCertPurpose: 'clientAuth' });
    server = await mtlsServer(wrongPurpose);
    const error = await failure({ ca: wrongPurpose.ca, cert: wrongPurpose.clientCert, key: wrongPurpose.clientKey });
    assert.equal(error.code, 'TLS_INVALID_PURPOSE');
    assert.match(error.message, /unsupported certificate purpose/);
  });

  it('warns on every new connection when verification is off', async () => {
    server = await mtlsServer(localhost);
    const logger = recordingLogger();
    transport = createHttpTransport({ baseUrl: `${server.url}/qrs`, cert: localhost.clientCert, key: localhost.clientKey, rejectUnauthorized: false, logger });
    await transport.request({ method: 'GET', path: '/about' });
    const warnings = () => logger.lines.filter((line) => line.startsWith('warn TLS verification is off for 127.0.0.1:'));
    assert.equal(warnings().length, 1);
    assert.match(warnings()[0] ?? '', /anyone on the network path can read this traffic/);
    // Two requests at once need a second socket, which must warn again.
    await Promise.all([transport.request({ method: 'GET', path: '/about' }), transport.request({ method: 'GET', path: '/about' })]);
    assert.equal(warnings().length, server.openedSockets);
    assert.ok(server.openedSockets >= 2);
  });
});
