import { CancelledError, StewardError, NetworkError, TimeoutError, TlsError } from '../core/errors';

/** What the mapper needs to know about the failed call. */
export interface FailedCall {
  /** `GET /qrs/about`, for messages. */
  readonly request: string;
  /** The URL's host name (no port). */
  readonly hostname: string;
  /** The port actually dialled. */
  readonly port: string;
  readonly timeoutMs: number;
  /** What should be listening, e.g. "the Repository Service". */
  readonly serviceName: string;
  /** The caller's signal aborted. */
  readonly cancelled: boolean;
  /** The transport's own deadline fired. */
  readonly timedOut: boolean;
  /** A passphrase for the client key was configured. */
  readonly passphraseGiven: boolean;
  /** The connection presents a client certificate (mutual TLS). */
  readonly clientCertificate?: boolean;
}

const UNKNOWN_CA_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

const CLIENT_CERT_REJECTED_CODES = new Set([
  'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
]);

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** The fields Node and undici put on their errors that the mapping reads. */
interface ErrorFacts {
  readonly code: string | undefined;
  readonly message: string;
  readonly subjectAltName: string | undefined;
  /** Bytes of answer the socket had read when it failed (undici's socket summary), when known. */
  readonly bytesRead: number | undefined;
}

/** A socket that closed on its own rather than by a timeout or a refusal. */
const CLOSED_CODES = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'UND_ERR_CLOSED']);

/**
 * Turns whatever undici or Node threw into one of the HTTP layer's errors, with a message that
 * names the file or setting to fix. The message is raw: the caller redacts it.
 */
export function mapTransportError(error: unknown, call: FailedCall): StewardError {
  if (error instanceof StewardError) {
    return error;
  }
  if (call.cancelled) {
    return new CancelledError(call.request);
  }
  const facts = factsOf(error);
  if (call.timedOut || (facts.code !== undefined && TIMEOUT_CODES.has(facts.code))) {
    return new TimeoutError(call.timeoutMs, `${call.hostname}:${call.port}`, call.request);
  }
  return mapTls(facts, call) ?? mapNetwork(facts, call);
}

function mapTls(facts: ErrorFacts, call: FailedCall): TlsError | undefined {
  const { code, message } = facts;
  const at = `${call.hostname}:${call.port}`;
  if (code !== undefined && UNKNOWN_CA_CODES.has(code)) {
    return new TlsError(
      'TLS_UNKNOWN_CA',
      `The certificate of ${at} is signed by a CA this connection does not trust (${code}). Give the connection the CA certificate that signed it as its CA file (on Qlik Sense, the site's root.pem; behind a TLS-inspecting proxy, the proxy's CA).`,
      code,
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = listedNames(facts.subjectAltName);
    const advice = names.length > 0 ? `connect with a host name the certificate lists: ${names.join(', ')}` : 'connect with the host name the certificate was issued for';
    return new TlsError('TLS_HOST_MISMATCH', `The certificate of ${at} is not valid for the name "${call.hostname}": ${advice}.`, code);
  }
  if (code === 'INVALID_PURPOSE' || /unsupported certificate purpose/i.test(message)) {
    return new TlsError(
      'TLS_INVALID_PURPOSE',
      `Node rejected the certificate chain of ${at} as "unsupported certificate purpose". Check that the CA file is the site's root.pem (not client.pem or server.pem).`,
      code,
    );
  }
  if (code === 'CERT_HAS_EXPIRED') {
    return new TlsError('TLS_CERT_EXPIRED', `The certificate of ${at} has expired. Renew the site's certificates, or check this computer's clock.`, code);
  }
  if (code === 'ERR_OSSL_BAD_DECRYPT' || code === 'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED' || /bad decrypt|interrupted or cancelled/i.test(message)) {
    return new TlsError(
      'TLS_KEY_PASSPHRASE',
      "The client key (client_key.pem) could not be decrypted: the connection's key passphrase is wrong or missing.",
      code,
    );
  }
  if (code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH' || /key values mismatch/i.test(message)) {
    return new TlsError('TLS_KEY_MISMATCH', 'The client key does not belong to the client certificate: use client.pem and client_key.pem from the same export.', code);
  }
  if (code === 'ERR_OSSL_UNSUPPORTED' && call.passphraseGiven) {
    // About 1 wrong passphrase in 170 decrypts to bytes with valid padding, which the decoder
    // then cannot read: OpenSSL reports "unsupported" instead of "bad decrypt".
    return new TlsError(
      'TLS_KEY_PASSPHRASE',
      "The client key (client_key.pem) could not be decrypted: the connection's key passphrase is wrong, or the file is not the key it was exported with.",
      code,
    );
  }
  if (code === 'ERR_OSSL_UNSUPPORTED' || (code?.startsWith('ERR_OSSL_PEM') ?? false) || /no start line|bad base64 decode/i.test(message)) {
    return new TlsError('TLS_BAD_PEM', 'A certificate or key of this connection is not PEM text: export the certificates from the QMC in PEM format.', code);
  }
  if (code !== undefined && CLIENT_CERT_REJECTED_CODES.has(code)) {
    return new TlsError(
      'TLS_CLIENT_CERT_REJECTED',
      `${at} refused this connection's client certificate (${code}). Use client.pem and client_key.pem exported from this site's QMC.`,
      code,
    );
  }
  if (code?.startsWith('ERR_SSL') || code?.startsWith('ERR_TLS') || code?.startsWith('ERR_OSSL')) {
    return new TlsError('TLS_OTHER', `The TLS handshake with ${at} failed: ${message}`, code);
  }
  return undefined;
}

function mapNetwork(facts: ErrorFacts, call: FailedCall): NetworkError {
  const { code, message } = facts;
  const at = `${call.hostname}:${call.port}`;
  switch (code) {
    case 'ECONNREFUSED':
      return new NetworkError('NET_REFUSED', `Nothing listens at ${at}: is ${call.serviceName} running and port ${call.port} open?`, code);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new NetworkError('NET_NOT_FOUND', `The host name ${call.hostname} does not resolve: check the connection's URL and this computer's DNS.`, code);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new NetworkError('NET_UNREACHABLE', `${at} cannot be reached from this computer (${code}): check the network path, VPN or firewall.`, code);
    default:
      if (call.clientCertificate && facts.bytesRead === 0 && code !== undefined && CLOSED_CODES.has(code)) {
        // TLS 1.3 finishes the client's side of the handshake before the server judges the
        // client certificate, so a server that dislikes it just closes: no alert, no answer.
        return new NetworkError(
          'NET_RESET',
          `${at} closed the connection right after the TLS handshake, before any answer (${code}): it probably refused this connection's client certificate. Use client.pem and client_key.pem exported from this site's QMC, and check that the certificate's CA is the site's.`,
          code,
        );
      }
      return new NetworkError('NET_RESET', `The connection to ${at} failed during ${call.request}${code ? ` (${code})` : ''}: ${message}`, code);
  }
}

/** The DNS names and IP addresses of a `subjectaltname` string such as `DNS:a, IP Address:1.2.3.4`. */
function listedNames(subjectAltName: string | undefined): string[] {
  if (!subjectAltName) {
    return [];
  }
  return subjectAltName
    .split(',')
    .map((entry) => entry.trim())
    .map((entry) => /^(?:DNS|IP Address):(.+)$/.exec(entry)?.[1]?.trim())
    .filter((name): name is string => name !== undefined && name.length > 0);
}

/** Reads code, message and certificate names from an error or the first cause that has a code. */
function factsOf(error: unknown): ErrorFacts {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && isRecord(current); depth++) {
    if (typeof current['code'] === 'string') {
      const cert = current['cert'];
      const san = isRecord(cert) && typeof cert['subjectaltname'] === 'string' ? cert['subjectaltname'] : undefined;
      const socket = current['socket'];
      const bytesRead = isRecord(socket) && typeof socket['bytesRead'] === 'number' ? socket['bytesRead'] : undefined;
      return { code: current['code'], message: messageOf(current), subjectAltName: san, bytesRead };
    }
    current = current['cause'];
  }
  return { code: undefined, message: isRecord(error) ? messageOf(error) : String(error), subjectAltName: undefined, bytesRead: undefined };
}

function messageOf(record: Record<string, unknown>): string {
  return typeof record['message'] === 'string' ? record['message'] : String(record);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
