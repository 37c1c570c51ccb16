import { silentLogger, taggedLogger } from '../../core/logger';
import { USER_AGENT } from '../../core/version';
import { createHttpTransport, type HttpTransport } from '../../http/httpTransport';
import type { QueryValue } from '../../http/queryString';
import { createRedactor, type Redactor } from '../../http/redactor';
import { LicstatsProtocolError, LicstatsRefusedError, LicstatsReportNotFoundError, LicstatsTokenError } from './licstatsErrors';
import type { LicstatsClientOptions } from './licstatsOptions';
import { LICSTATS_REPORT_TITLES, type LicstatsReport } from './licstatsReports';
import { asEnvelope, failureOf, type LicstatsFailure, type LicstatsPage, type LicstatsRow } from './licstatsWire';

/** Comparison of a number or date filter (reference §3); a string filter always means "contains". */
export type LicstatsFilterOperator = 'eq' | 'lt' | 'gt';

/**
 * One entry of the `filter` parameter. A list `value` without an operator is the set filter of
 * enumerated columns (`{"property":"ftype","value":["Floating","Token"]}`).
 */
export interface LicstatsFilter {
  /** A column handle: `fid`, `un`, `ftype`… */
  readonly property: string;
  readonly operator?: LicstatsFilterOperator;
  readonly value: string | number | readonly (string | number)[];
}

/** One entry of the `order` parameter; order is applied before offset and limit. */
export interface LicstatsOrder {
  readonly property: string;
  readonly direction: 'ASC' | 'DESC';
}

/** What to ask a report for. */
export interface LicstatsQuery {
  readonly filter?: readonly LicstatsFilter[];
  readonly order?: readonly LicstatsOrder[];
  /** The report's own parameters: `sd`, `ed`, `grat`, `agrt`. */
  readonly params?: Readonly<Record<string, QueryValue>>;
}

/** Per-call options. */
export interface LicstatsCallOptions {
  readonly signal?: AbortSignal;
}

/** Rows per page when the connection does not say. */
const DEFAULT_PAGE_SIZE = 1_000;

/**
 * The query string of one report request (v6.8+ conventions, reference §3): the report's own
 * parameters, `filter` and `order` as JSON arrays, `offset` and `limit`.
 */
export function encodeLicstatsQuery(query: LicstatsQuery, paging?: { readonly offset: number; readonly limit: number }): Record<string, QueryValue> {
  return {
    ...query.params,
    ...(query.filter && query.filter.length > 0 ? { filter: JSON.stringify(query.filter) } : {}),
    ...(query.order && query.order.length > 0 ? { order: JSON.stringify(query.order) } : {}),
    ...(paging ? { offset: paging.offset, limit: paging.limit } : {}),
  };
}

/**
 * The report API of one License Statistics server: the token in `X-Auth-token`, the JSON format
 * segment, the envelope and paging; the transport below does TLS, retries and redaction. The
 * token appears in no message and no log line.
 */
export class LicstatsClient {
  /** Rows per page. */
  readonly pageSize: number;
  private readonly transport: HttpTransport;
  private readonly headers: Readonly<Record<string, string>>;
  private readonly redactor: Redactor;
  private readonly basePath: string;

  /** @param options the connection; the token arrives resolved */
  constructor(options: LicstatsClientOptions) {
    this.pageSize = Math.max(1, Math.floor(options.pageSize ?? DEFAULT_PAGE_SIZE));
    this.headers = { 'X-Auth-token': options.token };
    this.redactor = createRedactor([options.token]);
    this.basePath = new URL(options.baseUrl).pathname.replace(/\/+$/, '');
    this.transport = createHttpTransport({
      baseUrl: options.baseUrl,
      ...(options.ca ? { ca: options.ca } : {}),
      rejectUnauthorized: options.rejectUnauthorized ?? true,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      logger: taggedLogger(options.logger ?? silentLogger, 'licstats'),
      secrets: [options.token],
      userAgent: USER_AGENT,
      serviceName: 'License Statistics',
    });
  }

  /** `GET /api/.../json`, as messages and protocol errors name a call. */
  requestLine(path: string): string {
    return `GET ${this.basePath}${path}/json`;
  }

  /**
   * One page of a report. A refusal, whether an error status or `success: false` inside a 200,
   * becomes a domain error; so does an answer that is no envelope.
   * @param report which report, for "no report at …" advice
   * @param path the report's path, without the format segment
   */
  async page(report: LicstatsReport, path: string, query: LicstatsQuery, paging?: { readonly offset: number; readonly limit: number }, call?: LicstatsCallOptions): Promise<LicstatsPage> {
    const line = this.requestLine(path);
    // 4xx answers carry the envelope too: read here, so the message says what License Statistics said.
    const response = await this.transport.request({
      method: 'GET',
      path: `${path}/json`,
      query: encodeLicstatsQuery(query, paging),
      headers: this.headers,
      expect: [200, 400, 401, 403, 404],
      ...(call?.signal ? { signal: call.signal } : {}),
    });
    if (response.status !== 200) {
      throw this.refusal(report, line, response.status, failureOf(response.body));
    }
    const envelope = asEnvelope(response.body, line);
    if (!envelope.success) {
      throw this.refusal(report, line, 200, envelope);
    }
    return { rows: envelope.rows, totalCount: envelope.totalCount };
  }

  /**
   * Every page of a report, `pageSize` rows at a time (`offset`/`limit`), until a short page or
   * `totalCount`. The query should order by columns that identify a row, so pages do not overlap.
   */
  async *pages(report: LicstatsReport, path: string, query: LicstatsQuery, call?: LicstatsCallOptions): AsyncGenerator<LicstatsPage> {
    const limit = this.pageSize;
    let offset = 0;
    let previous: string | undefined;
    for (;;) {
      const page = await this.page(report, path, query, { offset, limit }, call);
      const count = page.rows.length;
      if (count > limit) {
        // A server that ignores `limit` but sends everything at once is still read whole.
        if (offset === 0 && (page.totalCount === undefined || page.totalCount <= count)) {
          yield page;
          return;
        }
        throw new LicstatsProtocolError(this.requestLine(path), `at most ${limit} rows`, `it sent ${count} at offset ${offset}`);
      }
      if (count === limit) {
        // Without this a server that ignores `offset` would be read forever.
        const fingerprint = JSON.stringify(page.rows);
        if (fingerprint === previous) {
          throw new LicstatsProtocolError(this.requestLine(path), 'the next page', `offset ${offset} answered the rows of the page before it: the server ignores "offset"`);
        }
        previous = fingerprint;
      }
      yield page;
      offset += count;
      if (count < limit || (page.totalCount !== undefined && offset >= page.totalCount)) {
        return;
      }
    }
  }

  /** Every row of a report. */
  async all(report: LicstatsReport, path: string, query: LicstatsQuery, call?: LicstatsCallOptions): Promise<LicstatsRow[]> {
    const rows: LicstatsRow[] = [];
    for await (const page of this.pages(report, path, query, call)) {
      rows.push(...page.rows);
    }
    return rows;
  }

  /** Closes the connections. */
  async close(): Promise<void> {
    await this.transport.close();
  }

  private refusal(report: LicstatsReport, line: string, status: number, failure: LicstatsFailure): Error {
    const said = this.redactor.redact(failure.msg);
    // Inside a 200 only the envelope's code tells a token refusal from any other.
    const effective = status === 200 && (failure.code === 401 || failure.code === 403) ? failure.code : status;
    if (effective === 401) {
      return new LicstatsTokenError('rejected', line, effective, said);
    }
    if (effective === 403) {
      // The wording of a real server's Agent-scope refusal is unpublished; the generic 403 message says what to do too.
      return new LicstatsTokenError(/\bagent\b/i.test(said) ? 'agentScope' : 'forbidden', line, effective, said);
    }
    if (status === 404) {
      return new LicstatsReportNotFoundError(line, LICSTATS_REPORT_TITLES[report], `reports.${report}`);
    }
    return new LicstatsRefusedError(line, status, failure.code, said);
  }
}
