import * as vscode from 'vscode';
import { COMMAND } from '../contributionIds';
import { isConnectionElement } from '../views/treeElements';
import type { Command, CommandServices } from './command';
import { showSyncCancelled } from './syncCancelledNotice';
import { showSyncFailure } from './syncFailureNotice';

/** Syncs every connection with a cancellable notification; cancelling aborts the HTTP requests. */
export class SyncCommand implements Command {
  readonly id = COMMAND.sync;
  constructor(private readonly s: CommandServices) {}

  async execute(): Promise<void> {
    if (this.s.model.connections().length === 0) {
      throw new Error('No connection to sync: run "License Steward: Add Connection" or "License Steward: Open Demo Site".');
    }
    await runSync(this.s, undefined, 'Syncing license usage');
  }
}

/** Syncs the one connection whose node was clicked (retry on a failed sync). */
export class SyncConnectionCommand implements Command {
  readonly id = COMMAND.syncConnection;
  constructor(private readonly s: CommandServices) {}

  async execute(node?: unknown): Promise<void> {
    const ids = isConnectionElement(node) ? [node.connectionId] : undefined;
    await runSync(this.s, ids, 'Syncing');
  }
}

/** Syncs `ids` (all when undefined) under a cancellable notification, reporting failures and cancels. */
export async function runSync(s: CommandServices, ids: readonly string[] | undefined, title: string): Promise<void> {
  const outcomes = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    (progress, token) => s.model.sync(ids, token, (message) => progress.report({ message })),
  );
  showSyncCancelled(outcomes, s.model);
  // Only this sync's failures: a cancelled one leaves an earlier failure standing, already reported.
  const failed = s.model.connections().filter((c) => c.status === 'failed' && outcomes.some((o) => o.id === c.entry.id && o.outcome === 'failed'));
  showSyncFailure(failed, s.output);
}
