/**
 * The typed messages between the usage-history panel (host, src/panels) and its webview
 * (media/history). Shared by both bundles; no vscode and no DOM imports here.
 */

/** Ranges the admin can switch between. */
export type HistoryRange = '28d' | '90d' | '1y' | 'all';

/** All ranges, in the order the range switcher shows them. */
export const HISTORY_RANGES: readonly HistoryRange[] = ['28d', '90d', '1y', 'all'];

/**
 * What a connection's history counts, and so how the panel draws it: login passes and their
 * token-equivalents (Qlik Sense), capacity minutes (Qlik Cloud), or hours of license use
 * (License Statistics).
 */
export type HistoryMeasure = 'tokens' | 'capacity' | 'hours';

/** Every measure, for the webview's validation of what the host sends. */
export const HISTORY_MEASURES: readonly HistoryMeasure[] = ['tokens', 'capacity', 'hours'];

/** One day of one series: UTC midnight in epoch ms, and the values of that day. */
export interface DailyValues {
  readonly day: number;
  readonly loginPasses: number;
  readonly tokens: number;
  readonly capacityMinutes: number;
  /** Hours of license use (License Statistics), to 2 decimals; 0 for the other systems. */
  readonly hours: number;
}

/** A marker on the time axis: an allocation change from the audit log or seen by a sync. */
export interface ChartEvent {
  readonly day: number;
  readonly kind: 'assigned' | 'revoked' | 'quarantined' | 'reinstated' | 'deleted';
  /** Who, e.g. `CORP\jdoe`; for a site chart the user the change was about. */
  readonly user: string;
  /** `manual`, `rule: <name>` or `seen by sync`. */
  readonly source: string;
}

/** What the panel shows for one user. */
export interface UserHistory {
  readonly target: 'user';
  /** The connection's display name. */
  readonly connection: string;
  readonly user: { readonly key: string; readonly name: string };
  readonly range: HistoryRange;
  readonly days: readonly DailyValues[];
  /**
   * Up to 27 days just before `days[0]`, oldest first, where history has them: they complete the
   * rolling 28-day total on the first days shown, so a 28-day chart does not start near zero.
   */
  readonly leadIn: readonly DailyValues[];
  /** Which measure the connection uses: login passes and tokens, capacity minutes, or hours of license use. */
  readonly measure: HistoryMeasure;
  /** Login passes per 28 days at which a user access pass is cheaper (10 on every known site). */
  readonly breakEvenPasses: number;
  readonly events: readonly ChartEvent[];
  /**
   * UTC midnight of the first day the connection's history store holds (any user's use or a pool
   * reading), when it holds any. Days before it are unknown rather than idle, and a rolling total
   * covers fewer than 28 recorded days until 27 days after it.
   */
  readonly historyStart?: number;
}

/** What the panel shows for a site: the top users stacked, and the token pool. */
export interface SiteHistory {
  readonly target: 'site';
  /** The connection's display name. */
  readonly connection: string;
  readonly range: HistoryRange;
  readonly measure: HistoryMeasure;
  /** Site totals per day. */
  readonly totals: readonly DailyValues[];
  /**
   * The top users' daily series (token-equivalents, capacity minutes or hours), largest first. `name` is
   * what the legend and the CSV show: the display name, with `DIR\id` added when another top user
   * shows the same name.
   */
  readonly top: readonly { readonly key: string; readonly name: string; readonly values: readonly number[] }[];
  /** The days the `top` values are for (same length as each `values`). */
  readonly topDays: readonly number[];
  /** The pool's used and available tokens as each sync saw them, where known. */
  readonly pool: readonly { readonly day: number; readonly used: number; readonly available: number }[];
  readonly events: readonly ChartEvent[];
  /** As for {@link UserHistory.historyStart}. */
  readonly historyStart?: number;
}

/** Host → webview. */
export type HostMessage =
  /** First answer to `ready`: what the panel shows, for the webview to persist with setState. */
  | { readonly type: 'init'; readonly state: HistoryPanelState }
  | { readonly type: 'history'; readonly data: UserHistory | SiteHistory }
  | { readonly type: 'loading'; readonly range: HistoryRange }
  | { readonly type: 'error'; readonly message: string }
  | { readonly type: 'exported'; readonly path: string };

/** Webview → host. Every one is validated by `parseWebviewMessage` before use. */
export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'setRange'; readonly range: HistoryRange }
  | { readonly type: 'exportCsv' };

/** The webview's persisted state (vscode.setState), restored after a reload. */
export interface HistoryPanelState {
  readonly connection: string;
  /** A user key, or null for the site view. */
  readonly user: string | null;
  /** The user's display name, so a revived panel can name the user before any sync. */
  readonly userName?: string;
  /** The connection's name, so a revived panel whose connection was removed can still name it. */
  readonly connectionName?: string;
  readonly range: HistoryRange;
}

/** Narrows an untrusted message from the webview; anything else is undefined. */
export function parseWebviewMessage(m: unknown): WebviewMessage | undefined {
  if (typeof m !== 'object' || m === null) {
    return undefined;
  }
  const o = m as Record<string, unknown>;
  switch (o['type']) {
    case 'ready':
      return { type: 'ready' };
    case 'exportCsv':
      return { type: 'exportCsv' };
    case 'setRange': {
      const range = o['range'];
      return typeof range === 'string' && (HISTORY_RANGES as readonly string[]).includes(range) ? { type: 'setRange', range: range as HistoryRange } : undefined;
    }
    default:
      return undefined;
  }
}

/** Narrows persisted panel state (it comes back from the webview on reload). */
export function parsePanelState(s: unknown): HistoryPanelState | undefined {
  if (typeof s !== 'object' || s === null) {
    return undefined;
  }
  const o = s as Record<string, unknown>;
  const range = o['range'];
  if (typeof o['connection'] !== 'string' || (o['user'] !== null && typeof o['user'] !== 'string') || typeof range !== 'string' || !(HISTORY_RANGES as readonly string[]).includes(range)) {
    return undefined;
  }
  const userName = typeof o['userName'] === 'string' ? { userName: o['userName'] } : {};
  const connectionName = typeof o['connectionName'] === 'string' ? { connectionName: o['connectionName'] } : {};
  return { connection: o['connection'], user: o['user'] as string | null, range: range as HistoryRange, ...userName, ...connectionName };
}
