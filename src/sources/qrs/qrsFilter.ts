/**
 * Builds QRS `filter` expressions without string pasting. Values go through one of the literal
 * builders below, so a user id such as `o'brien` cannot end the string early and change the
 * filter's meaning.
 */

declare const literalBrand: unique symbol;

/** A value already written in QRS filter syntax. */
export type QrsLiteral = string & { readonly [literalBrand]: true };

/** QRS comparison operators (`sw`, `ew`, `so` apply to strings only). */
export type QrsOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'sw' | 'ew' | 'so';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PROPERTY = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;

/** A string in single quotes, quotes inside doubled. Comparisons are case-insensitive on the server. */
export function qrsString(value: string): QrsLiteral {
  return `'${value.replace(/'/g, "''")}'` as QrsLiteral;
}

/** A date as quoted ISO-8601 UTC, the form Butler's filters use. */
export function qrsDate(epochMs: number): QrsLiteral {
  return `'${new Date(epochMs).toISOString()}'` as QrsLiteral;
}

/**
 * A GUID, unquoted: QRS answered 400 to a quoted one (Qlik-Cli-Windows issue #88). Anything
 * that is not a GUID is refused here, since without quotes it would be read as filter syntax.
 */
export function qrsGuid(value: string): QrsLiteral {
  if (!GUID.test(value)) {
    throw new RangeError(`"${value}" is not a GUID, so it cannot be used as an id in a QRS filter.`);
  }
  return value as QrsLiteral;
}

/** Whether a value is a GUID, i.e. usable with `qrsGuid`. */
export function isQrsGuid(value: string): boolean {
  return GUID.test(value);
}

/** `property op literal`, e.g. `user.userId eq 'jdoe'`. */
export function qrsClause(property: string, operator: QrsOperator, value: QrsLiteral): string {
  if (!PROPERTY.test(property)) {
    throw new RangeError(`"${property}" is not a QRS property path.`);
  }
  return `${property} ${operator} ${value}`;
}

/** Joins clauses with `and`, grouping each so an `or` inside one cannot leak into the others. */
export function qrsAnd(...clauses: readonly string[]): string {
  if (clauses.length === 1) {
    return clauses[0] ?? '';
  }
  return clauses.map((clause) => (/\bor\b/i.test(clause) ? `(${clause})` : clause)).join(' and ');
}
