import { generateKeyPair, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { silentLogger, taggedLogger, type Logger } from '../../core/logger';
import { createSimCertificates } from '../certificates';
import { createSimClock } from '../simClock';
import { SimFaultQueue } from '../simFaults';
import { signRs256Jwt } from '../simJwt';
import { flatHeaders, requestLine, SimRequestLog } from '../simRequestLog';
import { startSimServer } from '../simServer';
import { SimTimers } from '../simTimers';
import { buildCommunitySite } from './communitySite';
import { QrsAuthenticator, XRF_FAILURE, xrfkeyValid, type QrsAuthOutcome } from './qrsAuth';
import { createQrsCollections } from './qrsCollections';
import { createQrsContract } from './qrsContract';
import { generateQrsData } from './qrsDataGenerator';
import { QrsQueryEngine } from './qrsQueryEngine';
import { errorReply, routeQrsCall, type QrsReply } from './qrsRoutes';
import { QrsSimState } from './qrsSimState';

/** How to start a simulated QRS site. */
export interface QrsSimulatorOptions {
  /** 0 = ephemeral (default). */
  port?: number;
  /** Generated users, service accounts included (default 500). */
  users?: number;
  /** PRNG seed (default 1). */
  seed?: number;
  /** Login-pass records over the last ~60 days (default users × 15). */
  usageRecords?: number;
  /** Initial clock, epoch ms (default Date.now()). The clock only moves when told. */
  now?: number;
  /** Default 'token'. */
  licenseModel?: 'token' | 'userBased';
  /** Analyzer capacity (default false; only with userBased). */
  capacity?: boolean;
  /** Serve the Qlik Community thread's three records instead of generated data. */
  sample?: 'community';
  /** SANs for the server certificate (default ['localhost', '127.0.0.1']). */
  serverNames?: string[];
  /** 'clientAuth' issues a wrong-purpose server certificate for TLS error tests. */
  serverCertPurpose?: 'serverAuth' | 'clientAuth';
  /** `DIR\id` accounts with full rights (default INTERNAL\sa_repository, INTERNAL\sa_api, CORP\admin). */
  admins?: string[];
  /** 'enforce' (default) validates every request and response against the spec. */
  contract?: 'enforce' | 'off';
  logger?: Logger;
}

/**
 * A fault to inject: an error status, a delay, or both, for the next `times` matching requests.
 * By default the fault stands in for the request, which is never handled; with `afterHandling`
 * the request is handled (a write is applied) and only its answer is delayed or replaced, as
 * when a gateway loses or garbles the answer of a change the server made.
 */
export interface QrsSimFault {
  /** Only this method (any when absent). */
  method?: string;
  /** Tested against the URL path including its prefix, e.g. `/qrs/license/useraccesstype/full`. */
  path: RegExp;
  /** Answer this status (with `body` as text) instead of handling the request, or, with `afterHandling`, instead of its real answer. */
  status?: number;
  /** Wait this long first (timeout tests); with `afterHandling`, after handling and before answering. */
  delayMs?: number;
  /**
   * Handle the request first (apply it, whatever its real answer would be: a refusal too), then
   * delay and/or replace the answer. The replaced answer is not checked against the contract.
   */
  afterHandling?: boolean;
  /** How many matching requests to affect; every one when absent. */
  times?: number;
  /** Body of the fault answer (default "Simulated fault"). */
  body?: string;
}

/** One request as the simulator received it. */
export interface QrsSimRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string | undefined>;
}

/** A running simulator. */
export interface QrsSimulator {
  /** `https://localhost:PORT`: the certificate-mode base URL (the client appends /qrs). */
  readonly url: string;
  readonly port: number;
  /**
   * PEM text; the keys unencrypted. The server pair lets a test stand in front of the site as
   * the same host (a fault-injecting proxy) without clients changing their root.pem.
   */
  readonly certificates: { ca: string; clientCert: string; clientKey: string; serverCert: string; serverKey: string };
  /** The same client key as an encrypted PKCS#8 PEM. */
  encryptedClientKey(passphrase: string): string;
  /** Header-auth virtual proxy: base URL `${url}/${prefix}`, user in `headerName` as `DIR\id`. */
  readonly headerProxy: { prefix: string; headerName: string };
  /** JWT virtual proxy: base URL `${url}/${prefix}`. */
  readonly jwtProxy: { prefix: string };
  /** An RS256 JWT the JWT proxy accepts (default lifetime one hour of simulator time). */
  signJwt(claims: { userId: string; userDirectory: string }, opts?: { expiresInSeconds?: number }): string;
  readonly clock: { now(): number; advance(ms: number): void; set(ms: number): void };
  /** The live data, for tests to inspect and arrange. */
  readonly state: QrsSimState;
  /** Contract violations seen, requests and responses. */
  readonly violations: readonly string[];
  /** The last 10,000 requests. */
  readonly requests: readonly QrsSimRequest[];
  fault(f: QrsSimFault): void;
  close(): Promise<void>;
}

/** Large list answers are validated on a sample: they are rendered by the same code row after row. */
const VALIDATION_SAMPLE = 2_000;
const generateRsa = promisify(generateKeyPair);

function sample(rows: ArrayLike<unknown>, render: (row: unknown) => unknown): unknown[] {
  const n = rows.length;
  const step = n <= VALIDATION_SAMPLE ? 1 : n / VALIDATION_SAMPLE;
  const out: unknown[] = [];
  for (let k = 0; k < Math.min(n, VALIDATION_SAMPLE); k++) {
    out.push(render(rows[Math.floor(k * step)]));
  }
  if (n > VALIDATION_SAMPLE) {
    out.push(render(rows[n - 1]));
  }
  return out;
}

async function writeList(res: ServerResponse, rows: ArrayLike<unknown>, render: (row: unknown) => unknown): Promise<void> {
  const CHUNK = 500;
  res.write('[');
  for (let start = 0; start < rows.length; start += CHUNK) {
    const parts: string[] = [];
    for (let i = start; i < Math.min(rows.length, start + CHUNK); i++) {
      parts.push(JSON.stringify(render(rows[i])));
    }
    const ok = res.write((start === 0 ? '' : ',') + parts.join(','));
    if (!ok && !res.destroyed) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
    if (res.destroyed) {
      return;
    }
  }
  res.end(']');
}

/** Starts a simulated Qlik Sense Repository Service on loopback. */
export async function startQrsSimulator(options: QrsSimulatorOptions = {}): Promise<QrsSimulator> {
  const log = taggedLogger(options.logger ?? silentLogger, 'qrs-sim');
  const serverNames = options.serverNames ?? ['localhost', '127.0.0.1'];
  const [certs, jwtKeys] = await Promise.all([
    createSimCertificates({
      serverNames,
      ...(options.serverCertPurpose ? { serverCertPurpose: options.serverCertPurpose } : {}),
    }),
    generateRsa('rsa', { modulusLength: 2048 }),
  ]);
  const jwtPrivate: KeyObject = jwtKeys.privateKey;
  const jwtPublic: KeyObject = jwtKeys.publicKey;

  const community = options.sample === 'community' ? buildCommunitySite() : undefined;
  const clock = createSimClock(community?.now ?? options.now ?? Date.now());
  const users = options.users ?? 500;
  const started = performance.now();
  const data =
    community?.data ??
    generateQrsData({
      users,
      seed: options.seed ?? 1,
      usageRecords: options.usageRecords ?? users * 8,
      now: clock.now(),
      licenseModel: options.licenseModel ?? 'token',
      capacity: options.capacity ?? false,
    });
  log.debug(`generated ${data.users.length} users and ${data.loginUsage.size} login-pass records in ${Math.round(performance.now() - started)} ms`);

  const state = new QrsSimState(data, clock);
  const collections = createQrsCollections(state);
  const engine = new QrsQueryEngine();
  const contract = createQrsContract();
  const enforce = (options.contract ?? 'enforce') === 'enforce';
  const headerProxy = { prefix: 'hdr', headerName: 'X-Qlik-HeaderUser' };
  const jwtProxy = { prefix: 'jwt' };
  const auth = new QrsAuthenticator({
    admins: options.admins ?? ['INTERNAL\\sa_repository', 'INTERNAL\\sa_api', 'CORP\\admin'],
    headerProxy,
    jwtProxy,
    jwtPublicKey: jwtPublic,
    clock,
    state,
  });
  const violations: string[] = [];
  const requests = new SimRequestLog<QrsSimRequest>();
  const faults = new SimFaultQueue<QrsSimFault>();
  const timers = new SimTimers();

  const send = async (res: ServerResponse, method: string, qrsPath: string | undefined, reply: QrsReply, extraHeaders: Record<string, string>): Promise<number> => {
    let status = reply.status;
    // Refusals are checked too: a status neither the spec nor an erratum (qrsErrata.ts) allows is
    // a violation, so the simulator cannot drift into answers real servers never give.
    if (enforce && qrsPath !== undefined) {
      const body = reply.kind === 'json' ? reply.json : reply.kind === 'list' ? sample(reply.rows, reply.render) : undefined;
      const problems = contract.validateResponse({ method, path: qrsPath, status, body });
      if (problems.length > 0) {
        violations.push(...problems.map((p) => `response: ${p}`));
        log.error(`contract violation in the simulator's own answer: ${problems.join('; ')}`);
        reply = { kind: 'text', status: 500, text: `Simulator answer violates the contract:\n${problems.join('\n')}` };
        status = 500;
      }
    }
    for (const [k, v] of Object.entries(extraHeaders)) {
      res.setHeader(k, v);
    }
    switch (reply.kind) {
      case 'json':
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(reply.json));
        break;
      case 'list':
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
        await writeList(res, reply.rows, reply.render);
        break;
      case 'text':
        res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(reply.text);
        break;
      case 'empty':
        res.writeHead(status);
        res.end();
        break;
    }
    return status;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const { method, url, query } = requestLine(req);
    requests.add({ method, path: url.pathname, query, headers: flatHeaders(req.headers) });
    const taken = faults.take(method, url.pathname);
    // A fault after handling lets every answer below be made, then delays or replaces it.
    const after = taken?.afterHandling ? taken : undefined;
    const fault = after ? undefined : taken;
    const answer = async (qrsPath: string | undefined, reply: QrsReply, headers: Record<string, string>): Promise<number> => {
      if (after?.delayMs) {
        await timers.sleep(after.delayMs);
      }
      if (after?.status !== undefined) {
        return send(res, method, undefined, { kind: 'text', status: after.status, text: after.body ?? 'Simulated fault' }, headers);
      }
      return send(res, method, qrsPath, reply, headers);
    };
    const text = (status: number, message: string, qrsPath?: string, headers: Record<string, string> = {}): Promise<number> =>
      answer(qrsPath, { kind: 'text', status, text: message }, headers);

    if (fault?.delayMs) {
      await timers.sleep(fault.delayMs);
    }
    if (fault?.status !== undefined) {
      await text(fault.status, fault.body ?? 'Simulated fault');
      return;
    }

    const m = /^(?:\/([^/]+))?\/qrs(\/.*)?$/i.exec(url.pathname);
    const prefix = m?.[1]?.toLowerCase();
    const door = !m ? undefined : prefix === undefined ? 'certificate' : prefix === headerProxy.prefix ? 'header' : prefix === jwtProxy.prefix ? 'jwt' : undefined;
    if (!m || !door) {
      await text(404, `Not found: ${url.pathname}`);
      return;
    }
    const outcome: QrsAuthOutcome = door === 'certificate' ? auth.certificate(req) : auth.proxy(req, door);
    if (!outcome.ok) {
      await text(outcome.status, outcome.message);
      return;
    }
    const cookie: Record<string, string> = outcome.setCookie ? { 'Set-Cookie': outcome.setCookie } : {};
    if (!xrfkeyValid(url.searchParams, req.headers)) {
      await text(403, XRF_FAILURE, undefined, cookie);
      return;
    }
    const qrsPath = m[2] ?? '/';
    let segments: string[];
    try {
      segments = qrsPath.split('/').filter((s) => s !== '').map(decodeURIComponent);
    } catch {
      await text(400, `The path ${qrsPath} is not valid URL encoding.`, undefined, cookie);
      return;
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    if (raw.trim() !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        await text(400, 'The request body is not valid JSON.', undefined, cookie);
        return;
      }
    }
    state.purgeExpired();

    if (enforce) {
      if (!contract.findOperation(method, qrsPath)) {
        const allowed = contract.methodsFor(qrsPath);
        const status = allowed.length > 0 ? 405 : 404;
        violations.push(`request: ${method} ${qrsPath}: not in the contract`);
        await text(status, allowed.length > 0 ? `Method ${method} is not allowed here (${allowed.join(', ')}).` : `Not found: ${url.pathname}`, undefined, cookie);
        return;
      }
      const problems = contract.validateRequest({ method, path: qrsPath, query, body });
      if (problems.length > 0) {
        violations.push(...problems.map((p) => `request: ${p}`));
        await text(400, problems.join('\n'), undefined, cookie);
        return;
      }
    }
    const lowerQuery = new Map(Object.entries(query).map(([k, v]) => [k.toLowerCase(), v]));
    let reply: QrsReply | undefined;
    try {
      reply = routeQrsCall({ state, collections, engine }, { method, segments, query: lowerQuery, body, actor: outcome.actor });
    } catch (e) {
      reply = errorReply(e);
      if (!reply) {
        throw e;
      }
    }
    if (!reply) {
      const known = contract.findOperation(method, qrsPath) !== undefined;
      await text(known ? 501 : 404, known ? `${method} ${qrsPath} is in the QRS API but not simulated.` : `Not found: ${url.pathname}`, undefined, cookie);
      return;
    }
    const status = await answer(qrsPath, reply, cookie);
    log.trace(`${method} ${url.pathname} as ${outcome.actor.key} -> ${status}`);
  };

  // The server asks for a client certificate but checks it per request (socket.authorized), so a
  // request without one gets QRS's 403 instead of a dropped handshake; clients still verify us.
  const server = await startSimServer({
    port: options.port ?? 0,
    tls: { key: certs.serverKey, cert: certs.serverCert, ca: certs.ca, requestCert: true, rejectUnauthorized: false },
    log,
    timers,
    handle,
  });
  const { port, url } = server;
  log.info(`QRS simulator listening on ${url} (${data.users.length} users, ${data.loginUsage.size} login-pass records)`);

  return {
    url,
    port,
    certificates: { ca: certs.ca, clientCert: certs.clientCert, clientKey: certs.clientKey, serverCert: certs.serverCert, serverKey: certs.serverKey },
    encryptedClientKey: (passphrase) => certs.encryptedClientKey(passphrase),
    headerProxy,
    jwtProxy,
    signJwt: (claims, opts) => {
      const iat = Math.floor(clock.now() / 1000);
      return signRs256Jwt(
        { userId: claims.userId, userDirectory: claims.userDirectory, iat, exp: iat + (opts?.expiresInSeconds ?? 3600) },
        jwtPrivate,
      );
    },
    clock,
    state,
    violations,
    requests: requests.entries,
    fault: (f) => faults.add(f),
    close: () => server.close(),
  };
}
