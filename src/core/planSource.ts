/**
 * Makes a connection's plan: one sync that keeps usage by day (each rule counts its own window),
 * then who authored lately among just the holders the swap rules consider, then the flags and
 * groups of just the users the rules picked, then the pure plan.
 */
import { AuthoringUnreadableError } from './errors';
import type { CallOptions, LicenseSource } from './licenseSource';
import { DAY_MS } from './model';
import { authoringQuestions, plan, type AuthoringFacts, type Plan, type PlanState } from './plan';
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
  const windowDays = Math.max(opts.rules.windowDays, policyWindowDays(policy, source.lastUsePerPass === false));
  const sync = await syncSource(source, { rules: { ...opts.rules, windowDays }, now: opts.now, tally: { byDay: true }, ...call });
  const synced: PlanState = { connection: opts.connection, now: opts.now, overview: sync.overview, allocations: sync.allocations, tally: sync.tally, facts: new Map() };
  const authoring = await readAuthoring(source, synced, policy, call);
  const state: PlanState = authoring ? { ...synced, authoring } : synced;
  const first = plan(state, policy);
  if (!policyNeedsFacts(policy)) {
    return { plan: first, sync };
  }
  // Facts only exclude: the users the rules matched the first time are all the plan can touch.
  const candidates = new Map([...first.changes, ...first.skipped].map((c) => [c.user.id, c.user]));
  const facts = await source.userFacts([...candidates.values()], call);
  return { plan: plan({ ...state, facts }, policy), sync };
}

/**
 * Who authored in each swap rule's window, asked of the source for only the holders a rule
 * considers; undefined when there is no swap rule or the system keeps nothing that tells (the
 * plan then says the rules are not evaluated). A window the source cannot tell about is read as
 * nobody checked, with why, so its swaps are skipped and the rest of the plan stands.
 */
async function readAuthoring(source: LicenseSource, state: PlanState, policy: Policy, call: CallOptions): Promise<ReadonlyMap<number, AuthoringFacts> | undefined> {
  if (policy.swap.length === 0 || !source.authoredSince) {
    return undefined;
  }
  const evidence = source.authoringEvidence ?? 'ownership';
  const out = new Map<number, AuthoringFacts>();
  for (const [days, users] of authoringQuestions(state, policy)) {
    try {
      const authors = users.length === 0 ? new Set<string>() : await source.authoredSince(users, state.now - days * DAY_MS, call);
      out.set(days, { checked: new Set(users.map((u) => u.id)), authors, evidence });
    } catch (error) {
      if (!(error instanceof AuthoringUnreadableError)) {
        throw error;
      }
      out.set(days, { checked: new Set(), authors: new Set(), evidence, unreadable: error.reason });
    }
  }
  return out;
}
