import type { HistoryRange, SiteHistory, UserHistory } from '../protocol/historyMessages';

/**
 * Where the usage-history panel gets its data. The extension implements it on top of the local
 * history store; tests pass a generator. Implementations reject with a short, user-facing message
 * when there is nothing to show (the panel displays it).
 */
export interface HistoryDataProvider {
  /** `knownName`: the name the panel was opened with, for when no sync has named the user yet. */
  userHistory(connectionId: string, userKey: string, range: HistoryRange, knownName?: string): Promise<UserHistory>;
  siteHistory(connectionId: string, range: HistoryRange): Promise<SiteHistory>;
  /** The connection's display name, or undefined once it was removed. */
  connectionName(connectionId: string): string | undefined;
}
