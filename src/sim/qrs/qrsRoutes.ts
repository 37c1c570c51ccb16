import { randomUUID } from 'node:crypto';
import type { PassKind } from '../../core/model';
import type { QrsActor } from './qrsAuth';
import type { QrsCollection } from './qrsCollections';
import { aboutJson, allocationJson, isoDate, overviewJson, type Privileges } from './qrsEntityJson';
import { parseQrsDate, QrsQueryError, type QrsField } from './qrsFilter';
import { parseQrsOrderBy } from './qrsOrderBy';
import type { QrsQueryEngine } from './qrsQueryEngine';
import { QrsSimError, type QrsSimState } from './qrsSimState';

/** One authenticated call, path relative to /qrs. */
export interface QrsCall {
  readonly method: string;
  /** Decoded path segments, original case. */
  readonly segments: readonly string[];
  /** Query parameters by lower-case name. */
  readonly query: ReadonlyMap<string, string>;
  readonly body: unknown;
  readonly actor: QrsActor;
}

/** What the simulator answers; lists are streamed so a 300,000-row /full never becomes one string. */
export type QrsReply =
  | { readonly kind: 'json'; readonly status: number; readonly json: unknown }
  | { readonly kind: 'text'; readonly status: number; readonly text: string }
  | { readonly kind: 'list'; readonly status: number; readonly rows: ArrayLike<unknown>; readonly render: (row: unknown) => unknown }
  | { readonly kind: 'empty'; readonly status: number };

/** What routing needs. */
export interface QrsRouteContext {
  readonly state: QrsSimState;
  readonly collections: ReadonlyMap<string, QrsCollection<unknown>>;
  readonly engine: QrsQueryEngine;
}

const ALLOCATION_KINDS: Readonly<Record<string, PassKind>> = {
  'license/useraccesstype': 'user',
  'license/professionalaccesstype': 'professional',
  'license/analyzeraccesstype': 'analyzer',
};

/** What the default security rules grant: everything to admins, reading oneself to others. */
function privilegesFor(call: QrsCall, own: boolean): Privileges {
  if (call.query.get('privileges')?.toLowerCase() !== 'true') {
    return undefined;
  }
  return call.actor.admin ? ['create', 'read', 'update', 'delete'] : own ? ['read'] : [];
}

function json(status: number, body: unknown): QrsReply {
  return { kind: 'json', status, json: body };
}

function forbidden(): QrsReply {
  return { kind: 'text', status: 403, text: 'Access denied: the security rules do not allow this action for the current user.' };
}

function intParam(call: QrsCall, name: string): number {
  const raw = call.query.get(name);
  if (raw === undefined || raw === '') {
    return 0;
  }
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new QrsSimError(400, `${name} must be a non-negative integer, not '${raw}'.`);
  }
  return n;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Rows the caller may see. License entities are filtered out entirely for non-admins (QRS
 * applies security rules and answers an empty list, Qlik-Cli #88); users see themselves.
 */
function visible(ctx: QrsRouteContext, c: QrsCollection<unknown>, call: QrsCall, filter: boolean): readonly unknown[] {
  if (!call.actor.admin && c.licenseData) {
    return [];
  }
  const sortText = call.query.get('orderby');
  const rows = ctx.engine.select(c, {
    ...(filter ? { filter: call.query.get('filter') } : {}),
    ...(sortText ? { sort: parseQrsOrderBy(sortText) } : {}),
  });
  if (call.actor.admin) {
    return rows;
  }
  const me = ctx.state.findUserByKey(call.actor.userDirectory, call.actor.userId);
  return rows.filter((r) => me !== undefined && c.owner(r) === me);
}

function tableCell(field: QrsField<unknown>, row: unknown): string | number | boolean | null {
  const v = field.get(row);
  return field.type === 'date' && typeof v === 'number' ? isoDate(v) : v;
}

/** Column types QRS accepts as numbers (the spec's enum) or, as its documentation writes them, names. */
function isPropertyColumn(columnType: unknown): boolean {
  return columnType === 1 || (typeof columnType === 'string' && columnType.toLowerCase() === 'property');
}

/**
 * A table definition names its entity in `type` (Qlik's documentation) or `entity` (the QMC,
 * erratum table-entity-key); clients may send both. The rows come from the path's entity either
 * way, so the name is not matched against it, but two different names are refused.
 */
function checkTableEntity(body: Record<string, unknown>): void {
  const byType = body['type'];
  const byEntity = body['entity'];
  if (typeof byType === 'string' && typeof byEntity === 'string' && byType.toLowerCase() !== byEntity.toLowerCase()) {
    throw new QrsSimError(400, `The table definition names two entities: type '${byType}' and entity '${byEntity}'.`);
  }
}

function table(ctx: QrsRouteContext, c: QrsCollection<unknown>, call: QrsCall): QrsReply {
  const body = call.body;
  if (!isRecord(body) || !Array.isArray(body['columns']) || body['columns'].length === 0) {
    throw new QrsSimError(400, 'A table definition needs a non-empty columns array.');
  }
  checkTableEntity(body);
  const columns = body['columns'].map((col: unknown, i) => {
    if (!isRecord(col) || typeof col['definition'] !== 'string') {
      throw new QrsSimError(400, `Column ${i} needs a definition.`);
    }
    if (!isPropertyColumn(col['columnType'])) {
      throw new QrsSimError(400, `Column ${i}: the simulator supports Property columns (columnType 1) only, not ${JSON.stringify(col['columnType'])}.`);
    }
    const definition = col['definition'];
    const field = c.field(definition);
    if (!field) {
      throw new QrsSimError(400, `Column ${i}: '${definition}' is not a property of ${c.type}.`);
    }
    const name = typeof col['name'] === 'string' && col['name'] !== '' ? col['name'] : definition;
    return { name, definition, field };
  });
  const skip = intParam(call, 'skip');
  const take = intParam(call, 'take');
  const sortColumn = call.query.get('sortcolumn');
  const ascending = call.query.get('orderascending')?.toLowerCase() !== 'false';
  let sortPath: string | undefined;
  if (sortColumn) {
    // A column name first (what the docs mean), else a property path.
    sortPath = columns.find((col) => col.name.toLowerCase() === sortColumn.toLowerCase())?.definition ?? sortColumn;
    if (!c.field(sortPath)) {
      throw new QrsSimError(400, `sortColumn '${sortColumn}' is neither a column nor a property of ${c.type}.`);
    }
  }
  let rows: readonly unknown[] = [];
  if (call.actor.admin || !c.licenseData) {
    rows = ctx.engine.select(c, {
      filter: call.query.get('filter'),
      ...(sortPath ? { sort: [{ path: sortPath, descending: !ascending }] } : {}),
    });
    if (!call.actor.admin) {
      const me = ctx.state.findUserByKey(call.actor.userDirectory, call.actor.userId);
      rows = rows.filter((r) => me !== undefined && c.owner(r) === me);
    }
  }
  // take=0 means all rows (RepositoryServiceAPI-Table-Pagination).
  const end = take === 0 ? rows.length : Math.min(rows.length, skip + take);
  const out: (string | number | boolean | null)[][] = [];
  for (let i = skip; i < end; i++) {
    const row = rows[i];
    out.push(columns.map((col) => tableCell(col.field, row)));
  }
  const requestedId = typeof body['id'] === 'string' && /^[0-9a-f-]{36}$/i.test(body['id']) ? body['id'] : undefined;
  const id = requestedId && requestedId !== '00000000-0000-0000-0000-000000000000' ? requestedId : randomUUID();
  return json(201, { id, columnNames: columns.map((col) => col.name), rows: out });
}

function bodyUserId(body: unknown): string | undefined {
  const user = isRecord(body) ? body['user'] : undefined;
  return isRecord(user) && typeof user['id'] === 'string' ? user['id'] : undefined;
}

function allocationWrite(ctx: QrsRouteContext, kind: PassKind, call: QrsCall, id: string | undefined): QrsReply | undefined {
  if (!call.actor.admin) {
    return forbidden();
  }
  const actor = call.actor.key;
  const priv = privilegesFor(call, false);
  if (id === undefined && call.method === 'POST') {
    const userId = bodyUserId(call.body);
    if (!userId) {
      throw new QrsSimError(400, 'The body must name the user: {"user": {"id": "<user GUID>", ...}}.');
    }
    return json(201, allocationJson(ctx.state.allocate(kind, userId, actor), priv));
  }
  if (id !== undefined && call.method === 'PUT') {
    const body = isRecord(call.body) ? call.body : {};
    const rawDate = body['modifiedDate'];
    const modifiedDate = typeof rawDate === 'string' ? parseQrsDate(rawDate) : undefined;
    if (rawDate !== undefined && modifiedDate === undefined) {
      throw new QrsSimError(400, `modifiedDate '${String(rawDate)}' is not a date.`);
    }
    const quarantined = body['quarantined'];
    const userId = bodyUserId(body);
    const updated = ctx.state.update(
      kind,
      id,
      {
        ...(modifiedDate !== undefined ? { modifiedDate } : {}),
        ...(typeof quarantined === 'boolean' ? { quarantined } : {}),
        ...(userId !== undefined ? { userId } : {}),
      },
      actor,
    );
    return json(200, allocationJson(updated, priv));
  }
  if (id !== undefined && call.method === 'DELETE') {
    ctx.state.revoke(kind, id, actor);
    return { kind: 'empty', status: 204 };
  }
  return undefined;
}

function entity(ctx: QrsRouteContext, c: QrsCollection<unknown>, rest: readonly string[], call: QrsCall): QrsReply | undefined {
  const kind = ALLOCATION_KINDS[c.type];
  const [first, extra] = rest;
  const sub = first?.toLowerCase();
  const { method } = call;
  if (extra !== undefined) {
    return undefined;
  }
  const own = (r: unknown): boolean => {
    const me = ctx.state.findUserByKey(call.actor.userDirectory, call.actor.userId);
    return me !== undefined && c.owner(r) === me;
  };
  if (sub === undefined || sub === 'full') {
    if (method === 'GET') {
      const rows = visible(ctx, c, call, true);
      const full = sub === 'full';
      return {
        kind: 'list',
        status: 200,
        rows,
        render: (r) => (full ? c.full(r, privilegesFor(call, own(r))) : c.condensed(r, privilegesFor(call, own(r)))),
      };
    }
    return method === 'POST' && sub === undefined && kind ? allocationWrite(ctx, kind, call, undefined) : undefined;
  }
  if (sub === 'count') {
    return method === 'GET' ? json(200, visible(ctx, c, call, true).length) : undefined;
  }
  if (sub === 'table') {
    return method === 'POST' ? table(ctx, c, call) : undefined;
  }
  if (sub === 'previewcreateprivilege') {
    return method === 'POST' ? json(201, call.actor.admin) : undefined;
  }
  const id = first ?? '';
  if (method === 'GET') {
    const row = c.byId(id);
    if (row === undefined || (!call.actor.admin && (c.licenseData || !own(row)))) {
      throw new QrsSimError(404, `No ${c.type} with id ${id}.`);
    }
    return json(200, c.full(row, privilegesFor(call, own(row))));
  }
  if (kind && (method === 'PUT' || method === 'DELETE')) {
    return allocationWrite(ctx, kind, call, id);
  }
  if (c.type === 'user' && method === 'DELETE') {
    if (!call.actor.admin) {
      return forbidden();
    }
    ctx.state.deleteUser(id, call.actor.key);
    return { kind: 'empty', status: 204 };
  }
  return undefined;
}

/**
 * Routes a call to its handler, or returns undefined when the simulator does not serve the
 * method and path (the caller then answers 404, 405 or 501 from the contract).
 * Throws QrsSimError / QrsQueryError for answers that are errors.
 */
export function routeQrsCall(ctx: QrsRouteContext, call: QrsCall): QrsReply | undefined {
  const lower = call.segments.map((s) => s.toLowerCase());
  const [a, b] = lower;
  if (a === 'about' && lower.length === 1) {
    return call.method === 'GET' ? json(200, aboutJson()) : undefined;
  }
  if (a === 'license' && b === 'accesstypeoverview' && lower.length === 2) {
    if (call.method !== 'GET') {
      return undefined;
    }
    return call.actor.admin ? json(200, overviewJson(ctx.state.overview())) : forbidden();
  }
  if (a === 'user') {
    const users = ctx.collections.get('user');
    return users ? entity(ctx, users, call.segments.slice(1), call) : undefined;
  }
  if (a === 'app') {
    // `/app/object/...` is its own entity; `/app/{id}` never has the id "object" (ids are GUIDs).
    const inner = b === 'object';
    const c = ctx.collections.get(inner ? 'app/object' : 'app');
    return c ? entity(ctx, c, call.segments.slice(inner ? 2 : 1), call) : undefined;
  }
  if (a === 'license' && b !== undefined) {
    const c = ctx.collections.get(`license/${b}`);
    return c ? entity(ctx, c, call.segments.slice(2), call) : undefined;
  }
  return undefined;
}

/** Turns a thrown error into the answer QRS would give. */
export function errorReply(error: unknown): QrsReply | undefined {
  if (error instanceof QrsSimError) {
    return { kind: 'text', status: error.status, text: error.message };
  }
  if (error instanceof QrsQueryError) {
    return { kind: 'text', status: 400, text: error.message };
  }
  return undefined;
}
