import * as path from 'node:path';
import * as vscode from 'vscode';

/** globalState key: certificates of every site usually sit in one export folder, across windows too. */
const LAST_FOLDER_KEY = 'licenseSteward.lastFileFolder';

/** Where the connection flow's file dialogs start: the folder of the last file chosen. */
export class RecentFolder {
  constructor(private readonly state: vscode.Memento) {}

  /** The last folder used, else the folder of `near` (the file a step would replace), else none. */
  start(near?: string): vscode.Uri | undefined {
    const last = this.state.get<unknown>(LAST_FOLDER_KEY);
    if (typeof last === 'string' && last) {
      return vscode.Uri.file(last);
    }
    return near && path.isAbsolute(near) ? vscode.Uri.file(path.dirname(near)) : undefined;
  }

  /** Remembers the folder of a file just chosen. */
  async remember(file: vscode.Uri): Promise<void> {
    await this.state.update(LAST_FOLDER_KEY, path.dirname(file.fsPath));
  }
}
