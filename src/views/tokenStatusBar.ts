import * as vscode from 'vscode';
import { describeOverview } from '../core/siteSummary';
import { hoursStatusText, siteStatusText } from '../core/siteStatus';
import { VIEW } from '../contributionIds';
import { Disposable } from './disposable';
import type { UsersTreeModel } from './usersTreeModel';

/** `$(` starts an icon in status bar text; a backslash shows it as typed. */
function escapeIcons(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}

/**
 * The active site's tokens, named (several sites may be configured): the one selected in the
 * tree, else the first synced. The tooltip has the whole overview.
 */
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
    const result = s?.result;
    if (!s || !result) {
      this.item.hide();
      return;
    }
    const { name, url } = s.entry.config;
    const overview = describeOverview(result.overview);
    const text = s.entry.config.kind === 'licstats' ? hoursStatusText(name, result.ranked) : siteStatusText(name, result.overview);
    this.item.text = `$(key) ${escapeIcons(text)}`;
    const md = new vscode.MarkdownString();
    md.appendMarkdown('**').appendText(name).appendMarkdown('** · ').appendText(url);
    md.appendMarkdown('\n\n').appendText(`${overview}.`);
    md.appendMarkdown('\n\n').appendText(`Synced ${new Date(result.at).toLocaleString()}${all.length > 1 ? '; select a node of another connection to show its tokens' : ''}.`);
    this.item.tooltip = md;
    this.item.accessibilityInformation = { label: `${name}: ${overview}` };
    this.item.show();
  }
}
