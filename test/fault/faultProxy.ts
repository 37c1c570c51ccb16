import { STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent, createServer, request as httpsRequest, type Server } from 'node:https';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TLSSocket } from 'node:tls';
import type { QrsSimulator } from '../../src/sim/qrs/qrsSimulator';
import { flatHeaders, requestLine } from '../../src/sim/simRequestLog';
import { closeServer, listenOnLoopback } from '../../src/sim/simServer';
import { SimTimers } from '../../src/sim/simTimers';

/** An answer the proxy makes up itself. */
export interface FaultAnswer {
  readonly status: number;
  /**
   * A string or Buffer is sent as is (text/plain unless `headers` name a Content-Type); any other
   * value is sent as JSON. Absent: the status's reason phrase ("Service Unavailable"), as a
   * front-end proxy's error page would say.
   */
  readonly body?: unknown;
  /** Extra headers, e.g. `{ 'Retry-After': '1' }`; they win over the defaults. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The request a rule is deciding about. */
export interface FaultRequest {
  /** Upper case. */
  readonly method: string;
  /** The path without the query, prefix included, e.g. `/jwt/qrs/user/full`. */
  readonly path: string;
  /** Decoded query parameters (the last value wins when one repeats). */
  readonly query: Readonly<Record<string, string>>;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string | undefined>>;
}

/** What a rewrite sees: the request, which match of the rule it is, and the simulator's answer. */
export interface FaultRewriteContext {
  readonly request: FaultRequest;
  /** 1-based count of requests this rule has matched, this one included (skipped ones count). */
  readonly match: number;
  /** The status the simulator answered; the client gets the same one. */
  readonly status: number;
  readonly upstreamHeaders: Readonly<IncomingHttpHeaders>;
}

/**
 * One fault. A rule matches a request by method and path (and `when`, if given); the first
 * matching rule that is not skipping acts. Give a rule one action, optionally with `delayMs`:
 * `answer`, `afterUpstream`, `resetBeforeUpstream`, `resetAfterUpstream`, `hangAfterUpstream`,
 * `rewriteJson` or `rewriteText`. `delayMs` alone delays and then forwards normally.
 */
export interface FaultRule {
  /** Only this method (any when absent); case does not matter. */
  readonly method?: string;
  /** Tested against the path without the query, e.g. `/^\/qrs\/license\/useraccesstype$/`. */
  readonly path: RegExp;
  /** A further test on the request (a query parameter, a header); false means "not a match". */
  readonly when?: (request: FaultRequest) => boolean;
  /** Let this many matching requests through untouched first ("fail the 2nd one" is `skip: 1`). */
  readonly skip?: number;
  /** How many matching requests to act on after `skip` (default 1; `Infinity` for all). */
  readonly times?: number;
  /** Names the rule in `seen` (default `METHOD /path-regex/`). */
  readonly label?: string;

  /** Answer without forwarding: the simulator never sees the request (503, 429, ...). */
  readonly answer?: FaultAnswer;
  /** Forward (the simulator applies it), then answer the client this instead (a write applied, answered 502). */
  readonly afterUpstream?: FaultAnswer;
  /** Close the client's connection at once, without forwarding or answering. */
  readonly resetBeforeUpstream?: true;
  /** Forward, let the simulator finish answering, then close the client's connection with no answer. */
  readonly resetAfterUpstream?: true;
  /** Forward, then never answer; the connection stays open until the client gives up or `close()`. */
  readonly hangAfterUpstream?: true;
  /**
   * Wait this long before acting. A client that goes away meanwhile is not forwarded (a front-end
   * proxy drops an aborted request), so a timed-out read never reaches the simulator.
   */
  readonly delayMs?: number;
  /**
   * Forward, then answer the simulator's status with the rewritten JSON body (upstream headers
   * kept, length recomputed). Returning `undefined` sends an empty body. A body that is not
   * JSON is passed on unchanged and the record's `note` says so.
   */
  readonly rewriteJson?: (json: unknown, ctx: FaultRewriteContext) => unknown;
  /** Like `rewriteJson` on the raw text, for answers that must not be JSON (a truncated list). */
  readonly rewriteText?: (text: string, ctx: FaultRewriteContext) => string;
}

/** A rule once installed: its counters, and a way to take it out early. */
export interface FaultRuleHandle {
  /** Requests the rule matched so far, skipped ones included. */
  readonly matched: number;
  /** Requests the rule acted on. */
  readonly fired: number;
  /** True once it acted `times` times (or was removed); it no longer matches then. */
  readonly spent: boolean;
  remove(): void;
}

/** What happened to a request: the status the client got, or how it was left without one. */
export type ProxyOutcome = number | 'pending' | 'reset' | 'hang' | 'aborted';

/** One request as the proxy saw it. Fields after `headers` change while it is in flight. */
export interface ProxyRecord extends FaultRequest {
  /** 1-based arrival order. */
  readonly seq: number;
  /** Date.now() at arrival. */
  readonly at: number;
  /** The label of the rule that acted on it, if one did. */
  readonly rule: string | undefined;
  /** The proxy sent the request on (`upstreamStatus` says whether the simulator answered). */
  readonly forwarded: boolean;
  /** What the simulator answered, when it was forwarded and answered. */
  readonly upstreamStatus: number | undefined;
  /**
   * The status the client was answered; 'reset' (connection closed by a rule), 'hang' (never
   * answered by a rule), 'aborted' (the client went away before an answer), 'pending'.
   */
  readonly status: ProxyOutcome;
  /** Response body bytes sent to the client. */
  readonly bytes: number;
  /** Something the proxy itself ran into (the simulator unreachable, a rewrite of non-JSON). */
  readonly note: string | undefined;
}

/** How to start a fault proxy. */
export interface FaultProxyOptions {
  /** The site to stand in front of; its CA, server and client certificates are reused. */
  readonly upstream: QrsSimulator;
  /** A different server certificate to present (e.g. one another CA signed); default the simulator's. */
  readonly serverCertificate?: { readonly cert: string; readonly key: string };
}

/** A running fault proxy. */
export interface FaultProxy {
  /** `https://localhost:PORT`: put it where the simulator's URL was (prefixes such as /jwt stay). */
  readonly url: string;
  readonly port: number;
  /** The upstream's PEM set, so a test client can take the proxy where it takes a simulator. */
  readonly certificates: QrsSimulator['certificates'];
  /** Installs a rule after the existing ones (first match wins). */
  rule(rule: FaultRule): FaultRuleHandle;
  /** Removes every rule; requests then pass through untouched. */
  clearRules(): void;
  /** Every request so far, in arrival order. */
  readonly seen: readonly ProxyRecord[];
  /**
   * While true, every new TLS connection is closed right after its handshake, before a request
   * is read: what a server silently refusing the client certificate looks like to the client.
   * Connections already open are not affected (see `dropConnections`).
   */
  closeAfterHandshake: boolean;
  /** TLS connections accepted so far, and how many of them `closeAfterHandshake` closed. */
  readonly connections: { readonly accepted: number; readonly refused: number };
  /** Closes every open client connection (idle keep-alive ones included). */
  dropConnections(): void;
  /**
   * Resolves with the first record (already seen or still to come) for which `test` holds,
   * re-checked whenever a record changes; rejects after `timeoutMs` (default 10 s). `since`
   * (a `seen.length` taken earlier) looks only at requests that arrived after it.
   */
  waitFor(test: (record: ProxyRecord) => boolean, options?: { readonly timeoutMs?: number; readonly since?: number }): Promise<ProxyRecord>;
  /** Stops listening, ends hanging answers and open connections. */
  close(): Promise<void>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface InstalledRule {
  readonly rule: FaultRule;
  readonly label: string;
  matched: number;
  fired: number;
  spent: boolean;
}

/** A request being handled: its public record and what only the proxy needs. */
interface Admitted {
  readonly record: Mutable<ProxyRecord>;
  readonly request: FaultRequest;
  readonly installed: InstalledRule | undefined;
  /** The client's side of the exchange closed. */
  gone: boolean;
}

interface Waiter {
  readonly test: (record: ProxyRecord) => boolean;
  readonly resolve: (record: ProxyRecord) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** Headers that describe one hop, not the message; a proxy never copies them. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host']);

const ACTIONS = ['answer', 'afterUpstream', 'resetBeforeUpstream', 'resetAfterUpstream', 'hangAfterUpstream', 'rewriteJson', 'rewriteText'] as const;

function checkRule(r: FaultRule): void {
  const actions = ACTIONS.filter((a) => r[a] !== undefined);
  if (actions.length > 1) {
    throw new TypeError(`a fault rule takes one action, not ${actions.join(' and ')}`);
  }
  if (actions.length === 0 && r.delayMs === undefined) {
    throw new TypeError('a fault rule needs an action or delayMs');
  }
  if (r.times !== undefined && !(r.times >= 1)) {
    throw new TypeError(`times must be at least 1, not ${r.times}`);
  }
}

/** The headers to pass on to the next hop; `content-length` too unless the body changes. */
function endToEnd(h: IncomingHttpHeaders, keepLength: boolean): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v !== undefined && !HOP_BY_HOP.has(k) && (keepLength || k !== 'content-length')) {
      out[k] = v;
    }
  }
  return out;
}

function answerBody(a: FaultAnswer): { body: Buffer; type: string } {
  if (a.body === undefined) {
    return { body: Buffer.from(STATUS_CODES[a.status] ?? ''), type: 'text/plain; charset=utf-8' };
  }
  if (typeof a.body === 'string') {
    return { body: Buffer.from(a.body), type: 'text/plain; charset=utf-8' };
  }
  if (Buffer.isBuffer(a.body)) {
    return { body: a.body, type: 'application/octet-stream' };
  }
  return { body: Buffer.from(JSON.stringify(a.body)), type: 'application/json; charset=utf-8' };
}

/** Reads a stream to its end; the simulator's answer is consumed so it finishes its work. */
async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) {
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Starts a fault-injecting HTTPS reverse proxy in front of a QRS simulator, on 127.0.0.1 with an
 * ephemeral port. It presents the simulator's own server certificate and asks for client
 * certificates as QRS does, so a client configured for the simulator (root.pem, client.pem,
 * client_key.pem) connects to it unchanged. Each request is forwarded over HTTPS with the
 * simulator's client certificate when the client presented a trusted one (and without one when it
 * did not, so the simulator still answers 403), so certificate, header and JWT auth all behave as
 * they do directly. Bodies stream through; only `rewriteJson`/`rewriteText` buffer an answer.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const sim = options.upstream;
  const certs = sim.certificates;
  const rules: InstalledRule[] = [];
  const seen: Mutable<ProxyRecord>[] = [];
  const waiters = new Set<Waiter>();
  const timers = new SimTimers();
  const hanging = new Set<ServerResponse>();
  const refusedSockets = new WeakSet<object>();
  const connections = { accepted: 0, refused: 0 };
  let closeAfterHandshake = false;
  let closed = false;

  // Keep-alive upstream, as a front-end proxy pools its backend connections.
  const withCert = new Agent({ keepAlive: true, ca: certs.ca, cert: certs.clientCert, key: certs.clientKey });
  const withoutCert = new Agent({ keepAlive: true, ca: certs.ca });

  const notify = (): void => {
    for (const w of waiters) {
      const hit = seen.find(w.test);
      if (hit) {
        waiters.delete(w);
        clearTimeout(w.timer);
        w.resolve(hit);
      }
    }
  };

  const pick = (request: FaultRequest): InstalledRule | undefined => {
    for (const r of rules) {
      // A /g or /y pattern remembers where it stopped; each request is a fresh test.
      r.rule.path.lastIndex = 0;
      if (r.spent || (r.rule.method && r.rule.method.toUpperCase() !== request.method) || !r.rule.path.test(request.path)) {
        continue;
      }
      if (r.rule.when && !r.rule.when(request)) {
        continue;
      }
      r.matched++;
      // A rule still skipping lets the request on to later rules, as if it were not there.
      if (r.matched <= (r.rule.skip ?? 0)) {
        continue;
      }
      r.fired++;
      if (r.fired >= (r.rule.times ?? 1)) {
        r.spent = true;
      }
      return r;
    }
    return undefined;
  };

  const sendAnswer = (res: ServerResponse, record: Mutable<ProxyRecord>, a: FaultAnswer): void => {
    const { body, type } = answerBody(a);
    const bodyless = a.status === 204 || a.status === 304 || record.method === 'HEAD';
    const headers: Record<string, string> = { 'content-type': type, 'content-length': String(bodyless ? 0 : body.length) };
    for (const [k, v] of Object.entries(a.headers ?? {})) {
      headers[k.toLowerCase()] = v;
    }
    res.writeHead(a.status, headers);
    res.end(bodyless ? undefined : body);
    record.status = a.status;
    record.bytes = bodyless ? 0 : body.length;
  };

  /** Sends the request on to the simulator and resolves with its answer's head. */
  const forward = (req: IncomingMessage, record: Mutable<ProxyRecord>): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      const authorized = (req.socket as TLSSocket).authorized === true;
      const up = httpsRequest({
        host: '127.0.0.1',
        port: sim.port,
        servername: 'localhost',
        method: record.method,
        path: req.url ?? '/',
        headers: { ...endToEnd(req.headers, true), host: `localhost:${sim.port}` },
        agent: authorized ? withCert : withoutCert,
      });
      up.on('response', resolve);
      up.on('error', reject);
      // A client that leaves mid-body never finished its request: the server must not get half of it.
      req.on('close', () => {
        if (!req.complete) {
          up.destroy();
        }
      });
      record.forwarded = true;
      req.pipe(up);
    });

  /** Records a request on arrival and picks the rule that acts on it. */
  const admit = (req: IncomingMessage, res: ServerResponse): Admitted => {
    const { method, url, query } = requestLine(req);
    const request: FaultRequest = { method, path: url.pathname, query, headers: flatHeaders(req.headers) };
    const installed = pick(request);
    const record: Mutable<ProxyRecord> = {
      ...request,
      seq: seen.length + 1,
      at: Date.now(),
      rule: installed?.label,
      forwarded: false,
      upstreamStatus: undefined,
      status: 'pending',
      bytes: 0,
      note: undefined,
    };
    const admitted: Admitted = { record, request, installed, gone: false };
    seen.push(record);
    res.on('close', () => {
      admitted.gone = true;
      if (record.status === 'pending') {
        record.status = 'aborted';
      }
      notify();
    });
    notify();
    return admitted;
  };

  /** Carries out the rule (or plain forwarding) for an admitted request. */
  const act = async (req: IncomingMessage, res: ServerResponse, admitted: Admitted): Promise<void> => {
    const { record, request, installed } = admitted;
    const rule = installed?.rule;

    if (rule?.delayMs) {
      await timers.sleep(rule.delayMs);
      if (admitted.gone) {
        return;
      }
    }
    if (rule?.resetBeforeUpstream) {
      record.status = 'reset';
      req.socket.destroy();
      return;
    }
    if (rule?.answer) {
      // Read the body away first, or the client may still be writing it when the answer lands.
      await readAll(req);
      sendAnswer(res, record, rule.answer);
      return;
    }

    let upRes: IncomingMessage;
    try {
      upRes = await forward(req, record);
    } catch (e) {
      record.note = `the simulator could not be reached: ${(e as Error).message}`;
      if (!admitted.gone) {
        sendAnswer(res, record, { status: 502, body: record.note });
      }
      return;
    }
    const status = upRes.statusCode ?? 502;
    record.upstreamStatus = status;
    notify();

    if (rule?.afterUpstream || rule?.resetAfterUpstream || rule?.hangAfterUpstream) {
      await readAll(upRes);
      if (rule.afterUpstream) {
        sendAnswer(res, record, rule.afterUpstream);
      } else if (rule.resetAfterUpstream) {
        record.status = 'reset';
        req.socket.destroy();
      } else {
        record.status = 'hang';
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
      }
      return;
    }
    if (rule?.rewriteJson || rule?.rewriteText) {
      const text = (await readAll(upRes)).toString('utf8');
      const ctx: FaultRewriteContext = { request, match: installed?.matched ?? 0, status, upstreamHeaders: upRes.headers };
      let out = text;
      if (rule.rewriteText) {
        out = rule.rewriteText(text, ctx);
      } else if (rule.rewriteJson) {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          record.note = `rewriteJson skipped: the simulator answered ${status} with a body that is not JSON`;
        }
        if (record.note === undefined) {
          const rewritten = rule.rewriteJson(json, ctx);
          out = rewritten === undefined ? '' : JSON.stringify(rewritten);
        }
      }
      const body = Buffer.from(out);
      res.writeHead(status, { ...endToEnd(upRes.headers, false), 'content-length': String(body.length) });
      res.end(body);
      record.status = status;
      record.bytes = body.length;
      return;
    }

    if (admitted.gone) {
      // Nobody to answer; still read the simulator's answer so its connection can be reused.
      upRes.resume();
      return;
    }
    // The plain path: stream the answer through, counting bytes, never holding it whole.
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        record.bytes += chunk.length;
        done(null, chunk);
      },
    });
    res.writeHead(status, endToEnd(upRes.headers, true));
    record.status = status;
    notify();
    try {
      await pipeline(upRes, count, res);
    } catch (e) {
      record.note = `the answer was cut off after ${record.bytes} bytes: ${(e as Error).message}`;
    }
  };

  // Like QRS (and the simulator): ask for a client certificate, judge it per request.
  const server: Server = createServer(
    { key: options.serverCertificate?.key ?? certs.serverKey, cert: options.serverCertificate?.cert ?? certs.serverCert, ca: certs.ca, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      if (refusedSockets.has(req.socket)) {
        req.socket.destroy();
        return;
      }
      const admitted = admit(req, res);
      const record = admitted.record;
      // Every way out of act() has just settled the record: let waiters look.
      act(req, res, admitted)
        .catch((e: unknown) => {
          record.note = `proxy error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
          if (!res.headersSent && !res.destroyed) {
            sendAnswer(res, record, { status: 502, body: 'Fault proxy error' });
          } else {
            res.destroy();
          }
        })
        .finally(notify);
    },
  );
  // Before the HTTP layer's own listener, so not a byte of a request on this socket is parsed.
  server.prependListener('secureConnection', (socket: TLSSocket) => {
    connections.accepted++;
    if (closeAfterHandshake) {
      connections.refused++;
      refusedSockets.add(socket);
      socket.destroy();
    }
  });
  // A client that resets mid-handshake is a test's business, not a proxy crash.
  server.on('tlsClientError', () => undefined);
  const port = await listenOnLoopback(server, 0);

  return {
    url: `https://localhost:${port}`,
    port,
    certificates: certs,
    rule: (r) => {
      checkRule(r);
      const installed: InstalledRule = {
        rule: r,
        label: r.label ?? `${r.method?.toUpperCase() ?? '*'} ${String(r.path)}`,
        matched: 0,
        fired: 0,
        spent: false,
      };
      rules.push(installed);
      return {
        get matched() {
          return installed.matched;
        },
        get fired() {
          return installed.fired;
        },
        get spent() {
          return installed.spent;
        },
        remove: () => {
          installed.spent = true;
        },
      };
    },
    clearRules: () => {
      for (const r of rules) {
        r.spent = true;
      }
      rules.length = 0;
    },
    seen,
    get closeAfterHandshake() {
      return closeAfterHandshake;
    },
    set closeAfterHandshake(on: boolean) {
      closeAfterHandshake = on;
    },
    connections,
    dropConnections: () => {
      server.closeAllConnections();
    },
    waitFor: (test, o = {}) => {
      const timeoutMs = o.timeoutMs ?? 10_000;
      const since = o.since ?? 0;
      const wanted = (r: ProxyRecord): boolean => r.seq > since && test(r);
      const hit = seen.find(wanted);
      if (hit) {
        return Promise.resolve(hit);
      }
      return new Promise<ProxyRecord>((resolve, reject) => {
        const waiter: Waiter = {
          test: wanted,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            const log = seen.map((r) => `  #${r.seq} ${r.method} ${r.path} -> ${r.status}${r.rule ? ` [${r.rule}]` : ''}`).join('\n');
            reject(new Error(`fault proxy: no matching request within ${timeoutMs} ms; seen:\n${log || '  (none)'}`));
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    close: async () => {
      if (closed) {
        return;
      }
      closed = true;
      timers.clear();
      for (const w of waiters) {
        clearTimeout(w.timer);
        w.reject(new Error('fault proxy closed'));
      }
      waiters.clear();
      for (const res of hanging) {
        res.destroy();
      }
      hanging.clear();
      await closeServer(server);
      withCert.destroy();
      withoutCert.destroy();
    },
  };
}
