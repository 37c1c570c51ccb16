import * as vscode from 'vscode';
import { COMMAND } from '../contributionIds';
import type { ConnectionEntry } from '../views/connectionRegistry';

/** The button that takes the admin from a failure to the connection's settings. */
export const EDIT_CONNECTION_ACTION = 'Edit Connection';

/**
 * A command failed because of one connection (its server, files or account): the command wrapper
 * offers Edit Connection beside Show Log. The message is the cause's, unchanged.
 */
export class ConnectionFailure extends Error {
  override readonly name = 'ConnectionFailure';

  constructor(
    readonly connectionId: string,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/** `cause`, tied to its connection unless that is the demo site, which has nothing to edit. */
export function failureOf(entry: ConnectionEntry, cause: unknown): unknown {
  return entry.demo ? cause : new ConnectionFailure(entry.id, cause);
}

/** Opens Edit Connection on `connectionId`, or its picker when several connections failed at once. */
export function editConnection(connectionId: string | undefined): void {
  void vscode.commands.executeCommand(COMMAND.editConnection, ...(connectionId ? [{ type: 'connection', connectionId }] : []));
}
