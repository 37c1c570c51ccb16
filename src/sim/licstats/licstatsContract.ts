import type { ValidateFunction } from 'ajv';
import { createContractAjv, describeAjvErrors, validatorCache } from '../contractAjv';
import borrowed from './contract/borrowed.schema.json';
import common from './contract/common.schema.json';
import currentUsers from './contract/currentUsers.schema.json';
import denials from './contract/denials.schema.json';
import expiring from './contract/expiring.schema.json';
import features from './contract/features.schema.json';
import licenseServers from './contract/licenseServers.schema.json';
import usagePerUser from './contract/usagePerUser.schema.json';

/**
 * The reports the simulator serves, named as the client names them. The simulator keeps its own
 * list rather than importing the client's, so a mistake in one is caught by the other.
 */
export type LicstatsSimReport = 'licenseServers' | 'features' | 'usagePerUser' | 'denials' | 'currentUsers' | 'borrowed' | 'expiring';

/** Every report, in a fixed order. */
export const LICSTATS_SIM_REPORTS: readonly LicstatsSimReport[] = ['licenseServers', 'features', 'usagePerUser', 'denials', 'currentUsers', 'borrowed', 'expiring'];

/** How a column filters and sorts (reference §3, Filtering): the schema's `x-filter` per column. */
export type ColumnKind = 'string' | 'number' | 'date' | 'dateTime' | 'enum';

/** One parsed `filter` entry; the operator defaults to `eq`. */
export interface FilterClause {
  readonly property: string;
  readonly kind: ColumnKind;
  readonly operator: 'eq' | 'lt' | 'gt';
  readonly value: string | number | readonly (string | number)[];
}

/** One parsed `order` entry. */
export interface OrderClause {
  readonly property: string;
  readonly kind: ColumnKind;
  readonly direction: 'ASC' | 'DESC';
}

/** A parse that either worked or says what is wrong. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * The contract of the License Statistics report API as far as the public record goes, written as
 * one JSON schema per report in ./contract/ (each citing the reference sections it rests on).
 * The simulator validates every request and answer against it; the client's tests validate what
 * the client sends.
 */
export interface LicstatsContract {
  /** The report's v1 path (its schema's `x-v1-path`). */
  v1Path(report: LicstatsSimReport): string;
  /** The report's columns and how each filters. */
  columns(report: LicstatsSimReport): ReadonlyMap<string, ColumnKind>;
  /** Problems with a request's query parameters, `filter` and `order` included; empty when valid. */
  validateQuery(report: LicstatsSimReport, query: Readonly<Record<string, string>>): string[];
  /** Problems with a success answer; empty when valid. */
  validateAnswer(report: LicstatsSimReport, body: unknown): string[];
  /** Problems with a refusal (`success: false`); empty when valid. */
  validateFailure(body: unknown): string[];
  /** The `filter` parameter, parsed and checked against the report's columns. */
  parseFilter(report: LicstatsSimReport, text: string): Parsed<FilterClause[]>;
  /** The `order` parameter, parsed and checked against the report's columns. */
  parseOrder(report: LicstatsSimReport, text: string): Parsed<OrderClause[]>;
}

const SCHEMAS: Readonly<Record<LicstatsSimReport, unknown>> = { licenseServers, features, usagePerUser, denials, currentUsers, borrowed, expiring };

const COLUMN_KINDS: readonly ColumnKind[] = ['string', 'number', 'date', 'dateTime', 'enum'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isDay(text: string): boolean {
  if (!DAY.test(text)) {
    return false;
  }
  const ms = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(text);
}

/** Builds the contract from ./contract/*.schema.json with Ajv. Throws when a schema is malformed. */
export function createLicstatsContract(): LicstatsContract {
  const ajv = createContractAjv();
  ajv.addSchema(common as object);
  const columnsOf = new Map<LicstatsSimReport, Map<string, ColumnKind>>();
  const v1 = new Map<LicstatsSimReport, string>();
  for (const report of LICSTATS_SIM_REPORTS) {
    const schema = SCHEMAS[report];
    if (!isRecord(schema) || !isRecord(schema['definitions']) || typeof schema['x-v1-path'] !== 'string') {
      throw new Error(`contract/${report}.schema.json has no definitions or x-v1-path.`);
    }
    ajv.addSchema(schema as object);
    v1.set(report, schema['x-v1-path']);
    const row = schema['definitions']['row'];
    const properties = isRecord(row) && isRecord(row['properties']) ? row['properties'] : {};
    const columns = new Map<string, ColumnKind>();
    for (const [handle, column] of Object.entries(properties)) {
      const kind = isRecord(column) ? column['x-filter'] : undefined;
      if (!COLUMN_KINDS.includes(kind as ColumnKind)) {
        throw new Error(`contract/${report}.schema.json: column ${handle} has no x-filter kind.`);
      }
      columns.set(handle, kind as ColumnKind);
    }
    columnsOf.set(report, columns);
  }
  const cached = validatorCache();
  const validator = (ref: string): ValidateFunction =>
    cached(ref, () => {
      const v = ajv.getSchema(ref);
      if (!v) {
        throw new Error(`The contract has no schema ${ref}.`);
      }
      return v;
    });
  const columns = (report: LicstatsSimReport): Map<string, ColumnKind> => columnsOf.get(report) ?? new Map();

  const parseJson = (name: string, text: string, schemaRef: string): Parsed<Record<string, unknown>[]> => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { ok: false, problems: [`${name} is not JSON: ${text}`] };
    }
    const v = validator(schemaRef);
    if (!v(value)) {
      return { ok: false, problems: describeAjvErrors(v.errors, name) };
    }
    return { ok: true, value: value as Record<string, unknown>[] };
  };

  const parseFilter = (report: LicstatsSimReport, text: string): Parsed<FilterClause[]> => {
    const parsed = parseJson('filter', text, 'licstats:common#/definitions/filter');
    if (!parsed.ok) {
      return parsed;
    }
    const problems: string[] = [];
    const clauses: FilterClause[] = [];
    parsed.value.forEach((entry, i) => {
      const property = String(entry['property']);
      const kind = columns(report).get(property);
      const operator = (entry['operator'] ?? 'eq') as FilterClause['operator'];
      const value = entry['value'] as FilterClause['value'];
      const at = `filter[${i}] (${property})`;
      if (!kind) {
        problems.push(`${at}: ${report} has no column "${property}"`);
        return;
      }
      const list = Array.isArray(value);
      if (kind === 'string' && (operator !== 'eq' || typeof value !== 'string')) {
        problems.push(`${at}: a text column takes a string value and no comparison (it matches substrings)`);
      } else if (kind === 'number' && (list || typeof value !== 'number')) {
        problems.push(`${at}: a number column takes a number value`);
      } else if ((kind === 'date' || kind === 'dateTime') && (typeof value !== 'string' || !isDay(value))) {
        problems.push(`${at}: a date column takes a YYYY-MM-DD value`);
      } else if (kind === 'enum' && operator !== 'eq') {
        problems.push(`${at}: an enumerated column takes a value or a list of values, and no comparison`);
      } else {
        clauses.push({ property, kind, operator, value });
      }
    });
    return problems.length > 0 ? { ok: false, problems } : { ok: true, value: clauses };
  };

  const parseOrder = (report: LicstatsSimReport, text: string): Parsed<OrderClause[]> => {
    const parsed = parseJson('order', text, 'licstats:common#/definitions/order');
    if (!parsed.ok) {
      return parsed;
    }
    const problems: string[] = [];
    const clauses: OrderClause[] = [];
    parsed.value.forEach((entry, i) => {
      const property = String(entry['property']);
      const kind = columns(report).get(property);
      if (!kind) {
        problems.push(`order[${i}]: ${report} has no column "${property}"`);
      } else {
        clauses.push({ property, kind, direction: entry['direction'] as OrderClause['direction'] });
      }
    });
    return problems.length > 0 ? { ok: false, problems } : { ok: true, value: clauses };
  };

  return {
    v1Path: (report) => v1.get(report) ?? '',
    columns,
    parseFilter,
    parseOrder,
    validateQuery(report, query) {
      const v = validator(`licstats:${report}#/definitions/query`);
      const problems = v(query) ? [] : describeAjvErrors(v.errors, 'query');
      for (const name of ['sd', 'ed']) {
        const day = query[name];
        if (day !== undefined && DAY.test(day) && !isDay(day)) {
          problems.push(`query/${name} ${day} is no calendar day`);
        }
      }
      if (query['sd'] !== undefined && query['ed'] !== undefined && query['sd'] > query['ed']) {
        problems.push(`query: sd ${query['sd']} is after ed ${query['ed']}`);
      }
      if (query['limit'] === '0') {
        problems.push('query/limit must be at least 1');
      }
      const filter = query['filter'];
      if (filter !== undefined) {
        const parsed = parseFilter(report, filter);
        if (!parsed.ok) {
          problems.push(...parsed.problems);
        }
      }
      const order = query['order'];
      if (order !== undefined) {
        const parsed = parseOrder(report, order);
        if (!parsed.ok) {
          problems.push(...parsed.problems);
        }
      }
      return problems;
    },
    validateAnswer(report, body) {
      const v = validator(`licstats:${report}#/definitions/answer`);
      return v(body) ? [] : describeAjvErrors(v.errors, `${report} answer`);
    },
    validateFailure(body) {
      const v = validator('licstats:common#/definitions/failure');
      return v(body) ? [] : describeAjvErrors(v.errors, 'refusal');
    },
  };
}
