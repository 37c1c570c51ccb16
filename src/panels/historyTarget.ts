/** What one usage-history panel shows: a user of a connection, or the connection's site totals. */
export interface HistoryTarget {
  readonly connectionId: string;
  /** `DIRECTORY\id` of the user, or null for the site view. */
  readonly userKey: string | null;
}

/** One key per target, so reopening the same target reveals its panel instead of a second one. */
export function historyTargetKey(t: HistoryTarget): string {
  return JSON.stringify([t.connectionId, t.userKey]);
}
