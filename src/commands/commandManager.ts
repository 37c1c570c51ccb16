import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import { StewardError } from '../core/errors';
import { UserCancelled, type Command } from './command';
import { ConnectionFailure, EDIT_CONNECTION_ACTION, editConnection } from './connectionFailure';

/**
 * Registers commands behind one error wrapper: log with context, show a short actionable
 * message (a connection's failure offers Edit Connection), treat a dismissed picker as nothing.
 * Error texts from the HTTP layer are already redacted; nothing else here adds secrets.
 */
export function registerCommands(commands: readonly Command[], logger: Logger, showLog: string): vscode.Disposable {
  return vscode.Disposable.from(
    ...commands.map((c) =>
      vscode.commands.registerCommand(c.id, async (...args: unknown[]) => {
        try {
          return await c.execute(...args);
        } catch (e) {
          if (e instanceof UserCancelled) {
            return undefined;
          }
          const message = e instanceof Error ? e.message : String(e);
          logger.error(`[command] ${c.id}: ${message}`);
          const failure = e instanceof ConnectionFailure ? e : undefined;
          const kind = (failure?.cause ?? e) instanceof StewardError ? '' : 'License Steward: ';
          const actions = failure ? [EDIT_CONNECTION_ACTION, 'Show Log'] : ['Show Log'];
          void vscode.window.showErrorMessage(`${kind}${message}`, ...actions).then((a) => {
            if (a === EDIT_CONNECTION_ACTION) {
              editConnection(failure?.connectionId);
            } else if (a) {
              void vscode.commands.executeCommand(showLog);
            }
          });
          return undefined;
        }
      }),
    ),
  );
}
