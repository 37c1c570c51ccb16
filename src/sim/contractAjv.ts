import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * The Ajv every contract validates with. Not strict, because published specs carry `x-*`
 * keywords and loose schemas we must take as they are; every error, because a violation message
 * should list them all at once. `ignoredFormats` are formats a spec names that carry no
 * constraint worth checking (Ajv would otherwise refuse to compile them).
 */
export function createContractAjv(ignoredFormats: readonly string[] = []): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  for (const f of ignoredFormats) {
    ajv.addFormat(f, true);
  }
  return ajv;
}

/** Ajv's errors as one line each, `where` plus the value's position, e.g. `GET /user: body/0/name must be string`. */
export function describeAjvErrors(errors: readonly ErrorObject[] | null | undefined, where: string): string[] {
  return (errors ?? []).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` ('${String(e.params['additionalProperty'])}')` : '';
    return `${where}${e.instancePath} ${e.message ?? 'is invalid'}${extra}`;
  });
}

/** Compiles each schema on first use only: a spec has hundreds, a test run needs a few. */
export function validatorCache(): (key: string, compile: () => ValidateFunction) => ValidateFunction {
  const compiled = new Map<string, ValidateFunction>();
  return (key, compile) => {
    let v = compiled.get(key);
    if (!v) {
      v = compile();
      compiled.set(key, v);
    }
    return v;
  };
}
