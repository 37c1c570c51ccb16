/**
 * Who authored on a Qlik Cloud tenant, from the audit log: a user who created an app, reloaded
 * one with new data or published one has events of those types under their user id. The log
 * keeps 90 days and records the types `/audits/types` lists; where either falls short of the
 * question, the answer is AuthoringUnreadableError, never a guess.
 */
import { AuthoringUnreadableError } from '../../core/errors';
import type { CallOptions } from '../../core/licenseSource';
import { DAY_MS, type User } from '../../core/model';
import type { CloudClient } from './cloudClient';
import { asAuditPage, asAuditTypePage, type CloudAuditEvent } from './cloudWire';

const AUDITS = '/api/v1/audits';
const AUDIT_TYPES = '/api/v1/audits/types';

/** How long the audit log keeps events before they move to the archive (reference A.00). */
export const AUDIT_RETENTION_MS = 90 * DAY_MS;

/**
 * The app events that show authoring, current names first, then the `com.qlik.v1` names tenants
 * wrote before the April 2026 rename (qlik.dev changelog 210), which a log spanning it holds too.
 * Opening, exporting or deleting an app is no authoring.
 */
export const AUTHORING_EVENT_TYPES: readonly string[] = [
  'com.qlik.app.created',
  'com.qlik.app.data.updated',
  'com.qlik.app.published',
  'com.qlik.v1.app.created',
  'com.qlik.v1.app.data.updated',
  'com.qlik.v1.app.published',
];

/** The largest `limit` of `GET /audits` (specs/cloud/audits.json). */
const PAGE = 100;

/** Users asked about one filtered request each (per event type); more are answered from one listing per type. */
const USERS_ASKED_ONE_BY_ONE = 20;

/**
 * The plan's clock was read a moment before this one: a rule of exactly the log's 90 days must
 * still fit, and an hour of events more or less at the window's far end changes no verdict.
 */
const CLOCK_SLACK_MS = 3_600_000;

/** What reading authoring needs of the source. */
export interface AuthoringDeps {
  readonly client: CloudClient;
  readonly now: () => number;
  /** Whether the account reads everyone's events: the log shows a non-admin their own only. */
  readonly readsEveryonesEvents: (options?: CallOptions) => Promise<boolean>;
  /** Of the given users, the ids the tenant lists. */
  readonly listedIds: (users: readonly User[], options?: CallOptions) => Promise<ReadonlySet<string>>;
}

/**
 * Of `users`, who has an authoring event since `since`, plus those the tenant does not list
 * (nobody is taken for a consumer without the log saying so).
 * @throws AuthoringUnreadableError when the window is longer than the log keeps, the account
 *   sees only its own events, or the log records none of the authoring types
 */
export async function readAuthors(deps: AuthoringDeps, users: readonly User[], since: number, options?: CallOptions): Promise<ReadonlySet<string>> {
  const now = deps.now();
  if (now - since > AUDIT_RETENTION_MS + CLOCK_SLACK_MS) {
    const keeps = AUDIT_RETENTION_MS / DAY_MS;
    throw new AuthoringUnreadableError(
      `the Qlik Cloud audit log keeps ${keeps} days of events, fewer than the ${Math.round((now - since) / DAY_MS)} days asked about, so authoring before then cannot be ruled out; set onlyConsumesDays to ${keeps} or less`,
    );
  }
  if (!(await deps.readsEveryonesEvents(options))) {
    throw new AuthoringUnreadableError("the connection's account is not a Tenant Admin, and the audit log shows anyone else their own events only");
  }
  const types = await authoringTypes(deps.client, options);
  if (types.length === 0) {
    throw new AuthoringUnreadableError(
      `the tenant's audit log records none of the app events that show authoring (${AUDIT_TYPES} lists no com.qlik.app.created, .data.updated or .published, nor their com.qlik.v1 names)`,
    );
  }
  const listed = await deps.listedIds(users, options);
  const authors = new Set(users.filter((u) => !listed.has(u.id)).map((u) => u.id));
  const asked = users.filter((u) => listed.has(u.id));
  const window: Window = { since, now, eventTime: `${new Date(since).toISOString()}/${new Date(now).toISOString()}` };
  if (asked.length <= USERS_ASKED_ONE_BY_ONE) {
    const found = await Promise.all(asked.map(async (u) => ((await hasAuthored(deps.client, u.id, types, window, options)) ? [u.id] : [])));
    found.flat().forEach((id) => authors.add(id));
  } else {
    for (const id of await authorsAmong(deps.client, new Set(asked.map((u) => u.id)), types, window, options)) {
      authors.add(id);
    }
  }
  return authors;
}

interface Window {
  readonly since: number;
  readonly now: number;
  /** The `eventTime` filter: `<since>/<now>` in ISO 8601. */
  readonly eventTime: string;
}

/** The authoring types the tenant's log records, in AUTHORING_EVENT_TYPES order. */
async function authoringTypes(client: CloudClient, options?: CallOptions): Promise<string[]> {
  const recorded = new Set<string>();
  for await (const page of client.pages(AUDIT_TYPES, {}, asAuditTypePage, { ...options, describe: 'list the audit event types' })) {
    page.forEach((t) => recorded.add(t));
  }
  return AUTHORING_EVENT_TYPES.filter((t) => recorded.has(t));
}

/**
 * Whether an event is one asked for: the filters are checked here too, so a tenant that ignores
 * one answers more slowly, not wrongly. An event whose time cannot be read counts, on the safe side.
 */
function counts(event: CloudAuditEvent, type: string, window: Window): boolean {
  const at = event.eventTime ? Date.parse(event.eventTime) : Number.NaN;
  return event.eventType === type && (Number.isNaN(at) || (at >= window.since && at <= window.now));
}

/** One user: their events of each type in turn, until one shows authoring. */
async function hasAuthored(client: CloudClient, userId: string, types: readonly string[], window: Window, options?: CallOptions): Promise<boolean> {
  for (const type of types) {
    const query = { eventType: type, userId, eventTime: window.eventTime, limit: PAGE };
    for await (const page of client.pages(AUDITS, query, asAuditPage, { ...options, describe: 'read the audit log (app events)' })) {
      if (page.some((e) => e.userId === userId && counts(e, type, window))) {
        return true;
      }
    }
  }
  return false;
}

/** Many users: each type's events of the whole tenant in the window, read until every user is found or the log ends. */
async function authorsAmong(client: CloudClient, ids: ReadonlySet<string>, types: readonly string[], window: Window, options?: CallOptions): Promise<ReadonlySet<string>> {
  const found = new Set<string>();
  for (const type of types) {
    const query = { eventType: type, eventTime: window.eventTime, limit: PAGE };
    for await (const page of client.pages(AUDITS, query, asAuditPage, { ...options, describe: 'read the audit log (app events)' })) {
      for (const e of page) {
        if (e.userId && ids.has(e.userId) && counts(e, type, window)) {
          found.add(e.userId);
        }
      }
      if (found.size === ids.size) {
        return found;
      }
    }
  }
  return found;
}
