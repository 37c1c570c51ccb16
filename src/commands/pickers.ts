import { userKey } from '../core/model';
import type { RankedUser } from '../core/ranking';
import type { ConnectionState } from '../views/usersTreeModel';
import { isConnectionElement, isUserElement, type UserElement } from '../views/treeElements';
import type { CommandServices } from './command';

/** The connection a command acts on: the node it was invoked on, the only one, or a pick. */
export async function connectionFrom(arg: unknown, s: CommandServices, title: string): Promise<ConnectionState> {
  const id = isConnectionElement(arg) || isUserElement(arg) ? arg.connectionId : undefined;
  const all = s.model.connections();
  const known = id === undefined ? undefined : all.find((c) => c.entry.id === id);
  if (known) {
    return known;
  }
  if (all.length === 0) {
    throw new Error('No connection yet: run "License Steward: Add Connection" or "License Steward: Open Demo Site".');
  }
  if (all.length === 1 && all[0]) {
    return all[0];
  }
  return s.prompter.pick(
    all.map((c) => ({ label: c.entry.config.name, description: c.entry.config.url, value: c })),
    { title, placeHolder: 'Which connection?' },
  );
}

/**
 * The user a command acts on: the node it was invoked on, or a pick among the synced users the
 * command applies to (a palette command with no node).
 */
export async function userFrom(
  arg: unknown,
  s: CommandServices,
  title: string,
  applies: (r: RankedUser) => boolean,
): Promise<UserElement> {
  if (isUserElement(arg)) {
    return arg;
  }
  const c = await connectionFrom(arg, s, title);
  if (!c.result) {
    await s.model.sync([c.entry.id]);
  }
  const state = s.model.state(c.entry.id);
  if (!state?.result) {
    throw new Error(`"${c.entry.config.name}" could not be synced${state?.error ? `: ${state.error}` : ''}.`);
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
