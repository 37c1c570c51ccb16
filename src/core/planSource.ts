/**
 * Makes a connection's plan: one sync that keeps usage by day (each rule counts its own window),
 * then the flags and groups of just the users the rules picked, then the pure plan.
 */
import type { CallOptions, LicenseSource } from './licenseSource';
import { plan, type Plan } from './plan';
import { policyNeedsFacts, policyWindowDays, type Policy } from './policy';
import { syncSource, type SyncResult } from './sync';
import type { VerdictRules } from './verdict';

/** A plan and the sync it was made from. */
export interface PlannedSync {
  readonly plan: Plan;
  readonly sync: SyncResult;
}

/**
 * @param opts `connection` names it in the plan; `rules` are the ranking's (the window grows to
 *   the longest rule's)
 */
export async function planSource(source: LicenseSource, policy: Policy, opts: { connection: string; rules: VerdictRules; now: number } & CallOptions): Promise<PlannedSync> {
  const call = opts.signal ? { signal: opts.signal } : {};
  const windowDays = Math.max(opts.rules.windowDays, policyWindowDays(policy));
  const sync = await syncSource(source, { rules: { ...opts.rules, windowDays }, now: opts.now, tally: { byDay: true }, ...call });
  const state = { connection: opts.connection, now: opts.now, overview: sync.overview, allocations: sync.allocations, tally: sync.tally, facts: new Map() };
  const first = plan(state, policy);
  if (!policyNeedsFacts(policy)) {
    return { plan: first, sync };
  }
  // Facts only exclude: the users the rules matched the first time are all the plan can touch.
  const candidates = new Map([...first.changes, ...first.skipped].map((c) => [c.user.id, c.user]));
  const facts = await source.userFacts([...candidates.values()], call);
  return { plan: plan({ ...state, facts }, policy), sync };
}
