import { strict as assert } from 'node:assert';
import { CancelledError, NetworkError, TimeoutError, TlsError } from '../../../src/core/errors';
import { mapTransportError, type FailedCall } from '../../../src/http/mapTransportError';

const call: FailedCall = {
  request: 'GET /qrs/about',
  hostname: 'qlik.corp',
  port: '4242',
  timeoutMs: 30_000,
  serviceName: 'the Repository Service',
  cancelled: false,
  timedOut: false,
  passphraseGiven: false,
};

function nodeError(code: string, message = code, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { code }, extra);
}

describe('mapTransportError', () => {
  it('says the client certificate was probably refused when a mutual-TLS server closes before any answer', () => {
    const closed = nodeError('UND_ERR_SOCKET', 'other side closed', { socket: { bytesWritten: 65, bytesRead: 0 } });
    const error = mapTransportError(closed, { ...call, clientCertificate: true });
    assert.ok(error instanceof NetworkError && error.code === 'NET_RESET');
    assert.match(error.message, /^qlik\.corp:4242 closed the connection right after the TLS handshake, before any answer \(UND_ERR_SOCKET\): it probably refused this connection's client certificate\./);
    // Without a client certificate, or once answers have flowed, it is an ordinary broken connection.
    for (const other of [mapTransportError(closed, call), mapTransportError(nodeError('UND_ERR_SOCKET', 'other side closed', { socket: { bytesRead: 4096 } }), { ...call, clientCertificate: true })]) {
      assert.match(other.message, /^The connection to qlik\.corp:4242 failed during GET \/qrs\/about \(UND_ERR_SOCKET\)/);
    }
  });

  it('maps each unknown-CA code to the root.pem advice', () => {
    for (const code of ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT']) {
      const error = mapTransportError(nodeError(code), call);
      assert.ok(error instanceof TlsError && error.code === 'TLS_UNKNOWN_CA', code);
      assert.match(error.message, /qlik\.corp:4242 .*root\.pem/);
    }
  });

  it('lists DNS names and IP addresses of a mismatched certificate, found through the cause chain', () => {
    const inner = nodeError('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames", { cert: { subjectaltname: 'DNS:qlikserver1, DNS:qlikserver1.corp.local, IP Address:10.0.0.5' } });
    const error = mapTransportError(Object.assign(new Error('fetch failed'), { cause: inner }), call);
    assert.ok(error instanceof TlsError);
    assert.match(error.message, /lists: qlikserver1, qlikserver1\.corp\.local, 10\.0\.0\.5\.$/);
  });

  it('tells expired certificates, wrong purposes and key trouble apart', () => {
    const code = (e: Error, c: FailedCall = call) => mapTransportError(e, c).code;
    assert.equal(code(nodeError('CERT_HAS_EXPIRED')), 'TLS_CERT_EXPIRED');
    assert.equal(code(nodeError('INVALID_PURPOSE', 'unsupported certificate purpose')), 'TLS_INVALID_PURPOSE');
    assert.equal(code(nodeError('ERR_OSSL_BAD_DECRYPT', 'error:1C800064:Provider routines::bad decrypt')), 'TLS_KEY_PASSPHRASE');
    assert.equal(code(nodeError('ERR_OSSL_UNSUPPORTED', 'error:1E08010C:DECODER routines::unsupported'), { ...call, passphraseGiven: true }), 'TLS_KEY_PASSPHRASE');
    assert.equal(code(nodeError('ERR_OSSL_UNSUPPORTED', 'error:1E08010C:DECODER routines::unsupported')), 'TLS_BAD_PEM');
    assert.equal(code(nodeError('ERR_OSSL_X509_KEY_VALUES_MISMATCH', 'key values mismatch')), 'TLS_KEY_MISMATCH');
    assert.equal(code(nodeError('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED')), 'TLS_CLIENT_CERT_REJECTED');
  });

  it('names the network problem', () => {
    const refused = mapTransportError(nodeError('ECONNREFUSED'), call);
    assert.ok(refused instanceof NetworkError);
    assert.equal(refused.message, 'Nothing listens at qlik.corp:4242: is the Repository Service running and port 4242 open?');
    const unknown = mapTransportError(nodeError('ENOTFOUND'), call);
    assert.equal(unknown.code, 'NET_NOT_FOUND');
    assert.match(unknown.message, /qlik\.corp does not resolve/);
    assert.equal(mapTransportError(nodeError('ECONNRESET'), call).code, 'NET_RESET');
  });

  it('a cancel wins over whatever the abort looked like; a deadline is a timeout', () => {
    assert.ok(mapTransportError(nodeError('UND_ERR_ABORTED'), { ...call, cancelled: true }) instanceof CancelledError);
    assert.ok(mapTransportError(nodeError('UND_ERR_ABORTED'), { ...call, timedOut: true }) instanceof TimeoutError);
    assert.ok(mapTransportError(nodeError('UND_ERR_HEADERS_TIMEOUT'), call) instanceof TimeoutError);
  });
});
