/**
 * Where specs/cloud/*.json and real Qlik Cloud tenants disagree. The contract (cloudContract.ts)
 * patches itself from this list and nothing else, so the simulator, the client's tests and any
 * reader see the same, sourced, deviations from the specs. "Reference" is
 * ../shared/reference/qlik-cloud.md, which names its primary sources.
 */
import type { CloudApiName } from './cloudSpecs';

/** One operation of a spec: its API, method and the path template the spec writes. */
export interface CloudOperationRef {
  readonly api: CloudApiName;
  /** Upper case, e.g. `GET`. */
  readonly method: string;
  /** As in the spec, e.g. `/api/v1/users/{userId}`. */
  readonly template: string;
}

/**
 * Replaces or adds the value at a JSON pointer of one spec document. `replace` insists the
 * spec has a value there and `add` that it has none, so a newer spec that fixes the gap makes
 * the contract throw instead of silently patching what is no longer broken.
 */
export interface CloudSchemaPatch {
  readonly kind: 'schema';
  readonly api: CloudApiName;
  /** RFC 6901 pointer into the spec document, e.g. `/components/schemas/User/properties/name`. */
  readonly pointer: string;
  readonly mode: 'replace' | 'add';
  /** The patched value, given the spec's own (undefined for `add`). */
  value(original: unknown): unknown;
}

/**
 * Lets operations answer statuses their spec does not declare, with a body schema. It never
 * overrides a status the spec declares, and it must add a status to at least one operation.
 */
export interface CloudStatusPatch {
  readonly kind: 'status';
  readonly statuses: readonly number[];
  appliesTo(operation: CloudOperationRef): boolean;
  /** The body schema of those answers; `#/components/...` refs point into the operation's own spec. */
  schema(api: CloudApiName): unknown;
}

/** How an erratum patches the contract. */
export type CloudErratumPatch = CloudSchemaPatch | CloudStatusPatch;

/** One known deviation of real tenants from the specs. */
export interface CloudErratum {
  /** Stable id, for tests and log lines. */
  readonly id: string;
  /** What the spec says. */
  readonly specSays: string;
  /** What real tenants (and Qlik's own documentation) do instead. */
  readonly tenantsDo: string;
  /** Where that is published or was seen. */
  readonly source: string;
  /** How the contract is patched, in words. */
  readonly contractPatch: string;
  readonly patch: CloudErratumPatch;
}

/** The error body each API declares; the simulator's refusals use the same shapes. */
export const CLOUD_ERROR_SCHEMA_REF: Readonly<Record<CloudApiName, string>> = {
  audits: '#/components/schemas/ErrorResponse',
  consumption: '#/components/schemas/ErrorResponse',
  groups: '#/components/schemas/Errors',
  licenses: '#/components/schemas/errorResponse',
  roles: '#/components/schemas/Errors',
  users: '#/components/schemas/Errors',
};

/** The body Qlik's gateway answers a rate-limited request with, whatever the API (reference A.4, S5). */
const RATE_LIMIT_BODY = {
  type: 'object',
  required: ['errors'],
  properties: {
    errors: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['code', 'title'],
        properties: { code: { type: 'string' }, title: { type: 'string' }, detail: { type: 'string' } },
      },
    },
  },
};

const REFERENCE = '../shared/reference/qlik-cloud.md';

/** Every known erratum of specs/cloud/*.json, applied by `createCloudContract()`. */
export const CLOUD_ERRATA: readonly CloudErratum[] = [
  {
    id: 'allotment-name-open',
    specSays: 'licenseOverview.allotments[].name is one of professional, analyzer, analyzer_time.',
    tenantsDo:
      'Capacity subscriptions (Standard, Premium, Enterprise) count Full Users rather than allot professional/analyzer ' +
      'licenses, and report them under another name: a live answer published in third-party code shows type "fullUser" ' +
      '(and "basicUser" before February 2026).',
    source: `${REFERENCE} A.2.7 (fullUser/basicUser, "treat name as an open string") and A.00 (capacity subscriptions lose user types, 2026-02-02)`,
    contractPatch: 'allotments[].name is any string; the simulator reports a capacity tenant\'s purchased Full Users as allotment "fullUser".',
    patch: {
      kind: 'schema',
      api: 'licenses',
      pointer: '/components/schemas/licenseOverview/properties/allotments/items/properties/name',
      mode: 'replace',
      value: () => ({ type: 'string', minLength: 1 }),
    },
  },
  {
    id: 'users-me-fields',
    specSays: 'GET /api/v1/users/me takes no query parameters.',
    tenantsDo: 'Qlik documents /users/me?fields=assignedRoles as the way for a non-admin to read their own roles since the roles API became admin-only.',
    source: `${REFERENCE} A.00 (qlik.dev changelog 89) and A.3.1 (/users/me redirects to /users/{id}, which takes fields)`,
    contractPatch: 'GET /api/v1/users/me takes `fields`; the simulator carries the query into its redirect to /users/{id}.',
    patch: {
      kind: 'schema',
      api: 'users',
      pointer: '/paths/~1api~1v1~1users~1me/get/parameters',
      mode: 'add',
      value: () => [
        {
          in: 'query',
          name: 'fields',
          schema: { type: 'string' },
          required: false,
          description: 'A comma-delimited string of the requested fields per entity (erratum users-me-fields).',
        },
      ],
    },
  },
  {
    id: 'roles-admin-only',
    specSays: 'GET /api/v1/roles and GET /api/v1/roles/{id} declare no 403.',
    tenantsDo: 'Since April 2024 the roles API answers tenant admins only; everyone else gets 403.',
    source: `${REFERENCE} A.00 (qlik.dev changelog 89)`,
    contractPatch: 'Both GETs may answer 403 with the roles API\'s Errors body.',
    patch: {
      kind: 'status',
      statuses: [403],
      appliesTo: (op) => op.api === 'roles' && op.method === 'GET',
      schema: (api) => ({ $ref: CLOUD_ERROR_SCHEMA_REF[api] }),
    },
  },
  {
    id: 'rate-limit-429',
    specSays: 'The licenses and audits operations, GET /roles/{id} and some others declare no 429.',
    tenantsDo:
      'Every endpoint is rate limited per tier, user and tenant, and a limited request answers 429 with `retry-after: <seconds>` ' +
      'and {"errors":[{"code":"HTTP-429","title":"API rate limit reached.","detail":"…"}]}.',
    source: `${REFERENCE} A.4 (qlik.dev/apis/rest/rate-limiting, last updated 2025-06-19) and A.2 (each licenses endpoint's rate tier)`,
    contractPatch: 'Any operation that does not declare 429 may answer it with the gateway\'s errors body.',
    patch: { kind: 'status', statuses: [429], appliesTo: () => true, schema: () => RATE_LIMIT_BODY },
  },
  {
    id: 'unauthenticated-401',
    specSays: 'Some operations (GET /users/{id}, PATCH /users/{id}, GET /users/me, GET /roles/{id}, GET /groups/{groupId}, …) declare no 401.',
    tenantsDo: 'Every /api/v1 operation takes `Authorization: Bearer <API key | OAuth token>` and refuses a missing, unknown or expired one with 401.',
    source: `${REFERENCE} A.1 (Bearer on every endpoint) and A.4 (tokens expire; clients fetch a new one on 401); RFC 6750 §3.1`,
    contractPatch: 'Any operation that does not declare 401 may answer it with its API\'s error body.',
    patch: { kind: 'status', statuses: [401], appliesTo: () => true, schema: (api) => ({ $ref: CLOUD_ERROR_SCHEMA_REF[api] }) },
  },
  {
    id: 'json-patch-examples',
    specSays:
      'JSONPatch.value is oneOf string, boolean, array, RefIDs, RefNames, AssignedGroupsRefNames; JSONPatch.path is an enum without /assignedRoles/-.',
    tenantsDo:
      'The spec\'s own JSONPatchArray example fails that schema: an array of {id} or {name} matches both `array` and RefIDs/RefNames, ' +
      'so oneOf rejects the documented `replace /assignedRoles`; `remove-value` takes one {id} object and `add` uses /assignedRoles/-. ' +
      'Qlik documents these requests as answered 204.',
    source: `specs/cloud/users.json (components.schemas.JSONPatchArray.example); ${REFERENCE} A.3.1 (PATCH examples); ../shared/seeds/002 (replace /assignedRoles → 204)`,
    contractPatch: 'value is anyOf the same alternatives plus a single {id} or {name} object; path also takes /assignedRoles/-.',
    patch: {
      kind: 'schema',
      api: 'users',
      pointer: '/components/schemas/JSONPatch/properties',
      mode: 'replace',
      value: (original) => {
        const props = isRecord(original) ? original : {};
        const value = isRecord(props['value']) ? props['value'] : {};
        const path = isRecord(props['path']) ? props['path'] : {};
        const alternatives = Array.isArray(value['oneOf']) ? value['oneOf'] : [];
        const pathEnum = Array.isArray(path['enum']) ? path['enum'] : [];
        return {
          ...props,
          path: { ...path, enum: [...pathEnum, '/assignedRoles/-'] },
          value: {
            description: value['description'],
            anyOf: [
              ...alternatives,
              { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
              { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
            ],
          },
        };
      },
    },
  },
  {
    id: 'audits-event-time-pattern',
    specSays: 'GET /audits eventTime has `pattern: "YYYY-MM-DDThh:mm:ss.sssZ/YYYY-MM-DDThh:mm:ss.sssZ"`.',
    tenantsDo:
      'The pattern is a format description, not a regular expression: as a regex it matches only those literal letters, and the ' +
      'spec\'s own example (2021-07-14T18:41:15.00Z/2021-07-14T18:41:15.99Z) fails it. Tenants take an ISO 8601 interval.',
    source: 'specs/cloud/audits.json (the parameter\'s own `example` and description: "?eventTime=2021-07-14T18:41:15.00Z/2021-07-14T18:41:15.99Z")',
    contractPatch: 'eventTime must be two ISO 8601 date-times joined by "/".',
    patch: {
      kind: 'schema',
      api: 'audits',
      pointer: '/paths/~1api~1v1~1audits/get/parameters/0/schema',
      mode: 'replace',
      value: (original) => ({
        ...(isRecord(original) ? original : {}),
        pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})/\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$',
      }),
    },
  },
  {
    id: 'audits-archive-date-pattern',
    specSays: 'GET /audits/archive date has `pattern: "YYYY-MM-DD"` (and `format: date`).',
    tenantsDo: 'The pattern is a description: the spec\'s own example 2020-02-20 fails it as a regex. Tenants take an ISO 8601 date.',
    source: 'specs/cloud/audits.json (the parameter\'s own `example`: 2020-02-20)',
    contractPatch: 'date must be YYYY-MM-DD digits (format: date still applies).',
    patch: {
      kind: 'schema',
      api: 'audits',
      pointer: '/paths/~1api~1v1~1audits~1archive/get/parameters/0/schema/pattern',
      mode: 'replace',
      value: () => '^\\d{4}-\\d{2}-\\d{2}$',
    },
  },
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
