import type { CloudApiName } from './cloudSpecs';
import {
  AUDIT_RETENTION_MS,
  type CloudAppEvent,
  type CloudAssignment,
  type CloudAuditEvent,
  type CloudConsumptionEvent,
  type CloudGroup,
  type CloudRole,
  type CloudSimError,
  type CloudSimState,
  type CloudUser,
} from './cloudSimState';

/** Where the audit events come from. UNVERIFIED: the producing service's name for session events. */
export const SESSION_EVENT_SOURCE = 'com.qlik/edge-auth';

/** Where app events come from. UNVERIFIED: the producing service's name. */
export const APP_EVENT_SOURCE = 'com.qlik/apps';

/** The service an audit event comes from. */
export function auditSource(e: CloudAuditEvent | CloudAppEvent): string {
  return 'appId' in e ? APP_EVENT_SOURCE : SESSION_EVENT_SOURCE;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * A duration as Go's time.Duration prints it (`1h2m3s`, `45m0s`, `12s`). The spec does not say
 * which form `duration` takes (reference A.2.3, UNVERIFIED); Qlik's services are written in Go.
 */
export function goDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) {
    return `${h}h${m}m${s}s`;
  }
  return m > 0 ? `${m}m${s}s` : `${s}s`;
}

function roleRef(role: CloudRole): Record<string, unknown> {
  return { id: role.id, name: role.name, type: role.type, level: role.level };
}

/** How to render a user. */
export interface UserView {
  /** Requested fields (`fields=`); all when undefined. id, subject, name and tenantId always come: the spec requires them. */
  readonly fields?: ReadonlySet<string>;
  /** Others' roles are visible to those with access to roles only (spec, AssignedRoles). */
  readonly showRoles: boolean;
}

/** Splits `fields=a,b` into a set; undefined when absent. */
export function parseFields(text: string | undefined): ReadonlySet<string> | undefined {
  return text === undefined || text.trim() === '' ? undefined : new Set(text.split(',').map((f) => f.trim()).filter((f) => f !== ''));
}

/** A User as the users API answers it: `assignedRoles`, never the removed `roles`, `created` or `lastUpdated`. */
export function userJson(state: CloudSimState, user: CloudUser, baseUrl: string, view: UserView): Record<string, unknown> {
  const full: Record<string, unknown> = {
    id: user.id,
    tenantId: state.tenantId,
    subject: user.subject,
    name: user.name,
    ...(user.email !== undefined ? { email: user.email } : {}),
    status: user.status,
    createdAt: iso(user.createdAt),
    lastUpdatedAt: iso(user.lastUpdatedAt),
    ...(user.inviteExpiry !== undefined ? { inviteExpiry: user.inviteExpiry } : {}),
    ...(user.locale !== undefined ? { locale: user.locale, preferredLocale: user.locale } : {}),
    ...(user.zoneinfo !== undefined ? { zoneinfo: user.zoneinfo, preferredZoneinfo: user.zoneinfo } : {}),
    ...(view.showRoles ? { assignedRoles: state.userRoles(user).map(roleRef) } : {}),
    assignedGroups: user.groupIds
      .map((id) => state.group(id))
      .filter((g) => g !== undefined)
      .map((g) => ({
        id: g.id,
        name: g.name,
        providerType: g.providerType,
        ...(view.showRoles ? { assignedRoles: g.roleIds.map((id) => state.role(id)).filter((r) => r !== undefined).map(roleRef) } : {}),
      })),
    links: { self: { href: `${baseUrl}/api/v1/users/${user.id}` } },
  };
  const fields = view.fields;
  if (!fields) {
    return full;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(full)) {
    if (k === 'id' || k === 'tenantId' || k === 'subject' || k === 'name' || fields.has(k)) {
      out[k] = v;
    }
  }
  return out;
}

/** A Group as the groups API answers it. */
export function groupJson(state: CloudSimState, group: CloudGroup, baseUrl: string): Record<string, unknown> {
  return {
    id: group.id,
    tenantId: state.tenantId,
    name: group.name,
    ...(group.description !== undefined ? { description: group.description } : {}),
    status: group.status,
    providerType: group.providerType,
    assignedRoles: group.roleIds.map((id) => state.role(id)).filter((r) => r !== undefined).map(roleRef),
    createdAt: iso(group.createdAt),
    lastUpdatedAt: iso(group.lastUpdatedAt),
    links: { self: { href: `${baseUrl}/api/v1/groups/${group.id}` } },
  };
}

/** The system group every user belongs to (groups API, `systemGroups=true`). */
export function everyoneGroupJson(state: CloudSimState, baseUrl: string): Record<string, unknown> {
  const id = '000000000000000000000001';
  const created = Math.min(...state.groups.map((g) => g.createdAt), state.now());
  return {
    id,
    tenantId: state.tenantId,
    name: 'com.qlik.Everyone',
    status: 'active',
    assignedRoles: [],
    createdAt: iso(created),
    lastUpdatedAt: iso(created),
    links: { self: { href: `${baseUrl}/api/v1/groups/${id}` } },
  };
}

/** A Role as the roles API answers it; only custom roles can be edited or deleted. */
export function roleJson(state: CloudSimState, role: CloudRole, baseUrl: string): Record<string, unknown> {
  return {
    id: role.id,
    tenantId: state.tenantId,
    name: role.name,
    description: role.description,
    type: role.type,
    level: role.level,
    permissions: role.permissions,
    canEdit: role.type === 'custom',
    canDelete: role.type === 'custom',
    ...(role.userEntitlementType !== undefined ? { userEntitlementType: role.userEntitlementType } : {}),
    createdAt: iso(role.createdAt),
    lastUpdatedAt: iso(role.lastUpdatedAt),
    links: { self: { href: `${baseUrl}/api/v1/roles/${role.id}` } },
  };
}

/** An assignment without `name` or `userId`: tenants stopped returning them (reference A.00). */
export function assignmentJson(state: CloudSimState, a: CloudAssignment): Record<string, unknown> {
  return { subject: a.subject, type: a.type, excess: state.isExcess(a), created: iso(a.created) };
}

/** One consumption event (licenses API); every field is optional in the spec, the simulator sends them all. */
export function consumptionJson(e: CloudConsumptionEvent): Record<string, unknown> {
  return {
    id: e.id,
    appId: e.appId,
    userId: e.userId,
    sessionId: e.sessionId,
    allotmentId: e.allotmentId,
    endTime: iso(e.endTime),
    duration: goDuration(e.durationMs),
    minutesUsed: e.minutesUsed,
    capacityUsed: e.capacityUsed,
    licenseUsage: e.licenseUsage,
  };
}

function auditFields(state: CloudSimState, e: CloudAuditEvent | CloudAppEvent): Record<string, unknown> {
  return {
    eventId: e.eventId,
    eventType: e.eventType,
    eventTypeVersion: '1.0.0',
    eventTime: iso(e.eventTime),
    source: auditSource(e),
    tenantId: state.tenantId,
    userId: e.userId,
    contentType: 'application/json',
    // UNVERIFIED: what an app event's data holds beyond the app; the acting user is `userId` (qlik.dev audits API).
    data: 'appId' in e ? { id: e.appId } : { sessionId: e.sessionId },
    extensions: 'appId' in e ? { topLevelResourceId: e.appId } : {},
  };
}

/** One audit event as GET /audits and /audits/{id} answer it. */
export function auditJson(state: CloudSimState, e: CloudAuditEvent | CloudAppEvent, baseUrl: string): Record<string, unknown> {
  return { id: e.id, ...auditFields(state, e), links: { self: { href: `${baseUrl}/api/v1/audits/${e.id}` } } };
}

/** One audit event as the archive answers it (ArchiveItem: no id or links). */
export function archivedAuditJson(state: CloudSimState, e: CloudAuditEvent | CloudAppEvent): Record<string, unknown> {
  return auditFields(state, e);
}

/** Whether an audit event is still in the list API (90 days) or only in the archive. */
export function auditRetained(state: CloudSimState, e: CloudAuditEvent | CloudAppEvent): boolean {
  return e.eventTime >= state.now() - AUDIT_RETENTION_MS && e.eventTime <= state.now();
}

function day(ms: number): string {
  return iso(ms).slice(0, 10);
}

/** GET /licenses/overview: the allotments with what is used of each right now. */
export function overviewJson(state: CloudSimState): Record<string, unknown> {
  const l = state.license;
  return {
    licenseNumber: l.licenseNumber,
    licenseKey: l.licenseKey,
    secondaryNumber: l.secondaryNumber,
    product: l.product,
    status: state.now() > l.validTo ? 'Expired' : 'Ok',
    origin: 'Internal',
    trial: false,
    valid: `${day(l.validFrom)}/${day(l.validTo)}`,
    updated: iso(l.updated),
    customerId: l.customerId,
    allotments: l.allotments.map((a) => ({
      name: a.name,
      units: a.units,
      unitsUsed: state.unitsUsed(a),
      ...(a.overage !== undefined ? { overage: a.overage } : {}),
      usageClass: a.usageClass,
    })),
    parameters: [{ name: 'qlikAlerting', valid: './.', values: { saas_alerting: 'FULL' } }],
  };
}

/** GET /licenses/status. */
export function statusJson(state: CloudSimState): Record<string, unknown> {
  const l = state.license;
  return {
    type: 'Signed',
    trial: false,
    valid: `${day(l.validFrom)}/${day(l.validTo)}`,
    origin: 'Internal',
    status: state.now() > l.validTo ? 'Expired' : 'Ok',
    product: l.product,
    deactivated: false,
    extensionStatus: 'Unavailable',
  };
}

/**
 * An error in the shape its API declares: licenses keeps the deprecated `error` and `message`
 * beside `errors`; users, groups and roles add `status` and a `traceId`; audits a `traceId`.
 */
export function errorJson(api: CloudApiName | undefined, error: CloudSimError, traceId: string): Record<string, unknown> {
  const item = { code: error.code, title: error.title, ...(error.detail !== undefined ? { detail: error.detail } : {}) };
  switch (api) {
    case 'licenses':
      return { error: error.title, message: error.detail ?? error.title, errors: [item] };
    case 'users':
    case 'groups':
      return { errors: [{ ...item, status: error.status }], traceId };
    default:
      return { errors: [item], traceId };
  }
}
