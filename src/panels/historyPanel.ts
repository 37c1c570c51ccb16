import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import type { HistoryRange } from '../protocol/historyMessages';
import { writeFileAtomic } from '../store/atomicFile';
import type { DemoKind } from '../views/demos';
import { Disposable } from '../views/disposable';
import { HistoryController, historyTitle, type HistoryView } from './historyController';
import type { HistoryDataProvider } from './historyDataProvider';
import type { HistoryTarget } from './historyTarget';
import { HISTORY_BUNDLE } from './webviewBundle';
import { buildWebviewHtml, makeNonce } from './webviewHtml';

/** Webview options of every history panel: scripts on, and only the bundle folder readable. */
export function historyWebviewOptions(bundleDir: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [bundleDir] };
}

/** One usage-history panel: its webview page, and a controller answering the webview. */
export class HistoryPanel extends Disposable {
  private readonly closed = this._register(new vscode.EventEmitter<void>());
  /** Fires once when the admin closes the panel (or the window disposes it). */
  readonly onDidClose = this.closed.event;
  private readonly controller: HistoryController;
  /** False once disposed: a load still in flight then has nowhere to post. */
  private alive = true;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    target: HistoryTarget,
    range: HistoryRange,
    bundleDir: vscode.Uri,
    provider: HistoryDataProvider,
    logger: Logger,
    private readonly offerDemo?: (demo: DemoKind) => void,
  ) {
    super();
    const webview = panel.webview;
    webview.options = historyWebviewOptions(bundleDir);
    panel.title = historyTitle(target, provider.connectionName(target.connectionId) ?? target.connectionName, target.userName);
    this.controller = new HistoryController(target, range, provider, this.view(), logger);
    // Listen before setting the HTML so the webview's `ready` cannot be missed.
    this._register(webview.onDidReceiveMessage((m: unknown) => void this.controller.receive(m)));
    this._register(
      panel.onDidDispose(() => {
        this.closed.fire();
        this.dispose();
      }),
    );
    webview.html = buildWebviewHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(bundleDir, HISTORY_BUNDLE.script)).toString(),
      styleUris: [webview.asWebviewUri(vscode.Uri.joinPath(bundleDir, HISTORY_BUNDLE.style)).toString()],
      title: panel.title,
    });
  }

  /** What this panel shows. */
  get target(): HistoryTarget {
    return this.controller.target;
  }

  /** Reloads the shown range, e.g. after a sync recorded new usage. */
  refresh(): Promise<void> {
    return this.controller.load();
  }

  reveal(): void {
    this.panel.reveal();
  }

  private view(): HistoryView {
    return {
      post: (m) => {
        if (this.alive) {
          void this.panel.webview.postMessage(m);
        }
      },
      setTitle: (t) => {
        if (this.alive) {
          this.panel.title = t;
        }
      },
      saveCsv: (name, csv) => saveCsv(name, csv),
      showError: (m) => void vscode.window.showErrorMessage(`License Steward: ${m}`),
      offerDemo: (demo) => this.offerDemo?.(demo),
    };
  }

  override dispose(): void {
    this.alive = false;
    super.dispose();
    this.panel.dispose();
  }
}

/** Asks where to save, then writes; local files atomically so a crash leaves no half CSV. */
async function saveCsv(name: string, csv: string): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
  const uri = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(folder, name),
    filters: { CSV: ['csv'] },
    saveLabel: 'Export',
    title: 'Export usage history as CSV',
  });
  if (!uri) {
    return undefined;
  }
  if (uri.scheme === 'file') {
    await writeFileAtomic(uri.fsPath, csv);
  } else {
    // A virtual file system has no temp-and-rename; its provider writes the file whole.
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(csv));
  }
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}
