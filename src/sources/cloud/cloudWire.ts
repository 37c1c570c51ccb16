/**
 * The Qlik Cloud payloads this client reads, and the guards that narrow `unknown` into them.
 * The shapes are picked from `@qlik/api`'s generated types (types only, nothing of it runs), so a
 * contract change that touches a field the client relies on fails the build. Guards check what
 * the mapping relies on and tolerate what the contract leaves open (`allotments[].name` beyond
 * its enum, user statuses added later, fields a tenant leaves out).
 */
import type { AssignmentsActionsAddResponse, AssignmentsActionsDeleteResponse, AssignmentsActionsUpdateResponse, AssignmentsResponse, ConsumptionEventsResponse, LicenseOverview, LicenseStatus } from '@qlik/api/licenses';
import type { GetByIDResult } from '@qlik/api/audits';
import type { Group as QlikGroup } from '@qlik/api/groups';
import type { AssignedGroups, AssignedRoles, User as QlikUser } from '@qlik/api/users';
import { CloudProtocolError } from './cloudErrors';

/** One allotment of the license overview; `name` is open: capacity tenants may report others. */
export type CloudAllotment = Readonly<Omit<LicenseOverview['allotments'][number], 'name' | 'usageClass'>> & {
  readonly name: string;
  readonly usageClass?: string;
};

/** `GET /api/v1/licenses/overview`: the parts the mapping reads. */
export type CloudOverview = Readonly<Pick<LicenseOverview, 'product' | 'status'>> &
  Readonly<Partial<Pick<LicenseOverview, 'trial' | 'licenseType'>>> & {
    readonly allotments: readonly CloudAllotment[];
  };

/** `GET /api/v1/licenses/status`: the parts shown to the admin. */
export type CloudLicenseStatus = Readonly<Pick<LicenseStatus, 'product' | 'status'>> & Readonly<Partial<Pick<LicenseStatus, 'trial'>>>;

type WireAssignment = AssignmentsResponse['data'][number];

/** One license assignment, keyed by the holder's subject. */
export type CloudAssignment = Readonly<Pick<WireAssignment, 'subject' | 'type'>> & Readonly<Partial<Pick<WireAssignment, 'excess' | 'created'>>>;

/** One engine session's consumption; every field is optional in the contract. */
export type CloudConsumptionEvent = Readonly<ConsumptionEventsResponse['data'][number]>;

type WireRole = AssignedRoles[number];
type WireGroupRef = AssignedGroups[number];

/** A role as a user or group references it. */
export type CloudRoleRef = Readonly<Pick<WireRole, 'name'>> & Readonly<Partial<Pick<WireRole, 'id' | 'level' | 'type'>>>;

/** A group as a user references it, with the roles it grants. */
export type CloudGroupRef = Readonly<Pick<WireGroupRef, 'name'>> &
  Readonly<Partial<Pick<WireGroupRef, 'id'>>> & {
    readonly assignedRoles?: readonly CloudRoleRef[];
  };

/**
 * A user of the tenant. `status` is kept as any string: the contract's list (active, invited,
 * disabled, deleted, provisioned) has grown before, and one new word must not stop a sync.
 */
export type CloudUser = Readonly<Pick<QlikUser, 'id' | 'subject'>> &
  Readonly<Partial<Pick<QlikUser, 'name' | 'email'>>> & {
    readonly status?: string;
    readonly assignedRoles?: readonly CloudRoleRef[];
    readonly assignedGroups?: readonly CloudGroupRef[];
  };

/** A group of the tenant. */
export type CloudGroup = Readonly<Pick<QlikGroup, 'id' | 'name'>> & { readonly status?: string };

/** One audit event (user sessions begin and end among them); `data` depends on the event type. */
export type CloudAuditEvent = Readonly<Pick<GetByIDResult, 'id' | 'eventId' | 'eventTime' | 'eventType' | 'userId' | 'data' | 'extensions'>>;

type AddRow = AssignmentsActionsAddResponse['data'][number];
type DeleteRow = AssignmentsActionsDeleteResponse['data'][number];
type UpdateRow = AssignmentsActionsUpdateResponse['data'][number];

/**
 * One row of a 207 answer to `assignments/actions/add|delete|update`: a status per subject, and a
 * code and title when the row failed. The three actions' rows differ only in what is optional.
 */
export type CloudActionRow = Readonly<Pick<AddRow | DeleteRow | UpdateRow, 'status' | 'code' | 'title' | 'type'>> &
  Readonly<Partial<Pick<AddRow, 'subject'>>> &
  Readonly<Partial<Pick<UpdateRow, 'sourceType' | 'sourceSubject'>>>;

/** An access token from `POST /oauth/token` (OAuth client credentials). */
export interface CloudToken {
  readonly accessToken: string;
  /** Lifetime in milliseconds, from `expires_in` (or `expires_at` against the given clock). */
  readonly lifetimeMs: number;
}

/** One page of a list and the link to the next, exactly as the tenant wrote it. */
export interface CloudPage<T> {
  readonly items: readonly T[];
  readonly next: string | undefined;
}

type Guard<T> = (value: unknown) => value is T;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Absent, null (some services write null for "not set"), or of the type. */
function isOptional(value: unknown, type: 'string' | 'number' | 'boolean'): boolean {
  return value === undefined || value === null || typeof value === type;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isArrayOf<T>(value: unknown, guard: Guard<T>): value is T[] {
  return Array.isArray(value) && value.every(guard);
}

function isAllotment(value: unknown): value is CloudAllotment {
  return isRecord(value) && typeof value['name'] === 'string' && isCount(value['units']) && isCount(value['unitsUsed']) && isOptional(value['overage'], 'number') && isOptional(value['usageClass'], 'string');
}

function isOverview(value: unknown): value is CloudOverview {
  return (
    isRecord(value) &&
    isArrayOf(value['allotments'], isAllotment) &&
    typeof value['product'] === 'string' &&
    typeof value['status'] === 'string' &&
    isOptional(value['trial'], 'boolean') &&
    isOptional(value['licenseType'], 'string')
  );
}

function isLicenseStatus(value: unknown): value is CloudLicenseStatus {
  return isRecord(value) && typeof value['product'] === 'string' && typeof value['status'] === 'string' && isOptional(value['trial'], 'boolean');
}

function isAssignment(value: unknown): value is CloudAssignment {
  return isRecord(value) && typeof value['subject'] === 'string' && typeof value['type'] === 'string' && isOptional(value['excess'], 'boolean') && isOptional(value['created'], 'string');
}

function isConsumptionEvent(value: unknown): value is CloudConsumptionEvent {
  if (!isRecord(value)) {
    return false;
  }
  const strings = ['id', 'appId', 'userId', 'endTime', 'duration', 'sessionId', 'allotmentId', 'licenseUsage'];
  return strings.every((s) => isOptional(value[s], 'string')) && isOptional(value['minutesUsed'], 'number') && isOptional(value['capacityUsed'], 'number');
}

function isRoleRef(value: unknown): value is CloudRoleRef {
  return isRecord(value) && typeof value['name'] === 'string' && isOptional(value['id'], 'string') && isOptional(value['level'], 'string') && isOptional(value['type'], 'string');
}

function isGroupRef(value: unknown): value is CloudGroupRef {
  const roles = isRecord(value) ? value['assignedRoles'] : undefined;
  return isRecord(value) && typeof value['name'] === 'string' && isOptional(value['id'], 'string') && (roles === undefined || roles === null || isArrayOf(roles, isRoleRef));
}

function isUser(value: unknown): value is CloudUser {
  if (!isRecord(value)) {
    return false;
  }
  const roles = value['assignedRoles'];
  const groups = value['assignedGroups'];
  return (
    typeof value['id'] === 'string' &&
    typeof value['subject'] === 'string' &&
    isOptional(value['name'], 'string') &&
    isOptional(value['email'], 'string') &&
    isOptional(value['status'], 'string') &&
    (roles === undefined || roles === null || isArrayOf(roles, isRoleRef)) &&
    (groups === undefined || groups === null || isArrayOf(groups, isGroupRef))
  );
}

function isGroup(value: unknown): value is CloudGroup {
  return isRecord(value) && typeof value['id'] === 'string' && typeof value['name'] === 'string' && isOptional(value['status'], 'string');
}

function isAuditEvent(value: unknown): value is CloudAuditEvent {
  const extensions = isRecord(value) ? value['extensions'] : undefined;
  return isRecord(value) && ['id', 'eventId', 'eventTime', 'eventType', 'userId'].every((s) => isOptional(value[s], 'string')) && (extensions === undefined || extensions === null || isRecord(extensions));
}

function isActionRow(value: unknown): value is CloudActionRow {
  return (
    isRecord(value) &&
    typeof value['status'] === 'number' &&
    Number.isInteger(value['status']) &&
    ['subject', 'code', 'title', 'type', 'sourceType', 'sourceSubject'].every((s) => isOptional(value[s], 'string'))
  );
}

function narrow<T>(value: unknown, guard: Guard<T>, request: string, expected: string): T {
  if (!guard(value)) {
    throw new CloudProtocolError(request, expected);
  }
  return value;
}

/** The next link of a list answer: absent, or `links.next.href` as a string. */
function nextLink(body: Record<string, unknown>, request: string, expected: string): string | undefined {
  const links = body['links'];
  if (links === undefined || links === null) {
    return undefined;
  }
  if (!isRecord(links)) {
    throw new CloudProtocolError(request, expected, 'links is not an object');
  }
  const next = links['next'];
  if (next === undefined || next === null) {
    return undefined;
  }
  if (!isRecord(next) || !isOptional(next['href'], 'string')) {
    throw new CloudProtocolError(request, expected, 'links.next has no href');
  }
  const href = next['href'];
  return typeof href === 'string' && href.length > 0 ? href : undefined;
}

/**
 * A list answer: `data` must be an array of items that fit (an answer without one is not an
 * empty page but not a page at all), `links.next.href` the way on.
 */
function narrowPage<T>(value: unknown, guard: Guard<T>, request: string, expected: string): CloudPage<T> {
  if (!isRecord(value) || !Array.isArray(value['data'])) {
    throw new CloudProtocolError(request, expected);
  }
  const items: T[] = [];
  for (const [index, item] of value['data'].entries()) {
    if (!guard(item)) {
      throw new CloudProtocolError(request, expected, `item ${index} does not fit`);
    }
    items.push(item);
  }
  return { items, next: nextLink(value, request, expected) };
}

/** Narrows a `GET /api/v1/licenses/overview` answer. */
export function asOverview(value: unknown, request: string): CloudOverview {
  return narrow(value, isOverview, request, 'a license overview');
}

/** Narrows a `GET /api/v1/licenses/status` answer. */
export function asLicenseStatus(value: unknown, request: string): CloudLicenseStatus {
  return narrow(value, isLicenseStatus, request, 'a license status');
}

/** Narrows a page of `GET /api/v1/licenses/assignments`. */
export function asAssignmentPage(value: unknown, request: string): CloudPage<CloudAssignment> {
  return narrowPage(value, isAssignment, request, 'a page of license assignments');
}

/** Narrows a page of `GET /api/v1/licenses/consumption`. */
export function asConsumptionPage(value: unknown, request: string): CloudPage<CloudConsumptionEvent> {
  return narrowPage(value, isConsumptionEvent, request, 'a page of consumption events');
}

/** Narrows a page of `GET /api/v1/users`. */
export function asUserPage(value: unknown, request: string): CloudPage<CloudUser> {
  return narrowPage(value, isUser, request, 'a page of users');
}

/** Narrows one user (`GET /api/v1/users/{id}`, `/users/me`). */
export function asUser(value: unknown, request: string): CloudUser {
  return narrow(value, isUser, request, 'a user');
}

/** Narrows a page of `GET /api/v1/groups`. */
export function asGroupPage(value: unknown, request: string): CloudPage<CloudGroup> {
  return narrowPage(value, isGroup, request, 'a page of groups');
}

/** Narrows a page of `GET /api/v1/audits`. */
export function asAuditPage(value: unknown, request: string): CloudPage<CloudAuditEvent> {
  return narrowPage(value, isAuditEvent, request, 'a page of audit events');
}

/** Narrows a page of `GET /api/v1/audits/types`: the event types the tenant's audit log records. */
export function asAuditTypePage(value: unknown, request: string): CloudPage<string> {
  return narrowPage(value, (item): item is string => typeof item === 'string', request, 'a list of audit event types');
}

/** Narrows a 207 answer of `assignments/actions/add|delete|update`: its rows, in the tenant's order. */
export function asActionRows(value: unknown, request: string): readonly CloudActionRow[] {
  if (!isRecord(value) || !Array.isArray(value['data'])) {
    throw new CloudProtocolError(request, 'a status per assignment (207)');
  }
  const rows: CloudActionRow[] = [];
  for (const [index, row] of value['data'].entries()) {
    if (!isActionRow(row)) {
      throw new CloudProtocolError(request, 'a status per assignment (207)', `row ${index} has no status`);
    }
    rows.push(row);
  }
  return rows;
}

/**
 * The errors of a users-API answer (`{ errors: [{ code, title }], traceId }`), e.g. the 207 of a
 * PATCH that only partly succeeded; an empty list when the body has none.
 */
export function userApiErrors(value: unknown): readonly { readonly code: string; readonly title: string }[] {
  if (!isRecord(value) || !Array.isArray(value['errors'])) {
    return [];
  }
  return value['errors'].filter(isRecord).map((e) => ({ code: typeof e['code'] === 'string' ? e['code'] : 'unknown', title: typeof e['title'] === 'string' ? e['title'] : '' }));
}

/**
 * Narrows a `POST /oauth/token` answer. `expires_in` (seconds) is what RFC 6749 and Qlik send;
 * `expires_at` alone is read against `now`. A token without either is refused: caching it
 * forever would turn one expiry into a 401 on every call.
 */
export function asToken(value: unknown, request: string, now: number): CloudToken {
  if (!isRecord(value) || typeof value['access_token'] !== 'string' || value['access_token'].length === 0) {
    throw new CloudProtocolError(request, 'an OAuth access token', 'no access_token');
  }
  const type = value['token_type'];
  if (typeof type === 'string' && type.toLowerCase() !== 'bearer') {
    throw new CloudProtocolError(request, 'an OAuth access token', `token_type ${type}, not bearer`);
  }
  const expiresIn = value['expires_in'];
  const expiresAt = typeof value['expires_at'] === 'string' ? Date.parse(value['expires_at']) : Number.NaN;
  const lifetimeMs = isCount(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : expiresAt - now;
  if (!Number.isFinite(lifetimeMs) || lifetimeMs <= 0) {
    throw new CloudProtocolError(request, 'an OAuth access token', 'no lifetime (expires_in)');
  }
  return { accessToken: value['access_token'], lifetimeMs };
}
