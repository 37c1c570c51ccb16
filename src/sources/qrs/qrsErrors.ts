/** Errors the QRS source raises itself, beside the HTTP layer's. */

/** The server answered, but not with what a Qlik Sense repository sends. */
export class QrsProtocolError extends Error {
  /** Stable identifier for programmatic handling. */
  readonly code = 'QRS_PROTOCOL';
  override readonly name = 'QrsProtocolError';

  /**
   * @param request `GET /qrs/license/...`
   * @param expected what was expected, with its article: `an AccessTypeOverview`
   * @param detail which field was wrong, when known
   */
  constructor(request: string, expected: string, detail?: string) {
    super(`The server answered ${request} with something that is not ${expected}${detail ? ` (${detail})` : ''}. Is this a Qlik Sense repository?`);
  }
}

/** Why an action on an allocation was refused before or after talking to the server. */
export type QrsStateProblem = 'QRS_NOT_QUARANTINED' | 'QRS_QUARANTINE_ENDED' | 'QRS_USER_DELETED' | 'QRS_CONFLICT' | 'QRS_UNEXPECTED_STATE';

/** The allocation is not in a state that allows the action; the message says what to do. */
export class QrsStateError extends Error {
  override readonly name = 'QrsStateError';

  /**
   * @param code the problem
   * @param message what happened and what to do
   */
  constructor(
    readonly code: QrsStateProblem,
    message: string,
  ) {
    super(message);
  }
}
