import * as vscode from 'vscode';
import { UserCancelled } from './command';

/** An item in a pick list. */
export interface PickItem<T> extends vscode.QuickPickItem {
  readonly value: T;
}

/**
 * Every question a command asks the admin. One seam, so extension-host tests can answer
 * questions that a modal dialog would otherwise block on; the UI tests use the real dialogs.
 */
export interface Prompter {
  /** A modal yes/no; resolves true only when the admin chose `action`. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  /** A pick list; throws UserCancelled when dismissed. */
  pick<T>(items: readonly PickItem<T>[], options: { title: string; placeHolder?: string }): Promise<T>;
  /** A text input; throws UserCancelled when dismissed. */
  input(options: vscode.InputBoxOptions & { title: string }): Promise<string>;
  /** File picker starting in `folder` (VS Code's choice when absent); throws UserCancelled when dismissed. */
  openFile(title: string, filters?: Record<string, string[]>, folder?: vscode.Uri): Promise<vscode.Uri>;
}

/** The real thing: VS Code's modal dialogs, QuickPick and InputBox. */
export class VscodePrompter implements Prompter {
  async confirm(message: string, detail: string, action: string): Promise<boolean> {
    const answer = await vscode.window.showWarningMessage(message, { modal: true, detail }, action);
    return answer === action;
  }

  async pick<T>(items: readonly PickItem<T>[], options: { title: string; placeHolder?: string }): Promise<T> {
    const chosen = await vscode.window.showQuickPick([...items], { ...options, ignoreFocusOut: true, matchOnDescription: true, matchOnDetail: true });
    if (!chosen) {
      throw new UserCancelled();
    }
    return chosen.value;
  }

  async input(options: vscode.InputBoxOptions & { title: string }): Promise<string> {
    const value = await vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
    if (value === undefined) {
      throw new UserCancelled();
    }
    return value;
  }

  async openFile(title: string, filters?: Record<string, string[]>, folder?: vscode.Uri): Promise<vscode.Uri> {
    const uris = await vscode.window.showOpenDialog({ title, canSelectMany: false, openLabel: 'Select', ...(filters ? { filters } : {}), ...(folder ? { defaultUri: folder } : {}) });
    const uri = uris?.[0];
    if (!uri) {
      throw new UserCancelled();
    }
    return uri;
  }
}

/** Delegates to a replaceable prompter; activate() owns it, tests may swap the answers. */
export class PrompterSwitch implements Prompter {
  private current: Prompter;

  constructor(private readonly fallback: Prompter) {
    this.current = fallback;
  }

  use(p: Prompter): void {
    this.current = p;
  }

  reset(): void {
    this.current = this.fallback;
  }

  confirm(message: string, detail: string, action: string): Promise<boolean> {
    return this.current.confirm(message, detail, action);
  }

  pick<T>(items: readonly PickItem<T>[], options: { title: string; placeHolder?: string }): Promise<T> {
    return this.current.pick(items, options);
  }

  input(options: vscode.InputBoxOptions & { title: string }): Promise<string> {
    return this.current.input(options);
  }

  openFile(title: string, filters?: Record<string, string[]>, folder?: vscode.Uri): Promise<vscode.Uri> {
    return this.current.openFile(title, filters, folder);
  }
}
