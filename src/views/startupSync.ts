import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import type { Settings } from './settings';
import type { UsersTreeModel } from './usersTreeModel';

/**
 * What a new window does once activated: show the rankings the last window kept, at once and
 * without a request, then (with `licenseSteward.syncOnStartup`) refresh every connection in the
 * background. The refresh shows in the status bar, not as a notification nobody asked for; its
 * failures land in the tree like any sync's.
 */
export async function restoreThenSync(model: UsersTreeModel, settings: Settings, logger: Logger): Promise<void> {
  try {
    await model.restore();
    if (model.connections().length === 0) {
      return;
    }
    if (!settings.syncOnStartup()) {
      logger.info('[sync] licenseSteward.syncOnStartup is off: the kept rankings stay until Sync.');
      return;
    }
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'License Steward: syncing' }, (progress) =>
      model.sync(undefined, undefined, (message) => progress.report({ message })),
    );
  } catch (e) {
    logger.error(`[sync] the startup sync stopped: ${(e as Error).message}`);
  }
}
