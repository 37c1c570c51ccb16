/** What one usage-history panel shows: a user of a connection, or the connection's site totals. */
export interface HistoryTarget {
  readonly connectionId: string;
  /** `DIRECTORY\id` of the user, or null for the site view. */
  readonly userKey: string | null;
  /** The user's display name as the tree showed it; for titles only, not part of the key. */
  readonly userName?: string;
  /** The connection's name when the panel opened: a panel revived after it was removed still names it. */
  readonly connectionName?: string;
}

/** One key per target, so reopening the same target reveals its panel instead of a second one. */
export function historyTargetKey(t: HistoryTarget): string {
  return JSON.stringify([t.connectionId, t.userKey]);
}
