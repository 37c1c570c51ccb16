import type { Allocation, LicenseOverview, User } from './model';
import type { UsageTally } from './usageTally';
import { decideVerdict, primaryAllocation, type Verdict, type VerdictRules } from './verdict';

/**
 * Ties sort by name the way people read them: "Filler 2" before "Filler 10", "anna" beside "Anna".
 * One collator for the module: `localeCompare` with these options builds one per call, which
 * turns sorting 100,000 names from a tenth of a second into seconds.
 */
const NAME_ORDER = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** One row of the ranking. */
export interface RankedUser {
  /** 1-based position. */
  readonly rank: number;
  readonly user: User;
  readonly loginPasses: number;
  /** Tokens the user's login passes hold (passes × the login pass's token cost). */
  readonly tokens: number;
  readonly capacityMinutes: number;
  /** Every pass the user holds, primary first. */
  readonly allocations: readonly Allocation[];
  /** The pass the verdict is about, or null. */
  readonly allocation: Allocation | null;
  readonly lastUse: number | null;
  readonly verdict: Verdict;
}

/** Inputs of one ranking: what a sync fetched plus the rules. */
export interface RankingInput {
  readonly overview: LicenseOverview;
  readonly tally: UsageTally;
  readonly allocations: readonly Allocation[];
  readonly rules: VerdictRules;
  readonly now: number;
}

/**
 * Orders users by token-equivalents consumed in the window (then capacity minutes, then name),
 * and attaches each one's verdict. Users who hold a pass but used nothing are included: they
 * are the revoke candidates.
 */
export function rankUsers(input: RankingInput): RankedUser[] {
  const { overview, tally, rules, now } = input;
  const loginPassCost = overview.tokens?.loginPassCost ?? 0.1;
  const byUser = new Map<string, { user: User; allocations: Allocation[] }>();
  for (const a of input.allocations) {
    const key = a.userDeleted ? `deleted:${a.id}` : a.user.id;
    const entry = byUser.get(key) ?? { user: a.user, allocations: [] };
    entry.allocations.push(a);
    byUser.set(key, entry);
  }
  const rows: Omit<RankedUser, 'rank'>[] = [];
  for (const [id, usage] of tally.users()) {
    const held = byUser.get(id);
    byUser.delete(id);
    rows.push(row(usage.user, usage.loginPasses, usage.capacityMinutes, usage.lastUse, held?.allocations ?? []));
  }
  for (const { user, allocations } of byUser.values()) {
    rows.push(row(user, 0, 0, null, allocations));
  }
  rows.sort(
    (a, b) =>
      b.tokens - a.tokens ||
      b.capacityMinutes - a.capacityMinutes ||
      NAME_ORDER.compare(a.user.name, b.user.name) ||
      // Ids are not for reading: code-unit order keeps ties that differ only in case apart.
      (a.user.id < b.user.id ? -1 : a.user.id > b.user.id ? 1 : 0),
  );
  return rows.map((r, i) => ({ rank: i + 1, ...r }));

  function row(user: User, loginPasses: number, capacityMinutes: number, lastUse: number | null, allocations: Allocation[]) {
    const allocation = primaryAllocation(allocations);
    const ordered = allocation ? [allocation, ...allocations.filter((a) => a !== allocation)] : [];
    const verdict = decideVerdict(
      {
        loginPasses,
        capacityMinutes,
        lastUse,
        allocation,
        tokens: overview.tokens,
        capacityOffered: overview.capacity !== null,
        now,
      },
      rules,
    );
    // Thousandths: 14 × 0.1 is 1.4, not 1.4000000000000001.
    const tokens = Math.round(loginPasses * loginPassCost * 1000) / 1000;
    return { user, loginPasses, tokens, capacityMinutes, allocations: ordered, allocation, lastUse, verdict };
  }
}
