/**
 * Policy → plan: what automation would change on one connection, in run order, with every
 * candidate it passed over and why. Pure: the synced state and the policy in, the plan out, so
 * an admin reads exactly what `apply` will do, and a test pins every rule.
 */
import { nothingAuthoredText } from './authoringText';
import { forecastCapacity, forecastPool, type CapacityForecast, type PoolForecast } from './forecast';
import { formatDate, formatDays, formatPasses, formatTokens, formatAmount } from './format';
import { utcDay } from './history';
import type { AuthoringEvidence } from './licenseSource';
import { DAY_MS, PASS_KIND_LABELS, PASS_KIND_WITH_ARTICLE, userKey, type Allocation, type LicenseOverview, type PassKind, type User, type UserFacts } from './model';
import { compareNames } from './nameOrder';
import { policyNeedsFacts, ruleName, type Policy, type SwapRule } from './policy';
import { previewRevoke } from './quarantine';
import type { UsageTally } from './usageTally';
import { LOGIN_PASS_RECYCLE_DAYS, passLastUse } from './verdict';

/** The synced state a plan is made from. */
export interface PlanState {
  readonly connection: string;
  readonly now: number;
  readonly overview: LicenseOverview;
  readonly allocations: readonly Allocation[];
  /** The sync's usage, kept by day (`byDay`) so each rule counts its own window. */
  readonly tally: UsageTally;
  /** Flags and groups by user id, for the users the plan considers. */
  readonly facts: ReadonlyMap<string, UserFacts>;
  /**
   * Who authored lately, by a swap rule's `onlyConsumesDays`, for the holders that rule considers
   * (`authoringQuestions`). Absent for a window that was not read (the system does not keep
   * ownership): the swap rules of that window plan nothing and say so.
   */
  readonly authoring?: ReadonlyMap<number, AuthoringFacts>;
}

/** What a swap rule knows of authoring in its window. */
export interface AuthoringFacts {
  /** Users whose authoring was read. */
  readonly checked: ReadonlySet<string>;
  /** Of those, who authored in the window (or could not be looked up), by the source's evidence. */
  readonly authors: ReadonlySet<string>;
  /** What told authoring apart, for the swaps' reasons; `ownership` when absent. */
  readonly evidence?: AuthoringEvidence;
  /** Why the window could not be read at all (nobody is then `checked`), for the skips' text. */
  readonly unreadable?: string;
}

/** What `apply` checks again, right before a change, against a fresh read. */
export type Premise =
  /** The user exists and holds no pass of `kind` (live or quarantined). */
  | { readonly type: 'holdsNone'; readonly kind: PassKind }
  /** The allocation still exists, is not quarantined, and was not used since `unusedSince`. */
  | { readonly type: 'idleAllocation'; readonly allocationId: string; readonly unusedSince: number }
  /**
   * A swap's: the allocation still exists and is not quarantined, the user holds no pass of
   * `kind` (the new one), and has authored nothing since `authoredNothingSince`.
   */
  | { readonly type: 'onlyConsumes'; readonly allocationId: string; readonly kind: PassKind; readonly authoredNothingSince: number };

/** One change, in run order. */
export interface PlannedChange {
  /**
   * A swap allocates `kind` first, then releases `allocation` (of `fromKind`) once the new pass is
   * confirmed; where the source changes a pass's kind in place (Qlik Cloud), it changes `allocation`.
   */
  readonly action: 'assign' | 'revoke' | 'swap';
  readonly user: User;
  /** The pass assigned or revoked; for a swap, the new one. */
  readonly kind: PassKind;
  /** For a swap, the kind given up: `allocation`'s. */
  readonly fromKind?: PassKind;
  /** The allocation a revoke or a swap releases. */
  readonly allocation?: Allocation;
  /** `upgrade[0]`, `release[1]`. */
  readonly rule: string;
  /** The arithmetic an admin can check. */
  readonly reason: string;
  /** Tokens the change takes from the pool now (negative: gives back now). */
  readonly tokens: number;
  /** When what a revoke (or a swap's release) frees is freed, because the pass goes into quarantine first. */
  readonly quarantinedUntil?: number;
  readonly premise: Premise;
}

/** Why a candidate was passed over. */
export type SkipReason = 'neverTouch' | 'cap' | 'poolReserve' | 'quarantine' | 'premise';

/** A candidate a rule matched that the plan does not change, and why. */
export interface SkippedCandidate {
  readonly user: User;
  readonly rule: string;
  readonly reason: SkipReason;
  readonly text: string;
}

/** What the plan does to the pools, and the outlook before and after it. */
export interface PlanTotals {
  readonly tokensConsumed: number;
  /** Tokens free at once after the releases. */
  readonly tokensFreed: number;
  /** Tokens that the releases free only when their quarantine ends. */
  readonly tokensFreedLater: number;
  readonly tokensAvailableBefore: number | null;
  readonly tokensAvailableAfter: number | null;
  /** Seats of user-based kinds available before and after. */
  readonly seats: Readonly<Partial<Record<PassKind, { readonly before: number; readonly after: number }>>>;
  readonly loginPools: readonly { readonly before: PoolForecast; readonly after: PoolForecast }[];
  readonly capacity: CapacityForecast | null;
}

/** The plan of one run. */
export interface Plan {
  readonly connection: string;
  readonly at: number;
  readonly changes: readonly PlannedChange[];
  readonly skipped: readonly SkippedCandidate[];
  readonly totals: PlanTotals;
  /** Rules the plan could not evaluate, with why. */
  readonly notes: readonly string[];
}

interface Candidate {
  readonly change: PlannedChange;
  /** Sort key within its section: larger first. */
  readonly weight: number;
  /** What the candidate consumes per day now (login passes), for the pool forecast after the plan. */
  readonly passesPerDay: number;
  readonly pool: string | undefined;
}

/** Builds the plan. Candidates a rule matches are checked against never-touch, quarantine, the cap and the pool reserve, in that order. */
export function plan(state: PlanState, policy: Policy): Plan {
  const skipped: SkippedCandidate[] = [];
  const notes: string[] = [];
  const guard = neverTouchGuard(state, policy);
  const skip = (user: User, rule: string, reason: SkipReason, text: string): void => {
    skipped.push({ user, rule, reason, text });
  };

  const releases = releaseCandidates(state, policy, guard, skip);
  const upgrades = upgradeCandidates(state, policy, guard, skip, notes);
  const releasing = new Set(releases.flatMap((c) => (c.change.allocation ? [c.change.allocation.id] : [])));
  const swaps = swapCandidates(state, policy, guard, skip, notes, releasing);

  const changes: PlannedChange[] = [];
  const tokens = state.overview.tokens;
  let tokensFreed = 0;
  let tokensFreedLater = 0;
  const seatsFreed: Partial<Record<PassKind, number>> = {};
  // Releases first: what they free pays for the upgrades after them.
  for (const c of releases) {
    if (changes.length >= policy.maxChangesPerRun) {
      skip(c.change.user, c.change.rule, 'cap', `over the cap of ${policy.maxChangesPerRun} changes per run: left for the next run`);
      continue;
    }
    changes.push(c.change);
    if (c.change.quarantinedUntil === undefined) {
      tokensFreed -= c.change.tokens;
      seatsFreed[c.change.kind] = (seatsFreed[c.change.kind] ?? 0) + 1;
    } else if (c.change.kind === 'user' && tokens) {
      tokensFreedLater += tokens.userPassCost;
    }
  }
  let tokenBudget = tokens ? tokens.available + tokensFreed - policy.keepFreeTokens : 0;
  const seatBudget: Partial<Record<PassKind, number>> = {};
  for (const kind of ['professional', 'analyzer'] as const) {
    const seats = state.overview[kind];
    if (seats) {
      seatBudget[kind] = seats.available + (seatsFreed[kind] ?? 0);
    }
  }
  let tokensConsumed = 0;
  /**
   * Takes what a change's new pass needs from the pool (`cost` tokens for a user pass, else a
   * seat of its kind), or skips the change saying what is missing; `to` ends "to swap to".
   */
  const take = (change: PlannedChange, cost: number, to: string): boolean => {
    if (change.kind === 'user') {
      if (cost > tokenBudget + 1e-9) {
        skip(change.user, change.rule, 'poolReserve', `a ${PASS_KIND_LABELS.user} costs ${formatTokens(cost)}, and the pool has ${formatTokens(Math.max(0, tokenBudget))} left above the reserve of ${formatTokens(policy.keepFreeTokens)}`);
        return false;
      }
      tokenBudget -= cost;
      tokensConsumed += cost;
      return true;
    }
    const left = seatBudget[change.kind] ?? 0;
    if (left < 1) {
      skip(change.user, change.rule, 'poolReserve', `no ${PASS_KIND_LABELS[change.kind]} is available to ${to}`);
      return false;
    }
    seatBudget[change.kind] = left - 1;
    return true;
  };
  // Swaps next: each takes a pass of the new kind (a seat, or tokens) before it gives the old one
  // back, and what the old ones free at once is there for the upgrades after them.
  for (const c of swaps) {
    const { user, rule, kind } = c.change;
    const from = c.change.fromKind ?? kind;
    if (changes.length >= policy.maxChangesPerRun) {
      skip(user, rule, 'cap', `over the cap of ${policy.maxChangesPerRun} changes per run: left for the next run`);
      continue;
    }
    if (!take(c.change, tokens ? tokens.userPassCost : 0, 'swap to')) {
      continue;
    }
    changes.push(c.change);
    if (c.change.quarantinedUntil !== undefined) {
      if (from === 'user' && tokens) {
        tokensFreedLater += tokens.userPassCost;
      }
    } else if (from === 'user' && tokens) {
      tokensFreed += tokens.userPassCost;
      tokenBudget += tokens.userPassCost;
    } else if (seatBudget[from] !== undefined) {
      seatBudget[from] = (seatBudget[from] ?? 0) + 1;
    }
  }
  const moved = new Map<string, number>();
  for (const c of upgrades) {
    const { user, rule } = c.change;
    if (changes.length >= policy.maxChangesPerRun) {
      skip(user, rule, 'cap', `over the cap of ${policy.maxChangesPerRun} changes per run: left for the next run`);
      continue;
    }
    if (!take(c.change, c.change.tokens, 'allocate')) {
      continue;
    }
    changes.push(c.change);
    if (c.pool !== undefined && c.passesPerDay > 0) {
      moved.set(c.pool, (moved.get(c.pool) ?? 0) + c.passesPerDay);
    }
  }

  const seats: Partial<Record<PassKind, { before: number; after: number }>> = {};
  for (const kind of ['professional', 'analyzer'] as const) {
    const s = state.overview[kind];
    if (s) {
      seats[kind] = { before: s.available, after: seatBudget[kind] ?? s.available };
    }
  }
  const today = utcDay(state.now);
  const burn = state.tally.poolBurn();
  return {
    connection: state.connection,
    at: state.now,
    changes,
    skipped,
    notes,
    totals: {
      tokensConsumed: round(tokensConsumed),
      tokensFreed: round(tokensFreed),
      tokensFreedLater: round(tokensFreedLater),
      tokensAvailableBefore: tokens ? tokens.available : null,
      tokensAvailableAfter: tokens ? round(tokens.available + tokensFreed - tokensConsumed) : null,
      seats,
      loginPools: (state.overview.loginPools ?? []).map((pool) => {
        const days = burn.get(pool.name) ?? new Map<number, number>();
        return { before: forecastPool(pool, days, today), after: forecastPool(pool, days, today, moved.get(pool.name) ?? 0) };
      }),
      capacity: state.overview.capacity ? forecastCapacity(state.overview.capacity, state.now) : null,
    },
  };
}

type Skip = (user: User, rule: string, reason: SkipReason, text: string) => void;

/** Says why a user must be left alone, or null. */
type Guard = (user: User) => string | null;

function neverTouchGuard(state: PlanState, policy: Policy): Guard {
  const never = policy.neverTouch;
  const users = new Set(never.users.map((u) => u.toLowerCase()));
  const dirs = new Set(never.userDirectories.map((d) => d.toLowerCase()));
  const groups = new Set(never.groups.map((g) => g.toLowerCase()));
  const needsFacts = policyNeedsFacts(policy);
  return (user) => {
    if (users.has(userKey(user).toLowerCase())) {
      return `${userKey(user)} is on the never-touch list`;
    }
    if (dirs.has(user.directory.toLowerCase())) {
      return `user directory ${user.directory} is on the never-touch list`;
    }
    if (!needsFacts) {
      return null;
    }
    const facts = state.facts.get(user.id);
    if (!facts) {
      // Unknown flags could hide a never-touch group or flag: leaving the user alone is safe.
      return `could not read ${userKey(user)}'s flags and groups to check the never-touch list`;
    }
    const flag = facts.flags.find((f) => never.flags.includes(f));
    if (flag) {
      return `flagged ${flag}`;
    }
    const group = facts.groups.find((g) => groups.has(g.toLowerCase()));
    return group === undefined ? null : `member of ${group}, on the never-touch list`;
  };
}

function releaseCandidates(state: PlanState, policy: Policy, guard: Guard, skip: Skip): Candidate[] {
  const out: Candidate[] = [];
  const planned = new Set<string>();
  const lastUseOf = (user: User): number | null => state.tally.users().get(user.id)?.lastUse ?? null;
  const readDays = Math.round((state.tally.window.to - state.tally.window.from) / DAY_MS);
  policy.release.forEach((rule, index) => {
    const name = ruleName({ section: 'release', index });
    for (const a of state.allocations) {
      if (!rule.revoke.includes(a.kind) || a.userDeleted || a.quarantined || planned.has(a.id)) {
        continue;
      }
      // Never used: idle since it was allocated (QRS writes "no date" as 1753-01-01, read as null).
      // A pass that records no last use of its own (Qlik Cloud) was last used when its holder was.
      const holderUse = a.lastUseUnrecorded ? lastUseOfPass(state, a) : null;
      const since = a.lastUsed ?? holderUse ?? a.allocatedAt ?? null;
      const label = PASS_KIND_LABELS[a.kind];
      if (since === null) {
        skip(a.user, name, 'premise', `the ${label} has neither a last use nor an allocation date: cannot tell how long it is unused`);
        continue;
      }
      const idleDays = Math.floor((state.now - since) / DAY_MS);
      if (idleDays < rule.when.unusedDays) {
        continue;
      }
      if (a.lastUseUnrecorded && holderUse === null && readDays < rule.when.unusedDays) {
        skip(a.user, name, 'premise', `the ${label} records no last use, and the usage read covers ${formatDays(readDays)}, not ${formatDays(rule.when.unusedDays)}: cannot tell whether it was used`);
        continue;
      }
      const lastUse = lastUseOf(a.user);
      if (lastUse !== null && lastUse > since && state.now - lastUse < rule.when.unusedDays * DAY_MS) {
        skip(a.user, name, 'premise', `used login passes or analyzer capacity on ${formatDate(lastUse)}: active, though the ${label} is idle`);
        continue;
      }
      const untouchable = guard(a.user);
      if (untouchable) {
        skip(a.user, name, 'neverTouch', untouchable);
        continue;
      }
      const preview = previewRevoke(a, state.now);
      if (preview.quarantineUntil !== null && !rule.when.evenIfQuarantined) {
        skip(a.user, name, 'quarantine', `${preview.text} Releasing it frees nothing now; the rule does not say "evenIfQuarantined"`);
        continue;
      }
      planned.add(a.id);
      const idle = idleText(a, idleDays, holderUse, readDays);
      const cost = a.kind === 'user' && state.overview.tokens ? state.overview.tokens.userPassCost : 0;
      const frees = preview.quarantineUntil === null ? (cost > 0 ? `frees ${formatTokens(cost)}` : `frees 1 ${label}`) : `quarantined until ${formatDate(preview.quarantineUntil)}, freed then`;
      out.push({
        weight: idleDays,
        passesPerDay: 0,
        pool: undefined,
        change: {
          action: 'revoke',
          user: a.user,
          kind: a.kind,
          allocation: a,
          rule: name,
          reason: `${label} ${idle} ≥ ${formatDays(rule.when.unusedDays)} → release (${frees})`,
          tokens: preview.quarantineUntil === null ? -cost : 0,
          ...(preview.quarantineUntil === null ? {} : { quarantinedUntil: preview.quarantineUntil }),
          premise: { type: 'idleAllocation', allocationId: a.id, unusedSince: since },
        },
      });
    }
  });
  return out.sort((x, y) => y.weight - x.weight || compareUsers(x.change.user, y.change.user));
}

/** How long a pass has been idle, in the words its dates allow. */
function idleText(a: Allocation, idleDays: number, holderUse: number | null, readDays: number): string {
  if (a.lastUsed !== null) {
    return `unused for ${formatDays(idleDays)} (last used ${formatDate(a.lastUsed)})`;
  }
  if (!a.lastUseUnrecorded) {
    return `never used in the ${formatDays(idleDays)} since it was allocated`;
  }
  return holderUse === null
    ? `not used since it was assigned ${formatDays(idleDays)} ago, as far as the ${formatDays(readDays)} of usage read show (the license records no last use of its own)`
    : `unused for ${formatDays(idleDays)} (its holder's last use ${formatDate(holderUse)})`;
}

function upgradeCandidates(state: PlanState, policy: Policy, guard: Guard, skip: Skip, notes: string[]): Candidate[] {
  const out: Candidate[] = [];
  const chosen = new Set<string>();
  const windowDays = Math.round((state.tally.window.to - state.tally.window.from) / DAY_MS);
  const held = new Map<string, Allocation[]>();
  for (const a of state.allocations) {
    if (!a.userDeleted) {
      held.set(a.user.id, [...(held.get(a.user.id) ?? []), a]);
    }
  }
  const tokens = state.overview.tokens;
  policy.upgrade.forEach((rule, index) => {
    const name = ruleName({ section: 'upgrade', index });
    const label = PASS_KIND_LABELS[rule.assign];
    if (!state.overview.offeredKinds.includes(rule.assign)) {
      notes.push(`${name} assigns ${label}, which this site does not offer: it plans nothing.`);
      return;
    }
    if (rule.when.windowDays > windowDays) {
      notes.push(`${name} counts ${formatDays(rule.when.windowDays)}, more than the ${formatDays(windowDays)} this sync read: it plans nothing.`);
      return;
    }
    for (const [id, usage] of state.tally.users()) {
      if (chosen.has(id)) {
        continue;
      }
      const used = state.tally.totalsOver(id, rule.when.windowDays) ?? { loginPasses: 0, capacityMinutes: 0 };
      const { loginPassesAtLeast: lp, capacityMinutesAtLeast: cap } = rule.when;
      if ((lp !== undefined && used.loginPasses < lp) || (cap !== undefined && used.capacityMinutes < cap)) {
        continue;
      }
      const user = usage.user;
      const mine = held.get(id) ?? [];
      const same = mine.find((a) => a.kind === rule.assign);
      if (same?.quarantined) {
        skip(user, name, 'quarantine', `holds a quarantined ${label}: reinstate it instead, which costs no new token`);
        continue;
      }
      const live = mine.find((a) => !a.quarantined);
      if (live) {
        skip(user, name, 'premise', `already holds a ${PASS_KIND_LABELS[live.kind]}`);
        continue;
      }
      const untouchable = guard(user);
      if (untouchable) {
        skip(user, name, 'neverTouch', untouchable);
        continue;
      }
      chosen.add(id);
      const cost = rule.assign === 'user' && tokens ? tokens.userPassCost : 0;
      const measured = [
        lp === undefined ? null : `${formatPasses(used.loginPasses)} in ${formatDays(rule.when.windowDays)} ≥ ${formatAmount(lp)}`,
        cap === undefined ? null : `${formatAmount(used.capacityMinutes)} capacity minutes in ${formatDays(rule.when.windowDays)} ≥ ${formatAmount(cap)}`,
      ].filter((part): part is string => part !== null);
      const held28 = tokens ? (used.loginPasses * LOGIN_PASS_RECYCLE_DAYS * tokens.loginPassCost) / rule.when.windowDays : 0;
      const effect = rule.assign === 'user' && tokens ? `: ${formatTokens(held28)} of login passes per 28 days for a pass costing ${formatTokens(cost)}` : '';
      out.push({
        weight: (tokens ? used.loginPasses * tokens.loginPassCost : used.loginPasses) * 1e6 + used.capacityMinutes,
        passesPerDay: used.loginPasses / rule.when.windowDays,
        pool: usage.pool,
        change: {
          action: 'assign',
          user,
          kind: rule.assign,
          rule: name,
          reason: `${measured.join(' and ')} → assign ${PASS_KIND_WITH_ARTICLE[rule.assign]}${effect}`,
          tokens: cost,
          premise: { type: 'holdsNone', kind: rule.assign },
        },
      });
    }
  });
  return out.sort((x, y) => y.weight - x.weight || compareUsers(x.change.user, y.change.user));
}

/** The kinds a swap rule names that the site does not offer; a rule with any plans nothing. */
function missingKinds(state: Pick<PlanState, 'overview'>, rule: SwapRule): PassKind[] {
  return [...new Set([rule.when.kind, rule.to])].filter((k) => !state.overview.offeredKinds.includes(k));
}

/**
 * The passes a swap rule looks at before asking about authoring: live allocations of its kind,
 * held since before its window where the site says when they were allocated (a newer pass has
 * not had the window to show what its holder does), and used within the window (an idle pass is
 * for the release rules).
 */
function swapHolders(state: Pick<PlanState, 'now' | 'allocations' | 'tally'>, rule: SwapRule): Allocation[] {
  const windowMs = rule.when.onlyConsumesDays * DAY_MS;
  return state.allocations.filter((a) => {
    const used = lastUseOfPass(state, a);
    return (
      a.kind === rule.when.kind &&
      !a.userDeleted &&
      !a.quarantined &&
      (a.allocatedAt === undefined || a.allocatedAt === null || state.now - a.allocatedAt >= windowMs) &&
      used !== null &&
      state.now - used < windowMs
    );
  });
}

/** When a pass was last used, its holder's use standing in where it records none (core/verdict). */
function lastUseOfPass(state: Pick<PlanState, 'tally'>, a: Allocation): number | null {
  return passLastUse(a, state.tally.users().get(a.user.id)?.lastUse ?? null);
}

/**
 * Whose authoring the swap rules need, by window (`onlyConsumesDays`): each rule's holders
 * before the authoring test, so planSource reads ownership for these users only. Every window of
 * a rule the site can carry out has an entry, empty when nobody qualifies.
 */
export function authoringQuestions(state: Pick<PlanState, 'now' | 'overview' | 'allocations' | 'tally'>, policy: Policy): ReadonlyMap<number, readonly User[]> {
  const out = new Map<number, Map<string, User>>();
  for (const rule of policy.swap) {
    if (missingKinds(state, rule).length > 0) {
      continue;
    }
    const users = out.get(rule.when.onlyConsumesDays) ?? new Map<string, User>();
    out.set(rule.when.onlyConsumesDays, users);
    for (const a of swapHolders(state, rule)) {
      users.set(a.user.id, a.user);
    }
  }
  return new Map([...out].map(([days, users]) => [days, [...users.values()]]));
}

function swapCandidates(state: PlanState, policy: Policy, guard: Guard, skip: Skip, notes: string[], releasing: ReadonlySet<string>): Candidate[] {
  const out: Candidate[] = [];
  const planned = new Set<string>();
  const held = new Map<string, Allocation[]>();
  for (const a of state.allocations) {
    if (!a.userDeleted) {
      held.set(a.user.id, [...(held.get(a.user.id) ?? []), a]);
    }
  }
  const tokens = state.overview.tokens;
  const costOf = (kind: PassKind): number => (kind === 'user' && tokens ? tokens.userPassCost : 0);
  policy.swap.forEach((rule, index) => {
    const name = ruleName({ section: 'swap', index });
    const from = rule.when.kind;
    const [fromLabel, toLabel] = [PASS_KIND_LABELS[from], PASS_KIND_LABELS[rule.to]];
    const days = rule.when.onlyConsumesDays;
    const missing = missingKinds(state, rule);
    if (missing.length > 0) {
      notes.push(`${name} swaps ${fromLabel} for ${toLabel}, and this site does not offer ${missing.map((k) => PASS_KIND_LABELS[k]).join(' or ')}: it plans nothing.`);
      return;
    }
    const facts = state.authoring?.get(days);
    if (!facts) {
      notes.push(`${name} (${fromLabel} → ${toLabel}) is not evaluated: this connection does not say who owns apps and sheets, so who only consumes cannot be told.`);
      return;
    }
    const since = state.now - days * DAY_MS;
    for (const a of swapHolders(state, rule)) {
      const id = a.user.id;
      // One change per user and allocation: a pass a release rule gives back is not swapped too.
      if (planned.has(id) || releasing.has(a.id)) {
        continue;
      }
      if (!facts.checked.has(id)) {
        const why = facts.unreadable === undefined ? '' : `: ${facts.unreadable}`;
        skip(a.user, name, 'premise', `could not read whether ${userKey(a.user)} authored anything in the last ${formatDays(days)}${why}`);
        continue;
      }
      if (facts.authors.has(id)) {
        // An author does not only consume: the rule does not match, as a light user does not match an upgrade.
        continue;
      }
      const target = (held.get(id) ?? []).find((h) => h.kind === rule.to);
      if (target?.quarantined) {
        skip(a.user, name, 'quarantine', `holds a quarantined ${toLabel}: reinstate it, then release the ${fromLabel}`);
        continue;
      }
      if (target) {
        skip(a.user, name, 'premise', `already holds ${PASS_KIND_WITH_ARTICLE[rule.to]} too: the ${fromLabel} is for a release rule or an admin to release`);
        continue;
      }
      const untouchable = guard(a.user);
      if (untouchable) {
        skip(a.user, name, 'neverTouch', untouchable);
        continue;
      }
      planned.add(id);
      const preview = previewRevoke(a, state.now);
      const later = preview.quarantineUntil !== null;
      const frees = later ? `frees the ${fromLabel} when its quarantine ends on ${formatDate(preview.quarantineUntil ?? 0)}` : `frees the ${fromLabel} at once`;
      const takes = costOf(rule.to) > 0 ? formatTokens(costOf(rule.to)) : `1 ${toLabel}`;
      const last = lastUseOfPass(state, a) ?? state.now;
      out.push({
        // Those who have held the pass longest without authoring go first.
        weight: a.allocatedAt === undefined || a.allocatedAt === null ? 0 : state.now - a.allocatedAt,
        passesPerDay: 0,
        pool: undefined,
        change: {
          action: 'swap',
          user: a.user,
          kind: rule.to,
          fromKind: from,
          allocation: a,
          rule: name,
          reason: `${fromLabel} used ${formatDate(last)}, but nothing authored in ${formatDays(days)} (${nothingAuthoredText(facts.evidence ?? 'ownership', since)}) → swap for ${PASS_KIND_WITH_ARTICLE[rule.to]} (takes ${takes}, ${frees})`,
          tokens: costOf(rule.to) - (later ? 0 : costOf(from)),
          ...(later ? { quarantinedUntil: preview.quarantineUntil ?? 0 } : {}),
          premise: { type: 'onlyConsumes', allocationId: a.id, kind: rule.to, authoredNothingSince: since },
        },
      });
    }
  });
  return out.sort((x, y) => y.weight - x.weight || compareUsers(x.change.user, y.change.user));
}

function compareUsers(a: User, b: User): number {
  return compareNames(a.name, b.name) || compareNames(userKey(a), userKey(b));
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
