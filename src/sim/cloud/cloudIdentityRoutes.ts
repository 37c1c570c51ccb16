import { everyoneGroupJson, groupJson, parseFields, roleJson, userJson } from './cloudEntityJson';
import { openCursor, pageRows, parseSort, queryDigest, type CloudListSpec } from './cloudPaging';
import { fail, filterOf, json, limitOf, nextOrPrev, nextPrevLinks, requireAdmin, type CloudCall, type CloudReply, type CloudRouteContext } from './cloudRouteKit';
import { ScimFilterError, scimAttributes, topLevelConjuncts, type ScimAttribute, type ScimNode } from './cloudScimFilter';
import type { CloudGroup, CloudRole, CloudSimState, CloudUser } from './cloudSimState';

const EVERYONE_ID = '000000000000000000000001';

const USERS: CloudListSpec<CloudUser> = {
  list: 'users',
  sortFields: {
    name: (u) => u.name,
    _id: (u) => u.id,
    id: (u) => u.id,
    tenantId: () => null,
    clientId: (u) => u.clientId ?? null,
    status: (u) => u.status,
    subject: (u) => u.subject,
    email: (u) => u.email ?? null,
    inviteExpiry: (u) => u.inviteExpiry ?? null,
    createdAt: (u) => u.createdAt,
  },
  defaultSort: '+name',
  id: (u) => u.id,
};

const GROUPS: CloudListSpec<CloudGroup> = {
  list: 'groups',
  sortFields: { name: (g) => g.name, id: (g) => g.id, status: (g) => g.status, providerType: (g) => g.providerType, createdAt: (g) => g.createdAt, lastUpdatedAt: (g) => g.lastUpdatedAt },
  defaultSort: '+name',
  id: (g) => g.id,
};

const ROLES: CloudListSpec<CloudRole> = {
  list: 'roles',
  sortFields: { name: (r) => r.name, id: (r) => r.id, type: (r) => r.type, level: (r) => r.level, createdAt: (r) => r.createdAt, lastUpdatedAt: (r) => r.lastUpdatedAt },
  defaultSort: '+name',
  id: (r) => r.id,
};

/** GET /users filter fields and operators, as the spec's `filter` description lists them. */
function userAttributes(state: CloudSimState): Record<string, ScimAttribute<CloudUser>> {
  const roles = (u: CloudUser): CloudRole[] => state.userRoles(u);
  const groups = (u: CloudUser): CloudGroup[] => u.groupIds.map((id) => state.group(id)).filter((g) => g !== undefined);
  return {
    id: { operators: ['eq'], get: (u) => u.id },
    subject: { operators: ['eq', 'co'], get: (u) => u.subject },
    name: { operators: ['eq', 'co'], get: (u) => u.name },
    email: { operators: ['eq', 'co'], get: (u) => u.email },
    status: { operators: ['eq'], get: (u) => u.status },
    clientId: { operators: ['eq'], get: (u) => u.clientId },
    'assignedRoles.id': { operators: ['eq'], get: (u) => roles(u).map((r) => r.id) },
    'assignedRoles.name': { operators: ['eq'], get: (u) => roles(u).map((r) => r.name) },
    'assignedGroups.id': { operators: ['eq'], get: (u) => u.groupIds },
    'assignedGroupsAssignedRoles.name': {
      operators: ['eq'],
      get: (u) => groups(u).flatMap((g) => g.roleIds.map((id) => state.role(id)?.name ?? '')),
    },
    assignedScopes: { operators: ['eq'], get: () => [] },
  };
}

/**
 * "Any filters for status must be grouped together and applied to the whole query" (spec): a
 * status comparison may only sit in a top-level `and` term made of status comparisons alone.
 */
function checkStatusGrouping(node: ScimNode): void {
  for (const term of topLevelConjuncts(node)) {
    const names = scimAttributes(term);
    if (names.has('status') && names.size > 1) {
      throw new ScimFilterError('Filters on status must be grouped together and ANDed with the rest of the query, e.g. (name eq "Bob") and (status eq "active" or status eq "disabled").');
    }
  }
}

const GROUP_ATTRIBUTES: Record<string, ScimAttribute<CloudGroup>> = {
  id: { operators: ['eq'], get: (g) => g.id },
  name: { operators: ['eq', 'co'], get: (g) => g.name },
  status: { operators: ['eq'], get: (g) => g.status },
  providerType: { operators: ['eq'], get: (g) => g.providerType },
  createdAt: { operators: ['eq', 'ge', 'gt', 'le', 'lt'], type: 'date', get: (g) => g.createdAt },
  lastUpdatedAt: { operators: ['eq', 'ge', 'gt', 'le', 'lt'], type: 'date', get: (g) => g.lastUpdatedAt },
};

const ROLE_ATTRIBUTES: Record<string, ScimAttribute<CloudRole>> = {
  id: { operators: ['eq'], get: (r) => r.id },
  name: { operators: ['eq', 'co'], get: (r) => r.name },
  type: { operators: ['eq'], get: (r) => r.type },
  level: { operators: ['eq'], get: (r) => r.level },
  description: { operators: ['eq', 'co'], get: (r) => r.description },
  permissions: { operators: ['eq'], get: (r) => r.permissions },
  createdAt: { operators: ['eq', 'ge', 'gt', 'le', 'lt'], type: 'date', get: (r) => r.createdAt },
  lastUpdatedAt: { operators: ['eq', 'ge', 'gt', 'le', 'lt'], type: 'date', get: (r) => r.lastUpdatedAt },
};

/** One next/prev page of a list, with `totalResults` when asked for. */
function nextPrevList<T>(
  ctx: CloudRouteContext,
  call: CloudCall,
  spec: CloudListSpec<T>,
  rows: readonly T[],
  options: { readonly filter: string | undefined; readonly render: (row: T) => unknown },
): CloudReply {
  const limit = limitOf(call, 20, 100);
  const sort = parseSort(spec, call.query['sort'], 'HTTP-400');
  const digest = queryDigest({ filter: options.filter });
  const at = nextOrPrev(call);
  const cursor = at ? openCursor(ctx.cursors, at.token, { list: spec.list, dir: at.dir, sort: sort.text, query: digest }, 'HTTP-400') : undefined;
  const page = pageRows(spec, rows, { sort, limit, query: digest, ...(cursor ? { cursor } : {}) }, ctx.cursors);
  return json(200, {
    data: page.rows.map(options.render),
    links: nextPrevLinks(ctx, call, page),
    ...(call.query['totalResults'] === 'true' ? { totalResults: page.total } : {}),
  });
}

function listUsers(ctx: CloudRouteContext, call: CloudCall, filter: string | undefined): CloudReply {
  const { state } = ctx;
  const keep = filterOf(filter, userAttributes(state), checkStatusGrouping);
  const fields = parseFields(call.query['fields']);
  return nextPrevList(ctx, call, USERS, state.users.filter(keep), {
    filter,
    render: (u) => userJson(state, u, ctx.baseUrl, { ...(fields ? { fields } : {}), showRoles: call.admin || u.id === call.actor.user.id }),
  });
}

/** Role references `{id}` or `{name}`, resolved; an unknown one is a 400. */
function roleRefs(ctx: CloudRouteContext, call: CloudCall, value: unknown): string[] {
  const refs = Array.isArray(value) ? value : [value];
  return refs.map((ref: unknown) => {
    const r = typeof ref === 'object' && ref !== null ? (ref as Record<string, unknown>) : {};
    const role = typeof r['id'] === 'string' ? ctx.state.role(r['id']) : typeof r['name'] === 'string' ? ctx.state.roleByName(r['name']) : undefined;
    if (!role) {
      throw fail(call.api, 400, `No role ${JSON.stringify(ref)} in the tenant.`);
    }
    return role.id;
  });
}

/**
 * PATCH /users/{id}: JSON Patch as the users API takes it (reference A.3.1). Every operation is
 * checked before any is applied, so a refused patch changes nothing.
 */
function patchUser(ctx: CloudRouteContext, call: CloudCall, user: CloudUser): CloudReply {
  requireAdmin(call, 'Changing a user');
  if (!Array.isArray(call.body)) {
    throw fail(call.api, 400, 'The body must be a JSON Patch array.');
  }
  if (user.status === 'deleted') {
    throw fail(call.api, 400, 'A deleted user cannot be changed.');
  }
  const changes: ((u: CloudUser) => void)[] = [];
  for (const raw of call.body as unknown[]) {
    const p = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
    const { op, path, value } = p;
    if (op === 'set' || op === 'unset' || path === '/roles') {
      throw fail(call.api, 400, `'${String(op)} ${String(path)}' was removed on 2022-11-01: use replace /assignedRoles.`);
    }
    if (op === 'replace' && path === '/status') {
      if (value !== 'active' && value !== 'disabled') {
        throw fail(call.api, 400, `/status can be replaced with active or disabled, not ${JSON.stringify(value)}.`);
      }
      changes.push((u) => {
        u.status = value;
      });
    } else if (op === 'replace' && path === '/name' && typeof value === 'string' && value.trim() !== '') {
      changes.push((u) => {
        u.name = value;
      });
    } else if (op === 'replace' && (path === '/preferredLocale' || path === '/preferredZoneinfo') && typeof value === 'string') {
      changes.push((u) => {
        if (path === '/preferredLocale') {
          u.locale = value;
        } else {
          u.zoneinfo = value;
        }
      });
    } else if (op === 'replace' && path === '/assignedRoles' && Array.isArray(value)) {
      const ids = roleRefs(ctx, call, value);
      changes.push((u) => {
        u.roleIds = [...new Set(ids)];
      });
    } else if (op === 'add' && (path === '/assignedRoles/-' || path === '/assignedRoles')) {
      const ids = roleRefs(ctx, call, value);
      changes.push((u) => {
        u.roleIds = [...new Set([...u.roleIds, ...ids])];
      });
    } else if (op === 'remove-value' && path === '/assignedRoles') {
      const ids = new Set(roleRefs(ctx, call, value));
      changes.push((u) => {
        u.roleIds = u.roleIds.filter((id) => !ids.has(id));
      });
    } else {
      throw fail(call.api, 400, `The simulator does not support '${String(op)} ${String(path)}' with this value.`);
    }
  }
  for (const change of changes) {
    change(user);
  }
  user.lastUpdatedAt = ctx.state.now();
  return { kind: 'empty', status: 204 };
}

function createUser(ctx: CloudRouteContext, call: CloudCall): CloudReply {
  requireAdmin(call, 'Creating a user');
  const b = typeof call.body === 'object' && call.body !== null && !Array.isArray(call.body) ? (call.body as Record<string, unknown>) : {};
  if (typeof b['subject'] !== 'string' || b['subject'] === '') {
    throw fail(call.api, 400, 'subject is required.');
  }
  const roleIds = b['assignedRoles'] === undefined ? [] : roleRefs(ctx, call, b['assignedRoles']);
  const user = ctx.state.addUser({
    subject: b['subject'],
    name: typeof b['name'] === 'string' ? b['name'] : b['subject'],
    ...(typeof b['email'] === 'string' ? { email: b['email'] } : {}),
    status: 'invited',
  });
  user.roleIds = roleIds;
  return json(201, userJson(ctx.state, user, ctx.baseUrl, { showRoles: true }));
}

/** /api/v1/users/… */
export function routeUsers(ctx: CloudRouteContext, call: CloudCall): CloudReply | undefined {
  const [a, b, extra] = call.segments;
  const { method, query } = call;
  const { state } = ctx;
  if (extra !== undefined) {
    return undefined;
  }
  if (a === undefined) {
    return method === 'GET' ? listUsers(ctx, call, query['filter']) : method === 'POST' ? createUser(ctx, call) : undefined;
  }
  if (a === 'me' && b === undefined && method === 'GET') {
    // Documented as a 301 to the user resource (spec); the query (fields=…) goes along.
    const qs = new URLSearchParams(query).toString();
    return { kind: 'redirect', status: 301, location: `${ctx.baseUrl}/api/v1/users/${call.actor.user.id}${qs ? `?${qs}` : ''}` };
  }
  if (a === 'actions' && b === 'count' && method === 'GET') {
    return json(200, { total: state.users.length });
  }
  if (a === 'actions' && b === 'filter' && method === 'POST') {
    const body = call.body;
    const f = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)['filter'] : undefined;
    return listUsers(ctx, call, typeof f === 'string' ? f : undefined);
  }
  if (b !== undefined || a === 'actions') {
    return undefined;
  }
  const user = state.user(a);
  if (method === 'GET') {
    if (!user) {
      throw fail(call.api, 404, `No user with id ${a}.`);
    }
    const fields = parseFields(query['fields']);
    return json(200, userJson(state, user, ctx.baseUrl, { ...(fields ? { fields } : {}), showRoles: call.admin || user.id === call.actor.user.id }));
  }
  if (method === 'PATCH' || method === 'DELETE') {
    if (!user) {
      throw fail(call.api, 404, `No user with id ${a}.`);
    }
    if (method === 'PATCH') {
      return patchUser(ctx, call, user);
    }
    requireAdmin(call, 'Deleting a user');
    state.removeUser(user.id);
    return { kind: 'empty', status: 204 };
  }
  return undefined;
}

/** /api/v1/groups/… */
export function routeGroups(ctx: CloudRouteContext, call: CloudCall): CloudReply | undefined {
  const [a, b] = call.segments;
  const { state } = ctx;
  if (call.method !== 'GET' || b !== undefined) {
    return undefined;
  }
  if (a === undefined) {
    if (call.query['systemGroups'] === 'true') {
      if (Object.keys(call.query).length > 1) {
        throw fail(call.api, 400, 'systemGroups cannot be combined with other query parameters.');
      }
      return json(200, { data: [everyoneGroupJson(state, ctx.baseUrl)], links: { self: { href: `${ctx.baseUrl}${call.path}?systemGroups=true` } } });
    }
    const filter = call.query['filter'];
    const keep = filterOf(filter, GROUP_ATTRIBUTES);
    return nextPrevList(ctx, call, GROUPS, state.groups.filter(keep), { filter, render: (g) => groupJson(state, g, ctx.baseUrl) });
  }
  if (a === 'settings') {
    requireAdmin(call, 'Group settings');
    const everyone = everyoneGroupJson(state, ctx.baseUrl);
    return json(200, {
      tenantId: state.tenantId,
      autoCreateGroups: true,
      systemGroups: {
        [EVERYONE_ID]: { id: EVERYONE_ID, name: 'com.qlik.Everyone', enabled: true, assignedRoles: [], createdAt: everyone['createdAt'], lastUpdatedAt: everyone['lastUpdatedAt'] },
      },
      links: { self: { href: `${ctx.baseUrl}/api/v1/groups/settings` } },
    });
  }
  if (a === EVERYONE_ID) {
    return json(200, everyoneGroupJson(state, ctx.baseUrl));
  }
  const group = state.group(a);
  if (!group) {
    throw fail(call.api, 404, `No group with id ${a}.`);
  }
  return json(200, groupJson(state, group, ctx.baseUrl));
}

/** /api/v1/roles/…: tenant admins only since 2024-04 (erratum roles-admin-only). */
export function routeRoles(ctx: CloudRouteContext, call: CloudCall): CloudReply | undefined {
  const [a, b] = call.segments;
  const { state } = ctx;
  if (call.method !== 'GET' || b !== undefined) {
    return undefined;
  }
  requireAdmin(call, 'The roles API');
  if (a === undefined) {
    const filter = call.query['filter'];
    const keep = filterOf(filter, ROLE_ATTRIBUTES);
    return nextPrevList(ctx, call, ROLES, state.roles.filter(keep), { filter, render: (r) => roleJson(state, r, ctx.baseUrl) });
  }
  const role = state.role(a);
  if (!role) {
    throw fail(call.api, 404, `No role with id ${a}.`);
  }
  return json(200, roleJson(state, role, ctx.baseUrl));
}
