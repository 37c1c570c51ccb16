import type * as vscode from 'vscode';
import type { ActionGroupKind } from '../core/actionGroups';
import type { RankedUser } from '../core/ranking';
import { Disposable } from './disposable';
import type { TreeElement } from './treeElements';
import type { TreeLayoutStore } from './treeLayout';
import type { UsersTreeProvider } from './usersTreeProvider';

/** What commands do to the Users view: page it, switch its layout, reveal a user in it. */
export class UsersView extends Disposable {
  constructor(
    private readonly view: vscode.TreeView<TreeElement>,
    private readonly tree: UsersTreeProvider,
    /** The remembered layout (grouped by action, or the flat ranking). */
    readonly layout: TreeLayoutStore,
  ) {
    super();
    this._register(view.onDidCollapseElement((e) => tree.forgetChildren(e.element)));
  }

  /** Shows another page of a group's users, or of the flat ranking when `group` is absent. */
  showMore(connectionId: string, group?: ActionGroupKind): void {
    this.tree.showMore(connectionId, group);
  }

  /**
   * Selects, focuses and shows a user's node, opening the view, the connection and the group and
   * paging the group as far as needed. False when the current ranking no longer has the user.
   */
  async reveal(connectionId: string, user: RankedUser): Promise<boolean> {
    const paged = this.tree.pageTo(connectionId, user);
    if (!paged) {
      return false;
    }
    await paged.settled;
    await this.view.reveal(paged.element, { select: true, focus: true, expand: true });
    return true;
  }
}
