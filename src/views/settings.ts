import * as vscode from 'vscode';
import { parseConnection, type ConnectionConfig } from '../core/connectionConfig';
import { ConfigError } from '../core/errors';
import type { Policy } from '../core/policy';
import { DEFAULT_RULES } from '../core/sync';
import type { VerdictRules } from '../core/verdict';
import { SETTING } from '../contributionIds';

/** Connections from settings that parsed, and what was wrong with the rest. */
export interface ConnectionSettings {
  readonly connections: readonly ConnectionConfig[];
  readonly problems: readonly string[];
}

/** The one typed accessor for `licenseSteward.*`; core code gets values, never settings. */
export class Settings {
  private config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SETTING.section);
  }

  /** Fires when any License Steward setting changes. */
  onDidChange(listener: () => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SETTING.section)) {
        listener();
      }
    });
  }

  connections(): ConnectionSettings {
    const raw = this.config().get<unknown[]>(SETTING.connections, []);
    const connections: ConnectionConfig[] = [];
    const problems: string[] = [];
    (Array.isArray(raw) ? raw : []).forEach((c, i) => {
      try {
        connections.push(parseConnection(c, `Setting licenseSteward.connections[${i}]`));
      } catch (e) {
        problems.push(e instanceof ConfigError ? e.message : String(e));
      }
    });
    return { connections, problems };
  }

  /** Writes the connection list to the user's global settings (connections are per admin, not per folder). */
  async setConnections(list: readonly ConnectionConfig[]): Promise<void> {
    await this.config().update(SETTING.connections, list, vscode.ConfigurationTarget.Global);
  }

  rules(): VerdictRules {
    const c = this.config();
    const int = (key: string, fallback: number) => {
      const v = c.get<number>(key, fallback);
      return Number.isInteger(v) && v > 0 ? v : fallback;
    };
    const cap = c.get<number | null>(SETTING.capacityBreakEvenMinutes, null);
    return {
      windowDays: int(SETTING.windowDays, DEFAULT_RULES.windowDays),
      inactiveDays: int(SETTING.inactiveDays, DEFAULT_RULES.inactiveDays),
      capacityBreakEvenMinutes: typeof cap === 'number' && cap > 0 ? cap : null,
    };
  }

  /** Days of usage history kept per connection (older days are dropped at compaction). */
  historyRetentionDays(): number {
    const v = this.config().get<number>(SETTING.historyRetentionDays, 400);
    return Number.isInteger(v) && v >= 30 ? v : 400;
  }

  /** Whether a new window syncs every connection in the background after showing the kept rankings. */
  syncOnStartup(): boolean {
    return this.config().get<boolean>(SETTING.syncOnStartup, true) !== false;
  }

  /**
   * The policy set for a connection in `licenseSteward.policies`, validated, with its defaults;
   * undefined when none is set. Policies are keyed by the connection's name, as the tree shows it
   * and the CLI's `--connection` takes it (an exact key first, then one differing only in case).
   * @throws ConfigError naming the setting path and the bad field
   */
  async policyFor(connectionName: string): Promise<Policy | undefined> {
    const all = this.policies();
    const key = Object.hasOwn(all, connectionName) ? connectionName : Object.keys(all).find((k) => k.toLowerCase() === connectionName.toLowerCase());
    if (key === undefined) {
      return undefined;
    }
    // Loaded on first use: the schema validator is not needed to show a ranking.
    const { parsePolicy } = await import('../core/policyParse');
    return parsePolicy(all[key], `Setting ${SETTING.section}.${SETTING.policies}[${JSON.stringify(key)}]`);
  }

  /** The connection names `licenseSteward.policies` has a policy for. */
  policyNames(): string[] {
    return Object.keys(this.policies());
  }

  private policies(): Record<string, unknown> {
    const raw = this.config().get<unknown>(SETTING.policies, {});
    return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  }

  /** Users shown per connection before "Show more". */
  pageSize(): number {
    const v = this.config().get<number>(SETTING.pageSize, 100);
    return Number.isInteger(v) && v >= 10 ? v : 100;
  }
}
