/**
 * Sessions from the audit log of a capacity tenant: `com.qlik.user-session.begin` and `.end`
 * events paired into usage records of session minutes. Pure: no I/O.
 */
import type { UsageRecord, User } from '../../core/model';
import type { CloudAuditEvent } from './cloudWire';

/** The audit event types of a user session. */
export const SESSION_BEGIN = 'com.qlik.user-session.begin';
export const SESSION_END = 'com.qlik.user-session.end';

/** Paired sessions, and how many begin events could not be counted, by reason. */
export interface PairedSessions {
  readonly records: readonly UsageRecord[];
  readonly dropped: ReadonlyMap<string, number>;
}

/** The users a session may name: by Cloud user id, and by subject (lower case) as a fallback. */
export interface SessionUsers {
  readonly byId: ReadonlyMap<string, User>;
  readonly bySubject: ReadonlyMap<string, User>;
}

interface Timed {
  readonly event: CloudAuditEvent;
  readonly at: number;
  readonly session: string | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first string among `keys` of `value`, when it is an object. */
function stringField(value: unknown, keys: readonly string[]): string | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  for (const key of keys) {
    const found = value[key];
    if (typeof found === 'string' && found.length > 0) {
      return found;
    }
  }
  return undefined;
}

/**
 * The session an event belongs to, where the tenant says: the event model carries `sessionid` as
 * an extension, and services that copy it into `data` write it in either case.
 */
function sessionOf(event: CloudAuditEvent): string | undefined {
  const keys = ['sessionid', 'sessionId'];
  return stringField(event.extensions, keys) ?? stringField(event.data, keys);
}

/** The user an event names: its user id, else the subject in its data (the begin event carries one). */
function userOf(event: CloudAuditEvent, users: SessionUsers): User | undefined {
  const byId = event.userId ? users.byId.get(event.userId) : undefined;
  const subject = stringField(event.data, ['subject']);
  return byId ?? (subject ? users.bySubject.get(subject.toLowerCase()) : undefined);
}

function bump(counts: Map<string, number>, reason: string): void {
  counts.set(reason, (counts.get(reason) ?? 0) + 1);
}

/**
 * Pairs each begin with its end: the end of the same session where both name one, else the
 * user's next end after the begin and before the user's next begin. A session whose end is not
 * in the log (still open, or ended after the window) counts as a sign-in of 0 minutes with no
 * stop: the log does not say how long it lasted. Minutes are whole, a started minute counting.
 * The record id is the begin event's, so a later sync that sees the end replaces nothing twice.
 */
export function pairSessions(begins: readonly CloudAuditEvent[], ends: readonly CloudAuditEvent[], users: SessionUsers): PairedSessions {
  const dropped = new Map<string, number>();
  const timed = (event: CloudAuditEvent): Timed | undefined => {
    const at = event.eventTime ? Date.parse(event.eventTime) : Number.NaN;
    return Number.isNaN(at) ? undefined : { event, at, session: sessionOf(event) };
  };
  const endsBySession = new Map<string, Timed>();
  const endsByUser = new Map<string, Timed[]>();
  for (const event of ends) {
    const end = timed(event);
    const user = userOf(event, users);
    if (!end || !user) {
      continue;
    }
    if (end.session) {
      endsBySession.set(end.session, end);
    }
    const list = endsByUser.get(user.id) ?? [];
    list.push(end);
    endsByUser.set(user.id, list);
  }
  const beginsByUser = new Map<string, { user: User; begins: Timed[] }>();
  for (const event of begins) {
    const begin = timed(event);
    const user = userOf(event, users);
    const id = event.id ?? event.eventId;
    if (!id) {
      bump(dropped, 'without an id');
    } else if (!begin) {
      bump(dropped, 'without a readable event time');
    } else if (!user) {
      bump(dropped, 'of a user the tenant does not list');
    } else {
      const entry = beginsByUser.get(user.id) ?? { user, begins: [] };
      entry.begins.push(begin);
      beginsByUser.set(user.id, entry);
    }
  }
  const records: UsageRecord[] = [];
  for (const { user, begins: userBegins } of beginsByUser.values()) {
    userBegins.sort((a, b) => a.at - b.at);
    const used = new Set<Timed>();
    const userEnds = (endsByUser.get(user.id) ?? []).sort((a, b) => a.at - b.at);
    for (const [index, begin] of userBegins.entries()) {
      const nextBegin = userBegins[index + 1]?.at ?? Number.POSITIVE_INFINITY;
      const keyed = begin.session ? endsBySession.get(begin.session) : undefined;
      const end =
        keyed && keyed.at >= begin.at && !used.has(keyed)
          ? keyed
          : // An end that names another session is that session's, unless this begin names none.
            userEnds.find((e) => !used.has(e) && (begin.session === undefined || e.session === undefined) && e.at >= begin.at && e.at <= nextBegin);
      if (end) {
        used.add(end);
      }
      records.push({
        id: begin.event.id ?? begin.event.eventId ?? '',
        user,
        start: begin.at,
        stop: end ? end.at : null,
        unit: 'capacityMinutes',
        amount: end ? Math.ceil((end.at - begin.at) / 60_000) : 0,
        pool: null,
      });
    }
  }
  return { records, dropped };
}
