import * as vscode from 'vscode';
import { CancelledError } from '../core/errors';
import { COMMAND, VIEW } from '../contributionIds';
import { UserCancelled, type Command, type CommandServices } from './command';
import { failureOf } from './connectionFailure';
import { testConnection } from './testConnection';
import { connectionFrom } from './pickers';
import { flowThenSave } from './flowThenSave';

/** Add Connection: the guided flow, tested before it is saved, then a first sync. */
export class AddConnectionCommand implements Command {
  readonly id = COMMAND.addConnection;
  constructor(private readonly s: CommandServices) {}

  async execute(): Promise<void> {
    const { config } = await flowThenSave(this.s, 'Add connection');
    this.s.logger.info(`[connections] added "${config.name}" (${config.auth.mode})`);
    await vscode.commands.executeCommand(COMMAND.syncConnection, { type: 'connection', connectionId: config.id });
  }
}

/** Edit Connection: the same flow, prefilled and keeping files and secrets; re-synced like a new one. */
export class EditConnectionCommand implements Command {
  readonly id = COMMAND.editConnection;
  constructor(private readonly s: CommandServices) {}

  async execute(arg?: unknown): Promise<void> {
    const c = await connectionFrom(arg, this.s, 'Edit connection');
    const { entry } = c;
    if (entry.demo) {
      throw new Error('The demo site is generated; there is nothing to edit.');
    }
    const secret = await this.s.credentials.getConnectionSecret(entry.id);
    const { config } = await flowThenSave(this.s, `Edit connection "${entry.config.name}"`, { id: entry.id, config: entry.config, secret });
    this.s.logger.info(`[connections] edited "${config.name}"`);
    await vscode.commands.executeCommand(COMMAND.syncConnection, { type: 'connection', connectionId: config.id });
  }
}

/** Remove Connection: removes it from settings and deletes its secrets. */
export class RemoveConnectionCommand implements Command {
  readonly id = COMMAND.removeConnection;
  constructor(private readonly s: CommandServices) {}

  async execute(arg?: unknown): Promise<void> {
    const c = await connectionFrom(arg, this.s, 'Remove connection');
    const ok = await this.s.prompter.confirm(`Remove the connection "${c.entry.config.name}"?`, 'Its settings entry and its stored secrets are deleted. Nothing changes on the server.', 'Remove');
    if (ok) {
      await this.s.registry.remove(c.entry.id);
      this.s.logger.info(`[connections] removed "${c.entry.config.name}"`);
    }
  }
}

/** Test Connection: who am I, and may this account assign each pass the site offers. */
export class TestConnectionCommand implements Command {
  readonly id = COMMAND.testConnection;
  constructor(private readonly s: CommandServices) {}

  async execute(arg?: unknown): Promise<string> {
    const c = await connectionFrom(arg, this.s, 'Test connection');
    let report: string;
    try {
      report = await testConnection(this.s, c.entry);
    } catch (e) {
      if (e instanceof CancelledError) {
        throw new UserCancelled();
      }
      throw failureOf(c.entry, e);
    }
    this.s.logger.info(`[test] ${report}`);
    void vscode.window.showInformationMessage(report);
    return report;
  }
}

/** Open Demo Site: a simulated Qlik Sense site in this window, synced and shown. */
export class OpenDemoSiteCommand implements Command {
  readonly id = COMMAND.openDemoSite;
  constructor(private readonly s: CommandServices) {}

  async execute(): Promise<void> {
    const entry = await this.s.registry.startDemo();
    await vscode.commands.executeCommand(`${VIEW.users}.focus`);
    await vscode.commands.executeCommand(COMMAND.syncConnection, { type: 'connection', connectionId: entry.id });
  }
}
