import type { ValidateFunction } from 'ajv';
import { createContractAjv, describeAjvErrors, validatorCache } from '../contractAjv';
import { SpecOperationIndex, specOperations } from '../specOperationIndex';
import { QRS_ERRATA, type QrsErratum, type QrsPropertyPatch } from './qrsErrata';
import { QRS_SPEC_FILES } from './qrsSpec';

/** A request as the contract sees it; `path` is relative to /qrs (a leading /qrs is tolerated). */
export interface QrsContractRequest {
  readonly method: string;
  readonly path: string;
  /** Query parameters; names compare without case, as QRS treats them. */
  readonly query?: Readonly<Record<string, string>>;
  /** Parsed JSON body, or undefined when none was sent. */
  readonly body?: unknown;
}

/** A response as the contract sees it. */
export interface QrsContractResponse {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Parsed JSON body, or undefined when empty. */
  readonly body?: unknown;
}

/** The operation a method and path resolve to. */
export interface QrsOperationMatch {
  readonly method: string;
  /** The spec's path template, e.g. `/license/useraccesstype/{id}`. */
  readonly template: string;
  readonly pathParams: Readonly<Record<string, string>>;
}

/**
 * Validates traffic against the QRS spec files (specs/qrs-license.swagger.json and
 * specs/qrs-apps.swagger.json, read as one), patched by the errata in qrsErrata.ts.
 */
export interface QrsContract {
  /** The operation for a method and path, or undefined if the spec has none. */
  findOperation(method: string, path: string): QrsOperationMatch | undefined;
  /** Methods the spec declares for a path (empty when the path itself is unknown). */
  methodsFor(path: string): string[];
  /** Problems with a request; empty when it is valid. */
  validateRequest(request: QrsContractRequest): string[];
  /**
   * Problems with a response; empty when it is valid. A status must be declared by the spec or by
   * an erratum; an erratum's status carries QRS's plain text, whose body is not checked.
   */
  validateResponse(response: QrsContractResponse): string[];
}

interface SwaggerParameter {
  readonly name: string;
  readonly in: string;
  readonly type?: string;
  readonly required?: boolean;
  readonly schema?: unknown;
}

interface SwaggerOperation {
  readonly parameters?: readonly SwaggerParameter[];
  readonly responses?: Readonly<Record<string, { readonly schema?: unknown }>>;
}

interface Operation {
  readonly method: string;
  readonly template: string;
  readonly query: ReadonlyMap<string, SwaggerParameter>;
  readonly body: SwaggerParameter | undefined;
  readonly responses: Readonly<Record<string, { readonly schema?: unknown }>>;
  /** Undeclared statuses the errata let it answer. */
  readonly erratumStatuses: ReadonlySet<number>;
}

/** What to build a contract from. */
export interface QrsContractOptions {
  /** The errata to patch the spec with (default QRS_ERRATA); tests leave one out to see it matter. */
  readonly errata?: readonly QrsErratum[];
  /** The spec files to read as one (default QRS_SPEC_FILES); tests pass others to see a conflict refused. */
  readonly files?: readonly { readonly file: string; readonly spec: unknown }[];
}

/** Swagger formats Ajv does not know; they carry no constraint worth checking. */
const IGNORED_FORMATS = ['int32', 'int64', 'float', 'double', 'host', 'lef', 'encrypted-text', 'bit-mask', 'byte', 'binary', 'password'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function applyPropertyPatch(definitions: Record<string, unknown>, erratum: QrsErratum, patch: QrsPropertyPatch): void {
  for (const name of patch.definitions) {
    const def = definitions[name];
    if (!isRecord(def) || !isRecord(def['properties'])) {
      throw new Error(`QRS erratum ${erratum.id}: the spec has no definition ${name} to patch.`);
    }
    const properties = def['properties'];
    const original = properties[patch.property];
    if ((original === undefined) !== (patch.mode === 'add')) {
      const state = original === undefined ? 'has no' : 'already has';
      throw new Error(`QRS erratum ${erratum.id}: ${name} ${state} property ${patch.property}; is the erratum stale?`);
    }
    properties[patch.property] = patch.schema(original);
  }
}

/** Points the operations' local `#/definitions/X` refs at the shared definitions document. */
function rebaseRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) {
    return schema.map(rebaseRefs);
  }
  if (!isRecord(schema)) {
    return schema;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `qrs${v}` : rebaseRefs(v);
  }
  return out;
}

function splitPath(path: string): string[] {
  let p = path.split('?')[0] ?? '';
  if (/^\/qrs(\/|$)/i.test(p)) {
    p = p.slice(4);
  }
  return p.split('/').filter((s) => s !== '');
}

function checkQueryValue(param: SwaggerParameter, value: string): string | undefined {
  switch (param.type) {
    case 'integer':
      return /^-?\d+$/.test(value) ? undefined : `must be an integer, not '${value}'`;
    case 'number':
      return value.trim() !== '' && Number.isFinite(Number(value)) ? undefined : `must be a number, not '${value}'`;
    case 'boolean':
      return /^(true|false)$/i.test(value) ? undefined : `must be true or false, not '${value}'`;
    default:
      return undefined;
  }
}

/**
 * The spec files as one: their paths and definitions side by side. The files are cut from one
 * Repository API build, so a path in two files, or a definition two files spell differently,
 * means a file was edited or taken from elsewhere: refused rather than silently shadowed.
 */
function mergeSpecFiles(files: readonly { readonly file: string; readonly spec: unknown }[]): { paths: Record<string, unknown>; definitions: Record<string, unknown> } {
  const paths: Record<string, unknown> = {};
  const definitions: Record<string, unknown> = {};
  const from = new Map<string, string>();
  for (const { file, spec } of files) {
    if (!isRecord(spec) || !isRecord(spec['paths']) || !isRecord(spec['definitions'])) {
      throw new Error(`${file} has no paths or definitions.`);
    }
    for (const [template, item] of Object.entries(spec['paths'])) {
      if (template in paths) {
        throw new Error(`${file} and ${from.get(`path ${template}`) ?? 'another spec file'} both define the path ${template}.`);
      }
      paths[template] = item;
      from.set(`path ${template}`, file);
    }
    for (const [name, schema] of Object.entries(spec['definitions'])) {
      if (name in definitions && JSON.stringify(definitions[name]) !== JSON.stringify(schema)) {
        throw new Error(`${file} and ${from.get(`definition ${name}`) ?? 'another spec file'} define ${name} differently.`);
      }
      definitions[name] ??= schema;
      from.set(`definition ${name}`, from.get(`definition ${name}`) ?? file);
    }
  }
  return { paths, definitions };
}

/**
 * Builds a validator from the QRS Swagger (2.0) files with Ajv. Formats Ajv does not know
 * are ignored, `x-*` keywords are allowed. The QRS client's tests use it too, to check what
 * the client sends. Throws when an erratum no longer fits the spec.
 */
export function createQrsContract(options: QrsContractOptions = {}): QrsContract {
  const errata = options.errata ?? QRS_ERRATA;
  const spec = mergeSpecFiles(options.files ?? QRS_SPEC_FILES);
  const ajv = createContractAjv(IGNORED_FORMATS);
  const definitions = structuredClone(spec['definitions']);
  for (const erratum of errata) {
    if (erratum.patch.kind === 'property') {
      applyPropertyPatch(definitions, erratum, erratum.patch);
    }
  }
  ajv.addSchema({ definitions }, 'qrs');
  const statusErrata = errata.flatMap((e) => (e.patch.kind === 'status' ? [{ erratum: e, patch: e.patch }] : []));
  const unused = new Set(statusErrata.map((s) => s.erratum.id));

  const operations: Operation[] = [];
  for (const { method, template, op } of specOperations(spec['paths'])) {
    const o = op as SwaggerOperation;
    const params = o.parameters ?? [];
    const ref = { method, template };
    const erratumStatuses = new Set<number>();
    for (const { erratum, patch } of statusErrata) {
      if (patch.appliesTo(ref)) {
        unused.delete(erratum.id);
        patch.statuses.forEach((status) => erratumStatuses.add(status));
      }
    }
    operations.push({
      ...ref,
      query: new Map(params.filter((p) => p.in === 'query').map((p) => [p.name.toLowerCase(), p])),
      body: params.find((p) => p.in === 'body'),
      responses: o.responses ?? {},
      erratumStatuses,
    });
  }
  if (unused.size > 0) {
    throw new Error(`QRS errata ${[...unused].join(', ')} fit no operation of the spec; are they stale?`);
  }

  const cached = validatorCache();
  const validator = (key: string, schema: unknown): ValidateFunction => cached(key, () => ajv.compile(rebaseRefs(schema) as object));
  const index = new SpecOperationIndex(operations, { split: splitPath, literalsIgnoreCase: true });

  return {
    findOperation(method, path) {
      const m = index.find(method, path);
      return m ? { method: m.op.method, template: m.op.template, pathParams: m.params } : undefined;
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
            : `${where}: no such path in the spec`,
        ];
      }
      const { op } = m;
      const problems: string[] = [];
      const query = request.query ?? {};
      const seen = new Set<string>();
      for (const [name, value] of Object.entries(query)) {
        const lower = name.toLowerCase();
        seen.add(lower);
        if (lower === 'xrfkey') {
          continue;
        }
        const param = op.query.get(lower);
        if (!param) {
          problems.push(`${where}: unknown query parameter '${name}'`);
          continue;
        }
        const bad = checkQueryValue(param, value);
        if (bad) {
          problems.push(`${where}: query parameter '${name}' ${bad}`);
        }
      }
      for (const [lower, param] of op.query) {
        if (param.required && !seen.has(lower)) {
          problems.push(`${where}: required query parameter '${param.name}' is missing`);
        }
      }
      if (op.body) {
        if (request.body === undefined) {
          if (op.body.required) {
            problems.push(`${where}: a JSON body (${op.body.name}) is required`);
          }
        } else {
          const v = validator(`${op.method} ${op.template} body`, op.body.schema ?? {});
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
        return [`${where}: no such operation in the spec`];
      }
      const declared = m.op.responses[String(response.status)];
      if (!declared) {
        return m.op.erratumStatuses.has(response.status)
          ? []
          : [`${where}: the spec declares only ${Object.keys(m.op.responses).join(', ')}, and no erratum adds ${response.status}`];
      }
      if (declared.schema === undefined) {
        return response.body === undefined ? [] : [`${where}: the spec declares no body`];
      }
      if (response.body === undefined) {
        return [`${where}: a body is required`];
      }
      const v = validator(`${m.op.method} ${m.op.template} ${response.status}`, declared.schema);
      return v(response.body) ? [] : describeAjvErrors(v.errors, `${where}: body`);
    },
  };
}
