/**
 * The sentences an admin reads when a sync does not finish: cancelled, or the server went away
 * halfway. Both say which ranking is still shown and how old it is, because that is what the
 * admin will act on next.
 */
import { failureKindOf, TimeoutError } from './errors';
import { formatAge } from './format';

/** The local time of a sync: `14:05` today, `30 Nov 2026, 14:05` before. */
export function formatSyncTime(at: number, now: number): string {
  const d = new Date(at);
  const sameDay = d.toDateString() === new Date(now).toDateString();
  return sameDay ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** `the ranking from 14:05 (2 h ago)`. */
export function rankingFrom(at: number, now: number): string {
  return `the ranking from ${formatSyncTime(at, now)} (${formatAge(at, now)})`;
}

/** A connection a cancelled sync did not bring up to date, and the ranking it still shows. */
export interface UnsyncedConnection {
  readonly name: string;
  /** When the ranking shown was synced; undefined when there is none. */
  readonly shownAt: number | undefined;
}

/**
 * What to tell the admin after cancelling: `Sync cancelled — showing the ranking from 14:05 (2 h
 * ago).` for one connection; each connection by name when the sync covered several.
 */
export function cancelledSyncNotice(unsynced: readonly UnsyncedConnection[], now: number, severalTargets: boolean): string {
  if (!severalTargets && unsynced.length === 1) {
    const at = unsynced[0]?.shownAt;
    return at === undefined ? 'Sync cancelled — nothing is synced yet; run Sync when the server can be reached.' : `Sync cancelled — showing ${rankingFrom(at, now)}.`;
  }
  const parts = unsynced.map((c) => `"${c.name}" ${c.shownAt === undefined ? 'is not synced yet' : `shows ${rankingFrom(c.shownAt, now)}`}`);
  return `Sync cancelled — ${parts.join('; ')}.`;
}

/** How far a sync got when it stopped, from its progress reports. */
export interface SyncStep {
  /** The last step started: `allocations` lasts until the first page of usage arrives. */
  readonly step: 'overview' | 'allocations' | 'usage' | 'ranking';
  /** Usage records read so far. */
  readonly records: number;
}

/**
 * The plain-words message when the server went away after it had started answering (the
 * connection reset, the server stopped answering or was gone when the transport tried again, a
 * gateway said it is unavailable), or null for any other failure, whose own message already says
 * what to do. Nothing of such a sync is recorded: the history store writes only when every page
 * arrived.
 */
export function midSyncFailure(e: unknown, where: SyncStep, shownAt: number | undefined, now: number): string | null {
  if (failureKindOf(e) !== 'network' || where.step === 'overview') {
    return null;
  }
  const after = where.step === 'usage' ? `, after ${where.records.toLocaleString('en-US')} usage records` : '';
  const cause = (e as Error).message.replace(/\.?\s*$/, '.');
  const kept = shownAt === undefined ? 'nothing is shown until a sync completes' : `the tree keeps ${rankingFrom(shownAt, now)}`;
  const advice =
    e instanceof TimeoutError
      ? "Sync again once the server answers; if it is only slow, raise the connection's timeoutSeconds."
      : 'Check that the server is up (a restarting Qlik Sense Repository Service drops its connections), then sync again.';
  return `The server went away in the middle of the sync${after}. Nothing of this sync was recorded and ${kept}. ${advice} (${cause})`;
}
