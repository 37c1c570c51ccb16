/** The License Statistics source's own flavours of the domain errors: the same kinds, with its advice. */
import { ProtocolError, StewardError, trimServerMessage } from '../../core/errors';

/** Where an admin manages License Statistics API tokens (reference §2, U1). */
export const TOKEN_PAGE = 'your user name (top right) > API';

/** The server answered, but not with what License Statistics sends. */
export class LicstatsProtocolError extends ProtocolError {
  override readonly code = 'LICSTATS_PROTOCOL';
  override readonly name = 'LicstatsProtocolError';

  /**
   * @param request `GET /api/v1/report/.../json`
   * @param expected what was expected, with its article: `a usage per user row`
   * @param detail which row or column was wrong, when known
   */
  constructor(request: string, expected: string, detail?: string) {
    super(request, expected, detail, "Is the URL a License Statistics server, and is the connection's report path for it right?");
  }
}

/** Why License Statistics turned the token away. */
export type LicstatsTokenProblem = 'rejected' | 'agentScope' | 'forbidden';

/**
 * The token did not open the report: unknown or deleted (401), an Agent-scope token (which only
 * License Statistics Agent may use), or a user whose role may not see the report (403). Wrong and
 * Agent-scope tokens are credential failures; a role that lacks a report is a rights failure.
 */
export class LicstatsTokenError extends StewardError {
  override readonly name = 'LicstatsTokenError';
  override readonly code: 'LICSTATS_TOKEN_REJECTED' | 'LICSTATS_AGENT_SCOPE' | 'LICSTATS_TOKEN_FORBIDDEN';
  override readonly kind: 'auth' | 'rights';
  /** The HTTP status, or the envelope's `code` when the refusal came inside a 200. */
  readonly status: number;

  /**
   * @param problem what the answer showed
   * @param request `GET /api/...`, for the message
   * @param status the status or envelope code
   * @param serverMessage what the server said, already redacted
   */
  constructor(
    readonly problem: LicstatsTokenProblem,
    request: string,
    status: number,
    serverMessage: string,
  ) {
    const said = serverMessage.trim() ? ` The server said: ${trimServerMessage(serverMessage)}` : '';
    const apiScope = `create an API-scope token in License Statistics under ${TOKEN_PAGE} > Add, as a user whose role may view reports`;
    const messages: Readonly<Record<LicstatsTokenProblem, string>> = {
      rejected: `License Statistics rejected the connection's API token (${status} on ${request}): it is mistyped, or was deleted. Check the token, or ${apiScope}.${said}`,
      agentScope: `License Statistics refused the connection's token for reports (${status} on ${request}): it is an Agent-scope token, which only License Statistics Agent may use. Instead, ${apiScope}.${said}`,
      forbidden: `License Statistics refused the connection's token for ${request} (${status}): the token's user may not view this report, or the token has Agent scope. Reports need an API-scope token: ${apiScope}.${said}`,
    };
    super(messages[problem]);
    this.status = status;
    this.code = problem === 'rejected' ? 'LICSTATS_TOKEN_REJECTED' : problem === 'agentScope' ? 'LICSTATS_AGENT_SCOPE' : 'LICSTATS_TOKEN_FORBIDDEN';
    this.kind = problem === 'forbidden' ? 'rights' : 'auth';
  }
}

/**
 * Nothing answers at a report's path. The report paths of License Statistics v6.3 and later are
 * not published, so this is most often a path the connection has to set: a configuration matter.
 */
export class LicstatsReportNotFoundError extends StewardError {
  override readonly code = 'LICSTATS_REPORT_NOT_FOUND';
  override readonly kind = 'config';
  override readonly name = 'LicstatsReportNotFoundError';

  /**
   * @param request `GET /api/...`
   * @param title what the report is, e.g. `the usage per user report`
   * @param setting the connection's entry that sets its path, e.g. `reports.usagePerUser`
   */
  constructor(request: string, title: string, setting: string) {
    super(
      `License Statistics has nothing at ${request} (404), where this connection looks for ${title}. Check the connection's URL; if it is right, this License Statistics version keeps the report elsewhere: set "${setting}" to the path its web UI requests (README, "License Statistics report paths").`,
    );
  }
}

/** License Statistics answered, and refused the request (`success: false`, or a 4xx with its envelope). */
export class LicstatsRefusedError extends StewardError {
  override readonly code = 'LICSTATS_REFUSED';
  override readonly kind = 'server';
  override readonly name = 'LicstatsRefusedError';

  /**
   * @param request `GET /api/...`
   * @param status the HTTP status the refusal came with (200 when inside the envelope)
   * @param errorCode the envelope's `code`, when it had one
   * @param serverMessage the envelope's `msg`, already redacted
   */
  constructor(
    request: string,
    readonly status: number,
    readonly errorCode: number | null,
    serverMessage: string,
  ) {
    const text = trimServerMessage(serverMessage);
    const said = text ? `: ${/[.!?]$/.test(text) ? text : `${text}.`}` : ' without saying why.';
    const code = errorCode === null ? '' : ` (error code ${errorCode})`;
    super(`License Statistics refused ${request}${status === 200 ? '' : ` with ${status}`}${code}${said}`);
  }
}

/** A write asked of License Statistics, which only reports: its licenses are managed on the license servers. */
export class LicstatsReadOnlyError extends StewardError {
  override readonly code = 'LICSTATS_READ_ONLY';
  override readonly kind = 'usage';
  override readonly name = 'LicstatsReadOnlyError';

  /** @param what the refused action in words, e.g. `assign a user access pass to jdoe` */
  constructor(what: string) {
    super(
      `License Statistics is read-only for License Steward: it reports on FlexNet, LM-X, RLM and other license servers, which manage the licenses themselves. Could not ${what}; change licenses on the license server (its options or license file) instead.`,
    );
  }
}
