import * as vscode from 'vscode';
import { describeResultCounts, resultDetail } from '../core/applyReportText';
import { formatTokens } from '../core/format';
import { userKey } from '../core/model';
import type { PlannedChange } from '../core/plan';
import { changesByRule, describeChange, describePlanTotals, describeRule, planHeadline, SKIP_REASON_LABELS } from '../core/planText';
import { UserLabels } from '../core/userLabels';
import { NODE_KIND } from '../contributionIds';
import { Disposable } from './disposable';
import { escapeMarkdown } from './escapeMarkdown';
import type { ChangeState, PlanModel, PlanSession } from './planModel';

/** Everything the Plan view shows. */
export type PlanElement =
  /** The plan's root: connection and counts; its children are the totals, the forecast and the notes. */
  | { readonly type: 'header' }
  | { readonly type: 'line'; readonly text: string; readonly note: boolean }
  /** A rule with the changes it planned, in run order; its checkbox checks them all. */
  | { readonly type: 'rule'; readonly rule: string; readonly indexes: readonly number[] }
  /** One change: an index into `plan.changes`. */
  | { readonly type: 'change'; readonly index: number }
  | { readonly type: 'skippedList' }
  /** One skipped candidate: an index into `plan.skipped`. */
  | { readonly type: 'skipped'; readonly index: number };

/** The elements of one plan, built once so VS Code keeps expansion across refreshes. */
interface PlanElements {
  readonly header: PlanElement;
  readonly lines: readonly PlanElement[];
  readonly rules: readonly PlanElement[];
  readonly changes: readonly PlanElement[];
  readonly skippedList: PlanElement | undefined;
  readonly skipped: readonly PlanElement[];
  readonly labels: UserLabels;
}

const STATUS_ICONS: Readonly<Record<ChangeState['status'], readonly [string, string | undefined]>> = {
  running: ['sync~spin', undefined],
  done: ['pass', 'testing.iconPassed'],
  skipped: ['debug-step-over', 'charts.yellow'],
  failed: ['error', 'testing.iconFailed'],
  notRun: ['circle-slash', 'disabledForeground'],
};

/** A change's icon while it can be checked: what it does to the user's passes. */
const CHANGE_ICONS: Readonly<Record<PlannedChange['action'], string>> = {
  assign: 'add',
  revoke: 'remove',
  swap: 'arrow-swap',
};

const STATUS_WORDS: Readonly<Record<ChangeState['status'], string>> = {
  running: 'running…',
  done: 'done',
  skipped: 'skipped',
  failed: 'FAILED',
  notRun: 'not run',
};

function icon([id, color]: readonly [string, string | undefined]): vscode.ThemeIcon {
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Maps the plan model to TreeItems: a header with the totals and forecast, the changes grouped by
 * rule with a checkbox each (checked by default), the skipped candidates under a closed "Skipped
 * (N)". After a run each change shows its outcome instead of its checkbox.
 */
export class PlanTreeProvider extends Disposable implements vscode.TreeDataProvider<PlanElement> {
  private readonly changed = this._register(new vscode.EventEmitter<PlanElement | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly elements = new WeakMap<PlanSession, PlanElements>();

  constructor(private readonly model: PlanModel) {
    super();
    this._register(model.onDidChange(() => this.changed.fire(undefined)));
  }

  getChildren(element?: PlanElement): PlanElement[] {
    const e = this.elementsOf();
    if (!e) {
      return [];
    }
    switch (element?.type) {
      case undefined:
        return [e.header, ...e.rules, ...(e.skippedList ? [e.skippedList] : [])];
      case 'header':
        return [...e.lines];
      case 'rule':
        return element.indexes.map((i) => e.changes[i]).filter((c): c is PlanElement => c !== undefined);
      case 'skippedList':
        return [...e.skipped];
      default:
        return [];
    }
  }

  getParent(element: PlanElement): PlanElement | undefined {
    const e = this.elementsOf();
    switch (element.type) {
      case 'line':
        return e?.header;
      case 'change':
        return e?.rules.find((r) => r.type === 'rule' && r.indexes.includes(element.index));
      case 'skipped':
        return e?.skippedList;
      default:
        return undefined;
    }
  }

  getTreeItem(element: PlanElement): vscode.TreeItem {
    const s = this.model.current();
    const e = this.elementsOf();
    if (!s || !e) {
      return new vscode.TreeItem('');
    }
    const at = s.plan.at;
    switch (element.type) {
      case 'header':
        return this.headerItem(s);
      case 'line': {
        const item = new vscode.TreeItem(element.text);
        item.id = `plan:${at}:line:${e.lines.indexOf(element)}`;
        item.contextValue = NODE_KIND.planLine;
        item.iconPath = new vscode.ThemeIcon(element.note ? 'info' : 'graph');
        item.tooltip = element.text;
        return item;
      }
      case 'rule':
        return this.ruleItem(s, element.rule, element.indexes);
      case 'change':
        return this.changeItem(s, e.labels, element.index);
      case 'skippedList': {
        const item = new vscode.TreeItem(`Skipped (${s.plan.skipped.length})`, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `plan:${at}:skipped`;
        item.contextValue = NODE_KIND.planSkippedList;
        item.iconPath = new vscode.ThemeIcon('circle-slash');
        item.tooltip = 'Candidates a rule matched that the plan leaves alone, and why (never-touch, cap, pool reserve, quarantine, premise).';
        return item;
      }
      case 'skipped': {
        const k = s.plan.skipped[element.index];
        const item = new vscode.TreeItem(k ? e.labels.label(k.user) : '');
        item.id = `plan:${at}:skipped:${element.index}`;
        item.contextValue = NODE_KIND.planSkipped;
        if (k) {
          item.description = `${k.rule} · ${SKIP_REASON_LABELS[k.reason]}: ${k.text}`;
          item.tooltip = new vscode.MarkdownString(`**${escapeMarkdown(`${k.user.name} (${userKey(k.user)})`)}**\n\n${escapeMarkdown(`${k.rule}, skipped (${SKIP_REASON_LABELS[k.reason]}): ${k.text}`)}`);
        }
        return item;
      }
    }
  }

  private elementsOf(): PlanElements | undefined {
    const s = this.model.current();
    if (!s) {
      return undefined;
    }
    let e = this.elements.get(s);
    if (!e) {
      const totals = describePlanTotals(s.plan.totals, s.policy.keepFreeTokens).map((text) => ({ type: 'line', text, note: false }) as const);
      const empty = s.plan.changes.length === 0 ? [{ type: 'line', text: 'Nothing to change: no candidate is left to change after the skips.', note: true } as const] : [];
      const notes = s.plan.notes.map((text) => ({ type: 'line', text: `Note: ${text}`, note: true }) as const);
      const users = new Map([...s.plan.changes, ...s.plan.skipped].map((c) => [c.user.id, c.user]));
      e = {
        header: { type: 'header' },
        lines: [...totals, ...empty, ...notes],
        rules: changesByRule(s.plan).map(({ rule, indexes }) => ({ type: 'rule', rule, indexes })),
        changes: s.plan.changes.map((_, index) => ({ type: 'change', index })),
        skippedList: s.plan.skipped.length > 0 ? { type: 'skippedList' } : undefined,
        skipped: s.plan.skipped.map((_, index) => ({ type: 'skipped', index })),
        labels: new UserLabels(users.values()),
      };
      this.elements.set(s, e);
    }
    return e;
  }

  private headerItem(s: PlanSession): vscode.TreeItem {
    const name = s.entry.config.name;
    const item = new vscode.TreeItem(`Plan for ${name}`, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `plan:${s.plan.at}:header`;
    item.contextValue = NODE_KIND.planHeader;
    item.iconPath = new vscode.ThemeIcon('checklist');
    const checked = this.model.checkedIndexes().length;
    const phase = this.model.phase();
    if (phase === 'applied') {
      const results = s.plan.changes.map((_, i) => this.model.stateOf(i)).filter((r): r is Exclude<ChangeState, { status: 'running' }> => r !== undefined && r.status !== 'running');
      item.description = describeResultCounts({ results }).replace(/\.$/, '');
    } else if (phase === 'applying') {
      item.description = `applying ${checked} of ${s.plan.changes.length} changes…`;
    } else {
      item.description = `${checked} of ${s.plan.changes.length} checked, ${s.plan.skipped.length} skipped`;
    }
    const lines = [
      `**${escapeMarkdown(`Plan for ${name}`)}**, ${escapeMarkdown(new Date(s.plan.at).toLocaleString())}: ${escapeMarkdown(planHeadline(s.plan))}`,
      ...describePlanTotals(s.plan.totals, s.policy.keepFreeTokens).map(escapeMarkdown),
      ...s.plan.notes.map((n) => escapeMarkdown(`Note: ${n}`)),
    ];
    item.tooltip = new vscode.MarkdownString(lines.join('\n\n'));
    return item;
  }

  private ruleItem(s: PlanSession, rule: string, indexes: readonly number[]): vscode.TreeItem {
    const item = new vscode.TreeItem(`${rule}: ${describeRule(s.policy, rule)}`, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `plan:${s.plan.at}:rule:${rule}`;
    item.contextValue = NODE_KIND.planRule;
    item.iconPath = new vscode.ThemeIcon('law');
    const checked = indexes.filter((i) => this.model.isChecked(i)).length;
    item.description = `${checked} of ${indexes.length} checked`;
    item.tooltip = `${rule}: ${describeRule(s.policy, rule)}. Its checkbox checks or unchecks all of its ${indexes.length} ${indexes.length === 1 ? 'change' : 'changes'}.`;
    if (this.model.phase() === 'ready') {
      item.checkboxState = checked === indexes.length ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked;
    } else {
      item.description = `${indexes.length} ${indexes.length === 1 ? 'change' : 'changes'}`;
    }
    return item;
  }

  private changeItem(s: PlanSession, labels: UserLabels, index: number): vscode.TreeItem {
    const c: PlannedChange | undefined = s.plan.changes[index];
    if (!c) {
      return new vscode.TreeItem('');
    }
    const item = new vscode.TreeItem(labels.label(c.user));
    item.id = `plan:${s.plan.at}:change:${index}`;
    const phase = this.model.phase();
    const state = this.model.stateOf(index);
    const checked = this.model.isChecked(index);
    const what = capitalise(describeChange(c));
    const cost = c.tokens > 0 ? `Takes ${formatTokens(c.tokens)}.` : c.tokens < 0 ? `Frees ${formatTokens(-c.tokens)}.` : '';
    const tooltip = [`**${escapeMarkdown(what)}**`, escapeMarkdown(`${c.rule}: ${c.reason}`), escapeMarkdown(cost)];
    if (phase === 'ready') {
      item.contextValue = `${NODE_KIND.planChange}+ready`;
      item.description = c.reason;
      item.iconPath = new vscode.ThemeIcon(CHANGE_ICONS[c.action]);
      item.checkboxState = { state: checked ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked, tooltip: `Apply: ${what}` };
    } else if (!state) {
      // Unchecked when the plan ran (or waiting for its turn while it runs).
      item.contextValue = `${NODE_KIND.planChange}+${checked ? 'pending' : 'unchecked'}`;
      item.description = checked ? `waiting · ${c.reason}` : `not checked: not applied · ${c.reason}`;
      item.iconPath = new vscode.ThemeIcon(checked ? 'circle-outline' : 'circle-large-outline', new vscode.ThemeColor('disabledForeground'));
    } else {
      const detail = state.status === 'running' ? null : resultDetail(state);
      item.contextValue = `${NODE_KIND.planChange}+${state.status}`;
      item.description = `${STATUS_WORDS[state.status]}${detail ? `: ${detail}` : ''}`;
      item.iconPath = icon(STATUS_ICONS[state.status]);
      tooltip.push(`**${escapeMarkdown(STATUS_WORDS[state.status])}**${detail ? `: ${escapeMarkdown(detail)}` : ''}`);
    }
    item.tooltip = new vscode.MarkdownString(tooltip.filter(Boolean).join('\n\n'));
    item.accessibilityInformation = { label: `${what}. ${typeof item.description === 'string' ? item.description : ''}` };
    return item;
  }
}
