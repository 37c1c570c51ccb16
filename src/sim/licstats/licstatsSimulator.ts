import type { IncomingMessage, ServerResponse } from 'node:http';
import { silentLogger, taggedLogger, type Logger } from '../../core/logger';
import { createSimCertificates } from '../certificates';
import { createPrng } from '../prng';
import { createSimClock } from '../simClock';
import { SimFaultQueue } from '../simFaults';
import { flatHeaders, requestLine, SimRequestLog } from '../simRequestLog';
import { startSimServer } from '../simServer';
import { SimTimers } from '../simTimers';
import { createLicstatsContract, LICSTATS_SIM_REPORTS, type FilterClause, type LicstatsSimReport, type OrderClause } from './licstatsContract';
import { generateLicstatsData } from './licstatsDataGenerator';
import { runQuery } from './licstatsQueryEngine';
import { ReportRefusal, reportRows, type EnumerationStyle } from './licstatsReportRows';
import { LicstatsSimState, type LicstatsSimClock } from './licstatsSimState';

/** Where each report lives on the simulated server; `{fid}` marks the feature id of a per-feature report. */
export type LicstatsPathSet = Readonly<Record<LicstatsSimReport, string>>;

/**
 * An invented set of report paths, in the style of v3's one published path (reference §4), that
 * the simulator serves instead of the v1 ones when asked: it proves a connection's overrides reach
 * every report. It is not a guess at what a v7 server uses.
 */
export const LICSTATS_ALTERNATIVE_PATHS: LicstatsPathSet = {
  licenseServers: '/api/v3/license-servers',
  features: '/api/v3/reports/features',
  usagePerUser: '/api/v3/reports/features/history/usage-per-user',
  denials: '/api/v3/reports/features/{fid}/history/denials',
  currentUsers: '/api/v3/reports/users/realtime/usage',
  borrowed: '/api/v3/reports/licenses/borrowed',
  expiring: '/api/v3/reports/features/expiring',
};

/** How to start a simulated License Statistics server. */
export interface LicstatsSimulatorOptions {
  /** 0 = ephemeral (default). */
  readonly port?: number;
  /** PRNG seed (default 1): the same seed gives the same site and the same tokens. */
  readonly seed?: number;
  /** Generated users (default 120). */
  readonly users?: number;
  /** Initial clock, epoch ms (default Date.now()). The clock only moves when told. */
  readonly now?: number;
  /** Days of usage history up to today (default 60). */
  readonly historyDays?: number;
  /** The v1 paths of the reference (default), or {@link LICSTATS_ALTERNATIVE_PATHS}. */
  readonly paths?: 'v1' | 'alternative';
  /** Enumerations as v6.11+ names (default) or the earlier numbers. */
  readonly enumerations?: EnumerationStyle;
  /**
   * How refusals come: with their HTTP status (default), or as HTTP 200 with `success: false`
   * and the status as `code`, as v1 did (reference §3, §7). The envelope is the same. An unknown
   * path or method keeps its status: the router answers before the API.
   */
  readonly refusals?: 'status' | 'envelope';
  /** Columns added to every row, as a newer server might; the contract check ignores them. */
  readonly extraColumns?: Readonly<Record<string, string | number | boolean>>;
  /** 'enforce' (default) validates every request and answer against ./contract/. */
  readonly contract?: 'enforce' | 'off';
  readonly logger?: Logger;
}

/** A fault to inject in place of the next `times` matching requests (every one when absent). */
export interface LicstatsSimFault {
  /** Tested against the URL path. */
  readonly path: RegExp;
  /** The status to answer (default 200). */
  readonly status?: number;
  /** JSON to answer, or text; the default is a refusal envelope saying "Simulated fault". */
  readonly body?: unknown;
  /** Wait this long first. */
  readonly delayMs?: number;
  readonly times?: number;
}

/** One request as the simulator received it. */
export interface LicstatsSimRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | undefined>>;
}

/** A running simulator. */
export interface LicstatsSimulator {
  /** `https://localhost:PORT`, the connection's URL. */
  readonly url: string;
  readonly port: number;
  /** PEM of the CA that signed the server certificate. */
  readonly certificates: { readonly ca: string };
  /** A token with API scope: every report. */
  readonly apiToken: string;
  /** A token with Agent scope: the license server list, and no report. */
  readonly agentToken: string;
  /** Where the reports are served. */
  readonly paths: LicstatsPathSet;
  readonly clock: LicstatsSimClock;
  /** The live data, for tests to inspect and arrange. */
  readonly state: LicstatsSimState;
  /** The last 10,000 requests. */
  readonly requests: readonly LicstatsSimRequest[];
  /** Contract violations seen, in requests (`request: …`) and answers (`response: …`). */
  readonly violations: readonly string[];
  fault(f: LicstatsSimFault): void;
  close(): Promise<void>;
}

/** Answers are validated on their first rows: every row comes from the same code. */
const VALIDATION_SAMPLE = 500;

/** The reports an Agent-scope token may read: agents need to know the servers, not the reports (UNVERIFIED). */
const AGENT_READABLE: ReadonlySet<LicstatsSimReport> = new Set(['licenseServers']);

function hexToken(next: () => number): string {
  let token = '';
  for (let i = 0; i < 32; i++) {
    token += Math.floor(next() * 16).toString(16);
  }
  return token;
}

/** The report a path asks for, its `{fid}` and its format segment, under a path set. */
function route(paths: LicstatsPathSet, pathname: string): { report: LicstatsSimReport; fid: string | undefined; format: string } | undefined {
  const segments = pathname.split('/').filter((s) => s !== '');
  for (const report of LICSTATS_SIM_REPORTS) {
    const template = paths[report].split('/').filter((s) => s !== '');
    if (segments.length !== template.length + 1) {
      continue;
    }
    let fid: string | undefined;
    const fits = template.every((t, i) => {
      const s = segments[i] ?? '';
      if (t === '{fid}') {
        fid = decodeURIComponent(s);
        return true;
      }
      return t === s;
    });
    if (fits) {
      return { report, fid, format: segments[segments.length - 1] ?? '' };
    }
  }
  return undefined;
}

/** Starts a simulated X-Formation License Statistics server on loopback. */
export async function startLicstatsSimulator(options: LicstatsSimulatorOptions = {}): Promise<LicstatsSimulator> {
  const log = taggedLogger(options.logger ?? silentLogger, 'licstats-sim');
  const certs = await createSimCertificates({ serverNames: ['localhost', '127.0.0.1'] });
  const seed = options.seed ?? 1;
  const clock = createSimClock(options.now ?? Date.now());
  const state = new LicstatsSimState(generateLicstatsData({ users: options.users ?? 120, seed, now: clock.now(), historyDays: options.historyDays ?? 60 }));
  // Tokens come from their own stream so that changing the data generator does not change them.
  const tokenPrng = createPrng(seed ^ 0x5eed70c5);
  const apiToken = hexToken(tokenPrng.next);
  const agentToken = hexToken(tokenPrng.next);
  const contract = createLicstatsContract();
  const enforce = (options.contract ?? 'enforce') === 'enforce';
  const paths: LicstatsPathSet =
    options.paths === 'alternative' ? LICSTATS_ALTERNATIVE_PATHS : (Object.fromEntries(LICSTATS_SIM_REPORTS.map((r) => [r, contract.v1Path(r)])) as Record<LicstatsSimReport, string>);
  const style = options.enumerations ?? 'named';
  const extra = options.extraColumns ?? {};
  const violations: string[] = [];
  const requests = new SimRequestLog<LicstatsSimRequest>();
  const faults = new SimFaultQueue<LicstatsSimFault>();
  const timers = new SimTimers();

  const json = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };

  /**
   * A refusal in the envelope, with its status or inside a 200 as configured. Routing refusals
   * (no such path, wrong method) come before the API and keep their status either way.
   */
  const refuse = (res: ServerResponse, status: number, msg: string, routing = false): void => {
    const body = { success: false, msg, data: null, code: status, totalCount: 0 };
    if (enforce) {
      const problems = contract.validateFailure(body);
      violations.push(...problems.map((p) => `response: ${p}`));
    }
    json(res, options.refusals === 'envelope' && !routing ? 200 : status, body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { method, url, query } = requestLine(req);
    requests.add({ method, path: url.pathname, query, headers: flatHeaders(req.headers) });
    const fault = faults.take(method, url.pathname);
    if (fault) {
      if (fault.delayMs) {
        await timers.sleep(fault.delayMs);
      }
      const body = fault.body ?? { success: false, msg: 'Simulated fault', data: null, code: fault.status ?? 500, totalCount: 0 };
      if (typeof body === 'string') {
        res.writeHead(fault.status ?? 200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(body);
      } else {
        json(res, fault.status ?? 200, body);
      }
      return;
    }
    const found = route(paths, url.pathname);
    if (!found) {
      refuse(res, 404, `Not found: ${url.pathname}`, true);
      return;
    }
    if (method !== 'GET') {
      refuse(res, 405, `Method ${method} is not allowed: reports are read with GET.`, true);
      return;
    }
    // Header names are case-insensitive; Node lower-cases them.
    const token = req.headers['x-auth-token'];
    if (typeof token !== 'string' || token === '') {
      refuse(res, 401, 'Authentication required: send an API token in the X-Auth-token header.');
      return;
    }
    if (token !== apiToken && token !== agentToken) {
      refuse(res, 401, 'Invalid API token.');
      return;
    }
    if (token === agentToken && !AGENT_READABLE.has(found.report)) {
      refuse(res, 403, 'This token has Agent scope, which only authorizes License Statistics Agent. Use a token with API scope.');
      return;
    }
    if (found.format !== 'json') {
      refuse(res, ['csv', 'xlsx', 'xslx', 'pdf'].includes(found.format) ? 501 : 404, `The ${found.format} format is not simulated: use json.`);
      return;
    }
    const problems = contract.validateQuery(found.report, query);
    if (problems.length > 0) {
      if (enforce) {
        violations.push(...problems.map((p) => `request: ${found.report}: ${p}`));
      }
      refuse(res, 400, problems.join('; '));
      return;
    }
    const filter = query['filter'] === undefined ? { ok: true as const, value: [] as FilterClause[] } : contract.parseFilter(found.report, query['filter']);
    const order = query['order'] === undefined ? { ok: true as const, value: [] as OrderClause[] } : contract.parseOrder(found.report, query['order']);
    if (!filter.ok || !order.ok) {
      // validateQuery reports these too; with the contract off they still cannot be applied.
      refuse(res, 400, [...(filter.ok ? [] : filter.problems), ...(order.ok ? [] : order.problems)].join('; '));
      return;
    }
    let rows;
    try {
      rows = reportRows(found.report, { state, now: clock.now(), style, query, fid: found.fid });
    } catch (e) {
      if (e instanceof ReportRefusal) {
        refuse(res, e.status, e.message);
        return;
      }
      throw e;
    }
    const result = runQuery(rows, filter.value, order.value, Number(query['offset'] ?? 0), query['limit'] === undefined ? undefined : Number(query['limit']));
    const answer = { success: true, msg: null, data: result.rows, code: null, totalCount: result.totalCount };
    if (enforce) {
      const wrong = contract.validateAnswer(found.report, { ...answer, data: result.rows.slice(0, VALIDATION_SAMPLE) });
      if (wrong.length > 0) {
        violations.push(...wrong.map((p) => `response: ${p}`));
        log.error(`contract violation in the simulator's own answer: ${wrong.join('; ')}`);
        refuse(res, 500, `Simulator answer violates the contract: ${wrong.join('; ')}`);
        return;
      }
    }
    json(res, 200, Object.keys(extra).length === 0 ? answer : { ...answer, data: result.rows.map((row) => ({ ...row, ...extra })) });
    log.trace(`GET ${url.pathname} -> ${result.rows.length} of ${result.totalCount} rows`);
  };

  const server = await startSimServer({ port: options.port ?? 0, tls: { key: certs.serverKey, cert: certs.serverCert }, log, timers, handle });
  const { port, url } = server;
  log.info(`License Statistics simulator listening on ${url} (${state.data.users.length} users, ${state.data.usage.length} usage rows, ${options.paths ?? 'v1'} paths)`);

  return {
    url,
    port,
    certificates: { ca: certs.ca },
    apiToken,
    agentToken,
    paths,
    clock,
    state,
    requests: requests.entries,
    violations,
    fault: (f) => faults.add(f),
    close: () => server.close(),
  };
}
