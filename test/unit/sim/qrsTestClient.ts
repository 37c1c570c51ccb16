import { Agent, request } from 'node:https';
import type { QrsSimulator } from '../../../src/sim/qrs/qrsSimulator';

/** An answer as the tests look at it. */
export interface TestAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  json<T = unknown>(): T;
}

/** Options for one raw request. */
export interface TestCall {
  readonly body?: unknown;
  /** Extra headers; `X-Qlik-Xrfkey` is added unless `xrfkey` is false. */
  readonly headers?: Record<string, string>;
  /** Query parameters besides xrfkey. */
  readonly query?: Record<string, string | number | boolean>;
  /** Send the client certificate (default true). */
  readonly cert?: boolean;
  /** The xrfkey to send in both places, false for none, or {query, header} to mismatch. */
  readonly xrfkey?: string | false | { readonly query?: string; readonly header?: string };
}

const KEY = 'AbCdEfGh12345678';

/**
 * Keep-alive saves a TLS handshake per request (tens of ms on a small CI box). The agent pools
 * by CA, certificate and key, so certificate and certificate-less calls never share a socket.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/**
 * The tests' own tiny HTTPS client (deliberately not the project's transport): client
 * certificate, xrfkey in query and header, JSON in and out.
 */
export function callSim(sim: QrsSimulator, method: string, path: string, call: TestCall = {}): Promise<TestAnswer> {
  const url = new URL(sim.url + path);
  for (const [k, v] of Object.entries(call.query ?? {})) {
    url.searchParams.set(k, String(v));
  }
  const headers: Record<string, string> = { Accept: 'application/json', ...(call.headers ?? {}) };
  const x = call.xrfkey ?? KEY;
  if (typeof x === 'string') {
    url.searchParams.set('xrfkey', x);
    headers['X-Qlik-Xrfkey'] = x;
  } else if (x !== false) {
    if (x.query !== undefined) {
      url.searchParams.set('xrfkey', x.query);
    }
    if (x.header !== undefined) {
      headers['X-Qlik-Xrfkey'] = x.header;
    }
  }
  const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
  if (payload !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const withCert = call.cert ?? true;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers,
        ca: sim.certificates.ca,
        agent,
        ...(withCert ? { cert: sim.certificates.clientCert, key: sim.certificates.clientKey } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: <T>() => JSON.parse(text) as T,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** GET/POST/... through the certificate door as `DIR\id` (default: no X-Qlik-User, i.e. sa_repository). */
export function qrs(sim: QrsSimulator, method: string, path: string, call: TestCall & { as?: string } = {}): Promise<TestAnswer> {
  const headers = { ...(call.headers ?? {}) };
  if (call.as) {
    const [dir, id] = call.as.split('\\');
    headers['X-Qlik-User'] = `UserDirectory=${dir}; UserId=${id}`;
  }
  return callSim(sim, method, `/qrs${path}`, { ...call, headers });
}
