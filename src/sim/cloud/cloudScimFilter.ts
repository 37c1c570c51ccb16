/**
 * The subset of SCIM filters (RFC 7644 §3.4.2.2) Qlik Cloud's `filter` parameters take and the
 * Cloud client sends: `eq`, `co`, `ge`, `gt`, `le`, `lt`, `and`, `or`, parentheses, quoted
 * strings. Anything else SCIM has (`ne`, `sw`, `ew`, `pr`, `not`, value paths) is refused,
 * so a client that relies on it fails against the simulator as it would on a tenant that
 * documents only these.
 */

/** The comparison operators supported. */
export type ScimOperator = 'eq' | 'co' | 'ge' | 'gt' | 'le' | 'lt';

/** A literal on the right of a comparison. */
export type ScimValue = string | number | boolean | null;

/** A parsed filter. */
export type ScimNode =
  | { readonly kind: 'and' | 'or'; readonly left: ScimNode; readonly right: ScimNode }
  | { readonly kind: 'compare'; readonly attribute: string; readonly op: ScimOperator; readonly value: ScimValue };

/** A filter that does not parse, or asks for what the API does not support; answered 400. */
export class ScimFilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScimFilterError';
  }
}

/** One filterable attribute of a list. */
export interface ScimAttribute<T> {
  /** Operators the API allows on it. */
  readonly operators: readonly ScimOperator[];
  /** 'date' compares instants (the row gives epoch ms, the filter an ISO 8601 string); default 'string'. */
  readonly type?: 'string' | 'date' | 'number' | 'boolean';
  /** Its value on a row; multi-valued attributes give several and match when any does. */
  get(row: T): ScimValue | readonly ScimValue[] | undefined;
}

const OPERATORS: ReadonlySet<string> = new Set(['eq', 'co', 'ge', 'gt', 'le', 'lt']);
const UNSUPPORTED_OPERATORS: ReadonlySet<string> = new Set(['ne', 'sw', 'ew', 'pr']);

type Token =
  | { readonly kind: 'open' | 'close'; readonly at: number }
  | { readonly kind: 'string'; readonly value: string; readonly at: number }
  | { readonly kind: 'word'; readonly value: string; readonly at: number };

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'open' : 'close', at: i });
      i++;
    } else if (c === '"') {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        const d = text[i];
        if (d === undefined) {
          throw new ScimFilterError(`The string starting at ${start} is not closed.`);
        }
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\') {
          const e = text[i + 1] ?? '';
          if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          const mapped = ESCAPES[e];
          if (mapped === undefined) {
            throw new ScimFilterError(`Unknown escape \\${e} at ${i}.`);
          }
          value += mapped;
          i += 2;
          continue;
        }
        value += d;
        i++;
      }
      tokens.push({ kind: 'string', value, at: start });
    } else if (c === '[' || c === ']') {
      throw new ScimFilterError('Value filters ([...]) are not supported.');
    } else {
      const m = /^[^\s()"[\]]+/.exec(text.slice(i));
      const word = m?.[0] ?? c;
      tokens.push({ kind: 'word', value: word, at: i });
      i += word.length;
    }
  }
  return tokens;
}

class Parser {
  private i = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): ScimNode {
    if (this.tokens.length === 0) {
      throw new ScimFilterError('The filter is empty.');
    }
    const node = this.or();
    const extra = this.tokens[this.i];
    if (extra) {
      throw new ScimFilterError(`Unexpected ${describe(extra)} at ${extra.at}.`);
    }
    return node;
  }

  private keyword(word: string): boolean {
    const t = this.tokens[this.i];
    if (t?.kind === 'word' && t.value.toLowerCase() === word) {
      this.i++;
      return true;
    }
    return false;
  }

  private or(): ScimNode {
    let left = this.and();
    while (this.keyword('or')) {
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): ScimNode {
    let left = this.factor();
    while (this.keyword('and')) {
      left = { kind: 'and', left, right: this.factor() };
    }
    return left;
  }

  private factor(): ScimNode {
    const t = this.tokens[this.i];
    if (!t) {
      throw new ScimFilterError('The filter ends too early.');
    }
    if (t.kind === 'open') {
      this.i++;
      const inner = this.or();
      const close = this.tokens[this.i];
      if (close?.kind !== 'close') {
        throw new ScimFilterError(`A parenthesis opened at ${t.at} is not closed.`);
      }
      this.i++;
      return inner;
    }
    if (t.kind !== 'word') {
      throw new ScimFilterError(`Expected an attribute at ${t.at}, found ${describe(t)}.`);
    }
    if (t.value.toLowerCase() === 'not') {
      throw new ScimFilterError('The not operator is not supported.');
    }
    if (!/^[A-Za-z][\w.:$-]*$/.test(t.value)) {
      throw new ScimFilterError(`'${t.value}' at ${t.at} is not an attribute name.`);
    }
    this.i++;
    const opToken = this.tokens[this.i];
    const op = opToken?.kind === 'word' ? opToken.value.toLowerCase() : undefined;
    if (op === undefined || !OPERATORS.has(op)) {
      if (op !== undefined && UNSUPPORTED_OPERATORS.has(op)) {
        throw new ScimFilterError(`The ${op} operator is not supported.`);
      }
      throw new ScimFilterError(`Expected an operator after '${t.value}'${opToken ? `, found ${describe(opToken)}` : ''}.`);
    }
    this.i++;
    return { kind: 'compare', attribute: t.value, op: op as ScimOperator, value: this.value() };
  }

  private value(): ScimValue {
    const t = this.tokens[this.i];
    if (!t) {
      throw new ScimFilterError('A comparison has no value.');
    }
    this.i++;
    if (t.kind === 'string') {
      return t.value;
    }
    if (t.kind === 'word') {
      const lower = t.value.toLowerCase();
      if (lower === 'true' || lower === 'false') {
        return lower === 'true';
      }
      if (lower === 'null') {
        return null;
      }
      if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(t.value)) {
        return Number(t.value);
      }
    }
    throw new ScimFilterError(`Expected a quoted string, number, true, false or null at ${t.at}, found ${describe(t)}.`);
  }
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'open':
      return "'('";
    case 'close':
      return "')'";
    case 'string':
      return `"${t.value}"`;
    case 'word':
      return `'${t.value}'`;
  }
}

/** Parses a filter; throws ScimFilterError. */
export function parseScimFilter(text: string): ScimNode {
  return new Parser(tokenize(text)).parse();
}

/** The conjuncts of the top-level `and` chain (the whole filter when its top is not an `and`). */
export function topLevelConjuncts(node: ScimNode): ScimNode[] {
  return node.kind === 'and' ? [...topLevelConjuncts(node.left), ...topLevelConjuncts(node.right)] : [node];
}

/** Every attribute a filter names, lower-cased. */
export function scimAttributes(node: ScimNode): Set<string> {
  if (node.kind === 'compare') {
    return new Set([node.attribute.toLowerCase()]);
  }
  return new Set([...scimAttributes(node.left), ...scimAttributes(node.right)]);
}

function instant(value: ScimValue | undefined): number | undefined {
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

function compareValues(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function test(op: ScimOperator, actual: ScimValue, expected: ScimValue, type: ScimAttribute<unknown>['type']): boolean {
  if (actual === null || expected === null) {
    return op === 'eq' && actual === expected;
  }
  if (type === 'date') {
    const a = instant(actual);
    const e = instant(expected);
    if (a === undefined || e === undefined) {
      return false;
    }
    const c = compareValues(a, e);
    return op === 'eq' ? c === 0 : op === 'ge' ? c >= 0 : op === 'gt' ? c > 0 : op === 'le' ? c <= 0 : op === 'lt' ? c < 0 : false;
  }
  // Qlik: "All conditional statements within this query parameter are case insensitive."
  const a = typeof actual === 'string' ? actual.toLowerCase() : actual;
  const e = typeof expected === 'string' ? expected.toLowerCase() : expected;
  if (op === 'co') {
    return typeof a === 'string' && typeof e === 'string' && a.includes(e);
  }
  if (op === 'eq') {
    return a === e;
  }
  if (typeof a === 'boolean' || typeof e === 'boolean' || typeof a !== typeof e) {
    return false;
  }
  const c = compareValues(a, e as typeof a);
  return op === 'ge' ? c >= 0 : op === 'gt' ? c > 0 : op === 'le' ? c <= 0 : c < 0;
}

/**
 * Turns a parsed filter into a row predicate over the given attributes (names compare without
 * case, as SCIM's do). Throws ScimFilterError for an attribute or operator the list does not
 * allow, and for a date comparison whose value is no date.
 */
export function compileScimFilter<T>(node: ScimNode, attributes: Readonly<Record<string, ScimAttribute<T>>>): (row: T) => boolean {
  const byName = new Map(Object.entries(attributes).map(([k, v]) => [k.toLowerCase(), { name: k, attr: v }]));
  const build = (n: ScimNode): ((row: T) => boolean) => {
    if (n.kind !== 'compare') {
      const left = build(n.left);
      const right = build(n.right);
      return n.kind === 'and' ? (row) => left(row) && right(row) : (row) => left(row) || right(row);
    }
    const found = byName.get(n.attribute.toLowerCase());
    if (!found) {
      throw new ScimFilterError(`'${n.attribute}' cannot be filtered on here; filterable: ${[...byName.values()].map((f) => f.name).join(', ')}.`);
    }
    const { attr, name } = found;
    if (!attr.operators.includes(n.op)) {
      throw new ScimFilterError(`'${name}' supports ${attr.operators.join(', ')}, not ${n.op}.`);
    }
    if (attr.type === 'date' && n.value !== null && instant(n.value) === undefined) {
      throw new ScimFilterError(`'${String(n.value)}' is not an ISO 8601 date-time for ${name}.`);
    }
    const { op, value } = n;
    return (row) => {
      const actual = attr.get(row);
      if (actual === undefined) {
        return false;
      }
      const values: readonly ScimValue[] = Array.isArray(actual) ? actual : [actual as ScimValue];
      return values.some((v) => test(op, v, value, attr.type));
    };
  };
  return build(node);
}
