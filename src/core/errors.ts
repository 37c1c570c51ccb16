/**
 * The domain's errors: every failure a front end reports is one of these. The HTTP layer and each
 * source map what they meet into them, and the CLI's exit codes and the views' welcome states
 * follow from `failureKindOf` alone, so a new source needs no new branches anywhere else.
 * Messages are built already redacted and say what to do.
 */

/**
 * What kind of failure an error is:
 * - `usage`: how a command was called; `config`: a config file or setting; `local`: this
 *   machine (a data directory, a lock held too long);
 * - `network`: nothing answered, or a gateway said the server is unavailable; `tls`: the
 *   handshake; `auth`: credentials rejected or missing; `rights`: signed in, but not allowed;
 * - `server`: the server answered and refused; `protocol`: the answer is not what the contract
 *   says; `outcomeUnknown`: a write whose result could not be established;
 * - `cancelled`: the user or a signal stopped it.
 */
export type FailureKind = 'usage' | 'config' | 'local' | 'network' | 'tls' | 'auth' | 'rights' | 'server' | 'protocol' | 'outcomeUnknown' | 'cancelled';

/** Base of every domain error. */
export abstract class StewardError extends Error {
  /** Stable identifier for programmatic handling; never parse `message`. */
  abstract readonly code: string;
  abstract readonly kind: FailureKind;
}

/** The kind of any thrown value; what is not a domain error is a server-side surprise or a bug. */
export function failureKindOf(e: unknown): FailureKind {
  return e instanceof StewardError ? e.kind : 'server';
}

/** Longest server message quoted in an error; QRS can answer with whole stack traces. */
const SERVER_MESSAGE_LIMIT = 300;

/** Trims a server's message to something that fits in a notification. */
export function trimServerMessage(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > SERVER_MESSAGE_LIMIT ? `${oneLine.slice(0, SERVER_MESSAGE_LIMIT - 1)}…` : oneLine;
}

/** A mistake in how a command was called; the message says the right way. */
export class UsageError extends StewardError {
  override readonly code = 'USAGE';
  override readonly kind = 'usage';
  override readonly name = 'UsageError';
}

/** A config that cannot be used; the message names the field and how to fix it. */
export class ConfigError extends StewardError {
  override readonly code = 'CONFIG';
  override readonly kind = 'config';
  override readonly name = 'ConfigError';
}

/** Something on this machine stands in the way (a data directory, a lock); the message says what. */
export class LocalError extends StewardError {
  override readonly kind = 'local';
  override readonly name: string = 'LocalError';

  constructor(
    override readonly code: 'STORE_MISSING' | 'STORE_NOT_DIRECTORY' | 'STORE_LOCKED' | 'STORE_UNWRITABLE' | 'AUDIT_UNWRITABLE',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The server answered with a status the caller did not expect. 502, 503 and 504 come from a
 * gateway or a server that is down or overloaded: they count as the connection failing, not as
 * the server refusing the request.
 */
export class ServerError extends StewardError {
  override readonly code = 'HTTP_STATUS';
  override readonly name = 'ServerError';
  override readonly kind: 'server' | 'network';

  /**
   * @param status the HTTP status
   * @param request `GET /qrs/...`, for the message
   * @param serverMessage what the server said, already redacted; quoted trimmed
   * @param retryAt when the server asked to be tried again (Retry-After), epoch ms
   */
  constructor(
    readonly status: number,
    readonly request: string,
    readonly serverMessage: string,
    readonly retryAt?: number,
  ) {
    const said = trimServerMessage(serverMessage);
    const again = retryAt === undefined ? '' : ` (the server asks to be tried again after ${new Date(retryAt).toISOString().replace(/\.\d{3}Z$/, 'Z')})`;
    super(`The server answered ${request} with ${status}${again}${said ? `: ${said}` : ''}`);
    this.kind = status === 502 || status === 503 || status === 504 ? 'network' : 'server';
  }
}

/** Why the server turned the caller away. */
export type AuthFailure = 'rejected' | 'forbidden';

/** 401 (credentials rejected) or 403 (the account may not do this). */
export class AuthError extends StewardError {
  override readonly code: 'AUTH_REJECTED' | 'AUTH_FORBIDDEN';
  override readonly kind: 'auth' | 'rights';
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
    this.kind = failure === 'forbidden' ? 'rights' : 'auth';
    this.status = failure === 'forbidden' ? 403 : 401;
  }
}

/** A secret the connection needs is not stored anywhere we can read. */
export class MissingSecretError extends StewardError {
  override readonly code = 'SECRET_MISSING';
  override readonly kind = 'auth';
  override readonly name = 'MissingSecretError';
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
export class TlsError extends StewardError {
  override readonly kind = 'tls';
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
export class TimeoutError extends StewardError {
  override readonly code = 'TIMEOUT';
  override readonly kind = 'network';
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

/**
 * What went wrong on the network below TLS. `NET_REFUSED`, `NET_NOT_FOUND` and `NET_UNREACHABLE`
 * happen before a request can leave; `NET_RESET` may come after the server got it.
 */
export type NetworkProblem = 'NET_REFUSED' | 'NET_NOT_FOUND' | 'NET_UNREACHABLE' | 'NET_RESET';

/** The connection could not be made or broke. */
export class NetworkError extends StewardError {
  override readonly kind = 'network';
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
export class CancelledError extends StewardError {
  override readonly code = 'CANCELLED';
  override readonly kind = 'cancelled';
  override readonly name = 'CancelledError';

  /**
   * @param what what was cancelled, e.g. `GET /qrs/about`
   * @param when `beforeSending` when the request never left this machine; `inFlight` when it
   *   may have reached the server (a write then needs reading back)
   */
  constructor(
    what: string,
    readonly when: 'beforeSending' | 'inFlight' = 'inFlight',
  ) {
    super(`Cancelled: ${what}.`);
  }
}

/** The server answered, but not with what its API contract says. */
export class ProtocolError extends StewardError {
  override readonly code: string = 'PROTOCOL';
  override readonly kind = 'protocol';
  override readonly name: string = 'ProtocolError';

  /**
   * @param request `GET /qrs/license/...`
   * @param expected what was expected, with its article: `an AccessTypeOverview`
   * @param detail which field was wrong, when known
   * @param question what the admin should ask themselves, e.g. "Is this a Qlik Sense repository?"
   */
  constructor(request: string, expected: string, detail?: string, question = 'Is the URL right?') {
    super(`The server answered ${request} with something that is not ${expected}${detail ? ` (${detail})` : ''}. ${question}`);
  }
}

/** An object is not in a state that allows the action, or the server did not move it there. */
export class StateError extends StewardError {
  override readonly kind = 'server';
  override readonly name: string = 'StateError';

  /**
   * @param code the problem, stable per source
   * @param message what happened and what to do
   */
  constructor(
    override readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A write the server did not apply, established by reading its state back (or because the
 * request never left this machine). Its kind is its cause's: a refused write is a refusal, a
 * write that could not be sent is a connection failure.
 */
export class NotAppliedError extends StewardError {
  override readonly code = 'NOT_APPLIED';
  override readonly name = 'NotAppliedError';
  override readonly kind: FailureKind;

  /**
   * @param what the change in words, e.g. `assign a user access pass to CORP\jdoe`
   * @param cause the failure of the request itself
   * @param how how it was established: read back, or never sent
   */
  constructor(
    what: string,
    override readonly cause: unknown,
    readonly how: 'readBack' | 'notSent',
  ) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`Not done: could not ${what}. ${why}${how === 'readBack' ? ' (The server was asked afterwards: the change is not there.)' : ''}`);
    this.kind = cause instanceof StewardError && cause.kind !== 'outcomeUnknown' ? cause.kind : 'server';
  }
}

/**
 * A write whose result nobody knows: the request may have reached the server, its answer was
 * not clean, and reading the state back failed too. The admin has to look.
 */
export class OutcomeUnknownError extends StewardError {
  override readonly code = 'OUTCOME_UNKNOWN';
  override readonly kind = 'outcomeUnknown';
  override readonly name = 'OutcomeUnknownError';

  /**
   * @param what the change in words
   * @param answer what the write got (its error's message)
   * @param readBackFailure why reading back failed
   * @param check what the admin should check, and where
   */
  constructor(
    what: string,
    readonly answer: string,
    readBackFailure: string,
    readonly check: string,
  ) {
    super(`Outcome unknown: the request to ${what} may or may not have been applied. The request got: ${sentence(answer)} Reading the state back failed too: ${sentence(readBackFailure)} ${check}`);
  }
}

/** One pass of a swap, as its half-done report names it. */
export interface SwapPass {
  /** `professional access`. */
  readonly label: string;
  readonly allocationId: string;
}

/**
 * A swap half done: the new pass was allocated and confirmed, but the old one was not released,
 * or whether it was is unknown. The user holds both (or may); the message names the allocation to
 * release by hand, and where. Its kind is the release's failure's, so an unknown outcome still
 * exits as one.
 */
export class SwapIncompleteError extends StewardError {
  override readonly code = 'SWAP_INCOMPLETE';
  override readonly name = 'SwapIncompleteError';
  override readonly kind: FailureKind;

  /**
   * @param who the user as admins write them, `CORP\jdoe`
   * @param assigned the new pass, allocated
   * @param kept the old pass, whose release failed
   * @param cause the release's failure
   * @param where where to release it by hand, completing "release it by hand: …"
   */
  constructor(who: string, assigned: SwapPass, kept: SwapPass, override readonly cause: unknown, where: string) {
    const why = sentence(cause instanceof Error ? cause.message : String(cause));
    const unknown = cause instanceof OutcomeUnknownError;
    super(
      unknown
        ? `${who} holds the new ${assigned.label} (allocation ${assigned.allocationId}) and may still hold the ${kept.label} (allocation ${kept.allocationId}): whether it was released is unknown. ${why} If it is still there, release it by hand: ${where}.`
        : `${who} now holds both the ${kept.label} and the new ${assigned.label}: the ${assigned.label} was assigned (allocation ${assigned.allocationId}), but the ${kept.label} (allocation ${kept.allocationId}) was not released. ${why} Release it by hand: ${where}.`,
    );
    this.kind = failureKindOf(cause);
  }
}

/**
 * What the system keeps cannot tell who authored (Qlik Cloud: the audit log lists none of the app
 * events that show authoring, or keeps fewer days than a swap rule asks about). Plans skip the
 * swaps it concerns, quoting `reason`: nobody is taken for a consumer, and nobody for an author.
 */
export class AuthoringUnreadableError extends StewardError {
  override readonly code = 'AUTHORING_UNREADABLE';
  override readonly kind = 'server';
  override readonly name = 'AuthoringUnreadableError';

  /** @param reason why, completing "could not read whether CORP\jdoe authored anything in the last 90 days: …" */
  constructor(readonly reason: string) {
    super(`Cannot tell who authored: ${reason}.`);
  }
}

/**
 * Whether a failed request certainly never reached the server's application: no connection,
 * no handshake, or cancelled before sending. A write that failed so was not applied, and
 * needs no reading back.
 */
export function neverReachedServer(e: unknown): boolean {
  if (e instanceof TlsError) {
    return true;
  }
  if (e instanceof NetworkError) {
    return e.code !== 'NET_RESET';
  }
  return e instanceof CancelledError && e.when === 'beforeSending';
}

/** `text` ending in a full stop (or its own punctuation), so quoted answers do not run together. */
function sentence(text: string): string {
  const trimmed = text.trimEnd();
  return /[.!?)]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
