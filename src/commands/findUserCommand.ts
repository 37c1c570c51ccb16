import * as vscode from 'vscode';
import { actionGroupOf, groupByAction } from '../core/actionGroups';
import { userKey } from '../core/model';
import type { RankedUser } from '../core/ranking';
import { shownName } from '../core/userLabels';
import { COMMAND } from '../contributionIds';
import type { UserElement } from '../views/treeElements';
import type { ConnectionState } from '../views/usersTreeModel';
import type { Command, CommandServices } from './command';
import type { PickItem } from './prompter';

/** A user of one connection, as the pick list offers it. */
interface Found {
  readonly connection: ConnectionState;
  readonly ranked: RankedUser;
}

/**
 * Find User…: one pick list over every user of every synced connection, matched on the name and
 * on `DIR\id` (QRS users carry no e-mail address in our model, so there is none to match), each
 * showing its group and verdict. The chosen user's node is revealed, its group paged as far as
 * needed: type-to-find in the tree sees only the rows already shown.
 */
export class FindUserCommand implements Command {
  readonly id = COMMAND.findUser;
  constructor(private readonly s: CommandServices) {}

  async execute(): Promise<UserElement> {
    if (this.s.model.connections().length === 0) {
      throw new Error('No connection yet: run "License Steward: Add Connection" or "License Steward: Open Demo Site".');
    }
    if (!this.synced().length) {
      await vscode.commands.executeCommand(COMMAND.sync);
    }
    const synced = this.synced();
    if (!synced.length) {
      throw new Error('No connection has a ranking to search yet: run "License Steward: Sync" once it can reach its server.');
    }
    const found = await this.s.prompter.pick(pickItems(synced), { title: 'Find User', placeHolder: 'Type part of a name or DIRECTORY\\id' });
    if (!(await this.s.usersView.reveal(found.connection.entry.id, found.ranked))) {
      throw new Error(`${shownName(found.ranked.user)} (${userKey(found.ranked.user)}) is no longer in the ranking of "${found.connection.entry.config.name}".`);
    }
    return { type: 'user', connectionId: found.connection.entry.id, ranked: found.ranked };
  }

  private synced(): ConnectionState[] {
    return this.s.model.connections().filter((c) => c.result);
  }
}

/** `Ann Lee` · `CORP\ann` · `Should get a pass · 14 login passes in 28 days = …` (connection first when there are several). */
function pickItems(connections: readonly ConnectionState[]): PickItem<Found>[] {
  const items: PickItem<Found>[] = [];
  for (const connection of connections) {
    const ranked = connection.result?.ranked ?? [];
    const titles = new Map(groupByAction(ranked).map((g) => [g.kind, g.title]));
    const site = connections.length > 1 ? `${connection.entry.config.name} · ` : '';
    for (const r of ranked) {
      items.push({
        label: shownName(r.user),
        description: userKey(r.user),
        detail: `${site}${titles.get(actionGroupOf(r)) ?? ''} · ${r.verdict.text}`,
        value: { connection, ranked: r },
      });
    }
  }
  return items;
}
