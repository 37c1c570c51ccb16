import { randomInt } from 'node:crypto';
import { silentLogger, taggedLogger } from '../../core/logger';
import { ServerError } from '../../core/errors';
import { USER_AGENT } from '../../core/version';
import { createHttpTransport, type HttpMethod, type HttpRequest, type HttpTransport, type HttpTransportOptions } from '../../http/httpTransport';
import type { QueryValue } from '../../http/queryString';
import { jwtIdentity } from './qrsJwtIdentity';
import type { QrsAuth, QrsClientOptions } from './qrsOptions';
import { asCount, asTable, type Table, type TableDefinition } from './qrsWire';

/** Per-call options. */
export interface QrsCallOptions {
  readonly signal?: AbortSignal;
  /** The action in words, for "lacks rights to …"; the request line when absent. */
  readonly describe?: string;
}

/** Paging and sorting of a `/table` call (server-side). */
export interface QrsTableOptions {
  readonly filter?: string;
  readonly skip?: number;
  /** Rows per page; 0 means all rows, so callers that page must pass a positive number. */
  readonly take?: number;
  readonly sortColumn?: string;
  readonly orderAscending?: boolean;
}

const XRF_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const XRF_LENGTH = 16;

/**
 * A fresh cross-site request forgery key: 16 characters from [A-Za-z0-9], drawn from the
 * crypto generator so it cannot be guessed. QRS accepts a new key on every call.
 */
export function newXrfKey(): string {
  let key = '';
  for (let i = 0; i < XRF_LENGTH; i++) {
    key += XRF_ALPHABET.charAt(randomInt(XRF_ALPHABET.length));
  }
  return key;
}

/**
 * The acting account as admins write it, when the options say. Never the header value of header
 * mode: the proxy trusts whoever sends it, so it is a credential, and messages say "the connected
 * account" instead.
 */
export function accountOf(auth: QrsAuth): string | undefined {
  switch (auth.mode) {
    case 'certificate':
      return `${auth.userDirectory}\\${auth.userId}`;
    case 'header':
      return undefined;
    case 'jwt':
      return jwtIdentity(auth.token) ?? undefined;
  }
}

const CREDENTIALS_HINTS: Readonly<Record<QrsAuth['mode'], string>> = {
  certificate: "the connection's client certificate and key: client.pem and client_key.pem exported from this site's QMC",
  header: "the connection's header name and value against the virtual proxy's header authentication settings",
  jwt: "the connection's JWT: it may have expired, or the virtual proxy may not trust its signing certificate or find its user claims",
};

/**
 * The Repository Service API of one site: adds `/qrs`, the xrfkey and the authentication of the
 * connection's mode to every call; the transport below does TLS, retries, cookies and errors.
 */
export class QrsClient {
  /** `DIR\id` (certificate), the token's claim (JWT), undefined (header); for messages. */
  readonly account: string | undefined;
  private readonly transport: HttpTransport;
  private readonly authHeaders: Readonly<Record<string, string>>;

  /** @param options the connection; secrets arrive resolved */
  constructor(options: QrsClientOptions) {
    const { auth } = options;
    this.account = accountOf(auth);
    this.authHeaders =
      auth.mode === 'certificate'
        ? { 'X-Qlik-User': `UserDirectory=${auth.userDirectory}; UserId=${auth.userId}` }
        : auth.mode === 'header'
          ? { [auth.headerName]: auth.headerValue }
          : { Authorization: `Bearer ${auth.token}` };
    const transportOptions: HttpTransportOptions = {
      baseUrl: `${options.baseUrl.replace(/\/+$/, '')}/qrs`,
      ...(options.ca ? { ca: options.ca } : {}),
      ...(auth.mode === 'certificate' ? { cert: auth.cert, key: auth.key, ...(auth.passphrase ? { passphrase: auth.passphrase } : {}) } : {}),
      rejectUnauthorized: options.rejectUnauthorized ?? true,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      logger: taggedLogger(options.logger ?? silentLogger, 'qrs'),
      // The header value too: anyone who sends it is that user, so no log line or error may show it.
      secrets: auth.mode === 'jwt' ? [auth.token] : auth.mode === 'certificate' ? [auth.passphrase, auth.key] : [auth.headerValue],
      userAgent: USER_AGENT,
      ...(this.account ? { account: this.account } : {}),
      credentialsHint: CREDENTIALS_HINTS[auth.mode],
      serviceName: auth.mode === 'certificate' ? 'the Repository Service' : 'the Proxy Service',
    };
    this.transport = createHttpTransport(transportOptions);
  }

  /** `GET /qrs/<path>`; the parsed body, still unknown. */
  async get(path: string, query?: Readonly<Record<string, QueryValue>>, call?: QrsCallOptions): Promise<unknown> {
    return this.send('GET', path, { query, expect: [200] }, call);
  }

  /** Like `get`, but a 404 answers undefined instead of failing. */
  async find(path: string, call?: QrsCallOptions): Promise<unknown> {
    const response = await this.transport.request(this.build('GET', path, { expect: [200, 404] }, call));
    return response.status === 404 ? undefined : response.body;
  }

  /** `GET /qrs/<path>/count?filter=`. */
  async count(path: string, filter?: string, call?: QrsCallOptions): Promise<number> {
    const full = `${trimSlashes(path)}/count`;
    return asCount(await this.send('GET', full, { query: { filter }, expect: [200] }, call), requestLine('GET', full));
  }

  /** `POST /qrs/<path>/table`: one page of rows, columns as the definition says. */
  async table(path: string, definition: TableDefinition, options: QrsTableOptions = {}, call?: QrsCallOptions): Promise<Table> {
    const full = `${trimSlashes(path)}/table`;
    // Query names as the spec spells them (all lower case).
    const query = { filter: options.filter, skip: options.skip, take: options.take, sortcolumn: options.sortColumn, orderascending: options.orderAscending };
    // A /table POST only reads, so a transient failure may be retried like a GET.
    return asTable(await this.send('POST', full, { query, body: definition, expect: [200, 201], idempotent: true }, call), requestLine('POST', full));
  }

  /** `POST /qrs/<path>`; `expect` 201 (created) unless told otherwise; `idempotent` for POSTs that only read (previews). */
  async post(path: string, body: unknown, call?: QrsCallOptions & { readonly expect?: readonly number[]; readonly idempotent?: boolean }): Promise<unknown> {
    return this.send('POST', path, { body, expect: call?.expect ?? [201], ...(call?.idempotent ? { idempotent: true } : {}) }, call);
  }

  /** `PUT /qrs/<path>` → 200. */
  async put(path: string, body: unknown, call?: QrsCallOptions): Promise<unknown> {
    return this.send('PUT', path, { body, expect: [200] }, call);
  }

  /** `DELETE /qrs/<path>` → 204. */
  async delete(path: string, call?: QrsCallOptions): Promise<void> {
    await this.send('DELETE', path, { expect: [204] }, call);
  }

  /** Closes the connections. */
  async close(): Promise<void> {
    await this.transport.close();
  }

  private async send(method: HttpMethod, path: string, parts: Parts, call: QrsCallOptions | undefined): Promise<unknown> {
    return (await this.transport.request(this.build(method, path, parts, call))).body;
  }

  private build(method: HttpMethod, path: string, parts: Parts, call: QrsCallOptions | undefined): HttpRequest {
    // Fresh per call and identical in both places: QRS compares the two.
    const xrfkey = newXrfKey();
    return {
      method,
      path: `/${trimSlashes(path)}`,
      query: { ...parts.query, xrfkey },
      headers: { ...this.authHeaders, 'X-Qlik-Xrfkey': xrfkey },
      ...(parts.body !== undefined ? { body: parts.body } : {}),
      ...(parts.expect ? { expect: parts.expect } : {}),
      ...(parts.idempotent ? { idempotent: true } : {}),
      ...(call?.signal ? { signal: call.signal } : {}),
      ...(call?.describe ? { describe: call.describe } : {}),
    };
  }
}

interface Parts {
  readonly query?: Readonly<Record<string, QueryValue>>;
  readonly body?: unknown;
  readonly expect?: readonly number[];
  readonly idempotent?: boolean;
}

/** `GET /qrs/license/...`, as messages and protocol errors name a call. */
export function requestLine(method: HttpMethod, path: string): string {
  return `${method} /qrs/${trimSlashes(path)}`;
}

/** True when `error` is the server saying `status`. */
export function isStatus(error: unknown, status: number): error is ServerError {
  return error instanceof ServerError && error.status === status;
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}
