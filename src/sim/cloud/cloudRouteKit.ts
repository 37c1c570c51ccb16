/** What every route module shares: the call and reply shapes, errors, limits, filters, links. */
import type { CloudActor } from './cloudAuth';
import type { CloudCursorCodec } from './cloudCursor';
import { pageHref, type CloudPage } from './cloudPaging';
import { compileScimFilter, parseScimFilter, type ScimAttribute, type ScimNode } from './cloudScimFilter';
import { CloudSimError, type CloudSimState } from './cloudSimState';
import type { CloudApiName } from './cloudSpecs';

/** One authenticated call under /api/v1. */
export interface CloudCall {
  readonly api: CloudApiName;
  readonly method: string;
  /** The URL path, e.g. `/api/v1/users/me`. */
  readonly path: string;
  /** Decoded segments after `/api/v1/<api>`. */
  readonly segments: readonly string[];
  /** Query parameters by their (case-sensitive) name; the last value wins. */
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly actor: CloudActor;
  /** A tenant admin (with the admin scope, for OAuth). */
  readonly admin: boolean;
}

/** What the simulator answers. */
export type CloudReply =
  | { readonly kind: 'json'; readonly status: number; readonly json: unknown }
  | { readonly kind: 'empty'; readonly status: number }
  | { readonly kind: 'redirect'; readonly status: 301; readonly location: string };

/** What routing needs. */
export interface CloudRouteContext {
  readonly state: CloudSimState;
  /** `https://localhost:PORT`, for absolute links. */
  readonly baseUrl: string;
  readonly cursors: CloudCursorCodec;
}

/** A JSON answer. */
export function json(status: number, body: unknown): CloudReply {
  return { kind: 'json', status, json: body };
}

/** The not-found code each API writes (the specs' examples); the rest use the platform's `HTTP-<status>`. */
const NOT_FOUND_CODES: Partial<Record<CloudApiName, string>> = { users: 'USERS-7', groups: 'GROUPS-7', roles: 'IDENTITIES-10402' };

/** An error answer of the call's API. */
export function fail(api: CloudApiName, status: number, detail: string): CloudSimError {
  if (status === 404) {
    return new CloudSimError(404, NOT_FOUND_CODES[api] ?? 'HTTP-404', 'Not found', detail);
  }
  const titles: Record<number, string> = { 400: 'Bad request', 403: 'Forbidden', 409: 'Conflict' };
  return new CloudSimError(status, `HTTP-${status}`, titles[status] ?? 'Error', detail);
}

/** Refuses callers who are not tenant admins. */
export function requireAdmin(call: CloudCall, what: string): void {
  if (!call.admin) {
    throw fail(call.api, 403, `${what} needs the TenantAdmin role${call.actor.via === 'oauth' ? ' and the admin_classic scope' : ''}.`);
  }
}

/** `limit`, checked as the spec bounds it (the contract checks it too, unless it is off). */
export function limitOf(call: CloudCall, fallback: number, max: number): number {
  const raw = call.query['limit'];
  if (raw === undefined) {
    return fallback;
  }
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw fail(call.api, 400, `limit must be an integer from 1 to ${max}, not '${raw}'.`);
  }
  return n;
}

/** Parses and compiles a SCIM filter over a list's attributes; absent means every row. */
export function filterOf<T>(text: string | undefined, attributes: Readonly<Record<string, ScimAttribute<T>>>, check?: (node: ScimNode) => void): (row: T) => boolean {
  if (text === undefined || text.trim() === '') {
    return () => true;
  }
  const node = parseScimFilter(text);
  check?.(node);
  return compileScimFilter(node, attributes);
}

/** The users/groups/roles/audits list links: self, and next/prev as `next=` / `prev=` cursors. */
export function nextPrevLinks<T>(ctx: CloudRouteContext, call: CloudCall, page: CloudPage<T>): Record<string, { href: string }> {
  const drop = ['next', 'prev'];
  return {
    self: { href: pageHref(ctx.baseUrl, call.path, call.query, undefined, []) },
    ...(page.next !== undefined ? { next: { href: pageHref(ctx.baseUrl, call.path, call.query, { name: 'next', value: page.next }, drop) } } : {}),
    ...(page.prev !== undefined ? { prev: { href: pageHref(ctx.baseUrl, call.path, call.query, { name: 'prev', value: page.prev }, drop) } } : {}),
  };
}

/** The cursor a next/prev list call continues from; both at once is a 400 (specs: "Cannot be used in conjunction"). */
export function nextOrPrev(call: CloudCall): { dir: 'next' | 'prev'; token: string } | undefined {
  const next = call.query['next'];
  const prev = call.query['prev'];
  if (next !== undefined && prev !== undefined) {
    throw fail(call.api, 400, 'next and prev cannot be used together.');
  }
  return next !== undefined ? { dir: 'next', token: next } : prev !== undefined ? { dir: 'prev', token: prev } : undefined;
}

/** A body's rows of `key` in a batched action, narrowed; anything else is the 400 "Body is invalid or missing". */
export function bodyRows(call: CloudCall, key: string): Record<string, unknown>[] {
  const body = call.body;
  const rows = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)[key] : undefined;
  if (!Array.isArray(rows) || !rows.every((r): r is Record<string, unknown> => typeof r === 'object' && r !== null && !Array.isArray(r))) {
    throw fail(call.api, 400, `The body must be {"${key}": [ … ]}.`);
  }
  return rows;
}
