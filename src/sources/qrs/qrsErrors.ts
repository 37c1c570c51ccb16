/** The QRS source's own flavours of the domain errors: the same kinds, with QRS's advice. */
import { ProtocolError, StateError } from '../../core/errors';

/** The server answered, but not with what a Qlik Sense repository sends. */
export class QrsProtocolError extends ProtocolError {
  override readonly code = 'QRS_PROTOCOL';
  override readonly name = 'QrsProtocolError';

  /**
   * @param request `GET /qrs/license/...`
   * @param expected what was expected, with its article: `an AccessTypeOverview`
   * @param detail which field was wrong, when known
   */
  constructor(request: string, expected: string, detail?: string) {
    super(request, expected, detail, 'Is this a Qlik Sense repository?');
  }
}

/** Why an action on an allocation was refused before or after talking to the server. */
export type QrsStateProblem = 'QRS_NOT_QUARANTINED' | 'QRS_QUARANTINE_ENDED' | 'QRS_USER_DELETED' | 'QRS_CONFLICT' | 'QRS_UNEXPECTED_STATE' | 'QRS_NOT_REINSTATED' | 'QRS_ALREADY_HOLDS';

/** The allocation is not in a state that allows the action; the message says what to do. */
export class QrsStateError extends StateError {
  override readonly name = 'QrsStateError';

  /**
   * @param code the problem
   * @param message what happened and what to do
   */
  constructor(
    override readonly code: QrsStateProblem,
    message: string,
  ) {
    super(code, message);
  }
}
