import type { Allocation, LicenseOverview, Member, User, UserDenials } from './model';
import type { UsageTally, UserUsage } from './usageTally';
import { compareNames, nameSortKey } from './nameOrder';
import { decideVerdict, primaryAllocation, type Verdict, type VerdictRules } from './verdict';

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
    const entry = byUser.get(key) ?? { user: a.user, allocations: [] };
    entry.allocations.push(a);
    byUser.set(key, entry);
  }
  // Engineering licenses (License Statistics) have no passes: their users rank by hours instead.
  const byHours = tally.hasHours || input.denials !== undefined;
  // A capacity tenant (Qlik Cloud) counts every signed-in user as a Full User: verdicts follow sign-ins.
  const fullUser = !!overview.fullUsers && overview.offeredKinds.length === 0 && overview.tokens === null && overview.capacity === null;
  const denied = new Map((input.denials ?? []).map((d) => [d.user.id, d]));
  const rows: Row[] = [];
  const members = new Map((input.members ?? []).map((m) => [m.user.id, m]));
  for (const [id, usage] of tally.users()) {
    const held = byUser.get(id);
    byUser.delete(id);
    rows.push(row(usage.user, usage.loginPasses, usage.capacityMinutes, latest(usage.lastUse, members.get(id)?.lastSignIn), held?.allocations ?? NO_ALLOCATIONS, byHours ? hoursOf(usage, denied.get(id)) : undefined));
    denied.delete(id);
    members.delete(id);
  }
  for (const [id, { user, allocations }] of byUser) {
    rows.push(row(user, 0, 0, members.get(id)?.lastSignIn ?? null, allocations, byHours ? hoursOf(undefined, denied.get(id)) : undefined));
    denied.delete(id);
    members.delete(id);
  }
  for (const m of members.values()) {
    rows.push(row(m.user, 0, 0, m.lastSignIn, []));
  }
  for (const d of denied.values()) {
    rows.push(row(d.user, 0, 0, null, [], hoursOf(undefined, d)));
  }
  // Ties sort by name the way people read them ("Filler 2" before "Filler 10", "anna" beside
  // "Anna"); each name's sort key is made once, not once per comparison (core/nameOrder), and
  // positions are sorted rather than wrappers, so 80,000 rows cost no objects beyond themselves.
  const keys = rows.map((r) => nameSortKey(r.user.name));
  const order = rows.map((_r, i) => i);
  order.sort((i, j) => {
    const a = rows[i] as Row;
    const b = rows[j] as Row;
    const ka = keys[i];
    const kb = keys[j];
    return (
      b.tokens - a.tokens ||
      (b.hoursUsed ?? 0) - (a.hoursUsed ?? 0) ||
      (b.denials ?? 0) - (a.denials ?? 0) ||
      b.capacityMinutes - a.capacityMinutes ||
      (ka !== undefined && kb !== undefined ? (ka < kb ? -1 : ka > kb ? 1 : 0) : compareNames(a.user.name, b.user.name)) ||
      // Ids are not for reading: code-unit order keeps ties that differ only in case apart.
      (a.user.id < b.user.id ? -1 : a.user.id > b.user.id ? 1 : 0)
    );
  });
  // The rows are this function's own: numbering them in place spares 80,000 object copies.
  return order.map((i, n) => {
    const r = rows[i] as Row;
    r.rank = n + 1;
    return r;
  });

  function row(user: User, loginPasses: number, capacityMinutes: number, lastUse: number | null, allocations: readonly Allocation[], hours?: HoursFacts): Row {
    const allocation = primaryAllocation(allocations);
    const ordered = allocation ? [allocation, ...allocations.filter((a) => a !== allocation)] : NO_ALLOCATIONS;
    const verdict = decideVerdict(
      {
        loginPasses,
        capacityMinutes,
        lastUse,
        allocation,
        tokens: overview.tokens,
        capacityOffered: overview.capacity !== null,
        now,
        ...(fullUser ? { fullUser } : {}),
        ...(hours ? { hours: hours.hoursUsed, peakLicenses: hours.peakLicenses, peakTokens: hours.peakTokens, denials: hours.denials } : {}),
      },
      rules,
    );
    // Thousandths: 14 × 0.1 is 1.4, not 1.4000000000000001.
    const tokens = Math.round(loginPasses * loginPassCost * 1000) / 1000;
    const r: Row = { rank: 0, user, loginPasses, tokens, capacityMinutes, allocations: ordered, allocation, lastUse, verdict };
    return hours ? Object.assign(r, hours) : r;
  }
}

/** The later of two times, either possibly unknown. */
function latest(a: number | null, b: number | null | undefined): number | null {
  return b == null ? a : a === null ? b : Math.max(a, b);
}

/** The holdings of every user who holds nothing: one shared, frozen list rather than 80,000 empty ones. */
const NO_ALLOCATIONS: readonly Allocation[] = Object.freeze([]);

/** A ranking row before it is numbered. */
type Row = Omit<RankedUser, 'rank'> & { rank: number };

/** The hours-ranking fields of one row. */
interface HoursFacts {
  readonly hoursUsed: number;
  readonly peakLicenses: number | null;
  readonly peakTokens: number | null;
  readonly denials: number;
}

function hoursOf(usage: UserUsage | undefined, denied: UserDenials | undefined): HoursFacts {
  return {
    // Hundredths: 0.1 + 0.2 hours is 0.3 hours.
    hoursUsed: Math.round((usage?.hours ?? 0) * 100) / 100,
    peakLicenses: usage?.peakLicenses ?? null,
    peakTokens: usage?.peakTokens ?? null,
    denials: denied?.count ?? 0,
  };
}
