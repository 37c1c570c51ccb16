import { setTimeout as delay } from 'node:timers/promises';
import { Agent } from 'undici';
import type { Logger } from '../core/logger';
import { silentLogger } from '../core/logger';
import { CookieJar } from './cookieJar';
import { AuthError, CancelledError, ServerError, StewardError } from '../core/errors';
import { mapTransportError } from './mapTransportError';
import { encodeQuery, type QueryValue } from './queryString';
import { createRedactor } from './redactor';
import { backoffMs, isIdempotent, isNotProcessedStatus, isRetryableNetworkCode, isRetryableStatus, parseRetryAfter } from './retryPolicy';

/** Methods the transport speaks. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One call. */
export interface HttpRequest {
  readonly method: HttpMethod;
  /** Path below the base URL's own path, starting with `/`; no query string. */
  readonly path: string;
  /** Encoded for you; undefined values are left out. */
  readonly query?: Readonly<Record<string, QueryValue>>;
  /**
   * A query string exactly as the server wrote it (a paging link's, without the `?`), sent
   * verbatim instead of `query`: cursors must come back byte for byte, not decoded and re-encoded.
   */
  readonly rawQuery?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON when present. */
  readonly body?: unknown;
  /** Aborts the request itself (the socket closes), not just the wait for it. */
  readonly signal?: AbortSignal;
  /** Statuses that count as success; any 2xx when absent. Others raise an `StewardError`. */
  readonly expect?: readonly number[];
  /** What the call does, in words, for "lacks rights to …" messages; `METHOD path` when absent. */
  readonly describe?: string;
  /**
   * A POST that only reads (QRS's `/table`, previews) may be repeated like a GET. Every other
   * POST, PUT, PATCH and DELETE is sent once: the caller reads the state back instead.
   */
  readonly idempotent?: boolean;
}

/** The server's answer, body already read. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Parsed JSON for JSON answers, the text for others, undefined when empty. */
  readonly body: unknown;
}

/** The one HTTP client of the project: TLS, timeouts, retries, cookies, error mapping, redaction. */
export interface HttpTransport {
  request(request: HttpRequest): Promise<HttpResponse>;
  /** Closes the connections; the transport cannot be used afterwards. */
  close(): Promise<void>;
}

/** How to build a transport for one origin. */
export interface HttpTransportOptions {
  /** `https://host:4242/qrs` or `https://host/prefix/qrs`: request paths are appended to its path. */
  readonly baseUrl: string;
  /** PEM of the CA(s) to trust instead of the system's. */
  readonly ca?: string;
  /** PEM of a client certificate, for mutual TLS. */
  readonly cert?: string;
  /** PEM of the client certificate's key, possibly encrypted. */
  readonly key?: string;
  readonly passphrase?: string;
  /** True unless the admin explicitly switched verification off; a warning is logged per connection then. */
  readonly rejectUnauthorized?: boolean;
  /** SNI and certificate name to check, when it differs from the URL's host. */
  readonly servername?: string;
  /** Per attempt; 30 s when absent. */
  readonly timeoutMs?: number;
  readonly logger?: Logger;
  /** Values never to show in logs or errors (tokens, passphrases, secret header values). */
  readonly secrets?: readonly (string | undefined)[];
  /** Retries after the first attempt; 3 when absent. */
  readonly maxRetries?: number;
  readonly userAgent?: string;
  /** `DIR\id` of the acting account, for 401/403 messages. */
  readonly account?: string;
  /** The setting to check when the server rejects the credentials (401). */
  readonly credentialsHint?: string;
  /** What should be listening at the URL, e.g. "the Repository Service", for refused connections. */
  readonly serviceName?: string;
  /** First back-off delay before jitter; 200 ms when absent. */
  readonly retryBaseMs?: number;
  /** A longer `Retry-After` is not waited out but reported with the time to try again; 60 s when absent. */
  readonly maxRetryAfterMs?: number;
  /** Waits between attempts; tests replace it to avoid real delays. Must reject when `signal` aborts. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 3;
const DEFAULT_RETRY_BASE_MS = 200;
const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/** Builds a transport with one connection pool (one undici `Agent`) for `options.baseUrl`. */
export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const base = new URL(options.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const port = base.port || (base.protocol === 'https:' ? '443' : '80');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, undefined, signal ? { signal } : {}));
  const random = options.random ?? Math.random;
  const redactor = createRedactor([...(options.secrets ?? []), options.passphrase]);
  const cookies = new CookieJar(now);

  const agent = new Agent({
    connect: {
      ca: options.ca,
      cert: options.cert,
      key: options.key,
      passphrase: options.passphrase,
      rejectUnauthorized: options.rejectUnauthorized ?? true,
      servername: options.servername,
      timeout: timeoutMs,
    },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  if (options.rejectUnauthorized === false) {
    // Warned on every new socket, not once: the admin should see it wherever they read the log.
    agent.on('connect', (origin) => {
      logger.warn(`TLS verification is off for ${origin.host}: anyone on the network path can read this traffic.`);
    });
  }

  const attempt = async (request: HttpRequest, label: string): Promise<HttpResponse> => {
    const controller = new AbortController();
    let timedOut = false;
    const onCallerAbort = (): void => controller.abort();
    request.signal?.addEventListener('abort', onCallerAbort, { once: true });
    // undici's own timeouts do not cover connecting plus both phases together; this deadline does.
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const started = now();
    try {
      const response = await agent.request({
        origin: base.origin,
        path: basePath + request.path + queryOf(request),
        method: request.method,
        headers: headersFor(request),
        body: request.body === undefined ? null : JSON.stringify(request.body),
        signal: controller.signal,
      });
      const text = await response.body.text();
      for (const value of cookies.store(response.headers['set-cookie'])) {
        redactor.add(value);
      }
      logger.debug(redactor.redact(`${label} ${response.statusCode} ${now() - started}ms`));
      return { status: response.statusCode, headers: response.headers, body: parseBody(text, response.headers['content-type']) };
    } catch (error) {
      const mapped = mapTransportError(error, {
        request: label,
        hostname: base.hostname,
        port,
        timeoutMs,
        serviceName: options.serviceName ?? 'the service',
        cancelled: request.signal?.aborted ?? false,
        timedOut,
        passphraseGiven: options.passphrase !== undefined,
        clientCertificate: options.cert !== undefined,
      });
      logger.debug(redactor.redact(`${label} failed after ${now() - started}ms: ${mapped.code}`));
      // The raw error is dropped on purpose: its fields (headers, options) are not redacted.
      throw mapped;
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onCallerAbort);
    }
  };

  const headersFor = (request: HttpRequest): Record<string, string> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.userAgent) {
      headers['user-agent'] = options.userAgent;
    }
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
    }
    const cookie = cookies.header();
    if (cookie) {
      headers['cookie'] = cookie;
    }
    return { ...headers, ...request.headers };
  };

  const statusError = (request: HttpRequest, label: string, response: HttpResponse, retryAt: number | undefined): StewardError => {
    const said = redactor.redact(serverMessage(response));
    const what = request.describe ?? label;
    if (response.status === 401) {
      return new AuthError('rejected', { account: options.account, what, hint: options.credentialsHint, serverMessage: said });
    }
    if (response.status === 403) {
      return new AuthError('forbidden', { account: options.account, what, serverMessage: said });
    }
    return new ServerError(response.status, redactor.redact(label), said, retryAt);
  };

  const send = async (request: HttpRequest): Promise<HttpResponse> => {
    const label = `${request.method} ${basePath}${request.path}${request.rawQuery !== undefined ? queryOf(request) : displayQuery(request.query)}`;
    const expected = (status: number): boolean => (request.expect ? request.expect.includes(status) : status >= 200 && status < 300);
    // Only reads are repeated here; a write that failed is judged by reading the state back (core/verifiedWrite).
    const repeatable = isIdempotent(request.method) || request.idempotent === true;
    const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
    for (let retry = 0; ; retry++) {
      if (request.signal?.aborted) {
        throw new CancelledError(redactor.redact(label), 'beforeSending');
      }
      let waitMs: number | undefined;
      let failure: StewardError;
      try {
        const response = await attempt(request, label);
        if (expected(response.status)) {
          return response;
        }
        const retryAfter = isNotProcessedStatus(response.status) ? parseRetryAfter(response.headers['retry-after'], now()) : undefined;
        failure = statusError(request, label, response, retryAfter === undefined ? undefined : now() + retryAfter);
        if (repeatable && retryAfter !== undefined) {
          // Longer than the admin would wait: reported with the time to try again instead.
          waitMs = retryAfter <= maxRetryAfterMs ? retryAfter : undefined;
        } else if (repeatable && isRetryableStatus(response.status)) {
          waitMs = backoffMs(retry, options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS, random());
        }
      } catch (error) {
        if (!(error instanceof StewardError)) {
          throw error;
        }
        failure = error;
        const nodeCode = 'nodeCode' in error && typeof error.nodeCode === 'string' ? error.nodeCode : undefined;
        if (repeatable && isRetryableNetworkCode(nodeCode)) {
          waitMs = backoffMs(retry, options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS, random());
        }
      }
      if (waitMs === undefined || retry >= maxRetries) {
        failure.message = redactor.redact(failure.message);
        throw failure;
      }
      logger.info(redactor.redact(`${label}: ${failure.message} Trying again in ${waitMs} ms (retry ${retry + 1} of ${maxRetries}).`));
      try {
        await sleep(waitMs, request.signal);
      } catch {
        throw new CancelledError(redactor.redact(label), 'beforeSending');
      }
    }
  };

  return {
    request: send,
    close: () => agent.close(),
  };
}

/** The query string a request sends: its raw one verbatim, else its pairs encoded. */
function queryOf(request: HttpRequest): string {
  if (request.rawQuery !== undefined) {
    return request.rawQuery.length > 0 ? `?${request.rawQuery}` : '';
  }
  return encodeQuery(request.query);
}

/** The query as a reader wants it in a log line: unencoded, credentials elided by the redactor. */
function displayQuery(query: HttpRequest['query']): string {
  const pairs = Object.entries(query ?? {}).filter(([, value]) => value !== undefined);
  return pairs.length > 0 ? `?${pairs.map(([name, value]) => `${name}=${String(value)}`).join('&')}` : '';
}

function parseBody(text: string, contentType: string | string[] | undefined): unknown {
  if (text.length === 0) {
    return undefined;
  }
  const type = Array.isArray(contentType) ? contentType.join(';') : (contentType ?? '');
  if (type.includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // A server that labels HTML error pages as JSON exists; the text is more useful than a parse error.
      return text;
    }
  }
  return text;
}

/** The human part of an error answer: QRS sends plain text, JSON strings or `{ message }`. */
function serverMessage(response: HttpResponse): string {
  const { body } = response;
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers['location'];
    return location ? `redirected to ${String(location)} (the proxy wants a login: check the virtual proxy and the credentials)` : '';
  }
  if (typeof body === 'string') {
    return body;
  }
  if (isRecord(body)) {
    for (const key of ['message', 'Message', 'error', 'title', 'detail']) {
      const value = body[key];
      if (typeof value === 'string') {
        return value;
      }
    }
    return JSON.stringify(body);
  }
  return '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
