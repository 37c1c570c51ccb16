import { assignmentJson, consumptionJson, overviewJson, statusJson } from './cloudEntityJson';
import { openCursor, pageHref, pageRows, parseSort, queryDigest, type CloudListSpec, type CloudPage } from './cloudPaging';
import { bodyRows, fail, filterOf, json, limitOf, requireAdmin, type CloudCall, type CloudReply, type CloudRouteContext } from './cloudRouteKit';
import type { ScimAttribute } from './cloudScimFilter';
import type { AddRow, CloudAssignment, CloudConsumptionEvent, CloudSimState, UpdateRow } from './cloudSimState';

const ASSIGNMENTS: CloudListSpec<CloudAssignment> = {
  list: 'licenses/assignments',
  sortFields: { subject: (a) => a.subject, type: (a) => a.type, created: (a) => a.created },
  defaultSort: '+created',
  id: (a) => `${a.subject}\u0000${a.type}`,
};

const CONSUMPTION: CloudListSpec<CloudConsumptionEvent> = {
  list: 'licenses/consumption',
  sortFields: { endTime: (e) => e.endTime, id: (e) => e.id },
  defaultSort: '+endTime',
  id: (e) => e.id,
};

/**
 * What an assignments filter may name. The spec does not list the fields (reference A.2.4); Qlik
 * says `name` and `userId` stay filterable after they left the answers (changelog 49), so they
 * are matched through the user who has the subject.
 */
function assignmentAttributes(state: CloudSimState): Record<string, ScimAttribute<CloudAssignment>> {
  return {
    subject: { operators: ['eq', 'co'], get: (a) => a.subject },
    type: { operators: ['eq'], get: (a) => a.type },
    created: { operators: ['eq', 'ge', 'gt', 'le', 'lt'], type: 'date', get: (a) => a.created },
    name: { operators: ['eq', 'co'], get: (a) => state.userBySubject(a.subject)?.name },
    userId: { operators: ['eq'], get: (a) => state.userBySubject(a.subject)?.id },
  };
}

/** "Filterable property is endTime" (spec). */
const CONSUMPTION_ATTRIBUTES: Record<string, ScimAttribute<CloudConsumptionEvent>> = {
  endTime: { operators: ['eq', 'ge', 'gt', 'le', 'lt'], type: 'date', get: (e) => e.endTime },
};

function pageLinks<T>(ctx: CloudRouteContext, call: CloudCall, page: CloudPage<T>): Record<string, { href: string }> {
  return {
    ...(page.next !== undefined ? { next: { href: pageHref(ctx.baseUrl, call.path, call.query, { name: 'page', value: page.next }, ['page']) } } : {}),
    ...(page.prev !== undefined ? { prev: { href: pageHref(ctx.baseUrl, call.path, call.query, { name: 'page', value: page.prev }, ['page']) } } : {}),
  };
}

/** A licenses list page: one `page` cursor carries its own direction. */
function listPage<T>(ctx: CloudRouteContext, call: CloudCall, spec: CloudListSpec<T>, rows: readonly T[], limit: number, digest: string): CloudPage<T> {
  const sort = parseSort(spec, call.query['sort'], 'HTTP-400');
  const token = call.query['page'];
  const cursor = token === undefined ? undefined : openCursor(ctx.cursors, token, { list: spec.list, dir: 'either', sort: sort.text, query: digest }, 'HTTP-400');
  return pageRows(spec, rows, { sort, limit, query: digest, ...(cursor ? { cursor } : {}) }, ctx.cursors);
}

function assignments(ctx: CloudRouteContext, call: CloudCall): CloudReply {
  requireAdmin(call, 'Reading license assignments');
  const { state } = ctx;
  const limit = limitOf(call, 20, 100);
  const orphansOnly = call.query['orphans'] === 'true';
  const keep = filterOf(call.query['filter'], assignmentAttributes(state));
  const rows = state.assignments.filter((a) => keep(a) && (!orphansOnly || state.isOrphan(a)));
  const digest = queryDigest({ filter: call.query['filter'], orphans: orphansOnly ? 'true' : undefined });
  const page = listPage(ctx, call, ASSIGNMENTS, rows, limit, digest);
  return json(200, { data: page.rows.map((a) => assignmentJson(state, a)), links: pageLinks(ctx, call, page) });
}

function consumption(ctx: CloudRouteContext, call: CloudCall): CloudReply {
  requireAdmin(call, 'Reading license consumption');
  const { state } = ctx;
  const limit = limitOf(call, 200, 200);
  const keep = filterOf(call.query['filter'], CONSUMPTION_ATTRIBUTES);
  const rows = state.consumption.filter((e) => e.endTime <= state.now() && keep(e));
  const page = listPage(ctx, call, CONSUMPTION, rows, limit, queryDigest({ filter: call.query['filter'] }));
  return json(200, { data: page.rows.map(consumptionJson), links: pageLinks(ctx, call, page) });
}

function text(row: Record<string, unknown>, key: string, call: CloudCall, required: boolean): string | undefined {
  const v = row[key];
  if (v === undefined && !required) {
    return undefined;
  }
  if (typeof v !== 'string' || v === '') {
    throw fail(call.api, 400, `Every row needs a string '${key}'.`);
  }
  return v;
}

function action(ctx: CloudRouteContext, call: CloudCall, verb: 'add' | 'delete' | 'update'): CloudReply {
  requireAdmin(call, 'Changing license assignments');
  const rows = bodyRows(call, verb);
  const { state } = ctx;
  if (verb === 'update') {
    const parsed: UpdateRow[] = rows.map((r) => {
      const type = text(r, 'type', call, false);
      const sourceType = text(r, 'sourceType', call, false);
      const sourceSubject = text(r, 'sourceSubject', call, false);
      return {
        subject: text(r, 'subject', call, true) ?? '',
        ...(type !== undefined ? { type } : {}),
        ...(sourceType !== undefined ? { sourceType } : {}),
        ...(sourceSubject !== undefined ? { sourceSubject } : {}),
      };
    });
    return json(207, { data: state.updateAssignments(parsed) });
  }
  const parsed: AddRow[] = rows.map((r) => ({ subject: text(r, 'subject', call, true) ?? '', type: text(r, 'type', call, true) ?? '' }));
  return json(207, { data: verb === 'add' ? state.addAssignments(parsed) : state.deleteAssignments(parsed) });
}

function settings(ctx: CloudRouteContext, call: CloudCall): CloudReply {
  requireAdmin(call, 'License settings');
  const current = ctx.state.license.settings;
  if (call.method === 'GET') {
    // Capacity subscriptions lost the auto-assign switches (reference A.00): nothing to report.
    return json(200, current ? { ...current } : {});
  }
  if (!current) {
    throw fail(call.api, 400, 'A capacity subscription has no auto-assignment settings.');
  }
  const body = call.body;
  if (body !== undefined) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw fail(call.api, 400, 'The body must be {"autoAssignProfessional"?: boolean, "autoAssignAnalyzer"?: boolean}.');
    }
    const b = body as Record<string, unknown>;
    for (const key of ['autoAssignProfessional', 'autoAssignAnalyzer'] as const) {
      const v = b[key];
      if (v !== undefined && typeof v !== 'boolean') {
        throw fail(call.api, 400, `${key} must be true or false.`);
      }
      if (typeof v === 'boolean') {
        current[key] = v;
      }
    }
  }
  return json(200, { ...current });
}

/** /api/v1/licenses/… */
export function routeLicenses(ctx: CloudRouteContext, call: CloudCall): CloudReply | undefined {
  const [a, b, c, extra] = call.segments;
  const { method } = call;
  if (extra !== undefined) {
    return undefined;
  }
  if (a === 'overview' && b === undefined && method === 'GET') {
    return json(200, overviewJson(ctx.state));
  }
  if (a === 'status' && b === undefined && method === 'GET') {
    return json(200, statusJson(ctx.state));
  }
  if (a === 'settings' && b === undefined && (method === 'GET' || method === 'PUT')) {
    return settings(ctx, call);
  }
  if (a === 'consumption' && b === undefined && method === 'GET') {
    return consumption(ctx, call);
  }
  if (a === 'assignments' && b === undefined && method === 'GET') {
    return assignments(ctx, call);
  }
  if (a === 'assignments' && b === 'actions' && method === 'POST' && (c === 'add' || c === 'delete' || c === 'update')) {
    return action(ctx, call, c);
  }
  return undefined;
}
