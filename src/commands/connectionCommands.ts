import * as vscode from 'vscode';
import { connectionAccount } from '../core/actor';
import { PASS_KIND_LABELS } from '../core/model';
import { COMMAND, VIEW } from '../contributionIds';
import type { Command, CommandServices } from './command';
import { connectionFlow } from './connectionFlow';
import { connectionFrom } from './pickers';

/** Add Connection: the guided flow, then a first sync. */
export class AddConnectionCommand implements Command {
  readonly id = COMMAND.addConnection;
  constructor(private readonly s: CommandServices) {}

  async execute(): Promise<void> {
    const { config, secret } = await connectionFlow(this.s);
    await this.s.registry.save(config, secret);
    this.s.logger.info(`[connections] added "${config.name}" (${config.auth.mode})`);
    await vscode.commands.executeCommand(COMMAND.syncConnection, { type: 'connection', connectionId: config.id });
  }
}

/** Edit Connection: the same flow, prefilled. */
export class EditConnectionCommand implements Command {
  readonly id = COMMAND.editConnection;
  constructor(private readonly s: CommandServices) {}

  async execute(arg?: unknown): Promise<void> {
    const c = await connectionFrom(arg, this.s, 'Edit connection');
    if (c.entry.demo) {
      throw new Error('The demo site is generated; there is nothing to edit.');
    }
    const { config, secret } = await connectionFlow(this.s, { id: c.entry.id, config: c.entry.config });
    await this.s.registry.save(config, secret);
    this.s.logger.info(`[connections] edited "${config.name}"`);
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
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Testing "${c.entry.config.name}"` }, async () => {
      const source = await this.s.registry.open(c.entry);
      try {
        const me = await source.whoAmI();
        const overview = await source.overview();
        const rights = await Promise.all(overview.offeredKinds.map(async (k) => `${PASS_KIND_LABELS[k]}: ${(await source.canAssign(k)) ? 'may assign' : 'may NOT assign'}`));
        // Header mode names no account (its value is a credential): say which header carries it.
        const account = me.user ?? (c.entry.config.auth.mode === 'header' ? connectionAccount(c.entry.config) : 'an account the server did not name');
        return `"${c.entry.config.name}": ${me.server}, signed in as ${account}. ${rights.join('; ') || 'No pass kind is offered on this site.'}`;
      } finally {
        await source.close();
      }
    });
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
