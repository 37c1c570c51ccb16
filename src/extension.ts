import * as vscode from 'vscode';
import { buildCommands } from './commands';
import type { CommandServices } from './commands/command';
import { registerCommands } from './commands/commandManager';
import { PrompterSwitch, VscodePrompter, type Prompter } from './commands/prompter';
import { COMMAND, VIEW } from './contributionIds';
import { HistoryPanelManager } from './panels/historyPanelManager';
import { StoreHistoryProvider } from './panels/storeHistoryProvider';
import { WEBVIEW_BUNDLE_DIR } from './panels/webviewBundle';
import { VscodeCredentialStore } from './secrets/vscodeCredentialStore';
import { ConnectionHistory } from './views/connectionHistory';
import { ConnectionRegistry } from './views/connectionRegistry';
import { FeatureChoices } from './views/featureChoices';
import { historyConnections } from './views/historyConnections';
import { outputLogger } from './views/outputLogger';
import { PlanModel } from './views/planModel';
import type { PlanTreeProvider } from './views/planTreeProvider';
import { PlanView } from './views/planView';
import { Settings } from './views/settings';
import { restoreThenSync } from './views/startupSync';
import { TokenStatusBar } from './views/tokenStatusBar';
import type { TreeElement } from './views/treeElements';
import { TreeLayoutStore } from './views/treeLayout';
import { UsersTreeModel } from './views/usersTreeModel';
import { UsersTreeProvider } from './views/usersTreeProvider';
import { UsersView } from './views/usersView';

/** What the extension hands to its own tests (only in ExtensionMode.Test). */
export interface TestApi {
  readonly registry: ConnectionRegistry;
  readonly model: UsersTreeModel;
  readonly tree: UsersTreeProvider;
  /** The Users view, for its selection after a reveal. */
  readonly view: vscode.TreeView<TreeElement>;
  readonly credentials: VscodeCredentialStore;
  /** The plan the Plan view shows, and that view's tree. */
  readonly plans: PlanModel;
  readonly planTree: PlanTreeProvider;
  /** Answers the questions modal dialogs would ask; restore with `useDialogs()`. */
  answerWith(prompter: Prompter): void;
  useDialogs(): void;
}

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const sub = <T extends vscode.Disposable>(d: T): T => (context.subscriptions.push(d), d);
  const output = sub(vscode.window.createOutputChannel('License Steward', { log: true }));
  const logger = outputLogger(output);
  const settings = new Settings();
  const credentials = sub(new VscodeCredentialStore(context.secrets));
  const registry = sub(new ConnectionRegistry(settings, credentials, logger));
  // Retention is read once: a changed value applies from the next window (stores stay open meanwhile).
  const stores = sub(new ConnectionHistory(context.globalStorageUri.fsPath, logger, settings.historyRetentionDays()));
  const features = new FeatureChoices(context.globalState);
  const model = sub(new UsersTreeModel(registry, settings, logger, stores, features));
  const layout = sub(new TreeLayoutStore(context.globalState));
  const tree = sub(new UsersTreeProvider(model, settings, layout));
  const view = sub(vscode.window.createTreeView(VIEW.users, { treeDataProvider: tree, showCollapseAll: true }));
  const usersView = sub(new UsersView(view, tree, layout));
  const status = sub(new TokenStatusBar(model));
  sub(view.onDidChangeSelection((e) => status.setActive(e.selection[0]?.connectionId)));
  const prompter = new PrompterSwitch(new VscodePrompter());
  const provider = new StoreHistoryProvider(historyConnections(registry, model, stores));
  const history = sub(new HistoryPanelManager(vscode.Uri.joinPath(context.extensionUri, ...WEBVIEW_BUNDLE_DIR), provider, logger));
  sub(model.onDidSync((id) => history.refresh(id)));
  const plans = sub(new PlanModel(registry, stores, logger));
  const planView = sub(new PlanView(plans));
  const services: CommandServices = { registry, model, settings, credentials, logger, prompter, output, history, stores, globalState: context.globalState, features, usersView, plans, planView };
  sub(registerCommands(buildCommands(services), logger, COMMAND.showLog));
  for (const problem of registry.problems()) {
    logger.warn(`[settings] ${problem}`);
  }
  void restoreThenSync(model, settings, logger);
  if (context.extensionMode !== vscode.ExtensionMode.Test) {
    return undefined;
  }
  return { registry, model, tree, view, credentials, plans, planTree: planView.tree, answerWith: (p) => prompter.use(p), useDialogs: () => prompter.reset() };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
