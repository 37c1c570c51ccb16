import { userKey } from '../core/model';
import type { HistoryConnections } from '../panels/storeHistoryProvider';
import type { HistoryStore } from '../store/historyStore';
import type { ConnectionHistory } from './connectionHistory';
import type { ConnectionRegistry } from './connectionRegistry';
import type { UsersTreeModel } from './usersTreeModel';

/** What the history panels need to know about connections, from the registry and the last syncs. */
export function historyConnections(registry: ConnectionRegistry, model: UsersTreeModel, history: ConnectionHistory): HistoryConnections {
  return {
    name: (id) => registry.get(id)?.config.name,
    store: (id): Promise<HistoryStore> => {
      const entry = registry.get(id);
      return entry ? history.store(entry) : Promise.reject(new Error('This connection was removed.'));
    },
    overview: (id) => model.state(id)?.result?.overview,
    userName: (id, key) => model.state(id)?.result?.ranked.find((r) => userKey(r.user).toLowerCase() === key.toLowerCase())?.user.name,
  };
}
