import * as vscode from 'vscode';
import { CancelledError } from '../core/errors';
import { UserCancelled, type CommandServices } from './command';
import { connectionFlow, type ConnectionDraft, type FlowStart } from './connectionFlow';
import { testConnection } from './testConnection';
import type { PickItem } from './prompter';

type AfterFailure = 'edit' | 'save' | 'cancel';

const AFTER_FAILURE: readonly PickItem<AfterFailure>[] = [
  { label: '$(edit) Edit', description: 'go back through the steps, with your answers kept', value: 'edit' },
  { label: '$(save) Save anyway', description: 'e.g. the server is down for now; Sync will say the same until it answers', value: 'save' },
  { label: '$(close) Cancel', description: 'save nothing', value: 'cancel' },
];

/**
 * Runs the connection flow and tests the answers (Test Connection's own checks) before anything
 * is saved, so a typo never lands in settings. On failure the admin goes back into the flow with
 * the answers kept, saves anyway, or cancels. Resolves to what was saved.
 */
export async function flowThenSave(s: CommandServices, title: string, start?: FlowStart): Promise<ConnectionDraft> {
  let from = start;
  for (;;) {
    const draft = await connectionFlow(s, title, from);
    const problem = await problemOf(s, draft);
    if (problem === undefined) {
      await s.registry.save(draft.config, draft.secret);
      return draft;
    }
    s.logger.warn(`[connections] testing "${draft.config.name}" before saving failed: ${problem}`);
    const next = await s.prompter.pick(AFTER_FAILURE, { title: `${title}: the test failed`, placeHolder: problem });
    if (next === 'cancel') {
      throw new UserCancelled();
    }
    if (next === 'save') {
      await s.registry.save(draft.config, draft.secret);
      return draft;
    }
    // The key or token just chosen is kept by the next round's steps, like a stored one.
    from = { id: draft.config.id, config: draft.config, secret: { ...from?.secret, ...draft.secret } };
  }
}

/** Why the draft cannot connect, or undefined when it can. */
async function problemOf(s: CommandServices, draft: ConnectionDraft): Promise<string | undefined> {
  try {
    const report = await testConnection(s, { id: draft.config.id, config: draft.config, demo: false }, draft.secret);
    s.logger.info(`[test] ${report.text}`);
    if (report.warning) {
      // Saved or not, the admin must hear how this token should be kept.
      s.logger.warn(`[test] ${report.warning}`);
      void vscode.window.showWarningMessage(report.warning);
    }
    return undefined;
  } catch (e) {
    return e instanceof CancelledError ? 'The test was cancelled before the server answered.' : e instanceof Error ? e.message : String(e);
  }
}
