import { DEMOS, type DemoKind } from '../views/demos';

/** Why a history panel's connection is not among the connections any more. */
export type ConnectionAbsence =
  /**
   * A demo: it runs inside one window's extension host and stops with it. `demo` says which, so
   * the tab offers to open the same kind again.
   */
  | { readonly kind: 'demo'; readonly demo: DemoKind }
  /**
   * Removed from the settings. `keptIn`: the folder its usage history stays in, null when none
   * was ever recorded, undefined when not known.
   */
  | { readonly kind: 'removed'; readonly keptIn?: string | null };

/**
 * A history panel asked for a connection that is gone (typically a tab VS Code revived after a
 * reload). Its message says plainly what happened to the connection and its history, and how to
 * see it again.
 */
export class ConnectionGoneError extends Error {
  override readonly name = 'ConnectionGoneError';

  constructor(
    readonly connectionId: string,
    readonly absence: ConnectionAbsence,
  ) {
    super(describeGone(connectionId, absence, undefined));
  }

  /** The message, naming the connection when the panel remembers its name. */
  describe(connectionName: string | undefined): string {
    return describeGone(this.connectionId, this.absence, connectionName);
  }
}

/** Settings entries without an id are keyed `name:<lower-case name>` (see connectionRegistry.ts). */
const NAME_KEY = /^name:/;

function describeGone(id: string, absence: ConnectionAbsence, name: string | undefined): string {
  if (absence.kind === 'demo') {
    const called = DEMOS[absence.demo].called;
    return `The ${called} is not running: it lives only as long as the window that opened it, and its simulated history is not kept. Open the ${called} again (License Steward: Open Demo Site) and this tab fills in.`;
  }
  const which = name === undefined ? 'The connection this tab showed' : `The connection "${name}"`;
  const removed = `${which} was removed from the settings (licenseSteward.connections)`;
  const back = NAME_KEY.test(id) ? `add a connection named "${name ?? id.replace(NAME_KEY, '')}" again` : `add it back with "id": "${id}"`;
  if (absence.keptIn === null) {
    return `${removed}, and no usage history was recorded for it.`;
  }
  const where = absence.keptIn === undefined ? 'stays on this machine' : `is kept in ${absence.keptIn}`;
  return `${removed}; its usage history ${where}. To see it here again, ${back} in licenseSteward.connections.`;
}
