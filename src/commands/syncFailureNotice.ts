import * as vscode from 'vscode';
import { COMMAND } from '../contributionIds';
import type { ConnectionState } from '../views/usersTreeModel';
import { EDIT_CONNECTION_ACTION, editConnection } from './connectionFailure';

/**
 * The toast of failed syncs, wherever a sync runs: the first reason, Retry, Edit Connection
 * (most failures are a wrong URL, file or account; the demo site has nothing to edit) and Show Log.
 */
export function showSyncFailure(failed: readonly ConnectionState[], output: vscode.LogOutputChannel): void {
  const first = failed[0];
  if (!first) {
    return;
  }
  const editable = failed.filter((c) => !c.entry.demo);
  const actions = ['Retry', ...(editable.length > 0 ? [EDIT_CONNECTION_ACTION] : []), 'Show Log'];
  void vscode.window.showErrorMessage(`Sync failed for ${failed.map((c) => `"${c.entry.config.name}"`).join(', ')}: ${first.error ?? ''}`, ...actions).then((a) => {
    if (a === 'Retry') {
      void vscode.commands.executeCommand(COMMAND.sync);
    } else if (a === EDIT_CONNECTION_ACTION) {
      // One failed: straight to it; several: Edit Connection asks which.
      editConnection(editable.length === 1 ? editable[0]?.entry.id : undefined);
    } else if (a === 'Show Log') {
      output.show(true);
    }
  });
}
