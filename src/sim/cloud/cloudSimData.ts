/** The records a simulated tenant is made of; cloudSimState.ts holds them and changes them. */

/** A user's status in the tenant (the spec's enum). */
export type CloudUserStatus = 'active' | 'invited' | 'disabled' | 'deleted' | 'provisioned';

/** What the tenant's subscription sells (reference A.00). */
export type CloudSubscription = 'user-based' | 'capacity';

/** A role, default or custom. */
export interface CloudRole {
  readonly id: string;
  name: string;
  description: string;
  readonly type: 'default' | 'custom';
  level: 'admin' | 'user';
  permissions: string[];
  readonly createdAt: number;
  lastUpdatedAt: number;
  /** Capacity tenants: `fullUser` when the role made a user a Full User (reference A.2.7). */
  userEntitlementType?: string;
}

/** A group, from the identity provider or made in the tenant. */
export interface CloudGroup {
  readonly id: string;
  name: string;
  description?: string;
  status: 'active' | 'disabled';
  readonly providerType: 'idp' | 'custom';
  roleIds: string[];
  readonly createdAt: number;
  lastUpdatedAt: number;
}

/** A user of the tenant. */
export interface CloudUser {
  readonly id: string;
  subject: string;
  name: string;
  email?: string;
  status: CloudUserStatus;
  readonly createdAt: number;
  lastUpdatedAt: number;
  roleIds: string[];
  groupIds: string[];
  locale?: string;
  zoneinfo?: string;
  /** Unix seconds; invited users only. */
  inviteExpiry?: number;
  /** The OAuth client this user record stands for (the M2M client's own user). */
  readonly clientId?: string;
}

/** A license assignment, keyed by the user's IdP subject (reference A.2.4). */
export interface CloudAssignment {
  subject: string;
  type: string;
  created: number;
}

/** One sign-in session: the audits API's begin/end pair and, on user-based tenants, one consumption event. */
export interface CloudSession {
  readonly id: string;
  readonly userId: string;
  readonly appId: string;
  readonly begin: number;
  readonly end: number;
}

/** One engine session as the licenses consumption API reports it (reference A.2.3). */
export interface CloudConsumptionEvent {
  readonly id: string;
  readonly userId: string;
  readonly appId: string;
  readonly sessionId: string;
  readonly allotmentId: string;
  /** The allotment that covered the session: professional, analyzer or analyzer_time. */
  readonly licenseUsage: string;
  readonly endTime: number;
  readonly durationMs: number;
  readonly minutesUsed: number;
  readonly capacityUsed: number;
}

/** One audit event; the simulator writes the user-session events (reference A.00). */
export interface CloudAuditEvent {
  readonly id: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly eventTime: number;
  readonly userId: string;
  readonly sessionId: string;
}

/**
 * One app event of the audit log (qlik.dev "Apps" events): an app created, reloaded with new
 * data, published, opened… by `userId`, the user who acted.
 */
export interface CloudAppEvent {
  readonly id: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly eventTime: number;
  readonly userId: string;
  readonly appId: string;
}

/**
 * The names a tenant's app events go by: `current` (`com.qlik.app.created`, since the April 2026
 * rename, qlik.dev changelog 210), `v1` (`com.qlik.v1.app.created`, before it), or `none` for a
 * tenant whose audit log records no app events at all.
 */
export type AppEventNames = 'current' | 'v1' | 'none';

/** One allotment of the subscription. */
export interface CloudAllotment {
  readonly id: string;
  readonly name: string;
  units: number;
  /** -1 means unbounded (spec). */
  overage?: number;
  readonly usageClass: string;
}

/** The tenant's license. */
export interface CloudLicense {
  readonly subscription: CloudSubscription;
  readonly product: string;
  readonly licenseNumber: string;
  readonly secondaryNumber: string;
  readonly licenseKey: string;
  readonly customerId: string;
  readonly validFrom: number;
  readonly validTo: number;
  readonly updated: number;
  readonly allotments: CloudAllotment[];
  /** Auto-assignment (user-based tenants only; capacity tenants lost the switches, reference A.00). */
  settings: { autoAssignProfessional: boolean; autoAssignAnalyzer: boolean } | undefined;
}

/** Everything a tenant starts with (from the generator). */
export interface CloudSimData {
  readonly tenantId: string;
  readonly license: CloudLicense;
  readonly roles: CloudRole[];
  readonly groups: CloudGroup[];
  readonly users: CloudUser[];
  readonly assignments: CloudAssignment[];
  readonly sessions: CloudSession[];
  readonly consumption: CloudConsumptionEvent[];
  readonly audits: CloudAuditEvent[];
  /** App events (user-based tenants: their professionals create, reload, publish and open apps). */
  readonly appEvents: CloudAppEvent[];
  /** The app event types the tenant records, which `/audits/types` lists beside the session types. */
  readonly appEventTypes: readonly string[];
  /** The TenantAdmin whose API key the simulator hands out. */
  readonly adminUserId: string;
  /** The M2M OAuth client and its user record. */
  readonly oauthClient: { readonly clientId: string; readonly userId: string };
  /** App ids sessions are opened in. */
  readonly appIds: readonly string[];
}
