import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import type { QrsSimulator } from '../../src/sim/qrs/qrsSimulator';

/** Where to call: a simulator, a fault proxy, or anything else with a base URL and the site's PEM set. */
export interface RawQrsTarget {
  /** Base URL without /qrs, e.g. `https://localhost:PORT` (a prefix such as `/jwt` may follow). */
  readonly url: string;
  readonly certificates: Pick<QrsSimulator['certificates'], 'ca' | 'clientCert' | 'clientKey'>;
}

/** One raw call's options. */
export interface RawQrsOptions {
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Query parameters besides xrfkey. */
  readonly query?: Readonly<Record<string, string | number | boolean>>;
  /** Extra headers (e.g. a virtual proxy's user header or `Authorization`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Certificate door: act as `DIR\id` through X-Qlik-User (default: none, i.e. sa_repository). */
  readonly as?: string;
  /** Present the client certificate (default true). */
  readonly cert?: boolean;
  /** Reject when no complete answer came within this (default 10 s). */
  readonly timeoutMs?: number;
}

/** A complete answer. */
export interface RawQrsAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly text: string;
  json<T = unknown>(): T;
}

const XRFKEY = 'FaultSuite123456';

/**
 * The fault suite's own minimal HTTPS client (deliberately not the product's transport): a fresh
 * connection per call, so connection-level faults are seen, xrfkey in query and header, JSON in
 * and out. `path` starts after the base URL, e.g. `/qrs/license/useraccesstype`. Resolves with
 * any complete answer; rejects with the socket's error (ECONNRESET, "socket hang up") when the
 * connection ends without one.
 */
export function rawQrsCall(target: RawQrsTarget, method: string, path: string, options: RawQrsOptions = {}): Promise<RawQrsAnswer> {
  const url = new URL(target.url.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(options.query ?? {})) {
    url.searchParams.set(k, String(v));
  }
  url.searchParams.set('xrfkey', XRFKEY);
  const headers: Record<string, string> = { Accept: 'application/json', 'X-Qlik-Xrfkey': XRFKEY, ...(options.headers ?? {}) };
  if (options.as) {
    const [dir, id] = options.as.split('\\');
    headers['X-Qlik-User'] = `UserDirectory=${dir}; UserId=${id}`;
  }
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  if (payload !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const c = target.certificates;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers,
        ca: c.ca,
        agent: false,
        ...((options.cert ?? true) ? { cert: c.clientCert, key: c.clientKey } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          clearTimeout(timer);
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json: <T>() => JSON.parse(text) as T });
        });
        res.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`${method} ${path}: no complete answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end(payload);
  });
}
