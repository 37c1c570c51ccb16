import type * as vscode from 'vscode';

/** Owns disposables: whatever registers a listener disposes it with itself. */
export abstract class Disposable implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  private disposed = false;

  protected _register<T extends vscode.Disposable>(d: T): T {
    if (this.disposed) {
      d.dispose();
    } else {
      this.owned.push(d);
    }
    return d;
  }

  dispose(): void {
    this.disposed = true;
    while (this.owned.length) {
      this.owned.pop()?.dispose();
    }
  }
}
