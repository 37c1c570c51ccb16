/**
 * Reads a policy as admins write it: validated against schemas/policy.schema.json (shipped in
 * the package, so editors can validate the same file), unknown keys refused, every error naming
 * the field. Then the checks a schema cannot express, and the defaults.
 */
import Ajv, { type ErrorObject } from 'ajv';
import schema from '../../schemas/policy.schema.json';
import { ConfigError } from './errors';
import { USER_FLAGS, type UserFlag } from './model';
import type { NeverTouch, Policy, ReleaseRule, SwapRule, UpgradeRule } from './policy';

/** Changes per run when the policy does not say: enough for a daily run, few enough to review. */
export const DEFAULT_MAX_CHANGES_PER_RUN = 20;

/** The policy as the schema admits it (all optional), before defaults. */
interface PolicyJson {
  readonly upgrade?: readonly UpgradeRule[];
  readonly release?: readonly ReleaseRule[];
  readonly swap?: readonly SwapRule[];
  readonly neverTouch?: Partial<NeverTouch>;
  readonly maxChangesPerRun?: number;
  readonly keepFreeTokens?: number;
}

let validator: ((value: unknown) => boolean) & { errors?: ErrorObject[] | null } | undefined;

function validate(value: unknown): readonly ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, strict: true }).compile<PolicyJson>(schema);
  return validator(value) ? [] : (validator.errors ?? []);
}

/** `release[0].when.unusedDays` from `/release/0/when/unusedDays`. */
function fieldOf(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((out, part) => (/^\d+$/.test(part) ? `${out}[${part}]` : out ? `${out}.${part}` : part), '');
}

function describe(e: ErrorObject): string {
  const field = fieldOf(e.instancePath) || 'the policy';
  switch (e.keyword) {
    case 'additionalProperties':
      return `${field === 'the policy' ? '' : `${field}: `}unknown key "${String(e.params['additionalProperty'])}"`;
    case 'required':
      return `${field}: "${String(e.params['missingProperty'])}" is required`;
    case 'enum':
      return `${field} must be one of ${(e.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'minProperties':
      return `${field} needs a threshold besides windowDays (loginPassesAtLeast or capacityMinutesAtLeast)`;
    default:
      return `${field} ${e.message ?? 'is invalid'}`;
  }
}

/**
 * A validated policy with defaults.
 * @param origin names the policy in messages (a file path, or "licenseSteward.policies.prod")
 * @throws ConfigError listing every problem, each naming its field
 */
export function parsePolicy(json: unknown, origin: string): Policy {
  // A `$ref` in an error's schema path tells nothing to an admin; the first error per field is enough.
  const problems = [...new Set(validate(json).filter((e) => e.keyword !== 'if').map(describe))];
  if (problems.length > 0) {
    throw new ConfigError(`${origin} is not a valid policy: ${problems.join('; ')}.`);
  }
  const p = json as PolicyJson;
  const swap = p.swap ?? [];
  const same = swap.findIndex((s) => s.when.kind === s.to);
  if (same >= 0) {
    throw new ConfigError(`${origin} is not a valid policy: swap[${same}] swaps ${swap[same]?.to} for itself.`);
  }
  const never = p.neverTouch ?? {};
  return {
    upgrade: p.upgrade ?? [],
    release: p.release ?? [],
    swap,
    neverTouch: {
      users: never.users ?? [],
      userDirectories: never.userDirectories ?? [],
      groups: never.groups ?? [],
      // Flagged accounts are left alone unless the policy says otherwise: the safe default.
      flags: (never.flags ?? USER_FLAGS) as readonly UserFlag[],
    },
    maxChangesPerRun: p.maxChangesPerRun ?? DEFAULT_MAX_CHANGES_PER_RUN,
    keepFreeTokens: p.keepFreeTokens ?? 0,
  };
}
