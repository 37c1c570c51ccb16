import type * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import type { HistoryPanelManager } from '../panels/historyPanelManager';
import type { VscodeCredentialStore } from '../secrets/vscodeCredentialStore';
import type { ConnectionHistory } from '../views/connectionHistory';
import type { ConnectionRegistry } from '../views/connectionRegistry';
import type { PlanModel } from '../views/planModel';
import type { PlanView } from '../views/planView';
import type { Settings } from '../views/settings';
import type { UsersTreeModel } from '../views/usersTreeModel';
import type { UsersView } from '../views/usersView';
import type { FeatureChoices } from '../views/featureChoices';
import type { Prompter } from './prompter';

/** One command: an id from contributionIds and what it does. */
export interface Command {
  readonly id: string;
  execute(...args: unknown[]): unknown;
}

/** What commands work with, handed in by activate(). */
export interface CommandServices {
  readonly registry: ConnectionRegistry;
  readonly model: UsersTreeModel;
  readonly settings: Settings;
  readonly credentials: VscodeCredentialStore;
  readonly logger: Logger;
  readonly prompter: Prompter;
  readonly output: vscode.LogOutputChannel;
  /** Opens and reuses the usage-history panels. */
  readonly history: HistoryPanelManager;
  /** Each connection's history store: the audit log of every change lives there. */
  readonly stores: ConnectionHistory;
  /** The Users view: paging, layout, revealing a user. */
  readonly usersView: UsersView;
  /** The plan the Plan view shows: made, checked and applied through it. */
  readonly plans: PlanModel;
  /** The Plan view, to reveal a new plan. */
  readonly planView: PlanView;
  /** State that outlives the window (the folder the connection flow's file dialogs start in). */
  readonly globalState: vscode.Memento;
  /** The feature each License Statistics connection is ranked by. */
  readonly features: FeatureChoices;
}

/** Thrown when the admin dismisses a picker or a dialog: not an error, nothing to report. */
export class UserCancelled extends Error {
  override readonly name = 'UserCancelled';
}
