import type { Allocation, LicenseOverview, Member, User, UserDenials } from './model';
import type { UsageTally, UserUsage } from './usageTally';
import { namePlaces } from './nameOrder';
import { RankCandidates, type HoursFacts } from './rankCandidates';
import { rankOrder } from './rankOrder';
import { decideVerdict, primaryAllocation, type Verdict, type VerdictInput, type VerdictRules } from './verdict';

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
  /** Hours of license use in the window; present when the ranking is by hours (License Statistics). */
  readonly hoursUsed?: number;
  /** The most licenses of one feature held at once; null when no record said. Present with `hoursUsed`. */
  readonly peakLicenses?: number | null;
  /** The most tokens drawn at once from one token feature's pool; null when none. Present with `hoursUsed`. */
  readonly peakTokens?: number | null;
  /**
   * Checkouts refused in the window for want of a free license; present with `hoursUsed`. A user
   * with denials needs a license that was not there: views flag them.
   */
  readonly denials?: number;
}

/** Inputs of one ranking: what a sync fetched plus the rules. */
export interface RankingInput {
  readonly overview: LicenseOverview;
  readonly tally: UsageTally;
  readonly allocations: readonly Allocation[];
  readonly rules: VerdictRules;
  readonly now: number;
  /** Denials per user, where the source reports them (`LicenseSource.denials`). */
  readonly denials?: readonly UserDenials[];
  /**
   * Users who count by being there (`LicenseSource.members`, Qlik Cloud capacity tenants): those
   * with no use in the window are ranked too, with their last sign-in, so the inactive are found.
   */
  readonly members?: readonly Member[];
}

/**
 * Orders users by token-equivalents consumed in the window (then hours of license use and
 * denials, then capacity minutes, then name), and attaches each one's verdict. Users who hold a
 * pass but used nothing are included: they are the revoke candidates; so are users who were only
 * denied: they needed a license.
 */
export function rankUsers(input: RankingInput): RankedUser[] {
  const { overview, tally, rules, now } = input;
  const loginPassCost = overview.tokens?.loginPassCost ?? 0.1;
  const byUser = new Map<string, { user: User; allocations: Allocation[] }>();
  for (const a of input.allocations) {
    const key = a.userDeleted ? `deleted:${a.id}` : a.user.id;
    // Most hold one pass: a list made with it is one element long, not an empty list grown.
    const entry = byUser.get(key);
    if (entry) {
      entry.allocations.push(a);
    } else {
      byUser.set(key, { user: a.user, allocations: [a] });
    }
  }
  // Engineering licenses (License Statistics) have no passes: their users rank by hours instead.
  const byHours = tally.hasHours || input.denials !== undefined;
  // A capacity tenant (Qlik Cloud) counts every signed-in user as a Full User: verdicts follow sign-ins.
  const fullUser = !!overview.fullUsers && overview.offeredKinds.length === 0 && overview.tokens === null && overview.capacity === null;
  // One input refilled per user (decideVerdict keeps nothing of it): 80,000 of them were a
  // good part of a large ranking's garbage.
  const verdictInput: { -readonly [K in keyof VerdictInput]: VerdictInput[K] } = {
    loginPasses: 0,
    capacityMinutes: 0,
    lastUse: null,
    allocation: null,
    tokens: overview.tokens,
    capacityOffered: overview.capacity !== null,
    now,
    fullUser: fullUser || undefined,
    hours: undefined,
    peakLicenses: undefined,
    peakTokens: undefined,
    denials: undefined,
  };
  const denied = new Map((input.denials ?? []).map((d) => [d.user.id, d]));
  const members = new Map((input.members ?? []).map((m) => [m.user.id, m]));
  const candidates = new RankCandidates(tally.users().size + byUser.size + members.size + denied.size, loginPassCost, byHours);
  // forEach, not for…of: iterating a Map's entries or values makes an object or two per user.
  // Maps are asked only when they hold something: a lookup by a 36-character id is not free,
  // and most users hold no pass, are no listed member and were denied nothing.
  tally.users().forEach((usage, id) => {
    const held = byUser.size > 0 ? byUser.get(id) : undefined;
    if (held) {
      byUser.delete(id);
    }
    const member = members.size > 0 ? members.get(id) : undefined;
    if (member) {
      members.delete(id);
    }
    const denial = denied.size > 0 ? denied.get(id) : undefined;
    if (denial) {
      denied.delete(id);
    }
    candidates.add(usage.user, usage.loginPasses, usage.capacityMinutes, latest(usage.lastUse, member?.lastSignIn), held?.allocations ?? NO_ALLOCATIONS, byHours ? hoursOf(usage, denial) : undefined);
  });
  for (const [id, { user, allocations }] of byUser) {
    candidates.add(user, 0, 0, members.get(id)?.lastSignIn ?? null, allocations, byHours ? hoursOf(undefined, denied.get(id)) : undefined);
    denied.delete(id);
    members.delete(id);
  }
  for (const m of members.values()) {
    candidates.add(m.user, 0, 0, m.lastSignIn, NO_ALLOCATIONS, undefined);
  }
  for (const d of denied.values()) {
    candidates.add(d.user, 0, 0, null, NO_ALLOCATIONS, hoursOf(undefined, d));
  }
  // Ties sort by name the way people read them ("Filler 2" before "Filler 10", "anna" beside
  // "Anna"), then by id: names as their place in reading order (core/nameOrder), everything
  // sorted as numbers (core/rankOrder).
  const users = candidates.rankedUsers();
  const order = rankOrder({ descending: candidates.descending(), places: namePlaces(users), users });
  const ranked = new Array<RankedUser>(order.length);
  for (let k = 0; k < order.length; k++) {
    ranked[k] = row(k + 1, order[k] as number);
  }
  return ranked;

  function row(rank: number, i: number): RankedUser {
    const loginPasses = small(candidates.loginPasses[i] as number);
    const capacityMinutes = small(candidates.capacityMinutes[i] as number);
    const allocations = candidates.allocations[i] as readonly Allocation[];
    const hours = candidates.hours?.[i];
    const lastUse = candidates.lastUse(i);
    const allocation = primaryAllocation(allocations);
    // Most holders hold one pass: their list is already in order (and this function's own).
    const ordered = !allocation ? NO_ALLOCATIONS : allocations.length === 1 ? allocations : [allocation, ...allocations.filter((a) => a !== allocation)];
    verdictInput.loginPasses = loginPasses;
    verdictInput.capacityMinutes = capacityMinutes;
    verdictInput.lastUse = lastUse;
    verdictInput.allocation = allocation;
    verdictInput.hours = hours?.hoursUsed;
    verdictInput.peakLicenses = hours?.peakLicenses;
    verdictInput.peakTokens = hours?.peakTokens;
    verdictInput.denials = hours?.denials;
    const verdict = decideVerdict(verdictInput, rules);
    const r = new RankRow(rank, users[i] as User, loginPasses, candidates.tokens[i] as number, capacityMinutes, ordered, allocation, lastUse, verdict);
    return hours ? Object.assign(r, hours) : r;
  }
}

/**
 * A row as plain own data (spread, JSON and equality see every field), made by a constructor
 * rather than an object literal: V8 tracks where literals are made, so each of 80,000 literal
 * rows cost more to make and to collect; a ranking of them took a third longer.
 */
class RankRow implements RankedUser {
  constructor(
    readonly rank: number,
    readonly user: User,
    readonly loginPasses: number,
    readonly tokens: number,
    readonly capacityMinutes: number,
    readonly allocations: readonly Allocation[],
    readonly allocation: Allocation | null,
    readonly lastUse: number | null,
    readonly verdict: Verdict,
  ) {}
}

/**
 * A whole number as a small integer. V8 reads a Float64Array's numbers as heap numbers, even
 * whole ones, and a row field once given one boxes every value stored in it: two boxes per row
 * for pass counts and minutes that are almost always whole.
 */
function small(n: number): number {
  return n === (n | 0) ? n | 0 : n;
}

/** The later of two times, either possibly unknown. */
function latest(a: number | null, b: number | null | undefined): number | null {
  return b == null ? a : a === null ? b : Math.max(a, b);
}

/** The holdings of every user who holds nothing: one shared, frozen list rather than 80,000 empty ones. */
const NO_ALLOCATIONS: readonly Allocation[] = Object.freeze([]);

function hoursOf(usage: UserUsage | undefined, denied: UserDenials | undefined): HoursFacts {
  return {
    // Hundredths: 0.1 + 0.2 hours is 0.3 hours.
    hoursUsed: Math.round((usage?.hours ?? 0) * 100) / 100,
    peakLicenses: usage?.peakLicenses ?? null,
    peakTokens: usage?.peakTokens ?? null,
    denials: denied?.count ?? 0,
  };
}
