/**
 * A connection's license policy: what automation may change, and what it must never touch.
 * The format is the JSON admins write (schemas/policy.schema.json validates it; README documents
 * it); this file is its typed shape after validation, with the defaults applied.
 */
import type { PassKind, UserFlag } from './model';

/** A heavy user gets a pass: "whoever burns at least this much in the window". */
export interface UpgradeRule {
  readonly when: {
    /** Login passes in the window at or above which the rule applies (token model). */
    readonly loginPassesAtLeast?: number;
    /** Analyzer capacity minutes in the window at or above which the rule applies. */
    readonly capacityMinutesAtLeast?: number;
    /** Days of usage the thresholds count; at most the sync's window. */
    readonly windowDays: number;
  };
  /** The pass to allocate. */
  readonly assign: PassKind;
}

/** An idle pass is released. */
export interface ReleaseRule {
  readonly when: {
    /** Days since the pass's last use (or its allocation, when never used). */
    readonly unusedDays: number;
    /**
     * Release even a pass used within the quarantine period (7 days on the token model), which
     * then stays quarantined and frees its token only later. Off by default: such a revoke frees
     * nothing now and takes the pass from someone who just used it.
     */
    readonly evenIfQuarantined?: boolean;
  };
  /** The kinds of pass the rule releases. */
  readonly revoke: readonly PassKind[];
}

/** A pass is exchanged for a cheaper kind (professional → analyzer) when its holder only consumes. */
export interface SwapRule {
  readonly when: { readonly kind: PassKind; readonly onlyConsumesDays: number };
  readonly to: PassKind;
}

/** Users automation never changes, whatever the rules say. */
export interface NeverTouch {
  /** `DIR\id`, compared case-insensitively as QRS does. */
  readonly users: readonly string[];
  readonly userDirectories: readonly string[];
  /** Group names (QRS user attributes of type group; Qlik Cloud groups). */
  readonly groups: readonly string[];
  readonly flags: readonly UserFlag[];
}

/** One connection's policy, defaults applied. */
export interface Policy {
  readonly upgrade: readonly UpgradeRule[];
  readonly release: readonly ReleaseRule[];
  readonly swap: readonly SwapRule[];
  readonly neverTouch: NeverTouch;
  /** Changes one run may make at most; the rest wait for the next run. */
  readonly maxChangesPerRun: number;
  /** Tokens the plan leaves available after its assignments, for the admin's own use. */
  readonly keepFreeTokens: number;
}

/** Which rule planned a change or skipped a candidate, as the audit log and the plan name it. */
export function ruleName(rule: { readonly section: 'upgrade' | 'release' | 'swap'; readonly index: number }): string {
  return `${rule.section}[${rule.index}]`;
}

/** Whether never-touch needs each candidate's flags and groups from the server. */
export function policyNeedsFacts(policy: Policy): boolean {
  return policy.neverTouch.groups.length > 0 || policy.neverTouch.flags.length > 0;
}

/**
 * How far back the sync must read usage: the longest window an upgrade rule counts, and where
 * passes carry no last use of their own (Qlik Cloud: a pass's last use is its holder's latest
 * use in the usage read) the longest a release or swap rule looks back too.
 */
export function policyWindowDays(policy: Policy, lastUseFromUsage = false): number {
  const lookBack = lastUseFromUsage ? [...policy.release.map((rule) => rule.when.unusedDays), ...policy.swap.map((rule) => rule.when.onlyConsumesDays)] : [];
  return Math.max(0, ...policy.upgrade.map((rule) => rule.when.windowDays), ...lookBack);
}
