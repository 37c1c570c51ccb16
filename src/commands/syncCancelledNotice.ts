import * as vscode from 'vscode';
import { cancelledSyncNotice } from '../core/syncNotices';
import type { SyncOutcome, UsersTreeModel } from '../views/usersTreeModel';

/**
 * After a cancelled sync, says which ranking the tree still shows and how old it is (`Sync
 * cancelled — showing the ranking from 14:05 (2 h ago).`), so nobody mistakes it for fresh data.
 * Says nothing when the sync was not cancelled.
 */
export function showSyncCancelled(outcomes: readonly SyncOutcome[], model: UsersTreeModel): void {
  const unsynced = outcomes.filter((o) => o.outcome === 'cancelled' || o.outcome === 'skipped');
  if (unsynced.length === 0) {
    return;
  }
  const states = unsynced.flatMap((o) => {
    const s = model.state(o.id);
    return s ? [{ name: s.entry.config.name, shownAt: s.result?.at }] : [];
  });
  void vscode.window.showInformationMessage(cancelledSyncNotice(states, Date.now(), outcomes.length > 1));
}
