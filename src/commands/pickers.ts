import { userKey, type PassKind } from '../core/model';
import { noSiteOffers, offers } from '../core/passOffer';
import type { RankedUser } from '../core/ranking';
import type { ConnectionEntry } from '../views/connectionRegistry';
import type { ConnectionState } from '../views/usersTreeModel';
import { isConnectionElement, isUserElement, type UserElement } from '../views/treeElements';
import type { CommandServices } from './command';
import { failureOf } from './connectionFailure';

/** Narrows the connections a palette command lists; a node it was invoked on is taken as it is. */
export interface ConnectionFilter {
  /** True: fits; false: does not; undefined: not known before the connection is synced. */
  fits(c: ConnectionState): boolean | undefined;
  /** Says plainly why none of `these` fits. */
  none(these: readonly ConnectionState[]): string;
}

/** Only connections whose site offers `kind` (or may, not synced yet). */
export function offering(kind: PassKind): ConnectionFilter {
  const site = (c: ConnectionState) => ({ name: c.entry.config.name, offeredKinds: c.result?.overview.offeredKinds });
  return { fits: (c) => offers(site(c), kind), none: (these) => noSiteOffers(kind, these.map(site)) };
}

/** What a write command says of a read-only connection (License Statistics). */
export function readOnlySentence(name: string): string {
  return `"${name}" is a License Statistics connection, which is read-only: licenses there are managed on the license servers (FlexNet, LM-X, RLM), not from License Steward.`;
}

/** Refuses a change on a read-only connection, whatever led to it (a node, a stale menu, a script). */
export function requireWritable(entry: ConnectionEntry): void {
  if (entry.config.kind === 'licstats') {
    throw new Error(readOnlySentence(entry.config.name));
  }
}

/** Only connections License Steward can change licenses on (not License Statistics). */
export function writable(): ConnectionFilter {
  return {
    fits: (c) => c.entry.config.kind !== 'licstats',
    none: (these) => (these.length === 1 && these[0] ? readOnlySentence(these[0].entry.config.name) : 'Every connection is License Statistics, which is read-only: licenses there are managed on the license servers.'),
  };
}

/** Only Qlik Cloud capacity tenants, where users are disabled rather than licenses revoked (or may be, not synced yet). */
export function fullUserTenants(): ConnectionFilter {
  return {
    fits: (c) => (c.entry.config.kind !== 'cloud' ? false : c.result ? !!c.result.overview.fullUsers && c.result.overview.offeredKinds.length === 0 : undefined),
    none: () => 'Disable User is for Qlik Cloud capacity tenants, where every user who signs in counts as a Full User; no connection is one.',
  };
}

/** The connection a command acts on: the node it was invoked on, the only one, or a pick. */
export async function connectionFrom(arg: unknown, s: CommandServices, title: string, filter?: ConnectionFilter): Promise<ConnectionState> {
  const id = isConnectionElement(arg) || isUserElement(arg) ? arg.connectionId : undefined;
  const all = s.model.connections();
  const known = id === undefined ? undefined : all.find((c) => c.entry.id === id);
  if (known) {
    return known;
  }
  if (all.length === 0) {
    throw new Error('No connection yet: run "License Steward: Add Connection" or "License Steward: Open Demo Site".');
  }
  const candidates = filter ? all.filter((c) => filter.fits(c) !== false) : all;
  if (filter && candidates.length === 0) {
    throw new Error(filter.none(all));
  }
  if (candidates.length === 1 && candidates[0]) {
    return candidates[0];
  }
  return s.prompter.pick(
    candidates.map((c) => ({ label: c.entry.config.name, description: c.entry.config.url, ...(c.result ? {} : { detail: 'not synced yet' }), value: c })),
    { title, placeHolder: 'Which connection?' },
  );
}

/**
 * The user a command acts on: the node it was invoked on, or a pick among the synced users the
 * command applies to (a palette command with no node), on a connection that passes `filter`.
 */
export async function userFrom(
  arg: unknown,
  s: CommandServices,
  title: string,
  applies: (r: RankedUser) => boolean,
  filter?: ConnectionFilter,
): Promise<UserElement> {
  if (isUserElement(arg)) {
    // A node is taken as it is, unless its connection cannot do this at all (a read-only one).
    const state = s.model.state(arg.connectionId);
    if (state && filter?.fits(state) === false) {
      throw new Error(filter.none([state]));
    }
    return arg;
  }
  const c = await connectionFrom(arg, s, title, filter);
  if (!c.result) {
    await s.model.sync([c.entry.id]);
  }
  const state = s.model.state(c.entry.id);
  if (!state?.result) {
    throw failureOf(c.entry, new Error(`"${c.entry.config.name}" could not be synced${state?.error ? `: ${state.error}` : ''}.`));
  }
  // Listed before its first sync, when what it offers was not known yet.
  if (filter?.fits(state) === false) {
    throw new Error(filter.none([state]));
  }
  const candidates = state.result.ranked.filter(applies);
  if (candidates.length === 0) {
    throw new Error(`No user on "${c.entry.config.name}" fits "${title}".`);
  }
  const ranked = await s.prompter.pick(
    candidates.map((r) => ({ label: r.user.name, description: userKey(r.user), detail: r.verdict.text, value: r })),
    { title, placeHolder: 'Type a name or DIRECTORY\\id' },
  );
  return { type: 'user', connectionId: c.entry.id, ranked };
}
