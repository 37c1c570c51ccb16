import { COMMAND } from '../contributionIds';
import type { Command, CommandServices } from './command';

/** Switches the Users view to the flat ranking (remembered across windows). */
export class ShowFlatRankingCommand implements Command {
  readonly id = COMMAND.showFlatRanking;
  constructor(private readonly s: CommandServices) {}

  execute(): Promise<void> {
    return this.s.usersView.layout.set('flat');
  }
}

/** Switches the Users view back to users grouped by what to do about them (remembered across windows). */
export class GroupByActionCommand implements Command {
  readonly id = COMMAND.groupByAction;
  constructor(private readonly s: CommandServices) {}

  execute(): Promise<void> {
    return this.s.usersView.layout.set('grouped');
  }
}
