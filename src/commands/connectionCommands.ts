import * as vscode from 'vscode';
import { CancelledError } from '../core/errors';
import { COMMAND, VIEW } from '../contributionIds';
import { UserCancelled, type Command, type CommandServices } from './command';
import { failureOf } from './connectionFailure';
import { testConnection, type ConnectionTestReport } from './testConnection';
import { connectionFrom } from './pickers';
import { flowThenSave } from './flowThenSave';
import type { PickItem } from './prompter';
import type { DemoKind } from '../views/demos';

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
      throw new Error('A demo is generated; there is nothing to edit.');
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
    let report: ConnectionTestReport;
    try {
      report = await testConnection(this.s, c.entry);
    } catch (e) {
      if (e instanceof CancelledError) {
        throw new UserCancelled();
      }
      throw failureOf(c.entry, e);
    }
    this.s.logger.info(`[test] ${report.text}`);
    void vscode.window.showInformationMessage(report.text);
    if (report.warning) {
      this.s.logger.warn(`[test] ${report.warning}`);
      void vscode.window.showWarningMessage(report.warning);
    }
    return report.warning ? `${report.text} ${report.warning}` : report.text;
  }
}

const DEMO_CHOICES: readonly PickItem<DemoKind>[] = [
  { label: 'Demo site', description: 'Qlik Sense client-managed (QRS): tokens, user and login passes', value: 'qrs' },
  { label: 'Demo Qlik Cloud tenant', description: 'user-based: professional and analyzer licenses, analyzer capacity', value: 'cloud' },
  { label: 'Demo capacity tenant', description: 'Qlik Cloud capacity subscription: Full Users, sign-in activity', value: 'capacity' },
  { label: 'Demo License Statistics server', description: 'engineering licenses: hours used, denials (read-only)', value: 'licstats' },
];

/**
 * Open Demo Site: a simulated system of the admin's choice (a Qlik Sense site, a Qlik Cloud tenant
 * of either kind, a License Statistics server) in this window, synced and shown. A kind may be
 * passed directly (welcome view links, tests).
 */
export class OpenDemoSiteCommand implements Command {
  readonly id = COMMAND.openDemoSite;
  constructor(private readonly s: CommandServices) {}

  async execute(arg?: unknown): Promise<void> {
    const kind = DEMO_CHOICES.find((c) => c.value === arg)?.value ?? (await this.s.prompter.pick(DEMO_CHOICES, { title: 'Open demo', placeHolder: 'Which system should the demo simulate?' }));
    const entry = await this.s.registry.startDemo(kind);
    await vscode.commands.executeCommand(`${VIEW.users}.focus`);
    await vscode.commands.executeCommand(COMMAND.syncConnection, { type: 'connection', connectionId: entry.id });
  }
}
