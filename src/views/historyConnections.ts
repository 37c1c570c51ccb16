import { userKey } from '../core/model';
import { ConnectionGoneError, type ConnectionAbsence } from '../panels/connectionGoneError';
import type { HistoryConnections } from '../panels/storeHistoryProvider';
import type { HistoryStore } from '../store/historyStore';
import type { ConnectionHistory } from './connectionHistory';
import type { ConnectionRegistry } from './connectionRegistry';
import { demoKindOf } from './demos';
import type { UsersTreeModel } from './usersTreeModel';

/** What the history panels need to know about connections, from the registry and the last syncs. */
export function historyConnections(registry: ConnectionRegistry, model: UsersTreeModel, history: ConnectionHistory): HistoryConnections {
  // A demo's id outlives its system: a tab of it revived in a new window finds no demo running.
  const absence = (id: string): ConnectionAbsence => {
    const demo = demoKindOf(id);
    return demo ? { kind: 'demo', demo } : { kind: 'removed', keptIn: history.keptHistoryDir(id) };
  };
  return {
    name: (id) => registry.get(id)?.config.name,
    kind: (id) => registry.get(id)?.config.kind,
    store: (id): Promise<HistoryStore> => {
      const entry = registry.get(id);
      return entry ? history.store(entry) : Promise.reject(new ConnectionGoneError(id, absence(id)));
    },
    absence,
    overview: (id) => model.state(id)?.result?.overview,
    userName: (id, key) => model.state(id)?.result?.ranked.find((r) => userKey(r.user).toLowerCase() === key.toLowerCase())?.user.name,
  };
}
