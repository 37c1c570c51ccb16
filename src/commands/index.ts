import type { Command, CommandServices } from './command';
import { AddConnectionCommand, EditConnectionCommand, OpenDemoSiteCommand, RemoveConnectionCommand, TestConnectionCommand } from './connectionCommands';
import { ChooseFeatureCommand } from './featureCommands';
import { FindUserCommand } from './findUserCommand';
import { ShowUsageHistoryCommand } from './historyCommands';
import { AssignCommand, ChangePassKindCommand, DisableUserCommand, ReinstateCommand, ReleaseAssignmentCommand, RevokeCommand } from './passCommands';
import { ApplyPlanCommand, ClosePlanCommand, PlanChangesCommand } from './planCommands';
import { SyncCommand, SyncConnectionCommand } from './syncCommands';
import { GroupByActionCommand, ShowFlatRankingCommand } from './treeLayoutCommands';
import { CopyUserIdCommand, ShowLogCommand, ShowMoreCommand } from './viewCommands';

/** Every command the extension registers; a unit test checks them against package.json. */
export function buildCommands(s: CommandServices): Command[] {
  return [
    new SyncCommand(s),
    new SyncConnectionCommand(s),
    new AddConnectionCommand(s),
    new EditConnectionCommand(s),
    new RemoveConnectionCommand(s),
    new TestConnectionCommand(s),
    new OpenDemoSiteCommand(s),
    new AssignCommand(s, 'user'),
    new AssignCommand(s, 'professional'),
    new AssignCommand(s, 'analyzer'),
    new RevokeCommand(s),
    new ReinstateCommand(s),
    new ChangePassKindCommand(s),
    new DisableUserCommand(s),
    new ReleaseAssignmentCommand(s),
    new CopyUserIdCommand(s),
    new ShowMoreCommand(s),
    new ShowLogCommand(s),
    new ShowUsageHistoryCommand(s),
    new FindUserCommand(s),
    new ShowFlatRankingCommand(s),
    new GroupByActionCommand(s),
    new PlanChangesCommand(s),
    new ApplyPlanCommand(s),
    new ClosePlanCommand(s),
    new ChooseFeatureCommand(s),
  ];
}
