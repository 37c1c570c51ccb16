import type { ValidateFunction } from 'ajv';
import { createContractAjv, describeAjvErrors, validatorCache } from '../contractAjv';
import { SpecOperationIndex, specOperations } from '../specOperationIndex';
import { CLOUD_ERRATA, type CloudErratum, type CloudOperationRef, type CloudSchemaPatch } from './cloudErrata';
import { CLOUD_API_NAMES, cloudSpecs, type CloudApiName } from './cloudSpecs';

/** A request as the contract sees it. */
export interface CloudContractRequest {
  readonly method: string;
  /** The URL path, e.g. `/api/v1/users/me` (a query string is ignored). */
  readonly path: string;
  /** Query parameters by name; names are case-sensitive, as Qlik Cloud treats them. */
  readonly query?: Readonly<Record<string, string>>;
  /** Parsed JSON body, or undefined when none was sent. */
  readonly body?: unknown;
}

/** A response as the contract sees it. */
export interface CloudContractResponse {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** The media type sent (parameters such as charset are ignored); needed when there is a body. */
  readonly contentType?: string;
  /** Parsed JSON, the text of a non-JSON answer, or undefined when empty. */
  readonly body?: unknown;
}

/** The operation a method and path resolve to. */
export interface CloudOperationMatch extends CloudOperationRef {
  readonly pathParams: Readonly<Record<string, string>>;
}

/** Validates traffic against specs/cloud/*.json, patched by the errata in cloudErrata.ts. */
export interface CloudContract {
  /** The operation for a method and path, or undefined if no spec has one. */
  findOperation(method: string, path: string): CloudOperationMatch | undefined;
  /** Methods the specs declare for a path (empty when the path itself is unknown). */
  methodsFor(path: string): string[];
  /** Problems with a request; empty when it is valid. */
  validateRequest(request: CloudContractRequest): string[];
  /**
   * Problems with a response; empty when it is valid. A status must be declared by the spec
   * (or its `default`) or added by an erratum, and the body must match the declared content.
   */
  validateResponse(response: CloudContractResponse): string[];
}

/** What to build a contract from. */
export interface CloudContractOptions {
  /** The errata to patch the specs with (default CLOUD_ERRATA); tests leave one out to see it matter. */
  readonly errata?: readonly CloudErratum[];
}

interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly required: boolean;
  readonly schema: unknown;
}

interface MediaContent {
  readonly schema?: unknown;
}

interface ResponseDecl {
  /** Media type → content; empty when the spec declares no body. */
  readonly content: Readonly<Record<string, MediaContent>>;
}

interface Operation extends CloudOperationRef {
  readonly query: ReadonlyMap<string, Parameter>;
  readonly pathParams: ReadonlyMap<string, Parameter>;
  readonly body: { readonly required: boolean; readonly schema: unknown } | undefined;
  readonly responses: ReadonlyMap<string, ResponseDecl>;
  /** Undeclared statuses the errata let it answer, with their body schemas. */
  readonly erratumStatuses: ReadonlyMap<number, unknown>;
}

/** Formats the specs use that carry no checkable constraint (`uid` is Qlik's id, whatever its shape). */
const IGNORED_FORMATS = ['uid', 'bearer', 'boolean', 'number'];

/** Keys whose values are data, not schemas: never rewritten. */
const DATA_KEYS = new Set(['example', 'examples', 'default', 'enum', 'const']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The Ajv key under which an API's components are registered. */
function schemaId(api: CloudApiName): string {
  return `cloud-${api}`;
}

/**
 * Turns an OpenAPI 3.0 schema into one Ajv validates: local `#/...` refs point at the API's
 * registered document, and `nullable: true` becomes a `null` type (OpenAPI 3.0 has no null type).
 */
export function toJsonSchema(schema: unknown, refBase: string): unknown {
  if (Array.isArray(schema)) {
    return schema.map((s) => toJsonSchema(s, refBase));
  }
  if (!isRecord(schema)) {
    return schema;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith('#/')) {
      out[k] = `${refBase}${v}`;
    } else if (k === 'nullable') {
      continue;
    } else {
      out[k] = DATA_KEYS.has(k) ? v : toJsonSchema(v, refBase);
    }
  }
  if (schema['nullable'] === true) {
    const type = out['type'];
    if (typeof type === 'string') {
      out['type'] = [type, 'null'];
    } else if (Array.isArray(type) && !type.includes('null')) {
      out['type'] = [...type, 'null'];
    }
    if (Array.isArray(out['enum']) && !out['enum'].includes(null)) {
      out['enum'] = [...out['enum'], null];
    }
    if (type === undefined && out['enum'] === undefined) {
      // Only combinators: wrap them so null is accepted too.
      return { anyOf: [out, { type: 'null' }] };
    }
  }
  return out;
}

function decodePointerToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function resolvePointer(doc: unknown, pointer: string): unknown {
  let node: unknown = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const token = decodePointerToken(raw);
    if (Array.isArray(node)) {
      node = node[Number(token)];
    } else if (isRecord(node)) {
      node = node[token];
    } else {
      return undefined;
    }
  }
  return node;
}

function applySchemaPatch(doc: unknown, erratum: CloudErratum, patch: CloudSchemaPatch): void {
  const cut = patch.pointer.lastIndexOf('/');
  const last = cut < 0 ? undefined : decodePointerToken(patch.pointer.slice(cut + 1));
  const parent = resolvePointer(doc, patch.pointer.slice(0, Math.max(cut, 0)));
  if (last === undefined || !(isRecord(parent) || Array.isArray(parent))) {
    throw new Error(`Cloud erratum ${erratum.id}: ${patch.api} has nothing at ${patch.pointer} to patch.`);
  }
  const container = parent as Record<string, unknown>;
  const original = container[last];
  if ((original === undefined) !== (patch.mode === 'add')) {
    const state = original === undefined ? 'has no' : 'already has';
    throw new Error(`Cloud erratum ${erratum.id}: ${patch.api} ${state} ${patch.pointer}; is the erratum stale?`);
  }
  container[last] = patch.value(original);
}

function splitPath(path: string): string[] {
  return (path.split('?')[0] ?? '').split('/').filter((s) => s !== '');
}

/** The JSON type a parameter schema declares, following one level of `$ref`. */
function declaredType(doc: unknown, schema: unknown): unknown {
  if (!isRecord(schema)) {
    return undefined;
  }
  const ref = schema['$ref'];
  if (typeof ref === 'string' && ref.startsWith('#/')) {
    return declaredType(doc, resolvePointer(doc, ref.slice(1)));
  }
  return schema['type'];
}

/** Query and path values arrive as text; the schema decides what they should be. */
function coerce(type: unknown, value: string): unknown {
  if (type === 'integer' || type === 'number') {
    return /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value.trim()) ? Number(value) : value;
  }
  if (type === 'boolean') {
    return value === 'true' ? true : value === 'false' ? false : value;
  }
  return value;
}

function parameterOf(doc: unknown, raw: unknown): Parameter | undefined {
  const p = isRecord(raw) && typeof raw['$ref'] === 'string' ? resolvePointer(doc, raw['$ref'].slice(1)) : raw;
  if (!isRecord(p) || typeof p['name'] !== 'string' || typeof p['in'] !== 'string') {
    return undefined;
  }
  return { name: p['name'], in: p['in'], required: p['required'] === true || p['in'] === 'path', schema: p['schema'] ?? {} };
}

function responsesOf(raw: unknown): Map<string, ResponseDecl> {
  const out = new Map<string, ResponseDecl>();
  if (!isRecord(raw)) {
    return out;
  }
  for (const [status, r] of Object.entries(raw)) {
    const content: Record<string, MediaContent> = {};
    if (isRecord(r) && isRecord(r['content'])) {
      for (const [media, c] of Object.entries(r['content'])) {
        content[media.toLowerCase()] = isRecord(c) && c['schema'] !== undefined ? { schema: c['schema'] } : {};
      }
    }
    out.set(status, { content });
  }
  return out;
}

function bodyOf(raw: unknown): Operation['body'] {
  if (!isRecord(raw) || !isRecord(raw['content'])) {
    return undefined;
  }
  const json = raw['content']['application/json'];
  return { required: raw['required'] === true, schema: isRecord(json) ? (json['schema'] ?? {}) : {} };
}

/**
 * Builds a validator from the Qlik Cloud OpenAPI 3 files with Ajv (formats from ajv-formats;
 * Qlik's own `uid` and `bearer` formats are accepted as they come). The Cloud client's tests use
 * it too, to check what the client sends. Throws when an erratum no longer fits the specs.
 */
export function createCloudContract(options: CloudContractOptions = {}): CloudContract {
  const errata = options.errata ?? CLOUD_ERRATA;
  const ajv = createContractAjv(IGNORED_FORMATS);
  const statusErrata = errata.flatMap((e) => (e.patch.kind === 'status' ? [{ erratum: e, patch: e.patch }] : []));
  const unused = new Set(errata.map((e) => e.id));
  const operations: Operation[] = [];
  const docs = new Map<CloudApiName, unknown>();

  for (const api of CLOUD_API_NAMES) {
    const doc = structuredClone(cloudSpecs[api]);
    if (!isRecord(doc) || !isRecord(doc['paths'])) {
      throw new Error(`specs/cloud/${api}.json has no paths.`);
    }
    for (const erratum of errata) {
      if (erratum.patch.kind === 'schema' && erratum.patch.api === api) {
        applySchemaPatch(doc, erratum, erratum.patch);
        unused.delete(erratum.id);
      }
    }
    docs.set(api, doc);
    const id = schemaId(api);
    ajv.addSchema({ components: toJsonSchema(doc['components'] ?? {}, id) }, id);

    for (const { method, template, op } of specOperations(doc['paths'])) {
      const params = (Array.isArray(op['parameters']) ? op['parameters'] : []).map((p) => parameterOf(doc, p)).filter((p) => p !== undefined);
      const ref: CloudOperationRef = { api, method, template };
      const responses = responsesOf(op['responses']);
      const erratumStatuses = new Map<number, unknown>();
      for (const { erratum, patch } of statusErrata) {
        if (!patch.appliesTo(ref)) {
          continue;
        }
        for (const status of patch.statuses) {
          if (!responses.has(String(status)) && !erratumStatuses.has(status)) {
            erratumStatuses.set(status, toJsonSchema(patch.schema(api), id));
            unused.delete(erratum.id);
          }
        }
      }
      operations.push({
        ...ref,
        query: new Map(params.filter((p) => p.in === 'query').map((p) => [p.name, p])),
        pathParams: new Map(params.filter((p) => p.in === 'path').map((p) => [p.name, p])),
        body: bodyOf(op['requestBody']),
        responses,
        erratumStatuses,
      });
    }
  }
  if (unused.size > 0) {
    throw new Error(`Cloud errata ${[...unused].join(', ')} fit no operation of the specs; are they stale?`);
  }

  const cached = validatorCache();
  const validator = (key: string, api: CloudApiName, schema: unknown): ValidateFunction => cached(key, () => ajv.compile(toJsonSchema(schema, schemaId(api)) as object));
  const index = new SpecOperationIndex(operations, { split: splitPath, literalsIgnoreCase: false });

  const checkParam = (op: Operation, param: Parameter, value: string, where: string): string[] => {
    const v = validator(`${op.api} ${op.method} ${op.template} ${param.in} ${param.name}`, op.api, param.schema);
    const coerced = coerce(declaredType(docs.get(op.api), param.schema), value);
    return v(coerced) ? [] : describeAjvErrors(v.errors, `${where}: ${param.in} parameter '${param.name}'`);
  };

  return {
    findOperation(method, path) {
      const m = index.find(method, path);
      return m ? { api: m.op.api, method: m.op.method, template: m.op.template, pathParams: m.params } : undefined;
    },

    methodsFor(path) {
      return index.candidates(path).map((c) => c.op.method);
    },

    validateRequest(request) {
      const where = index.label(request.method, request.path);
      const m = index.find(request.method, request.path);
      if (!m) {
        const allowed = index.candidates(request.path).map((c) => c.op.method);
        return [
          allowed.length > 0
            ? `${where}: the spec has no ${request.method.toUpperCase()} here (only ${allowed.join(', ')})`
            : `${where}: no such path in the specs`,
        ];
      }
      const { op, params } = m;
      const problems: string[] = [];
      for (const [name, value] of Object.entries(params)) {
        const param = op.pathParams.get(name);
        if (param) {
          problems.push(...checkParam(op, param, value, where));
        }
      }
      const query = request.query ?? {};
      for (const [name, value] of Object.entries(query)) {
        const param = op.query.get(name);
        if (!param) {
          problems.push(`${where}: unknown query parameter '${name}'`);
          continue;
        }
        problems.push(...checkParam(op, param, value, where));
      }
      for (const [name, param] of op.query) {
        if (param.required && query[name] === undefined) {
          problems.push(`${where}: required query parameter '${name}' is missing`);
        }
      }
      if (op.body) {
        if (request.body === undefined) {
          if (op.body.required) {
            problems.push(`${where}: a JSON body is required`);
          }
        } else {
          const v = validator(`${op.api} ${op.method} ${op.template} body`, op.api, op.body.schema);
          if (!v(request.body)) {
            problems.push(...describeAjvErrors(v.errors, `${where}: body`));
          }
        }
      } else if (request.body !== undefined) {
        problems.push(`${where}: the operation takes no body`);
      }
      return problems;
    },

    validateResponse(response) {
      const where = `${index.label(response.method, response.path)} -> ${response.status}`;
      const m = index.find(response.method, response.path);
      if (!m) {
        return [`${where}: no such operation in the specs`];
      }
      const { op } = m;
      const declared = op.responses.get(String(response.status));
      const erratumSchema = op.erratumStatuses.get(response.status);
      const fallback = declared ?? (erratumSchema === undefined ? op.responses.get('default') : undefined);
      if (!fallback && erratumSchema === undefined) {
        return [`${where}: the spec declares only ${[...op.responses.keys()].join(', ')}, and no erratum adds ${response.status}`];
      }
      const content: Readonly<Record<string, MediaContent>> = fallback ? fallback.content : { 'application/json': { schema: erratumSchema } };
      const media = Object.keys(content);
      const withSchema = media.filter((k) => content[k]?.schema !== undefined);
      if (response.body === undefined) {
        return withSchema.length === 0 ? [] : [`${where}: a body (${withSchema.join(' or ')}) is required`];
      }
      if (withSchema.length === 0) {
        return [`${where}: the spec declares no body`];
      }
      const type = (response.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      const chosen = content[type] ?? (type === '' ? undefined : content['*/*']);
      if (!chosen || chosen.schema === undefined) {
        return [`${where}: content type '${type}' is not among ${media.join(', ')}`];
      }
      const key = `${op.api} ${op.method} ${op.template} ${response.status} ${type}`;
      const v = validator(key, op.api, chosen.schema);
      return v(response.body) ? [] : describeAjvErrors(v.errors, `${where}: body`);
    },
  };
}
