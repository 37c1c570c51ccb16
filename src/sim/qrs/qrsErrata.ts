/**
 * Where specs/qrs-license.swagger.json and real Qlik Sense repositories disagree. The contract
 * (qrsContract.ts) patches itself from this list and nothing else, so the simulator, the client's
 * tests and any reader see the same, sourced, deviations from the spec.
 */

/** One operation of the spec: its method and the path template the spec writes. */
export interface QrsOperationRef {
  /** Upper case, e.g. `GET`. */
  readonly method: string;
  /** As in the spec, e.g. `/license/useraccesstype/{id}`. */
  readonly template: string;
}

/**
 * Replaces or adds one property's schema in some definitions. `replace` insists the spec has the
 * property and `add` that it has not, so a newer spec that fixes the gap makes the contract throw
 * instead of silently patching what is no longer broken.
 */
export interface QrsPropertyPatch {
  readonly kind: 'property';
  readonly mode: 'replace' | 'add';
  readonly definitions: readonly string[];
  readonly property: string;
  /** The patched schema, given the spec's own (undefined for `add`). */
  schema(original: unknown): unknown;
}

/** Lets operations answer statuses the spec does not declare; those answers are QRS's plain text, not checked. */
export interface QrsStatusPatch {
  readonly kind: 'status';
  readonly statuses: readonly number[];
  /** Whether the erratum covers an operation; it must cover at least one of the spec's. */
  appliesTo(operation: QrsOperationRef): boolean;
}

/** How an erratum patches the contract. */
export type QrsErratumPatch = QrsPropertyPatch | QrsStatusPatch;

/** One known deviation of real servers from the spec. */
export interface QrsErratum {
  /** Stable id, for tests and log lines. */
  readonly id: string;
  /** What the spec says. */
  readonly specSays: string;
  /** What real servers (and the QMC) do instead. */
  readonly serversDo: string;
  /** Where that is published or was seen. */
  readonly source: string;
  /** How the contract is patched, in words. */
  readonly contractPatch: string;
  readonly patch: QrsErratumPatch;
}

const CREATE_TABLE_DOC =
  'help.qlik.com/en-US/sense-developer/May2024/Subsystems/RepositoryServiceAPI/Content/Sense_RepositoryServiceAPI/RepositoryServiceAPI-Create-Table.htm';

/** The enum names of TableDefinitionColumn.columnType, in the order of its integer values. */
const COLUMN_TYPE_NAMES = ['Undefined', 'Property', 'Function', 'List', 'Privileges'];

/** Allocation entities whose `{id}` GET tells a freed pass (404) from a quarantined one (200). */
const ALLOCATION_ID_TEMPLATES: ReadonlySet<string> = new Set(
  ['useraccesstype', 'professionalaccesstype', 'analyzeraccesstype'].map((t) => `/license/${t}/{id}`),
);

function isFreedAllocationRead(op: QrsOperationRef): boolean {
  return op.method === 'GET' && ALLOCATION_ID_TEMPLATES.has(op.template);
}

/** Every known erratum of specs/qrs-license.swagger.json, applied by `createQrsContract()`. */
export const QRS_ERRATA: readonly QrsErratum[] = [
  {
    id: 'table-rows-scalars',
    specSays: 'Table.rows is an array of arrays of `object`.',
    serversDo: 'The cells of a /table answer are strings, numbers, booleans and nulls, one per column, never objects.',
    source: `${CREATE_TABLE_DOC} (return value: "rows": [["item1.1", "item1.2", ...], ...])`,
    contractPatch: 'Table.rows is an array of arrays of string | number | boolean | null.',
    patch: {
      kind: 'property',
      mode: 'replace',
      definitions: ['Table'],
      property: 'rows',
      schema: () => ({ type: 'array', items: { type: 'array', items: { type: ['string', 'number', 'boolean', 'null'] } } }),
    },
  },
  {
    id: 'column-type-names',
    specSays: 'TableDefinitionColumn.columnType and TableDefinitionListColumn.columnType are an integer enum.',
    serversDo: 'QRS also takes the enum names; Qlik\'s documentation and the QMC send them ("columnType": "Property").',
    source: `${CREATE_TABLE_DOC} (body: "columnType": Property/Function/List)`,
    contractPatch: `columnType is the spec's integer or one of ${COLUMN_TYPE_NAMES.join(', ')}.`,
    patch: {
      kind: 'property',
      mode: 'replace',
      definitions: ['TableDefinitionColumn', 'TableDefinitionListColumn'],
      property: 'columnType',
      schema: (original) => ({ anyOf: [original, { type: 'string', enum: COLUMN_TYPE_NAMES }] }),
    },
  },
  {
    id: 'table-entity-key',
    specSays: 'TableDefinition names the entity in `type` and has no `entity` property; Qlik\'s documentation sends `type`.',
    serversDo:
      'The QMC names it in `entity` in its own POST /qrs/<entity>/table bodies ({"entity":"App","columns":[...]}) and QRS answers them; ' +
      'our client sends both keys.',
    source: `${CREATE_TABLE_DOC} (body: "type": "..."); the QMC's requests, replayed verbatim by public admin scripts (POST /qrs/App/table with {"entity":"App",...})`,
    contractPatch:
      'TableDefinition gets `entity: string`. The spec sets no additionalProperties: false, so the unpatched contract let any `entity` ' +
      'through untyped; now a non-string one is a violation. That `type` and `entity` agree is not a schema matter: the simulator\'s ' +
      '/table route answers 400 when they differ.',
    patch: {
      kind: 'property',
      mode: 'add',
      definitions: ['TableDefinition'],
      property: 'entity',
      schema: () => ({ type: 'string' }),
    },
  },
  {
    id: 'error-answers',
    specSays: 'Every operation declares only its success status (200, 201 or 204).',
    serversDo:
      'QRS refuses a request with 400 (bad filter, body or state), 401 or 403 (not authenticated, no rights, failed XSRF check), ' +
      '409 (stale modifiedDate) or a 5xx, with a plain-text message, on any operation.',
    source:
      'ahaydon/Qlik-Cli-Windows issue #88 (a quoted GUID in a filter answered 400); help.qlik.com ' +
      'RepositoryServiceAPI-General-Purpose-Paths.htm (a modifiedDate that differs from the stored one is a conflict); ' +
      'help.qlik.com ProxyServiceAPI Xrfkey page (requests without a matching Xrfkey are refused)',
    contractPatch: 'Every operation may answer 400, 401, 403, 409, 500 or 503; the body is not checked.',
    patch: { kind: 'status', statuses: [400, 401, 403, 409, 500, 503], appliesTo: () => true },
  },
  {
    id: 'freed-allocation-404',
    specSays: 'GET /license/{useraccesstype,professionalaccesstype,analyzeraccesstype}/{id} answers 200 only.',
    serversDo:
      'Deleting a pass unused for 7 days removes the allocation and frees its token at once, and so does the end of a quarantine; ' +
      'a GET of its id then answers 404. A quarantined pass still answers 200 with quarantined: true, so a read-back after a ' +
      'revoke tells "freed" (404) from "quarantined" (200) by the status.',
    source:
      'help.qlik.com sense-admin May2022 user-access-allocations.htm and February2019 Server-Licensing-Quarantine.htm ' +
      '(a pass used in the last 7 days is quarantined, otherwise removed and its token freed); the generated QRS reference ' +
      '(help.qlik.com RepositoryServiceAPI index.html) lists 200 only for these GETs',
    contractPatch: 'These three GETs may answer 404; the body is not checked.',
    patch: { kind: 'status', statuses: [404], appliesTo: isFreedAllocationRead },
  },
  {
    id: 'unknown-id-404',
    specSays: 'Operations on /<entity>/{id} declare only 200 (GET, PUT) or 204 (DELETE).',
    serversDo:
      'An id the repository does not hold, or that the caller\'s security rules hide, answers 404: a deleted user\'s GET /user/{id}, ' +
      'a PUT or DELETE of an allocation that is already freed.',
    source: 'help.qlik.com RepositoryServiceAPI-General-Purpose-Paths.htm (the generic /qrs/[type]/{id} paths); RFC 9110 §15.5.5',
    contractPatch:
      'Every other operation whose path ends in /{id} may answer 404 (the three allocation GETs are freed-allocation-404, ' +
      'because there the 404 is an answer the source relies on, not just a missing id).',
    patch: { kind: 'status', statuses: [404], appliesTo: (op) => op.template.endsWith('/{id}') && !isFreedAllocationRead(op) },
  },
];
