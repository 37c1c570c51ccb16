/** The Qlik Cloud source's own flavours of the domain errors: the same kinds, with Cloud's advice. */
import { ProtocolError, StateError, StewardError, trimServerMessage } from '../../core/errors';

/** The server answered, but not with what a Qlik Cloud tenant sends. */
export class CloudProtocolError extends ProtocolError {
  override readonly code = 'CLOUD_PROTOCOL';
  override readonly name = 'CloudProtocolError';

  /**
   * @param request `GET /api/v1/licenses/overview`
   * @param expected what was expected, with its article: `a license overview`
   * @param detail which field was wrong, when known
   */
  constructor(request: string, expected: string, detail?: string) {
    super(request, expected, detail, 'Is the URL a Qlik Cloud tenant (https://<tenant>.<region>.qlikcloud.com)?');
  }
}

/**
 * One row of a batched assignment request (answered 207) that the tenant refused, with the row's
 * own code and title: `LICENSES-011` (no license of that type left), an assignment that already
 * exists, a subject the tenant does not know. A refusal, not a rights problem, even when the row
 * says 403.
 */
export class CloudRowError extends StewardError {
  override readonly kind = 'server';
  override readonly name = 'CloudRowError';
  /** The row's code, e.g. `LICENSES-011`; `HTTP-<status>` when the row has none. */
  override readonly code: string;

  /**
   * @param status the row's status
   * @param rowCode the row's `code`, when it has one
   * @param title the row's `title`, already redacted
   */
  constructor(
    readonly status: number,
    rowCode: string | undefined,
    readonly title: string | undefined,
  ) {
    const code = rowCode ?? `HTTP-${status}`;
    super(`Qlik Cloud refused it (${code}, status ${status})${title ? `: ${trimServerMessage(title)}` : '.'}`);
    this.code = code;
  }
}

/** Why an action was refused before or after talking to the tenant. */
export type CloudStateProblem = 'CLOUD_NOTHING_TO_ASSIGN' | 'CLOUD_ALREADY_HOLDS' | 'CLOUD_NOT_HELD' | 'CLOUD_USER_STATUS' | 'CLOUD_UNEXPECTED_STATE';

/** The tenant or a user is not in a state that allows the action; the message says what to do. */
export class CloudStateError extends StateError {
  override readonly name = 'CloudStateError';

  /**
   * @param code the problem
   * @param message what happened and what to do
   */
  constructor(
    override readonly code: CloudStateProblem,
    message: string,
  ) {
    super(code, message);
  }
}
