import { APP_EVENT_SOURCE, archivedAuditJson, auditJson, auditRetained, auditSource, SESSION_EVENT_SOURCE } from './cloudEntityJson';
import { openCursor, pageRows, queryDigest, type CloudListSpec, type CloudSort } from './cloudPaging';
import { fail, json, limitOf, nextOrPrev, nextPrevLinks, type CloudCall, type CloudReply, type CloudRouteContext } from './cloudRouteKit';
import { AUDIT_RETENTION_MS, type CloudAppEvent, type CloudAuditEvent } from './cloudSimState';

/** One event of the log: a session's or an app's. */
type AuditRow = CloudAuditEvent | CloudAppEvent;

const AUDITS: CloudListSpec<AuditRow> = {
  list: 'audits',
  sortFields: { eventTime: (e) => e.eventTime, eventType: (e) => e.eventType, source: auditSource },
  defaultSort: '-eventTime',
  id: (e) => e.id,
};

/** "A property must be prefixed by + or -" (spec): audits is stricter than the other lists. */
function auditSort(call: CloudCall): CloudSort<AuditRow> {
  const raw = call.query['sort'] ?? AUDITS.defaultSort;
  const m = /^([+-])(\w+)$/.exec(raw);
  const get = m?.[2] ? AUDITS.sortFields[m[2]] : undefined;
  if (!m || !get) {
    throw fail(call.api, 400, `sort must be +/- followed by one of ${Object.keys(AUDITS.sortFields).join(', ')}, not '${raw}'.`);
  }
  return { text: raw, descending: m[1] === '-', get };
}

/** `eventTime=<from>/<to>`, both ISO 8601, inclusive. */
function interval(call: CloudCall, text: string): [number, number] {
  const [a, b, extra] = text.split('/');
  const from = a === undefined ? NaN : Date.parse(a);
  const to = b === undefined ? NaN : Date.parse(b);
  if (extra !== undefined || Number.isNaN(from) || Number.isNaN(to) || to < from) {
    throw fail(call.api, 400, `eventTime must be <start>/<end> in ISO 8601, not '${text}'.`);
  }
  return [from, to];
}

function list(ctx: CloudRouteContext, call: CloudCall): CloudReply {
  const { state } = ctx;
  const q = call.query;
  const limit = limitOf(call, 10, 100);
  const sort = auditSort(call);
  const [from, to] = q['eventTime'] !== undefined ? interval(call, q['eventTime']) : [-Infinity, Infinity];
  const ids = q['id'] !== undefined ? new Set(q['id'].split(',').map((s) => s.trim())) : undefined;
  // Non-admins read their own trail only; the spec declares no 403 for this list.
  const userId = call.admin ? q['userId'] : call.actor.user.id;
  if (!call.admin && q['userId'] !== undefined && q['userId'] !== userId) {
    return json(200, { data: [], links: nextPrevLinks(ctx, call, { rows: [], total: 0 }) });
  }
  const rows = state.auditTrail().filter(
    (e) =>
      auditRetained(state, e) &&
      e.eventTime >= from &&
      e.eventTime <= to &&
      (q['eventType'] === undefined || e.eventType === q['eventType']) &&
      (q['source'] === undefined || q['source'] === auditSource(e)) &&
      (userId === undefined || e.userId === userId) &&
      (ids === undefined || ids.has(e.id)),
  );
  const digest = queryDigest({ eventTime: q['eventTime'], eventType: q['eventType'], source: q['source'], userId, id: q['id'] });
  const at = nextOrPrev(call);
  const cursor = at ? openCursor(ctx.cursors, at.token, { list: AUDITS.list, dir: at.dir, sort: sort.text, query: digest }, 'HTTP-400') : undefined;
  const page = pageRows(AUDITS, rows, { sort, limit, query: digest, ...(cursor ? { cursor } : {}) }, ctx.cursors);
  return json(200, { data: page.rows.map((e) => auditJson(state, e, ctx.baseUrl)), links: nextPrevLinks(ctx, call, page) });
}

/** GET /audits/archive?date=: one day of events that left the 90-day list (reference A.00). */
function archive(ctx: CloudRouteContext, call: CloudCall): CloudReply {
  const { state } = ctx;
  const date = call.query['date'] ?? '';
  const start = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00Z`) : NaN;
  if (Number.isNaN(start)) {
    throw fail(call.api, 400, `date must be YYYY-MM-DD, not '${date}'.`);
  }
  if (start + 86_400_000 > state.now() - AUDIT_RETENTION_MS) {
    throw fail(call.api, 404, `${date} is not archived yet: events stay in /api/v1/audits for 90 days.`);
  }
  const events = state.auditTrail().filter((e) => e.eventTime >= start && e.eventTime < start + 86_400_000 && (call.admin || e.userId === call.actor.user.id));
  return json(200, { data: events.sort((x, y) => x.eventTime - y.eventTime).map((e) => archivedAuditJson(state, e)) });
}

/** /api/v1/audits/… */
export function routeAudits(ctx: CloudRouteContext, call: CloudCall): CloudReply | undefined {
  const [a, b] = call.segments;
  const { state } = ctx;
  if (call.method !== 'GET' || b !== undefined) {
    return undefined;
  }
  const self = { self: { href: `${ctx.baseUrl}${call.path}` } };
  switch (a) {
    case undefined:
      return list(ctx, call);
    case 'archive':
      return archive(ctx, call);
    case 'types':
      return json(200, { data: state.auditTypes(), links: self });
    case 'sources':
      return json(200, { data: state.appEventTypes.length > 0 || state.appEvents.length > 0 ? [SESSION_EVENT_SOURCE, APP_EVENT_SOURCE] : [SESSION_EVENT_SOURCE], links: self });
    case 'settings':
      return json(200, { data: { EventTTL: AUDIT_RETENTION_MS / 1000, ArchiveEnabled: true } });
    default: {
      const event = state.auditTrail().find((e) => e.id === a);
      if (!event || !auditRetained(state, event) || (!call.admin && event.userId !== call.actor.user.id)) {
        throw fail(call.api, 404, `No audit event with id ${a}.`);
      }
      return json(200, auditJson(state, event, ctx.baseUrl));
    }
  }
}
