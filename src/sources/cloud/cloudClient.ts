import { AuthError, ConfigError, ServerError } from '../../core/errors';
import { silentLogger, taggedLogger, type Logger } from '../../core/logger';
import { USER_AGENT } from '../../core/version';
import { createHttpTransport, type HttpRequest, type HttpResponse, type HttpTransport } from '../../http/httpTransport';
import type { QueryValue } from '../../http/queryString';
import { createRedactor, type Redactor } from '../../http/redactor';
import { API_VERSION_HEADER, DeprecationNotices, QLIK_API_VERSION } from './cloudApiVersion';
import { CloudProtocolError } from './cloudErrors';
import type { CloudAuth, CloudClientOptions } from './cloudOptions';
import { CloudTokenCache } from './cloudTokenCache';
import { asToken, type CloudPage } from './cloudWire';

/** Per-call options. */
export interface CloudCallOptions {
  readonly signal?: AbortSignal;
  /** The action in words, for "lacks rights to …"; the request line when absent. */
  readonly describe?: string;
}

/** A write's options: the statuses that count as an answer to read (207 for batched actions). */
export interface CloudWriteOptions extends CloudCallOptions {
  readonly expect: readonly number[];
}

/** The token endpoint of OAuth client credentials (RFC 6749 §4.4), on the tenant itself. */
export const OAUTH_TOKEN_PATH = '/oauth/token';

/** The scope asked for when the connection names none: full tenant administration. */
const DEFAULT_OAUTH_SCOPE = 'admin_classic';

/** Redirect statuses `/users/me` may answer with (the contract documents 301). */
const REDIRECTS = [301, 302, 303, 307, 308];

const CREDENTIALS_HINTS: Readonly<Record<CloudAuth['mode'], string>> = {
  apiKey: "the connection's API key: it may have expired or been revoked (the tenant's profile settings, API keys)",
  oauth: "the connection's OAuth client id and secret, and that the client is a machine-to-machine client of this tenant (Administration, OAuth)",
};

/**
 * The tenant's origin, `https://<tenant>.<region>.qlikcloud.com`. Only HTTPS: the bearer
 * credential would otherwise cross the network in clear.
 */
export function tenantOrigin(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigError(`The Qlik Cloud URL "${baseUrl}" is not a URL; write it as https://<tenant>.<region>.qlikcloud.com.`);
  }
  if (url.protocol !== 'https:') {
    throw new ConfigError(`The Qlik Cloud URL ${url.origin} must start with https://: the API key or token would otherwise cross the network readable.`);
  }
  if (url.pathname.replace(/\/+$/, '') !== '' || url.search || url.hash) {
    throw new ConfigError(`The Qlik Cloud URL ${baseUrl} has a path; give just the tenant, https://<tenant>.<region>.qlikcloud.com.`);
  }
  return url.origin;
}

/**
 * The REST API of one Qlik Cloud tenant: adds the bearer credential and the pinned
 * `qlik-api-version` to every call, fetches and renews OAuth tokens, follows `links.next.href`
 * only on the tenant's own origin, and logs deprecation notices. The transport below does TLS,
 * read retries (429 with `Retry-After` among them), timeouts and error mapping.
 */
export class CloudClient {
  /** `https://<tenant>.<region>.qlikcloud.com`. */
  readonly origin: string;
  /** The tenant's host, for messages. */
  readonly host: string;
  private readonly transport: HttpTransport;
  private readonly redactor: Redactor;
  private readonly notices: DeprecationNotices;
  private readonly logger: Logger;
  private readonly bearer: () => Promise<string>;
  private readonly tokens: CloudTokenCache | undefined;
  private readonly now: () => number;

  /** @param options the connection; secrets arrive resolved */
  constructor(options: CloudClientOptions) {
    this.origin = tenantOrigin(options.baseUrl);
    this.now = options.now ?? Date.now;
    this.host = new URL(this.origin).host;
    const { auth } = options;
    const secret = auth.mode === 'apiKey' ? auth.apiKey : auth.clientSecret;
    this.redactor = createRedactor([secret]);
    this.logger = taggedLogger(options.logger ?? silentLogger, 'cloud');
    this.notices = new DeprecationNotices(this.logger);
    this.transport = createHttpTransport({
      baseUrl: this.origin,
      ...(options.ca ? { ca: options.ca } : {}),
      rejectUnauthorized: options.rejectUnauthorized ?? true,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      // The transport knows the key or secret, not the access tokens fetched later: its lines pass here too.
      logger: redactingLogger(this.logger, this.redactor),
      secrets: [secret],
      userAgent: USER_AGENT,
      credentialsHint: CREDENTIALS_HINTS[auth.mode],
      serviceName: 'the Qlik Cloud tenant',
    });
    if (auth.mode === 'apiKey') {
      this.tokens = undefined;
      this.bearer = async () => auth.apiKey;
    } else {
      const tokens = new CloudTokenCache(() => this.fetchToken(auth), this.now);
      this.tokens = tokens;
      this.bearer = () => tokens.token();
    }
  }

  /** `GET <path>` → 200; the parsed body, still unknown. */
  async get(path: string, query?: Readonly<Record<string, QueryValue>>, call?: CloudCallOptions): Promise<unknown> {
    return (await this.send({ method: 'GET', path, ...(query ? { query } : {}), expect: [200], ...callParts(call) })).body;
  }

  /** Like `get`, but a 404 answers undefined instead of failing. */
  async find(path: string, query?: Readonly<Record<string, QueryValue>>, call?: CloudCallOptions): Promise<unknown> {
    const response = await this.send({ method: 'GET', path, ...(query ? { query } : {}), expect: [200, 404], ...callParts(call) });
    return response.status === 404 ? undefined : response.body;
  }

  /**
   * `GET <path>`, following one redirect on the tenant's origin: `/users/me` is documented as a
   * 301 to `/users/{id}`; a tenant that answers 200 at once is taken as it is. The Location is
   * followed as written, query and all.
   */
  async getRedirected(path: string, query?: Readonly<Record<string, QueryValue>>, call?: CloudCallOptions): Promise<unknown> {
    const first = await this.send({ method: 'GET', path, ...(query ? { query } : {}), expect: [200, ...REDIRECTS], ...callParts(call) });
    if (first.status === 200) {
      return first.body;
    }
    const request = `GET ${path}`;
    const location = first.headers['location'];
    const target = Array.isArray(location) ? location[0] : location;
    if (!target) {
      throw new CloudProtocolError(request, 'a redirect with a Location', `${first.status} without one`);
    }
    const url = this.onTenant(target, request, 'Location');
    return (await this.send({ method: 'GET', path: url.pathname, rawQuery: url.search.slice(1), expect: [200], ...callParts(call) })).body;
  }

  /**
   * Every page of a list, one page's items at a time. The first request is built from `query`;
   * every later one is `links.next.href` exactly as the tenant wrote it (cursors are opaque),
   * and only when it names the tenant's own origin: the bearer goes nowhere else.
   * @param narrowPage narrows one answer; its failure is the ProtocolError to report
   */
  async *pages<T>(
    path: string,
    query: Readonly<Record<string, QueryValue>>,
    narrowPage: (body: unknown, request: string) => CloudPage<T>,
    call?: CloudCallOptions,
  ): AsyncGenerator<readonly T[]> {
    const request = `GET ${path}`;
    const followed = new Set<string>();
    let next: Pick<HttpRequest, 'path' | 'query' | 'rawQuery'> = { path, query };
    for (;;) {
      const page = narrowPage((await this.send({ method: 'GET', ...next, expect: [200], ...callParts(call) })).body, request);
      if (page.items.length > 0) {
        yield page.items;
      }
      if (page.next === undefined) {
        return;
      }
      const url = this.onTenant(page.next, request, 'links.next.href');
      // A tenant that hands out a link already followed would keep this loop going for ever.
      if (followed.has(url.href)) {
        throw new CloudProtocolError(request, 'a list that ends', 'links.next.href leads back to a page already read');
      }
      followed.add(url.href);
      next = { path: url.pathname, rawQuery: url.search.slice(1) };
    }
  }

  /** `POST <path>` with a JSON body, sent once; the answer when its status is one of `expect`. */
  async post(path: string, body: unknown, call: CloudWriteOptions): Promise<HttpResponse> {
    return this.send({ method: 'POST', path, body, ...callParts(call), expect: call.expect });
  }

  /** `PATCH <path>` with a JSON body, sent once; the answer when its status is one of `expect`. */
  async patch(path: string, body: unknown, call: CloudWriteOptions): Promise<HttpResponse> {
    return this.send({ method: 'PATCH', path, body, ...callParts(call), expect: call.expect });
  }

  /** `text` with every credential of this connection (key, secret, tokens) replaced by `***`. */
  redact(text: string): string {
    return this.redactor.redact(text);
  }

  /** Closes the connections. */
  async close(): Promise<void> {
    await this.transport.close();
  }

  /**
   * Sends with the bearer and the API version. With OAuth, a 401 means the token died early
   * (revoked, or the tenant's clock disagrees): one new token, one more try, then the 401
   * stands. Repeating is safe even for a write: a request refused at the door changed nothing.
   */
  private async send(request: Omit<HttpRequest, 'headers'>): Promise<HttpResponse> {
    const label = `${request.method} ${request.path}`;
    for (let attempt = 0; ; attempt++) {
      const token = await this.bearer();
      try {
        const response = await this.transport.request({ ...request, headers: { authorization: `Bearer ${token}`, [API_VERSION_HEADER]: QLIK_API_VERSION } });
        this.notices.observe(label, response.headers);
        return response;
      } catch (error) {
        if (this.tokens && attempt === 0 && error instanceof AuthError && error.status === 401) {
          this.tokens.invalidate(token);
          this.logger.info(`${label}: the tenant rejected the OAuth access token before it was due to expire; fetching a new one and trying once more.`);
          continue;
        }
        throw this.redacted(error);
      }
    }
  }

  /** Asks `/oauth/token` for an access token with the client credentials. */
  private async fetchToken(auth: Extract<CloudAuth, { mode: 'oauth' }>): Promise<{ accessToken: string; lifetimeMs: number }> {
    const request = `POST ${OAUTH_TOKEN_PATH}`;
    const body = { client_id: auth.clientId, client_secret: auth.clientSecret, grant_type: 'client_credentials', scope: auth.scope ?? DEFAULT_OAUTH_SCOPE };
    let response: HttpResponse;
    try {
      // Asking for a token changes nothing a repeat could double, so it may be retried like a read.
      response = await this.transport.request({ method: 'POST', path: OAUTH_TOKEN_PATH, body, expect: [200], idempotent: true, describe: 'obtain an OAuth access token' });
    } catch (error) {
      // RFC 6749 answers 400 for a wrong client or grant; for the admin that is a rejected credential.
      if (error instanceof ServerError && error.status === 400) {
        throw this.redacted(new AuthError('rejected', { what: request, hint: CREDENTIALS_HINTS.oauth, serverMessage: error.serverMessage }));
      }
      throw this.redacted(error);
    }
    const token = asToken(response.body, request, this.now());
    this.redactor.add(token.accessToken);
    return token;
  }

  /** `href` resolved against the tenant, when it stays on the tenant's origin. */
  private onTenant(href: string, request: string, field: string): URL {
    let url: URL;
    try {
      url = new URL(href, this.origin);
    } catch {
      throw new CloudProtocolError(request, `a URL in ${field}`);
    }
    if (url.origin !== this.origin) {
      throw new CloudProtocolError(request, `a ${field} on the tenant ${this.origin}`, `it points to ${url.origin}, where the credentials are never sent`);
    }
    return url;
  }

  /** The error with every credential of this connection taken out of its message. */
  private redacted(error: unknown): unknown {
    if (error instanceof Error) {
      error.message = this.redactor.redact(error.message);
    }
    return error;
  }
}

/** `base`, with every line passed through `redactor` first. */
function redactingLogger(base: Logger, redactor: Redactor): Logger {
  return {
    trace: (m) => base.trace(redactor.redact(m)),
    debug: (m) => base.debug(redactor.redact(m)),
    info: (m) => base.info(redactor.redact(m)),
    warn: (m) => base.warn(redactor.redact(m)),
    error: (m) => base.error(redactor.redact(m)),
  };
}

function callParts(call: CloudCallOptions | undefined): Pick<HttpRequest, 'signal' | 'describe'> {
  return { ...(call?.signal ? { signal: call.signal } : {}), ...(call?.describe ? { describe: call.describe } : {}) };
}
