const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** Every operation of a Swagger 2 or OpenAPI 3 `paths` object (the two agree on its shape), method in upper case. */
export function* specOperations(paths: Record<string, unknown>): Generator<{ method: string; template: string; op: Record<string, unknown> }> {
  for (const [template, item] of Object.entries(paths)) {
    if (!isRecord(item)) {
      continue;
    }
    for (const method of METHODS) {
      const op = item[method];
      if (isRecord(op)) {
        yield { method: method.toUpperCase(), template, op };
      }
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What the index needs of an operation read from a spec. */
export interface SpecOperation {
  /** Upper case. */
  readonly method: string;
  /** The spec's path template, e.g. `/users/{userId}`. */
  readonly template: string;
}

/** An operation a path resolves to, with the values of its `{param}` segments. */
export interface SpecOperationHit<Op> {
  readonly op: Op;
  readonly params: Record<string, string>;
}

/** How an API's paths compare. */
export interface SpecPathRules {
  /** A path or template as segments, without the query and without any prefix the API is served under. */
  split(path: string): string[];
  /** QRS treats paths without case; Qlik Cloud does not. */
  readonly literalsIgnoreCase: boolean;
}

interface Entry<Op> {
  readonly op: Op;
  readonly segments: readonly string[];
  readonly literalCount: number;
}

/** Resolves request paths to a spec's operations by their path templates. */
export class SpecOperationIndex<Op extends SpecOperation> {
  private readonly entries: readonly Entry<Op>[];

  constructor(
    operations: readonly Op[],
    private readonly rules: SpecPathRules,
  ) {
    this.entries = operations.map((op) => {
      const segments = rules.split(op.template);
      return { op, segments, literalCount: segments.filter((s) => !s.startsWith('{')).length };
    });
  }

  /** The operations whose template fits the path, whatever their method. */
  candidates(path: string): SpecOperationHit<Op>[] {
    const segments = this.rules.split(path);
    const found: (SpecOperationHit<Op> & { literalCount: number })[] = [];
    for (const entry of this.entries) {
      const params = this.matches(entry, segments);
      if (params) {
        found.push({ op: entry.op, params, literalCount: entry.literalCount });
      }
    }
    // Literal segments win over templates: /users/me is not {userId} = "me".
    const best = Math.max(-1, ...found.map((f) => f.literalCount));
    return found.filter((f) => f.literalCount === best).map(({ op, params }) => ({ op, params }));
  }

  find(method: string, path: string): SpecOperationHit<Op> | undefined {
    return this.candidates(path).find((c) => c.op.method === method.toUpperCase());
  }

  /** How problems name a request: `GET /users/me`. */
  label(method: string, path: string): string {
    return `${method.toUpperCase()} /${this.rules.split(path).join('/')}`;
  }

  private matches(entry: Entry<Op>, segments: readonly string[]): Record<string, string> | undefined {
    if (entry.segments.length !== segments.length) {
      return undefined;
    }
    const params: Record<string, string> = {};
    for (let i = 0; i < segments.length; i++) {
      const t = entry.segments[i] ?? '';
      const s = segments[i] ?? '';
      if (t.startsWith('{') && t.endsWith('}')) {
        try {
          params[t.slice(1, -1)] = decodeURIComponent(s);
        } catch {
          // A malformed escape names no resource, so no operation fits.
          return undefined;
        }
      } else if (this.rules.literalsIgnoreCase ? t.toLowerCase() !== s.toLowerCase() : t !== s) {
        return undefined;
      }
    }
    return params;
  }
}
