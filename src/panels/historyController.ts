/**
 * The usage-history panel's conversation with its webview, without vscode: the panel hands it
 * every raw message and a few callbacks, so unit tests drive it in plain Node.
 */
import type { Logger } from '../core/logger';
import { parseWebviewMessage, type HistoryPanelState, type HistoryRange, type HostMessage, type SiteHistory, type UserHistory } from '../protocol/historyMessages';
import type { DemoKind } from '../views/demos';
import { ConnectionGoneError } from './connectionGoneError';
import { historyCsv, historyCsvFileName } from './historyCsv';
import type { HistoryDataProvider } from './historyDataProvider';
import type { HistoryTarget } from './historyTarget';

/** What the controller needs from the panel around it. */
export interface HistoryView {
  /** Posts to the webview; a hidden or disposed webview drops the message. */
  post(message: HostMessage): void;
  setTitle(title: string): void;
  /** Asks where to save and writes atomically; undefined when the admin cancels. */
  saveCsv(suggestedName: string, csv: string): Promise<string | undefined>;
  /** A failure outside the chart (an export), shown as a notification. */
  showError(message: string): void;
  /** The panel is of a demo that is not running: offer to open that kind of demo again. */
  offerDemo?(demo: DemoKind): void;
}

/** The panel title for a target before (and after) its data arrives. */
export function historyTitle(target: HistoryTarget, connectionName: string | undefined, userName?: string): string {
  if (target.userKey === null) {
    return connectionName === undefined ? 'Usage: site totals' : `Usage: ${connectionName} (site)`;
  }
  return `Usage: ${userName ?? target.userKey}`;
}

/** Answers `ready`, `setRange` and `exportCsv` for one panel. */
export class HistoryController {
  private currentRange: HistoryRange;
  private shown: UserHistory | SiteHistory | undefined;
  /** Bumped per load; an answer for an older load (the admin switched range again) is dropped. */
  private generation = 0;

  constructor(
    readonly target: HistoryTarget,
    range: HistoryRange,
    private readonly provider: HistoryDataProvider,
    private readonly view: HistoryView,
    private readonly logger: Logger,
  ) {
    this.currentRange = range;
  }

  /** What the serializer needs to reopen this panel after a reload. */
  get state(): HistoryPanelState {
    const userName = this.target.userName === undefined ? {} : { userName: this.target.userName };
    // The current name (a connection may be renamed); the remembered one once it is gone.
    const name = this.provider.connectionName(this.target.connectionId) ?? this.target.connectionName;
    const connectionName = name === undefined ? {} : { connectionName: name };
    return { connection: this.target.connectionId, user: this.target.userKey, range: this.currentRange, ...userName, ...connectionName };
  }

  /** Handles one raw message from the webview; anything that fails validation is logged and dropped. */
  async receive(raw: unknown): Promise<void> {
    const m = parseWebviewMessage(raw);
    if (!m) {
      this.logger.warn(`[history] ignored an invalid message from the webview`);
      return;
    }
    switch (m.type) {
      case 'ready':
        // The webview (re)loaded: after a reload or when a hidden panel is shown again.
        this.view.post({ type: 'init', state: this.state });
        return this.load();
      case 'setRange':
        this.currentRange = m.range;
        return this.load();
      case 'exportCsv':
        return this.exportCsv();
    }
  }

  /** Fetches the current range and posts it, or the reason it could not. */
  async load(): Promise<void> {
    const generation = ++this.generation;
    const range = this.currentRange;
    // Until the new range arrives, an export must not write the previous range's numbers.
    this.shown = undefined;
    this.view.post({ type: 'loading', range });
    try {
      const { connectionId, userKey } = this.target;
      const data = userKey === null ? await this.provider.siteHistory(connectionId, range) : await this.provider.userHistory(connectionId, userKey, range, this.target.userName);
      if (generation !== this.generation) {
        return;
      }
      this.shown = data;
      this.view.setTitle(historyTitle(this.target, data.connection, data.target === 'user' ? data.user.name : undefined));
      this.view.post({ type: 'history', data });
    } catch (e) {
      if (generation !== this.generation) {
        return;
      }
      if (e instanceof ConnectionGoneError) {
        // Not a failure: a tab outlived its connection (a reload, a removal). Say so, in its words.
        const message = e.describe(this.target.connectionName);
        this.logger.info(`[history] ${this.target.connectionId} ${this.target.userKey ?? 'site'}: ${message}`);
        this.view.post({ type: 'error', message });
        if (e.absence.kind === 'demo') {
          this.view.offerDemo?.(e.absence.demo);
        }
        return;
      }
      const message = e instanceof Error ? e.message : String(e);
      this.logger.error(`[history] ${this.target.connectionId} ${this.target.userKey ?? 'site'} ${range}: ${message}`);
      this.view.post({ type: 'error', message });
    }
  }

  private async exportCsv(): Promise<void> {
    const shown = this.shown;
    if (!shown) {
      this.view.showError('Nothing to export yet: wait for the chart to load.');
      return;
    }
    try {
      const path = await this.view.saveCsv(historyCsvFileName(shown, Date.now()), historyCsv(shown));
      if (path !== undefined) {
        this.logger.info(`[history] exported ${path}`);
        this.view.post({ type: 'exported', path });
      }
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.logger.error(`[history] export failed: ${message}`);
      this.view.showError(`Could not export the CSV: ${message}`);
    }
  }
}
