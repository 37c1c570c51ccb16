import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PASS_KINDS, type PassKind } from '../core/model';
import { UsageError } from '../core/errors';

type Options = NonNullable<ParseArgsConfig['options']>;

/** `parseArgs` with usage errors that quote the command's usage line. */
export function parseCommandArgs<O extends Options>(argv: readonly string[], options: O, usage: string) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: true }).values;
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\nUsage: ${usage}`);
  }
}

/** A required option, or a usage error naming it. */
export function required(value: string | undefined, flag: string, usage: string): string {
  if (value === undefined || value === '') {
    throw new UsageError(`${flag} is required.\nUsage: ${usage}`);
  }
  return value;
}

/** A positive whole number option. */
export function positiveInt(value: string | undefined, flag: string, fallback: number, max = 10_000_000): number {
  if (value === undefined) {
    return fallback;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new UsageError(`${flag} must be a whole number from 1 to ${max}, not "${value}".`);
  }
  return n;
}

/** `DIR\id` (also `DIR/id`, for shells where the backslash is awkward). */
export function parseUserKey(value: string): { directory: string; userId: string } {
  const m = /^([^\\/]+)[\\/](.+)$/.exec(value.trim());
  if (!m?.[1] || !m[2]) {
    throw new UsageError(`--user must be DIRECTORY\\USERID (e.g. 'CORP\\jdoe', quoted for the shell), not "${value}".`);
  }
  return { directory: m[1], userId: m[2] };
}

/** `--kind user|professional|analyzer`. */
export function parseKind(value: string | undefined): PassKind | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!(PASS_KINDS as readonly string[]).includes(value)) {
    throw new UsageError(`--kind must be one of ${PASS_KINDS.join(', ')}, not "${value}".`);
  }
  return value as PassKind;
}
