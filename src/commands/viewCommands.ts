import * as vscode from 'vscode';
import { userKey } from '../core/model';
import { COMMAND } from '../contributionIds';
import { isMoreElement } from '../views/treeElements';
import type { Command, CommandServices } from './command';
import { userFrom } from './pickers';

/** Copies `DIR\id` of a user node (or a picked user). */
export class CopyUserIdCommand implements Command {
  readonly id = COMMAND.copyUserId;
  constructor(private readonly s: CommandServices) {}

  async execute(arg?: unknown): Promise<string> {
    const node = await userFrom(arg, this.s, 'Copy user id', () => true);
    const key = userKey(node.ranked.user);
    await vscode.env.clipboard.writeText(key);
    void vscode.window.setStatusBarMessage(`Copied ${key}`, 3000);
    return key;
  }
}

/** "Show more" under a long list: the next page of that group (or of the flat ranking). */
export class ShowMoreCommand implements Command {
  readonly id = COMMAND.showMore;
  constructor(private readonly s: CommandServices) {}

  execute(arg?: unknown): void {
    if (isMoreElement(arg)) {
      this.s.usersView.showMore(arg.connectionId, arg.group);
    }
  }
}

/** Opens the License Steward log. */
export class ShowLogCommand implements Command {
  readonly id = COMMAND.showLog;
  constructor(private readonly s: CommandServices) {}

  execute(): void {
    this.s.output.show(true);
  }
}
