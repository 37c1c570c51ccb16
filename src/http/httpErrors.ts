/**
 * The errors the HTTP layer raises. Each carries a stable `code` that callers branch on and a
 * message an admin can act on without reading a stack trace. Messages are built already
 * redacted: the transport passes every text through its redactor before it constructs one.
 */

/** Longest server message quoted in an error; QRS can answer with whole stack traces. */
const SERVER_MESSAGE_LIMIT = 300;

/** Base of every error the transport raises. */
export abstract class HttpError extends Error {
  /** Stable identifier for programmatic handling; never parse `message`. */
  abstract readonly code: string;
}

/** Trims a server's message to something that fits in a notification. */
export function trimServerMessage(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > SERVER_MESSAGE_LIMIT ? `${oneLine.slice(0, SERVER_MESSAGE_LIMIT - 1)}…` : oneLine;
}

/** The server answered with a status the caller did not expect. */
export class HttpStatusError extends HttpError {
  override readonly code = 'HTTP_STATUS';
  override readonly name = 'HttpStatusError';

  /**
   * @param status the HTTP status
   * @param request `GET /qrs/...`, for the message
   * @param serverMessage what the server said, already redacted; quoted trimmed
   */
  constructor(
    readonly status: number,
    readonly request: string,
    readonly serverMessage: string,
  ) {
    const said = trimServerMessage(serverMessage);
    super(`The server answered ${request} with ${status}${said ? `: ${said}` : ''}`);
  }
}

/** Why the server turned the caller away. */
export type AuthFailure = 'rejected' | 'forbidden';

/** 401 (credentials rejected) or 403 (the account may not do this). */
export class AuthError extends HttpError {
  override readonly code: 'AUTH_REJECTED' | 'AUTH_FORBIDDEN';
  override readonly name = 'AuthError';
  /** 401 or 403; 403 too when a rights check (not the server) refused beforehand. */
  readonly status: number;

  /**
   * @param failure `rejected` for 401, `forbidden` for 403 or a failed rights check
   * @param details `account` as `DIR\id` when known; `what` the denied action in words;
   *   `hint` the setting to check when credentials are rejected
   */
  constructor(failure: AuthFailure, details: { readonly account?: string; readonly what: string; readonly hint?: string; readonly serverMessage?: string }) {
    const said = details.serverMessage ? ` The server said: ${trimServerMessage(details.serverMessage)}` : '';
    const who = details.account ? `the account ${details.account}` : 'the connected account';
    const message =
      failure === 'forbidden'
        ? `${capitalise(who)} lacks rights to ${details.what}.${said}`
        : `The server rejected the credentials of ${details.account ? `the account ${details.account}` : 'this connection'} (401 on ${details.what}). Check ${details.hint ?? "the connection's credentials"}.${said}`;
    super(message);
    this.code = failure === 'forbidden' ? 'AUTH_FORBIDDEN' : 'AUTH_REJECTED';
    this.status = failure === 'forbidden' ? 403 : 401;
  }
}

/** What went wrong during the TLS handshake. */
export type TlsProblem =
  | 'TLS_UNKNOWN_CA'
  | 'TLS_HOST_MISMATCH'
  | 'TLS_INVALID_PURPOSE'
  | 'TLS_CERT_EXPIRED'
  | 'TLS_KEY_PASSPHRASE'
  | 'TLS_KEY_MISMATCH'
  | 'TLS_BAD_PEM'
  | 'TLS_CLIENT_CERT_REJECTED'
  | 'TLS_OTHER';

/** The TLS handshake failed; the message says which file or setting to fix. */
export class TlsError extends HttpError {
  override readonly name = 'TlsError';

  /**
   * @param code the problem
   * @param message the actionable explanation
   * @param nodeCode the underlying Node/OpenSSL code, for bug reports
   */
  constructor(
    override readonly code: TlsProblem,
    message: string,
    readonly nodeCode: string | undefined,
  ) {
    super(message);
  }
}

/** No answer within the configured time. */
export class TimeoutError extends HttpError {
  override readonly code = 'TIMEOUT';
  override readonly name = 'TimeoutError';

  /**
   * @param ms the timeout that expired
   * @param host `host:port` that did not answer
   * @param request `GET /qrs/...`
   */
  constructor(
    readonly ms: number,
    readonly host: string,
    request: string,
  ) {
    super(`${host} did not answer ${request} within ${ms} ms. The server may be overloaded; try again or raise the connection's timeout.`);
  }
}

/** What went wrong on the network below TLS. */
export type NetworkProblem = 'NET_REFUSED' | 'NET_NOT_FOUND' | 'NET_UNREACHABLE' | 'NET_RESET';

/** The connection could not be made or broke. */
export class NetworkError extends HttpError {
  override readonly name = 'NetworkError';

  /**
   * @param code the problem
   * @param message the actionable explanation
   * @param nodeCode the underlying Node/undici code
   */
  constructor(
    override readonly code: NetworkProblem,
    message: string,
    readonly nodeCode: string | undefined,
  ) {
    super(message);
  }
}

/** The caller aborted; not a failure to report, just a stop. */
export class CancelledError extends HttpError {
  override readonly code = 'CANCELLED';
  override readonly name = 'CancelledError';

  /** @param request what was cancelled, e.g. `GET /qrs/about` */
  constructor(request: string) {
    super(`Cancelled: ${request}.`);
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
