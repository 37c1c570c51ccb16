/**
 * QRS `filter` expressions (help.qlik.com RepositoryServiceAPI-Filtering):
 * `property op value` joined by `and` / `or`, parentheses, and `not` (cheap to support and
 * harmless if the real server rejects it). Compiled once per request into a predicate that
 * reads rows through typed field accessors, so 300,000 compact usage rows are filtered
 * without building an object per row.
 */

/** How a property compares: strings case-insensitively, dates as instants. */
export type QrsFieldType = 'string' | 'guid' | 'number' | 'boolean' | 'date';

/** A property value as a filter sees it: dates are epoch ms, absent values null. */
export type QrsFieldValue = string | number | boolean | null;

/** One filterable, sortable property of an entity. */
export interface QrsField<R> {
  readonly type: QrsFieldType;
  get(row: R): QrsFieldValue;
}

/** Maps a property path such as `user.userDirectory` to its accessor, or undefined if unknown. */
export type QrsFieldResolver<R> = (path: string) => QrsField<R> | undefined;

/** A bad `filter` or `orderby`; the simulator answers 400 with this message. */
export class QrsQueryError extends Error {
  constructor(
    message: string,
    /** 1-based character position in the expression, when one applies. */
    readonly position?: number,
  ) {
    super(message);
    this.name = 'QrsQueryError';
  }
}

type TokenKind = 'lparen' | 'rparen' | 'string' | 'guid' | 'number' | 'word';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** Decoded value for string literals ('' unescaped). */
  readonly value: string;
  /** 1-based. */
  readonly pos: number;
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/iy;
const NUMBER = /-?\d+(?:\.\d+)?/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
const DELIMITER = /[\s()]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const endsCleanly = (end: number): boolean => end >= text.length || DELIMITER.test(text[end] ?? '');
  const sticky = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    const m = re.exec(text);
    return m && endsCleanly(i + m[0].length) ? m[0] : undefined;
  };
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const pos = i + 1;
    if (ch === '(' || ch === ')') {
      tokens.push({ kind: ch === '(' ? 'lparen' : 'rparen', text: ch, value: ch, pos });
      i++;
      continue;
    }
    if (ch === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) {
          throw new QrsQueryError(`Invalid filter: unterminated string starting at position ${pos}.`, pos);
        }
        const c = text[j] ?? '';
        if (c === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += c;
        j++;
      }
      tokens.push({ kind: 'string', text: text.slice(i, j + 1), value, pos });
      i = j + 1;
      continue;
    }
    // GUIDs before numbers: a GUID may start with digits.
    const guid = sticky(GUID);
    if (guid !== undefined) {
      tokens.push({ kind: 'guid', text: guid, value: guid, pos });
      i += guid.length;
      continue;
    }
    const num = sticky(NUMBER);
    if (num !== undefined) {
      tokens.push({ kind: 'number', text: num, value: num, pos });
      i += num.length;
      continue;
    }
    const word = sticky(WORD);
    if (word !== undefined) {
      tokens.push({ kind: 'word', text: word, value: word, pos });
      i += word.length;
      continue;
    }
    throw new QrsQueryError(`Invalid filter: unexpected character '${ch}' at position ${pos}.`, pos);
  }
  return tokens;
}

type Op = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'sw' | 'ew' | 'so';
const OPS: ReadonlySet<string> = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'sw', 'ew', 'so']);
const KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'true', 'false', 'null', ...OPS]);

/** Parsed filter tree (exported for tests and diagnostics). */
export type QrsFilterNode =
  | { readonly kind: 'and' | 'or'; readonly left: QrsFilterNode; readonly right: QrsFilterNode }
  | { readonly kind: 'not'; readonly operand: QrsFilterNode }
  | {
      readonly kind: 'compare';
      readonly path: string;
      readonly pathPos: number;
      readonly op: Op;
      readonly value: Token;
    };

/** Parses a filter expression; throws QrsQueryError naming the position of the first problem. */
export function parseQrsFilter(text: string): QrsFilterNode {
  const tokens = tokenize(text);
  let at = 0;
  const peek = (): Token | undefined => tokens[at];
  const isWord = (t: Token | undefined, w: string): boolean => t?.kind === 'word' && t.text.toLowerCase() === w;
  const endPos = text.length + 1;
  const fail = (expected: string, t: Token | undefined): never => {
    const where = t ? `'${t.text}' at position ${t.pos}` : `end of filter at position ${endPos}`;
    throw new QrsQueryError(`Invalid filter: expected ${expected} but found ${where}.`, t?.pos ?? endPos);
  };

  const parseOr = (): QrsFilterNode => {
    let left = parseAnd();
    while (isWord(peek(), 'or')) {
      at++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): QrsFilterNode => {
    let left = parseUnary();
    while (isWord(peek(), 'and')) {
      at++;
      left = { kind: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): QrsFilterNode => {
    if (isWord(peek(), 'not')) {
      at++;
      return { kind: 'not', operand: parseUnary() };
    }
    const t = peek();
    if (t?.kind === 'lparen') {
      at++;
      const inner = parseOr();
      const close = peek();
      if (close?.kind !== 'rparen') {
        fail("')'", close);
      }
      at++;
      return inner;
    }
    return parseComparison();
  };
  const parseComparison = (): QrsFilterNode => {
    const prop = peek();
    if (prop?.kind !== 'word' || KEYWORDS.has(prop.text.toLowerCase())) {
      return fail('a property name', prop);
    }
    at++;
    const opTok = peek();
    const op = opTok?.kind === 'word' ? opTok.text.toLowerCase() : '';
    if (!OPS.has(op)) {
      return fail('an operator (eq, ne, gt, ge, lt, le, sw, ew, so)', opTok);
    }
    at++;
    const value = peek();
    const literal =
      value !== undefined &&
      (value.kind === 'string' ||
        value.kind === 'guid' ||
        value.kind === 'number' ||
        (value.kind === 'word' && ['true', 'false', 'null'].includes(value.text.toLowerCase())));
    if (!literal) {
      return fail("a value (a 'quoted string or date', a number, a GUID, true, false or null)", value);
    }
    at++;
    return { kind: 'compare', path: prop.text, pathPos: prop.pos, op: op as Op, value };
  };

  if (tokens.length === 0) {
    throw new QrsQueryError('Invalid filter: the expression is empty.', 1);
  }
  const tree = parseOr();
  if (at < tokens.length) {
    fail("'and', 'or' or the end of the filter", peek());
  }
  return tree;
}

const QRS_DATE =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses the date forms seen in real QRS filters: ISO 8601 (Butler), `yyyy-MM-dd HH:mm:ss`
 * (qsense) and `yyyy/MM/dd HH:mm:ss` (levi-turner's scripts). Without a zone the time is
 * taken as UTC (what the server assumes is unverified). Returns epoch ms or undefined.
 */
export function parseQrsDate(text: string): number | undefined {
  const m = QRS_DATE.exec(text.trim());
  if (!m) {
    return undefined;
  }
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (new Date(utc).getUTCDate() !== day) {
    return undefined;
  }
  if (zone === undefined || zone.toUpperCase() === 'Z') {
    return utc;
  }
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offset = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  return utc - sign * offset;
}

type Predicate<R> = (row: R) => boolean;

function compareOp(op: Op): ((a: number | string, b: number | string) => boolean) | undefined {
  switch (op) {
    case 'eq':
      return (a, b) => a === b;
    case 'ne':
      return (a, b) => a !== b;
    case 'gt':
      return (a, b) => a > b;
    case 'ge':
      return (a, b) => a >= b;
    case 'lt':
      return (a, b) => a < b;
    case 'le':
      return (a, b) => a <= b;
    default:
      return undefined;
  }
}

function compileCompare<R>(node: Extract<QrsFilterNode, { kind: 'compare' }>, resolve: QrsFieldResolver<R>): Predicate<R> {
  const field = resolve(node.path);
  if (!field) {
    throw new QrsQueryError(`Invalid filter: unknown property '${node.path}' at position ${node.pathPos}.`, node.pathPos);
  }
  const { op, value } = node;
  const lit = value.kind === 'word' ? value.text.toLowerCase() : value.value;
  const bad = (why: string): never => {
    throw new QrsQueryError(`Invalid filter: ${why} (value at position ${value.pos}).`, value.pos);
  };
  const get = field.get.bind(field);

  if (value.kind === 'word' && lit === 'null') {
    if (op !== 'eq' && op !== 'ne') {
      return bad(`'${op}' cannot compare with null; use eq or ne`);
    }
    return op === 'eq' ? (r) => get(r) === null : (r) => get(r) !== null;
  }

  if (op === 'sw' || op === 'ew' || op === 'so') {
    if (field.type !== 'string' && field.type !== 'guid') {
      return bad(`'${op}' works on strings only and '${node.path}' is a ${field.type}`);
    }
    if (value.kind !== 'string' && value.kind !== 'guid') {
      return bad(`'${op}' needs a quoted string`);
    }
    const needle = lit.toLowerCase();
    const test =
      op === 'sw'
        ? (s: string) => s.startsWith(needle)
        : op === 'ew'
          ? (s: string) => s.endsWith(needle)
          : (s: string) => s.includes(needle);
    return (r) => {
      const v = get(r);
      return typeof v === 'string' && test(v.toLowerCase());
    };
  }

  const cmp = compareOp(op);
  if (!cmp) {
    return bad(`unsupported operator '${op}'`);
  }
  const negated = op === 'ne';
  switch (field.type) {
    case 'string':
    case 'guid': {
      // A GUID literal is just a string here, so both `id eq <guid>` and `id eq '<guid>'` work.
      if (value.kind !== 'string' && value.kind !== 'guid') {
        return bad(`'${node.path}' is a string; quote the value`);
      }
      const needle = lit.toLowerCase();
      return (r) => {
        const v = get(r);
        return typeof v === 'string' ? cmp(v.toLowerCase(), needle) : negated;
      };
    }
    case 'number': {
      const n = value.kind === 'number' || value.kind === 'string' ? Number(lit) : Number.NaN;
      if (lit.trim() === '' || !Number.isFinite(n)) {
        return bad(`'${node.path}' is a number`);
      }
      return (r) => {
        const v = get(r);
        return typeof v === 'number' ? cmp(v, n) : negated;
      };
    }
    case 'date': {
      if (value.kind !== 'string') {
        return bad(`'${node.path}' is a date; put it in single quotes`);
      }
      const t = parseQrsDate(lit);
      if (t === undefined) {
        return bad(`'${lit}' is not a date (use ISO 8601 or yyyy-MM-dd HH:mm:ss)`);
      }
      return (r) => {
        const v = get(r);
        return typeof v === 'number' ? cmp(v, t) : negated;
      };
    }
    case 'boolean': {
      if (op !== 'eq' && op !== 'ne') {
        return bad(`'${node.path}' is a boolean; use eq or ne`);
      }
      const b = lit.toLowerCase();
      if (b !== 'true' && b !== 'false') {
        return bad(`'${node.path}' is a boolean; compare with true or false`);
      }
      const want = b === 'true';
      return (r) => {
        const v = get(r);
        return typeof v === 'boolean' ? cmp(v ? 1 : 0, want ? 1 : 0) : negated;
      };
    }
  }
}

function compileNode<R>(node: QrsFilterNode, resolve: QrsFieldResolver<R>): Predicate<R> {
  switch (node.kind) {
    case 'and': {
      const l = compileNode(node.left, resolve);
      const r = compileNode(node.right, resolve);
      return (row) => l(row) && r(row);
    }
    case 'or': {
      const l = compileNode(node.left, resolve);
      const r = compileNode(node.right, resolve);
      return (row) => l(row) || r(row);
    }
    case 'not': {
      const inner = compileNode(node.operand, resolve);
      return (row) => !inner(row);
    }
    case 'compare':
      return compileCompare(node, resolve);
  }
}

/** Parses and type-checks a filter against an entity's fields, returning a row predicate. */
export function compileQrsFilter<R>(text: string, resolve: QrsFieldResolver<R>): (row: R) => boolean {
  return compileNode(parseQrsFilter(text), resolve);
}

/**
 * A resolver over plain objects: `types` lists the filterable paths, matched without regard
 * to case (QRS property names are not case-sensitive in filters).
 */
export function objectFieldResolver(types: Readonly<Record<string, QrsFieldType>>): QrsFieldResolver<unknown> {
  const byLower = new Map<string, { path: string[]; type: QrsFieldType }>();
  for (const [path, type] of Object.entries(types)) {
    byLower.set(path.toLowerCase(), { path: path.split('.'), type });
  }
  return (path) => {
    const entry = byLower.get(path.toLowerCase());
    if (!entry) {
      return undefined;
    }
    const { type, path: steps } = entry;
    return {
      type,
      get: (row: unknown): QrsFieldValue => {
        let cur: unknown = row;
        for (const step of steps) {
          if (typeof cur !== 'object' || cur === null) {
            return null;
          }
          cur = (cur as Record<string, unknown>)[step];
        }
        if (type === 'date' && typeof cur === 'string') {
          return parseQrsDate(cur) ?? null;
        }
        return typeof cur === 'string' || typeof cur === 'number' || typeof cur === 'boolean' ? cur : null;
      },
    };
  };
}
