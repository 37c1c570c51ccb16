import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { silentLogger, taggedLogger, type Logger } from '../../core/logger';
import { createSimCertificates } from '../certificates';
import { createPrng } from '../prng';
import { createSimClock } from '../simClock';
import { SimFaultQueue } from '../simFaults';
import { flatHeaders, requestLine, SimRequestLog } from '../simRequestLog';
import { startSimServer } from '../simServer';
import { SimTimers } from '../simTimers';
import { API_VERSION_HEADER, serveApiVersion } from './cloudApiVersions';
import { CloudAuth } from './cloudAuth';
import { createCloudContract } from './cloudContract';
import { CloudCursorCodec } from './cloudCursor';
import { generateCloudData } from './cloudDataGenerator';
import { errorJson } from './cloudEntityJson';
import { routeCloudCall, type CloudReply } from './cloudRoutes';
import { ScimFilterError } from './cloudScimFilter';
import { CloudSimError, CloudSimState, type AppEventNames } from './cloudSimState';
import { cloudApiOf, type CloudApiName } from './cloudSpecs';

/** How to start a simulated Qlik Cloud tenant. */
export interface CloudSimulatorOptions {
  /** 0 = ephemeral (default). */
  port?: number;
  /** User records, the admin and the OAuth client's user included (default 300). */
  users?: number;
  /** PRNG seed (default 1). */
  seed?: number;
  /** Initial clock, epoch ms (default Date.now()); the clock moves only when told. */
  now?: number;
  /** Default 'user-based'. */
  subscription?: 'user-based' | 'capacity';
  /** Assignments whose subject is no user of the tenant (user-based), default 3. */
  orphans?: number;
  /** Users with status 'deleted' still holding assignments, default 2. */
  deletedUsers?: number;
  /**
   * What the audit log calls app events on a user-based tenant: `current` (default), `v1` (the
   * names before April 2026), or `none` (a log that records no app events).
   */
  appEvents?: AppEventNames;
  /**
   * Every Nth /api request answers 429 with `retry-after` (default 1 second). The token
   * endpoint is left alone unless `tokenEndpoint` is true.
   */
  rateLimit?: { every: number; retryAfterSeconds?: number; tokenEndpoint?: boolean };
  /** OAuth access token lifetime in simulator time, default 3600. */
  tokenLifetimeSeconds?: number;
  /** Default 'enforce': validate every request and answer against specs/cloud. */
  contract?: 'enforce' | 'off';
  logger?: Logger;
}

/**
 * A fault to inject, with the semantics of QrsSimFault: an error status, a delay, or both, for
 * the next `times` matching requests. By default the fault stands in for the request, which is
 * never handled; with `afterHandling` the request is handled (a write is applied) and only its
 * answer is delayed, replaced or lost.
 */
export interface CloudSimFault {
  /** Only this method (any when absent). */
  method?: string;
  /** Tested against the URL path, e.g. `/api/v1/licenses/assignments/actions/add`. */
  path: RegExp;
  /** Answer this status instead (of handling the request or, with `afterHandling`, of its real answer). */
  status?: number;
  /** Wait this long first; with `afterHandling`, after handling and before answering. */
  delayMs?: number;
  /** Handle the request first, then delay, replace or drop the answer; a replaced answer is not contract-checked. */
  afterHandling?: boolean;
  /** How many matching requests to affect; every one when absent. */
  times?: number;
  /** Body of the fault answer: sent as JSON when it parses as JSON, else as text (default: the API's error body). */
  body?: string;
  /** Extra headers of the fault answer, e.g. `{ 'retry-after': '3' }`. */
  headers?: Record<string, string>;
  /** Close the connection without answering (a lost answer). */
  drop?: boolean;
}

/** One request as the simulator received it. */
export interface CloudSimRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string | undefined>;
  /** Parsed JSON or form body; raw text when it parsed as neither. */
  readonly body?: unknown;
}

/** A running simulated tenant. */
export interface CloudSimulator {
  /** `https://localhost:PORT`: the tenant base URL (APIs under /api/v1, OAuth at /oauth/token). */
  readonly url: string;
  readonly port: number;
  /** PEM of the CA that signed the server certificate. */
  readonly certificates: { ca: string };
  /** A valid API key of a TenantAdmin user. */
  readonly apiKey: string;
  /** An API key acting as that user (for 403 and role tests). */
  apiKeyFor(userId: string): string;
  /** The M2M client; its user is a tenant admin. */
  readonly oauth: { clientId: string; clientSecret: string };
  readonly clock: { now(): number; advance(ms: number): void; set(ms: number): void };
  /** The live data, for tests to inspect and arrange. */
  readonly state: CloudSimState;
  /** Contract violations seen, requests and answers. */
  readonly violations: readonly string[];
  /** Returns the violations seen so far and forgets them (for tests that provoke one on purpose). */
  takeViolations(): string[];
  /** The last 10,000 requests. */
  readonly requests: readonly CloudSimRequest[];
  fault(f: CloudSimFault): void;
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';

function parseBody(raw: string, contentType: string | undefined): { ok: true; body: unknown } | { ok: false } {
  if (raw.trim() === '') {
    return { ok: true, body: undefined };
  }
  if ((contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return { ok: true, body: Object.fromEntries(new URLSearchParams(raw)) };
  }
  try {
    return { ok: true, body: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false };
  }
}

function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m?.[1]) {
    return undefined;
  }
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { clientId: decodeURIComponent(decoded.slice(0, colon)), clientSecret: decodeURIComponent(decoded.slice(colon + 1)) };
}

/** Starts a simulated Qlik Cloud tenant on loopback. */
export async function startCloudSimulator(options: CloudSimulatorOptions = {}): Promise<CloudSimulator> {
  const log = taggedLogger(options.logger ?? silentLogger, 'cloud-sim');
  const seed = options.seed ?? 1;
  const subscription = options.subscription ?? 'user-based';
  const certs = await createSimCertificates({ serverNames: ['localhost', '127.0.0.1'], caName: 'qlikcloud-sim' });

  const clock = createSimClock(options.now ?? Date.now());
  const started = performance.now();
  const data = generateCloudData({
    users: options.users ?? 300,
    seed,
    now: clock.now(),
    subscription,
    orphans: subscription === 'user-based' ? (options.orphans ?? 3) : 0,
    deletedUsers: options.deletedUsers ?? 2,
    ...(options.appEvents ? { appEvents: options.appEvents } : {}),
  });
  log.debug(`generated ${data.users.length} users and ${data.sessions.length} sessions in ${Math.round(performance.now() - started)} ms`);

  const state = new CloudSimState(data, clock, createPrng(seed ^ 0x0c10d));
  // Secrets derive from the seed so a seeded tenant answers byte for byte the same every run.
  const secret = createHash('sha256').update(`license-steward cloud simulator\0${seed}`).digest('hex');
  const clientSecret = createHash('sha256').update(`client-secret\0${secret}`).digest('base64url');
  const auth = new CloudAuth({ secret, state, clock, tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600, clientSecret });
  const cursors = new CloudCursorCodec(secret);
  const contract = createCloudContract();
  const enforce = (options.contract ?? 'enforce') === 'enforce';
  const violations: string[] = [];
  const requests = new SimRequestLog<CloudSimRequest>();
  const faults = new SimFaultQueue<CloudSimFault>();
  const timers = new SimTimers();
  let counted = 0;
  let traces = 0;
  let url = '';

  const traceId = (): string => createHash('sha256').update(`${secret}\0${++traces}`).digest('hex').slice(0, 16).padStart(32, '0');

  const write = (res: ServerResponse, status: number, headers: Record<string, string>, body: string | undefined): void => {
    res.writeHead(status, headers);
    res.end(body);
  };

  const faultAnswer = (res: ServerResponse, api: CloudApiName | undefined, f: CloudSimFault, extra: Record<string, string>): void => {
    if (f.drop) {
      res.socket?.destroy();
      return;
    }
    const status = f.status ?? 500;
    let type = JSON_TYPE;
    let body = f.body;
    if (body === undefined) {
      body = JSON.stringify(errorJson(api, new CloudSimError(status, `HTTP-${status}`, 'Simulated fault'), traceId()));
    } else {
      try {
        JSON.parse(body);
      } catch {
        type = 'text/plain; charset=utf-8';
      }
    }
    write(res, status, { ...extra, 'Content-Type': type, ...(f.headers ?? {}) }, body);
  };

  /** Sends a reply, checking it against the contract first (an answer the specs forbid becomes a 500). */
  const send = (res: ServerResponse, method: string, path: string, reply: CloudReply, extra: Record<string, string>, check: boolean): number => {
    let status = reply.status;
    const body = reply.kind === 'json' ? reply.json : reply.kind === 'redirect' ? `<a href="${reply.location}">Moved Permanently</a>.` : undefined;
    const contentType = reply.kind === 'json' ? JSON_TYPE : reply.kind === 'redirect' ? 'text/html; charset=utf-8' : undefined;
    if (enforce && check) {
      const problems = contract.validateResponse({ method, path, status, ...(contentType ? { contentType } : {}), ...(body !== undefined ? { body } : {}) });
      if (problems.length > 0) {
        violations.push(...problems.map((p) => `response: ${p}`));
        log.error(`contract violation in the simulator's own answer: ${problems.join('; ')}`);
        status = 500;
        write(res, 500, { ...extra, 'Content-Type': 'text/plain; charset=utf-8' }, `Simulator answer violates the contract:\n${problems.join('\n')}`);
        return status;
      }
    }
    const headers: Record<string, string> = { ...extra };
    if (contentType) {
      headers['Content-Type'] = contentType;
    }
    if (reply.kind === 'redirect') {
      headers['Location'] = reply.location;
    }
    write(res, status, headers, reply.kind === 'json' ? JSON.stringify(reply.json) : typeof body === 'string' ? body : undefined);
    return status;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const { method, url: parsedUrl, query } = requestLine(req);
    const path = parsedUrl.pathname;
    const raw = Buffer.concat(chunks).toString('utf8');
    const parsed = parseBody(raw, req.headers['content-type']);
    requests.add({ method, path, query, headers: flatHeaders(req.headers), ...(raw !== '' ? { body: parsed.ok ? parsed.body : raw } : {}) });
    const api = cloudApiOf(path);
    const taken = faults.take(method, path);
    const after = taken?.afterHandling ? taken : undefined;
    const before = after ? undefined : taken;
    if (before?.delayMs) {
      await timers.sleep(before.delayMs);
    }
    if (before && (before.status !== undefined || before.drop)) {
      faultAnswer(res, api, before, {});
      return;
    }
    const answer = async (reply: CloudReply, extra: Record<string, string>, check: boolean): Promise<number> => {
      if (after?.delayMs) {
        await timers.sleep(after.delayMs);
      }
      if (after && (after.status !== undefined || after.drop)) {
        faultAnswer(res, api, after, extra);
        return after.status ?? 0;
      }
      return send(res, method, path, reply, extra, check);
    };
    // Counted before authentication, as a gateway in front of the services would.
    const rateLimited = (): number | undefined => {
      const every = options.rateLimit?.every;
      if (every === undefined || every < 1) {
        return undefined;
      }
      counted++;
      return counted % every === 0 ? (options.rateLimit?.retryAfterSeconds ?? 1) : undefined;
    };

    const issue = (params: Record<string, unknown>, basic: ReturnType<typeof basicCredentials>) => auth.issueToken({ params, ...(basic ? { basic } : {}) });
    if (path === '/oauth/token') {
      const retry = options.rateLimit?.tokenEndpoint ? rateLimited() : undefined;
      if (retry !== undefined) {
        await answer({ kind: 'json', status: 429, json: { error: 'slow_down', error_description: `Rate limited; retry in ${retry} s.` } }, { 'retry-after': String(retry) }, false);
        return;
      }
      const token =
        method !== 'POST'
          ? { status: 405, body: { error: 'invalid_request', error_description: 'POST the token request.' } }
          : !parsed.ok || typeof parsed.body !== 'object' || parsed.body === null || Array.isArray(parsed.body)
            ? { status: 400, body: { error: 'invalid_request', error_description: 'The body must be JSON or form-encoded parameters.' } }
            : issue(parsed.body as Record<string, unknown>, basicCredentials(req.headers.authorization));
      const status = await answer({ kind: 'json', status: token.status, json: token.body }, { 'Cache-Control': 'no-store' }, false);
      log.trace(`${method} ${path} -> ${status}`);
      return;
    }

    const fail = async (status: number, error: CloudSimError, extra: Record<string, string> = {}, check = true): Promise<number> =>
      answer({ kind: 'json', status, json: errorJson(api, error, traceId()) }, extra, check && api !== undefined && contract.findOperation(method, path) !== undefined);

    if (!api) {
      await fail(404, new CloudSimError(404, 'HTTP-404', 'Not found', `No resource at ${path}.`), {}, false);
      return;
    }
    const pinned = req.headers[API_VERSION_HEADER];
    const version = serveApiVersion(typeof pinned === 'string' ? pinned : undefined);
    const vh = { ...version.headers };
    if (version.requested === undefined) {
      log.debug(`${method} ${path} without ${API_VERSION_HEADER}: answered as ${version.version}`);
    }
    const retry = rateLimited();
    if (retry !== undefined) {
      const body = { errors: [{ code: 'HTTP-429', title: 'API rate limit reached.', detail: `You need to wait ${retry} seconds until limit is lifted.` }] };
      await answer({ kind: 'json', status: 429, json: body }, { ...vh, 'retry-after': String(retry) }, contract.findOperation(method, path) !== undefined);
      return;
    }
    const who = auth.authenticate(req.headers.authorization);
    if (!who.ok) {
      await fail(401, new CloudSimError(401, 'HTTP-401', 'Unauthorized', who.detail), vh);
      return;
    }
    if (!parsed.ok) {
      await fail(400, new CloudSimError(400, 'HTTP-400', 'Bad request', 'The request body is not valid JSON.'), vh);
      return;
    }
    const op = contract.findOperation(method, path);
    if (enforce) {
      if (!op) {
        const allowed = contract.methodsFor(path);
        violations.push(`request: ${method} ${path}: not in the contract`);
        const status = allowed.length > 0 ? 405 : 404;
        await fail(status, new CloudSimError(status, `HTTP-${status}`, status === 405 ? 'Method not allowed' : 'Not found', `${method} ${path} is not in the API.`), vh, false);
        return;
      }
      const problems = contract.validateRequest({ method, path, query, ...(parsed.body !== undefined ? { body: parsed.body } : {}) });
      if (problems.length > 0) {
        violations.push(...problems.map((p) => `request: ${p}`));
        // Refused without a contract check: not every operation declares 400, and the request's violation is recorded.
        await fail(400, new CloudSimError(400, 'HTTP-400', 'Bad request', problems.join('; ')), vh, false);
        return;
      }
    }
    let segments: string[];
    try {
      segments = path.split('/').filter((s) => s !== '').slice(3).map(decodeURIComponent);
    } catch {
      await fail(400, new CloudSimError(400, 'HTTP-400', 'Bad request', 'The path is not valid URL encoding.'), vh);
      return;
    }
    let reply: CloudReply | undefined;
    try {
      reply = routeCloudCall(
        { state, baseUrl: url, cursors },
        { api, method, path, segments, query, body: parsed.body, actor: who.actor, admin: auth.isAdmin(who.actor) },
      );
    } catch (e) {
      if (e instanceof CloudSimError) {
        await fail(e.status, e, vh);
        return;
      }
      if (e instanceof ScimFilterError) {
        await fail(400, new CloudSimError(400, 'HTTP-400', 'Bad request', `Invalid filter: ${e.message}`), vh);
        return;
      }
      throw e;
    }
    if (!reply) {
      const status = op ? 501 : 404;
      await fail(status, new CloudSimError(status, `HTTP-${status}`, op ? 'Not implemented' : 'Not found', `${method} ${path} is ${op ? 'in the API but not simulated' : 'not in the API'}.`), vh, false);
      return;
    }
    const status = await answer(reply, vh, true);
    log.trace(`${method} ${path} as ${who.actor.user.id} -> ${status}`);
  };

  const server = await startSimServer({ port: options.port ?? 0, tls: { key: certs.serverKey, cert: certs.serverCert }, log, timers, handle });
  const port = server.port;
  url = server.url;
  log.info(`Qlik Cloud simulator (${subscription}) listening on ${url} with ${data.users.length} users`);

  return {
    url,
    port,
    certificates: { ca: certs.ca },
    apiKey: auth.apiKeyFor(state.adminUserId),
    apiKeyFor: (userId) => auth.apiKeyFor(userId),
    oauth: { clientId: state.oauthClient.clientId, clientSecret },
    clock,
    state,
    violations,
    takeViolations: () => violations.splice(0),
    requests: requests.entries,
    fault: (f) => faults.add(f),
    close: () => server.close(),
  };
}
