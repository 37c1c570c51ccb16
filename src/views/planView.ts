import * as vscode from 'vscode';
import { VIEW } from '../contributionIds';
import { Disposable } from './disposable';
import type { PlanModel } from './planModel';
import { PlanTreeProvider, type PlanElement } from './planTreeProvider';

/**
 * The Plan view: its tree, and the checkboxes feeding the model (a rule's checkbox checks all of
 * its changes, so the extension manages them rather than VS Code's parent/child rules). The header
 * node names the connection; a view description would also rename the view's pane for screen readers.
 */
export class PlanView extends Disposable {
  readonly tree: PlanTreeProvider;
  readonly view: vscode.TreeView<PlanElement>;

  constructor(model: PlanModel) {
    super();
    this.tree = this._register(new PlanTreeProvider(model));
    this.view = this._register(vscode.window.createTreeView(VIEW.plan, { treeDataProvider: this.tree, manageCheckboxStateManually: true }));
    this._register(
      this.view.onDidChangeCheckboxState((e) => {
        for (const [element, state] of e.items) {
          const checked = state === vscode.TreeItemCheckboxState.Checked;
          if (element.type === 'change') {
            model.setChecked([element.index], checked);
          } else if (element.type === 'rule') {
            model.setChecked(element.indexes, checked);
          }
        }
      }),
    );
  }

  /** Shows and focuses the view (it is visible only while a plan exists). */
  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${VIEW.plan}.focus`);
  }
}
