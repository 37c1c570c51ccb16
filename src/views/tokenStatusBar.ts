import * as vscode from 'vscode';
import { formatAmount } from '../core/format';
import { describeOverview } from '../core/siteSummary';
import { VIEW } from '../contributionIds';
import { Disposable } from './disposable';
import type { UsersTreeModel } from './usersTreeModel';

/** Available/total tokens of the active site: the one selected in the tree, else the first synced. */
export class TokenStatusBar extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('licenseSteward.tokens', vscode.StatusBarAlignment.Left, 10));
  private activeId: string | undefined;

  constructor(private readonly model: UsersTreeModel) {
    super();
    this.item.name = 'License Steward tokens';
    this.item.command = `${VIEW.users}.focus`;
    this._register(model.onDidChange(() => this.render()));
    this.render();
  }

  /** Makes the connection of the selected node the active one. */
  setActive(connectionId: string | undefined): void {
    if (connectionId && connectionId !== this.activeId) {
      this.activeId = connectionId;
      this.render();
    }
  }

  private render(): void {
    const all = this.model.connections();
    const s = all.find((c) => c.entry.id === this.activeId && c.result) ?? all.find((c) => c.result);
    const o = s?.result?.overview;
    if (!s || !o) {
      this.item.hide();
      return;
    }
    const t = o.tokens;
    this.item.text = t
      ? `$(key) ${formatAmount(t.available)}/${formatAmount(t.total)} tokens`
      : `$(key) ${o.professional ? `${o.professional.available} prof.` : ''}${o.analyzer ? ` ${o.analyzer.available} analyzer` : ''} free`;
    const md = new vscode.MarkdownString(`**${s.entry.config.name}**\n\n${describeOverview(o)}.`);
    this.item.tooltip = md;
    this.item.accessibilityInformation = { label: `${s.entry.config.name}: ${describeOverview(o)}` };
    this.item.show();
  }
}
