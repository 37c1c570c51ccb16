import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import { COMMAND, WEBVIEW } from '../contributionIds';
import { parsePanelState, type HistoryRange } from '../protocol/historyMessages';
import { DEMOS, type DemoKind } from '../views/demos';
import { Disposable } from '../views/disposable';
import type { HistoryDataProvider } from './historyDataProvider';
import { historyTitle } from './historyController';
import { HistoryPanel, historyWebviewOptions } from './historyPanel';
import { historyTargetKey, type HistoryTarget } from './historyTarget';

/** The range a newly opened panel shows: the recycle period of a login pass. */
const DEFAULT_RANGE: HistoryRange = '28d';

const OPEN_DEMO = 'Open Demo Site';

/**
 * Keeps one usage-history panel per target: opening a target again reveals its panel. Also
 * revives the panels VS Code restores after a window reload, from the state each webview saved.
 */
export class HistoryPanelManager extends Disposable implements vscode.WebviewPanelSerializer {
  private readonly panels = new Map<string, HistoryPanel>();
  /** The demos this window already offered to reopen (several tabs of one demo revive at once). */
  private readonly demosOffered = new Set<DemoKind>();

  /**
   * @param bundleDir the folder with the webview bundles (the panels' only resource root)
   * @param provider where the charts' data comes from
   */
  constructor(
    private readonly bundleDir: vscode.Uri,
    private readonly provider: HistoryDataProvider,
    private readonly logger: Logger,
  ) {
    super();
    this._register(vscode.window.registerWebviewPanelSerializer(WEBVIEW.history, this));
  }

  /** Shows the panel of a target, creating it on first use. */
  show(target: HistoryTarget): void {
    const open = this.panels.get(historyTargetKey(target));
    if (open) {
      open.reveal();
      return;
    }
    // Remembered with the panel: if the connection goes, the tab still says which it was.
    const connectionName = target.connectionName ?? this.provider.connectionName(target.connectionId);
    const named = connectionName === undefined ? target : { ...target, connectionName };
    // Titled by name at once: the tab should not wait for the page to load to say whose it is.
    const panel = vscode.window.createWebviewPanel(WEBVIEW.history, historyTitle(named, connectionName, target.userName), vscode.ViewColumn.Active, {
      ...historyWebviewOptions(this.bundleDir),
      enableFindWidget: false,
    });
    this.adopt(panel, named, DEFAULT_RANGE);
  }

  /** Reloads every open panel of a connection: a sync just recorded what it saw. */
  refresh(connectionId: string): void {
    for (const p of this.panels.values()) {
      if (p.target.connectionId === connectionId) {
        void p.refresh();
      }
    }
  }

  /** Called by VS Code for each history panel that was open before a reload. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const s = parsePanelState(state);
    const target: HistoryTarget | undefined = s
      ? {
          connectionId: s.connection,
          userKey: s.user,
          ...(s.userName === undefined ? {} : { userName: s.userName }),
          ...(s.connectionName === undefined ? {} : { connectionName: s.connectionName }),
        }
      : undefined;
    if (!s || !target || this.panels.has(historyTargetKey(target))) {
      // Saved by an older version, or a duplicate: nothing sensible to show.
      panel.dispose();
      return;
    }
    this.adopt(panel, target, s.range);
  }

  private adopt(panel: vscode.WebviewPanel, target: HistoryTarget, range: HistoryRange): void {
    const key = historyTargetKey(target);
    const history = new HistoryPanel(panel, target, range, this.bundleDir, this.provider, this.logger, (demo) => this.offerDemo(demo));
    this.panels.set(key, history);
    history.onDidClose(() => this.panels.delete(key));
  }

  /**
   * A demo tab found its demo not running (it stopped with the window that started it): offer to
   * start the same kind of demo again, once per kind and window; the tabs refill when its first
   * sync lands (see `refresh`).
   */
  private offerDemo(demo: DemoKind): void {
    if (this.demosOffered.has(demo)) {
      return;
    }
    this.demosOffered.add(demo);
    const called = DEMOS[demo].called;
    void vscode.window.showInformationMessage(`License Steward: the ${called} is not running, so its usage-history tabs are empty. Open the ${called} again?`, OPEN_DEMO).then((a) => {
      if (a === OPEN_DEMO) {
        void vscode.commands.executeCommand(COMMAND.openDemoSite, demo);
      }
    });
  }

  override dispose(): void {
    for (const p of this.panels.values()) {
      p.dispose();
    }
    this.panels.clear();
    super.dispose();
  }
}
