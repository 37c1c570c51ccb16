import * as vscode from 'vscode';
import { CONTEXT, STATE_KEY } from '../contributionIds';
import { Disposable } from './disposable';

/** How the Users view lays out a connection's users: by what to do about them, or as one ranking. */
export type TreeLayout = 'grouped' | 'flat';

/**
 * The typed accessor for the remembered layout. It lives in `globalState`, so the choice follows
 * the admin into every window and survives reloads; the context key mirrors it so the view title
 * shows the toggle that switches to the other layout.
 */
export class TreeLayoutStore extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<TreeLayout>());
  /** Fires with the new layout. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly memento: vscode.Memento) {
    super();
    void this.publish();
  }

  /** The remembered layout; grouped unless the admin chose the flat ranking. */
  get(): TreeLayout {
    return this.memento.get<unknown>(STATE_KEY.treeLayout) === 'flat' ? 'flat' : 'grouped';
  }

  /** Remembers `layout` and shows it. */
  async set(layout: TreeLayout): Promise<void> {
    if (layout === this.get()) {
      return;
    }
    await this.memento.update(STATE_KEY.treeLayout, layout);
    this.changed.fire(layout);
    await this.publish();
  }

  private async publish(): Promise<void> {
    await vscode.commands.executeCommand('setContext', CONTEXT.treeLayout, this.get());
  }
}
