/**
 * A plan in the words an admin reads, the same in the CLI's table and in VS Code's Plan view: the
 * header sentences (totals and forecast), each change and each rule in one line.
 */
import { describeCapacityForecast, describePoolForecast } from './forecast';
import { formatAmount, formatTokens } from './format';
import { PASS_KIND_LABELS, PASS_KIND_WITH_ARTICLE, userKey } from './model';
import type { Plan, PlanTotals, PlannedChange, SkipReason } from './plan';
import type { Policy } from './policy';

/** The header lines: what the plan does to the pools, and the outlook before and after. */
export function describePlanTotals(t: PlanTotals, keepFreeTokens: number): string[] {
  const lines: string[] = [];
  if (t.tokensAvailableBefore !== null && t.tokensAvailableAfter !== null) {
    const later = t.tokensFreedLater > 0 ? `; ${formatTokens(t.tokensFreedLater)} more when quarantines end` : '';
    lines.push(
      `Tokens: ${formatAmount(t.tokensAvailableBefore)} available → ${formatAmount(t.tokensAvailableAfter)} after the plan (uses ${formatAmount(t.tokensConsumed)}, frees ${formatAmount(t.tokensFreed)}${later}); reserve ${formatTokens(keepFreeTokens)}.`,
    );
  }
  for (const [kind, seats] of Object.entries(t.seats)) {
    lines.push(`${PASS_KIND_LABELS[kind as keyof typeof PASS_KIND_LABELS]}: ${seats.before} available → ${seats.after} after the plan.`);
  }
  for (const { before, after } of t.loginPools) {
    const change = before.daysUntilDry === after.daysUntilDry ? '' : ` → after the plan: ${describePoolForecast(after).replace(`${after.pool}: `, '')}`;
    lines.push(`Login access group ${describePoolForecast(before)}${change}.`);
  }
  if (t.capacity) {
    lines.push(`${describeCapacityForecast(t.capacity)}.`);
  }
  return lines;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "5 changes, 3 skipped". */
export function planHeadline(plan: Pick<Plan, 'changes' | 'skipped'>): string {
  return `${count(plan.changes.length, 'change', 'changes')}, ${plan.skipped.length} skipped`;
}

/**
 * "assign a user access pass to Ann Lee (CORP\ann)", "revoke the professional access of …",
 * "swap the professional access of … for an analyzer access".
 */
export function describeChange(c: Pick<PlannedChange, 'action' | 'kind' | 'user' | 'fromKind'>): string {
  const who = `${c.user.name} (${userKey(c.user)})`;
  switch (c.action) {
    case 'assign':
      return `assign ${PASS_KIND_WITH_ARTICLE[c.kind]} to ${who}`;
    case 'revoke':
      return `revoke the ${PASS_KIND_LABELS[c.kind]} of ${who}`;
    case 'swap':
      return `swap the ${PASS_KIND_LABELS[c.fromKind ?? c.kind]} of ${who} for ${PASS_KIND_WITH_ARTICLE[c.kind]}`;
  }
}

/** The pass a change is about, for a table's column: `user`, or `professional→analyzer` for a swap. */
export function changeKinds(c: Pick<PlannedChange, 'kind' | 'fromKind'>): string {
  return c.fromKind ? `${c.fromKind}→${c.kind}` : c.kind;
}

/**
 * What a rule does, from the policy: "assign a user access pass to heavy users", "release passes
 * unused for 30 days (user access pass)". A rule name the policy does not have is returned as it is.
 */
export function describeRule(policy: Policy, rule: string): string {
  const m = /^(upgrade|release|swap)\[(\d+)\]$/.exec(rule);
  const index = Number(m?.[2]);
  switch (m?.[1]) {
    case 'upgrade': {
      const r = policy.upgrade[index];
      return r ? `assign ${PASS_KIND_WITH_ARTICLE[r.assign]} to heavy users` : rule;
    }
    case 'release': {
      const r = policy.release[index];
      return r ? `release passes unused for ${count(r.when.unusedDays, 'day', 'days')} (${r.revoke.map((k) => PASS_KIND_LABELS[k]).join(', ')})` : rule;
    }
    case 'swap': {
      const r = policy.swap[index];
      return r ? `swap ${PASS_KIND_LABELS[r.when.kind]} for ${PASS_KIND_LABELS[r.to]}` : rule;
    }
    default:
      return rule;
  }
}

/** Why a candidate was skipped, as a heading: "never-touch", "cap", "pool reserve". */
export const SKIP_REASON_LABELS: Readonly<Record<SkipReason, string>> = {
  neverTouch: 'never-touch',
  cap: 'cap',
  poolReserve: 'pool reserve',
  quarantine: 'quarantine',
  premise: 'premise',
};

/** The plan's changes by rule, each rule once in the order its first change runs. */
export function changesByRule(plan: Pick<Plan, 'changes'>): { readonly rule: string; readonly indexes: readonly number[] }[] {
  const byRule = new Map<string, number[]>();
  plan.changes.forEach((c, i) => byRule.set(c.rule, [...(byRule.get(c.rule) ?? []), i]));
  return [...byRule].map(([rule, indexes]) => ({ rule, indexes }));
}
