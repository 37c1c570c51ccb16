import { userKey } from '../core/model';
import { COMMAND } from '../contributionIds';
import { isConnectionElement, isUserElement } from '../views/treeElements';
import type { Command, CommandServices } from './command';
import { connectionFrom } from './pickers';

const TITLE = 'Show usage history';

/**
 * Opens the usage-history panel: of a user node, of a connection node (site totals), or from the
 * palette, of a picked connection's site totals or one of its users. Read-only, so no trust gate.
 */
export class ShowUsageHistoryCommand implements Command {
  readonly id = COMMAND.showUsageHistory;
  constructor(private readonly s: CommandServices) {}

  async execute(arg?: unknown): Promise<void> {
    if (isUserElement(arg)) {
      this.s.history.show({ connectionId: arg.connectionId, userKey: userKey(arg.ranked.user), userName: arg.ranked.user.name });
      return;
    }
    if (isConnectionElement(arg)) {
      this.s.history.show({ connectionId: arg.connectionId, userKey: null });
      return;
    }
    const c = await connectionFrom(arg, this.s, TITLE);
    // Users from the last good sync: the history itself is local, so no sync is needed to pick.
    const users = (c.result?.ranked ?? []).map((r) => ({ label: r.user.name, description: userKey(r.user), detail: r.verdict.text, value: userKey(r.user) as string | null }));
    const picked = await this.s.prompter.pick([{ label: '$(globe) Site totals', description: c.entry.config.name, value: null }, ...users], {
      title: TITLE,
      placeHolder: users.length ? 'Site totals, or type a user name or DIRECTORY\\id' : 'Site totals (sync to pick a single user)',
    });
    const name = c.result?.ranked.find((r) => userKey(r.user) === picked)?.user.name;
    this.s.history.show({ connectionId: c.entry.id, userKey: picked, ...(name === undefined ? {} : { userName: name }) });
  }
}
