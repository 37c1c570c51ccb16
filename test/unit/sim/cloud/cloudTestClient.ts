import { Agent, request } from 'node:https';
import type { CloudSimulator } from '../../../../src/sim/cloud/cloudSimulator';

/** An answer as the tests look at it. */
export interface CloudTestAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

/** Options for one raw request. */
export interface CloudTestCall {
  /** JSON unless `form` is set. */
  readonly body?: unknown;
  /** Send `body` (a record of strings) form-encoded. */
  readonly form?: boolean;
  /** Bearer token; the admin API key by default, `null` for none. */
  readonly token?: string | null;
  /** Extra headers; `qlik-api-version: 2026-11` is sent unless given (or `null` to send none). */
  readonly headers?: Record<string, string | null>;
  readonly query?: Record<string, string | number | boolean>;
}

/** Keep-alive saves a TLS handshake per request on a small CI box. */
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/**
 * The tests' own tiny HTTPS client (deliberately not the project's transport): bearer token,
 * dated API version, JSON in and out. `path` may be a full URL (a links.*.href) or a path.
 */
export function cloud(sim: CloudSimulator, method: string, path: string, call: CloudTestCall = {}): Promise<CloudTestAnswer> {
  const url = new URL(path.startsWith('https://') ? path : sim.url + path);
  for (const [k, v] of Object.entries(call.query ?? {})) {
    url.searchParams.set(k, String(v));
  }
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = call.token === undefined ? sim.apiKey : call.token;
  if (token !== null) {
    headers['Authorization'] = `Bearer ${token}`;
  }
  const extra = { 'qlik-api-version': '2026-11', ...(call.headers ?? {}) };
  for (const [k, v] of Object.entries(extra)) {
    if (v !== null) {
      headers[k] = v;
    }
  }
  let payload: string | undefined;
  if (call.body !== undefined) {
    if (call.form) {
      payload = new URLSearchParams(call.body as Record<string, string>).toString();
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    } else {
      payload = JSON.stringify(call.body);
      headers['Content-Type'] = 'application/json';
    }
  }
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, ca: sim.certificates.ca, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Wire shapes the tests read. */
export interface Links {
  readonly self?: { readonly href: string };
  readonly next?: { readonly href: string };
  readonly prev?: { readonly href: string };
}
export interface ListBody<T = Record<string, unknown>> {
  readonly data: T[];
  readonly links: Links;
  readonly totalResults?: number;
}
