/**
 * The page's elements, created with the DOM API (no innerHTML: names in the data never become
 * markup). Controls are VS Code Elements, which follow the theme and the keyboard conventions
 * of VS Code: the range is a radio group (arrow keys move the choice, Tab leaves the group).
 */
import { HISTORY_RANGES, type HistoryRange } from '../../../src/protocol/historyMessages';
import type { VscodeRadio, VscodeRadioGroup } from './elements';

/** Labels of the range choices. */
export const RANGE_LABELS: Readonly<Record<HistoryRange, string>> = { '28d': '28 days', '90d': '90 days', '1y': '1 year', all: 'All' };

/** Handles on the elements the app updates. */
export interface Layout {
  readonly heading: HTMLHeadingElement;
  readonly rangeGroup: VscodeRadioGroup;
  readonly radios: readonly VscodeRadio[];
  readonly exportButton: HTMLElement;
  readonly summary: HTMLParagraphElement;
  readonly loading: HTMLDivElement;
  readonly error: HTMLDivElement;
  readonly chart: HTMLDivElement;
  readonly events: HTMLDetailsElement;
  readonly eventsTitle: HTMLElement;
  readonly eventsList: HTMLUListElement;
  readonly notice: HTMLParagraphElement;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<Record<string, string>> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v !== undefined) {
      e.setAttribute(k, v);
    }
  }
  e.append(...children);
  return e;
}

/** Builds the page into `root`. */
export function buildLayout(root: HTMLElement): Layout {
  const heading = el('h1', { id: 'heading' }, 'Usage history');
  const radios = HISTORY_RANGES.map((r) => el('vscode-radio', { name: 'range', value: r }, RANGE_LABELS[r]));
  const rangeGroup = el('vscode-radio-group', { 'aria-label': 'Range' }, ...radios);
  const exportButton = el('vscode-button', { secondary: '', title: 'Save the series shown as a CSV file' }, 'Export CSV…');
  const summary = el('p', { id: 'summary', class: 'summary', role: 'status', 'aria-live': 'polite' });
  const loading = el('div', { class: 'loading', hidden: '' }, el('vscode-progress-ring', { 'aria-label': 'Loading' }), el('span', {}, 'Loading…'));
  const error = el('div', { class: 'error', role: 'alert', hidden: '' });
  const chart = el('div', { class: 'chart' });
  const eventsTitle = el('summary', {}, 'Allocation changes');
  const eventsList = el('ul');
  // A native disclosure: its keyboard handling and aria-expanded come with the browser.
  const events = el('details', { class: 'events', hidden: '' }, eventsTitle, eventsList);
  const notice = el('p', { class: 'notice', role: 'status', 'aria-live': 'polite' });
  root.append(el('header', { class: 'toolbar' }, heading, el('div', { class: 'controls' }, rangeGroup, exportButton)), summary, loading, error, chart, events, notice);
  return { heading, rangeGroup, radios, exportButton, summary, loading, error, chart, events, eventsTitle, eventsList, notice };
}
