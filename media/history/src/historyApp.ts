/**
 * The page's behaviour: reacts to validated host messages, switches ranges, asks for the CSV
 * export. The host is the source of truth for the target and range; the page persists what the
 * host said (setState) so VS Code can revive the panel after a reload.
 */
import { HISTORY_RANGES, parsePanelState, type HistoryPanelState, type HistoryRange, type HostMessage, type SiteHistory, type UserHistory } from '../../../src/protocol/historyMessages';
import { parseHostMessage } from '../../../src/protocol/parseHostMessage';
import { describeEvent, markerKey } from './eventMarkers';
import { HistoryChart } from './historyChart';
import { RANGE_LABELS, type Layout } from './layout';
import { summarize } from './summary';
import { readPalette, watchTheme } from './theme';
import type { VsCodeApi } from './vscodeApi';

export class HistoryApp {
  private state: HistoryPanelState | undefined;
  private range: HistoryRange = '28d';
  private readonly chart: HistoryChart;
  private summaryText = '';

  constructor(
    private readonly api: VsCodeApi,
    private readonly ui: Layout,
  ) {
    this.chart = new HistoryChart(ui.chart, readPalette(), () => this.summaryText);
    // Before the host answers, show the range the panel had before a reload.
    this.state = parsePanelState(api.getState());
    this.selectRange(this.state?.range ?? this.range);
  }

  /** Starts listening, then tells the host the page is ready for data. */
  start(): void {
    window.addEventListener('message', (e: MessageEvent<unknown>) => {
      const m = parseHostMessage(e.data);
      if (m) {
        this.handle(m);
      }
      // Anything else is not from our host, or from a host of another version: ignored.
    });
    watchTheme((p) => this.chart.setPalette(p));
    this.ui.rangeGroup.addEventListener('change', () => this.rangeChosen());
    // The radio group moves the check with the arrow keys without firing `change`; its own
    // keydown handler runs first (it was registered when the element was created).
    this.ui.rangeGroup.addEventListener('keydown', (e) => {
      if (e.key.startsWith('Arrow')) {
        this.rangeChosen();
      }
    });
    // Tab enters a radio group on its checked radio (ARIA practice). The group manages that
    // for clicks and arrow keys, but after a range set by the host it points Tab at the first.
    this.ui.rangeGroup.addEventListener('focusin', (e) => {
      const checked = this.ui.radios.find((r) => r.checked);
      const from = e.relatedTarget instanceof Node && this.ui.rangeGroup.contains(e.relatedTarget);
      if (checked && !from && e.target !== checked) {
        checked.focus();
      }
    });
    this.ui.exportButton.addEventListener('click', () => this.api.postMessage({ type: 'exportCsv' }));
    this.showLoading();
    this.api.postMessage({ type: 'ready' });
  }

  private handle(m: HostMessage): void {
    switch (m.type) {
      case 'init':
        this.persist(m.state);
        this.selectRange(m.state.range);
        return;
      case 'loading':
        this.selectRange(m.range);
        this.showLoading();
        return;
      case 'history':
        this.selectRange(m.data.range);
        this.showHistory(m.data);
        return;
      case 'error':
        this.showError(m.message);
        return;
      case 'exported':
        this.ui.notice.textContent = `Saved ${m.path}`;
        return;
    }
  }

  private rangeChosen(): void {
    const checked = this.ui.radios.find((r) => r.checked)?.value;
    const range = HISTORY_RANGES.find((r) => r === checked);
    if (!range || range === this.range) {
      return;
    }
    this.range = range;
    if (this.state) {
      this.persist({ ...this.state, range });
    }
    this.showLoading();
    this.api.postMessage({ type: 'setRange', range });
  }

  private persist(state: HistoryPanelState): void {
    this.state = state;
    this.api.setState(state);
  }

  private selectRange(range: HistoryRange): void {
    this.range = range;
    for (const r of this.ui.radios) {
      r.checked = r.value === range;
      r.tabIndex = r.checked ? 0 : -1;
    }
  }

  private showLoading(): void {
    this.ui.loading.hidden = false;
    // The previous chart stays, dimmed, so the page does not jump while the new range loads.
    this.ui.chart.classList.add('stale');
    this.setExportable(false);
    this.ui.error.hidden = true;
    this.ui.notice.textContent = '';
    this.setSummary(`Loading ${RANGE_LABELS[this.range].toLowerCase()}…`);
  }

  private showError(message: string): void {
    this.chart.clear();
    this.ui.chart.classList.remove('stale');
    this.setExportable(false);
    this.ui.loading.hidden = true;
    this.ui.events.hidden = true;
    this.ui.error.hidden = false;
    this.ui.error.textContent = message;
    this.setSummary('');
  }

  private showHistory(h: UserHistory | SiteHistory): void {
    this.ui.loading.hidden = true;
    this.ui.chart.classList.remove('stale');
    this.setExportable(true);
    this.ui.error.hidden = true;
    this.ui.heading.textContent = h.target === 'user' ? `${h.user.name} · ${h.connection}` : `${h.connection} · site totals`;
    this.setSummary(summarize(h));
    this.chart.show(h);
    this.ui.eventsTitle.textContent = `Allocation changes (${h.events.length}): ${markerKey(h.events)}`;
    this.ui.eventsList.replaceChildren(...h.events.map((e) => Object.assign(document.createElement('li'), { textContent: describeEvent(e) })));
    this.ui.events.hidden = h.events.length === 0;
  }

  /** Export writes what is shown: nothing while loading or after an error. */
  private setExportable(on: boolean): void {
    this.ui.exportButton.toggleAttribute('disabled', !on);
  }

  private setSummary(text: string): void {
    this.summaryText = text;
    this.ui.summary.textContent = text;
  }
}
