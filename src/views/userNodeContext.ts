import type { UserNodeContext } from './userTreeItem';
import type { ConnectionState } from './usersTreeModel';

/**
 * What a connection's user nodes need to know of it for their menus: the pass kinds it offers,
 * whether it is read-only (License Statistics), whether passes change kind in place (a Qlik
 * Cloud user-based tenant) and whether users are disabled instead (a capacity tenant).
 */
export function userNodeContext(s: ConnectionState | undefined): UserNodeContext {
  const kind = s?.entry.config.kind;
  const o = s?.result?.overview;
  const offered = o?.offeredKinds ?? [];
  return {
    offered,
    readOnly: kind === 'licstats',
    changeable: kind === 'cloud' && offered.length > 1,
    fullUsers: kind === 'cloud' && !!o?.fullUsers && offered.length === 0,
  };
}
