import type { ActionGroupKind } from '../core/actionGroups';
import type { RankedUser } from '../core/ranking';

/** A connection (site or tenant) at the top level. */
export interface ConnectionElement {
  readonly type: 'connection';
  readonly connectionId: string;
}

/** The users of a connection the admin does the same thing about ("Should get a pass"). */
export interface GroupElement {
  readonly type: 'group';
  readonly connectionId: string;
  readonly group: ActionGroupKind;
}

/** One ranked user under a connection (flat ranking) or under its group. */
export interface UserElement {
  readonly type: 'user';
  readonly connectionId: string;
  readonly ranked: RankedUser;
}

/** "Show N more" at the end of a long list: a group's, or the flat ranking's when `group` is absent. */
export interface MoreElement {
  readonly type: 'more';
  readonly connectionId: string;
  readonly group?: ActionGroupKind;
  readonly remaining: number;
}

/** A line of status under a connection (never synced, failed, syncing). */
export interface MessageElement {
  readonly type: 'message';
  readonly connectionId: string;
  readonly text: string;
  readonly severity: 'info' | 'error';
}

/** Everything the Users tree can show. */
export type TreeElement = ConnectionElement | GroupElement | UserElement | MoreElement | MessageElement;

/** True for a user node passed to a command by a menu. */
export function isUserElement(v: unknown): v is UserElement {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'user' && 'ranked' in v;
}

/** True for a connection node passed to a command by a menu. */
export function isConnectionElement(v: unknown): v is ConnectionElement {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'connection';
}

/** True for a "Show more" node passed to its command. */
export function isMoreElement(v: unknown): v is MoreElement {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'more' && typeof (v as { connectionId?: unknown }).connectionId === 'string';
}
