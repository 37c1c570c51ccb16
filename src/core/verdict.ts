import { formatAmount, formatDate, formatDays, formatHours, formatPasses, formatTokens } from './format';
import { type Allocation, DAY_MS, PASS_KIND_LABELS, PASS_KIND_WITH_ARTICLE, type PassKind, type TokenTotals } from './model';

/** What License Steward suggests for one user. */
export type VerdictKind =
  /** Burns at least a user pass's worth of login passes: allocate a pass. */
  | 'assign'
  /** Cheaper on login passes (or capacity) as things stand. */
  | 'keep'
  /** Holds a pass and uses it. */
  | 'holds'
  /** Holds a pass nobody used for the inactivity threshold: revoking frees it. */
  | 'inactive'
  /** The pass was revoked while in use and waits out its quarantine. */
  | 'quarantined'
  /** The user left the directory; the pass waits out its quarantine. */
  | 'deleted';

/** The verdict and the arithmetic behind it, in one sentence an admin can check. */
export interface Verdict {
  readonly kind: VerdictKind;
  readonly text: string;
  /** The pass to allocate when `kind` is 'assign'. */
  readonly suggestedKind?: PassKind;
  /** Tokens per 28 days the suggestion saves (assign) or frees (inactive). */
  readonly tokensSaved?: number;
  /** Judged by sign-ins as a capacity tenant's Full User (Qlik Cloud): disabling, not revoking, releases them. */
  readonly fullUser?: true;
}

/** The thresholds a verdict depends on. */
export interface VerdictRules {
  /** Days in the usage window (28 by default: the login-pass recycle period). */
  readonly windowDays: number;
  /** A held pass unused this many days is a revoke candidate. */
  readonly inactiveDays: number;
  /**
   * Capacity minutes per window above which an analyzer allocation pays off. Qlik publishes no
   * such ratio (it depends on the contract's prices), so there is no verdict without it.
   */
  readonly capacityBreakEvenMinutes: number | null;
}

/** Qlik's login-pass recycle period: a used pass returns to its group's pool after 28 days. */
export const LOGIN_PASS_RECYCLE_DAYS = 28;

/**
 * When a pass was last used: its own date, or where it records none (Qlik Cloud) its holder's
 * latest use since it was assigned; use before the assignment was made without it.
 */
export function passLastUse(a: Allocation, holderLastUse: number | null): number | null {
  if (a.lastUsed !== null || !a.lastUseUnrecorded) {
    return a.lastUsed;
  }
  return holderLastUse !== null && (a.allocatedAt == null || holderLastUse >= a.allocatedAt) ? holderLastUse : null;
}

/** One user's consumption and holdings, the verdict's inputs. */
export interface VerdictInput {
  readonly loginPasses: number;
  readonly capacityMinutes: number;
  /** When the user last started a login pass or a capacity session in the window; null if never. */
  readonly lastUse: number | null;
  /** The pass that matters most (see `primaryAllocation`), or null. */
  readonly allocation: Allocation | null;
  /** Token model totals; null when the site has no token model. */
  readonly tokens: TokenTotals | null;
  readonly capacityOffered: boolean;
  readonly now: number;
  /**
   * Hours of license use in the window, for sources whose users rank by hours (License
   * Statistics); the verdict then states the use and any denials instead of a pass's economics.
   */
  readonly hours?: number;
  readonly peakLicenses?: number | null;
  readonly peakTokens?: number | null;
  /** Checkouts refused in the window for want of a free license. */
  readonly denials?: number;
  /**
   * True on a Qlik Cloud capacity tenant: every user who signs in counts as a Full User and there
   * is nothing to assign, so the verdict is about sign-ins (`lastUse`, session minutes) instead.
   */
  readonly fullUser?: boolean;
}

/**
 * Break-even on the token model: a login pass holds `loginPassCost` tokens for 28 days, so a user's
 * passes hold `passes × cost × 28 / windowDays` tokens on average; a user access pass holds
 * `userPassCost` continuously. Whichever holds fewer tokens is the cheaper licence.
 */
export function decideVerdict(input: VerdictInput, rules: VerdictRules): Verdict {
  const { allocation, now } = input;
  if (allocation) {
    const label = PASS_KIND_LABELS[allocation.kind];
    const aLabel = PASS_KIND_WITH_ARTICLE[allocation.kind];
    const lastUsed = allocation.lastUsed === null ? 'never used' : `last used ${formatDate(allocation.lastUsed)}`;
    if (allocation.userDeleted) {
      if (!allocation.quarantined && allocation.quarantineEnd === null) {
        // Qlik Cloud has no quarantine: the assignment of a deleted user holds its license until removed.
        return { kind: 'deleted', text: `user deleted; the ${label} is still assigned and takes a license until it is released` };
      }
      const until = allocation.quarantineEnd === null ? 'its quarantine ends' : formatDate(allocation.quarantineEnd);
      return { kind: 'deleted', text: `user deleted; the ${label} stays quarantined until ${until}, then it is freed` };
    }
    if (allocation.quarantined) {
      const until = allocation.quarantineEnd === null ? 'the server frees it' : formatDate(allocation.quarantineEnd);
      return {
        kind: 'quarantined',
        text: `${label} quarantined until ${until} (${lastUsed}); it can be reinstated to this user until then at no extra cost`,
      };
    }
    if (allocation.lastUseUnrecorded) {
      return holderUseVerdict(input, allocation, rules);
    }
    // Idle since the last use, or since the allocation for a pass never used.
    const since = allocation.lastUsed ?? allocation.allocatedAt ?? null;
    if (input.lastUse !== null && (since === null || input.lastUse > since) && now - input.lastUse < rules.inactiveDays * DAY_MS) {
      // Recent login passes or capacity beside an idle pass: the person is active (the pass may be
      // newer than the passes, or they sign in with another account), so revoking is not the advice.
      const other = input.loginPasses > 0 ? 'login passes' : 'analyzer capacity';
      return { kind: 'holds', text: `holds ${aLabel} (${lastUsed}) and used ${other} until ${formatDate(input.lastUse)}: active, not a revoke candidate` };
    }
    const idleDays = since === null ? null : Math.floor((now - since) / DAY_MS);
    if (idleDays === null || idleDays >= rules.inactiveDays) {
      const idle =
        idleDays === null ? 'never used' : allocation.lastUsed === null ? `never used in the ${formatDays(idleDays)} since it was allocated` : `unused for ${formatDays(idleDays)}`;
      const frees = allocation.kind === 'user' && input.tokens ? formatTokens(input.tokens.userPassCost) : `1 ${label}`;
      return {
        kind: 'inactive',
        text: `holds ${aLabel} ${idle} (threshold ${formatDays(rules.inactiveDays)}) → revoke candidate (frees ${frees})`,
        ...(allocation.kind === 'user' && input.tokens ? { tokensSaved: input.tokens.userPassCost } : {}),
      };
    }
    return {
      kind: 'holds',
      text: allocation.lastUsed === null && allocation.allocatedAt ? `holds ${aLabel}, allocated ${formatDate(allocation.allocatedAt)}, not used yet` : `holds ${aLabel}, ${lastUsed}`,
    };
  }

  if (input.hours !== undefined) {
    return hoursVerdict(input, input.hours, rules.windowDays);
  }
  if (input.fullUser) {
    return signInVerdict(input, rules);
  }
  if (input.tokens && (input.loginPasses > 0 || !input.capacityOffered)) {
    return knownTokenVerdict(input.loginPasses, input.tokens, rules.windowDays);
  }
  if (input.capacityOffered) {
    return capacityVerdict(input.capacityMinutes, rules);
  }
  return { kind: 'keep', text: 'no pass and no recorded use' };
}

/**
 * A pass that records no last use of its own (Qlik Cloud): its holder's latest use in the window
 * read is its use, and where there is none the verdict says how far the read went, never "never
 * used".
 */
function holderUseVerdict(input: VerdictInput, allocation: Allocation, rules: VerdictRules): Verdict {
  const aLabel = PASS_KIND_WITH_ARTICLE[allocation.kind];
  const frees = `1 ${PASS_KIND_LABELS[allocation.kind]}`;
  const used = passLastUse(allocation, input.lastUse);
  if (used !== null) {
    const idleDays = Math.floor((input.now - used) / DAY_MS);
    return idleDays >= rules.inactiveDays
      ? { kind: 'inactive', text: `holds ${aLabel} unused for ${formatDays(idleDays)} (its holder's last use ${formatDate(used)}; threshold ${formatDays(rules.inactiveDays)}) → revoke candidate (frees ${frees})` }
      : { kind: 'holds', text: `holds ${aLabel}, last used ${formatDate(used)}` };
  }
  const allocated = allocation.allocatedAt ?? null;
  if (allocated !== null && input.now - allocated < rules.inactiveDays * DAY_MS) {
    return { kind: 'holds', text: `holds ${aLabel}, assigned ${formatDate(allocated)}, not used yet` };
  }
  const assigned = allocated === null ? '' : `, assigned ${formatDate(allocated)},`;
  return {
    kind: 'inactive',
    text: `holds ${aLabel}${assigned} not used by its holder as far as the ${formatDays(rules.windowDays)} read show (the license records no last use of its own) → revoke candidate (frees ${frees})`,
  };
}

/**
 * The token verdicts of the last ranking, by login passes. A verdict is plain data that depends
 * on nothing but the passes, the site's token costs and the window, and a ranking of 80,000 users
 * needs a few dozen different ones: wording each user's afresh was most of a large ranking's
 * time. Kept for one overview's costs and one window only, so it never outgrows one site.
 */
let tokenVerdicts: { readonly tokens: TokenTotals; readonly windowDays: number; readonly byPasses: Map<number, Verdict> } | undefined;

function knownTokenVerdict(passes: number, tokens: TokenTotals, windowDays: number): Verdict {
  if (tokenVerdicts?.tokens !== tokens || tokenVerdicts.windowDays !== windowDays) {
    tokenVerdicts = { tokens, windowDays, byPasses: new Map() };
  }
  let verdict = tokenVerdicts.byPasses.get(passes);
  if (!verdict) {
    verdict = Object.freeze(tokenVerdict(passes, tokens, windowDays));
    tokenVerdicts.byPasses.set(passes, verdict);
  }
  return verdict;
}

function tokenVerdict(passes: number, tokens: TokenTotals, windowDays: number): Verdict {
  const perRecycle = (passes * LOGIN_PASS_RECYCLE_DAYS) / windowDays;
  const held = perRecycle * tokens.loginPassCost;
  const cost = tokens.userPassCost;
  const usage =
    windowDays === LOGIN_PASS_RECYCLE_DAYS
      ? `${formatPasses(passes)} in ${formatDays(windowDays)} = ${formatTokens(held)}`
      : `${formatPasses(passes)} in ${formatDays(windowDays)} ≈ ${formatAmount(perRecycle)} per ${LOGIN_PASS_RECYCLE_DAYS} days = ${formatTokens(held)}`;
  const price = `a user access pass costs ${formatTokens(cost)}`;
  // Compare in hundredths: 10 × 0.1 must equal 1, not fall short by a rounding error.
  const heldC = Math.round(held * 100);
  const costC = Math.round(cost * 100);
  if (heldC >= costC) {
    const saved = (heldC - costC) / 100;
    return {
      kind: 'assign',
      suggestedKind: 'user',
      tokensSaved: saved,
      text: `${usage}; ${price} → assign (saves ${formatTokens(saved)} per ${LOGIN_PASS_RECYCLE_DAYS} days)`,
    };
  }
  const loginC = Math.max(1, Math.round(tokens.loginPassCost * 100));
  const missing = Math.ceil((((costC - heldC) / loginC) * windowDays) / LOGIN_PASS_RECYCLE_DAYS - 1e-9);
  return {
    kind: 'keep',
    text: `${usage}; ${price} → keep on login passes (${formatPasses(missing)} more to break even)`,
  };
}

/**
 * Engineering licenses have no pass to assign or revoke here (the license servers manage them):
 * the verdict states the use and, above all, denials, which mean a license was missing.
 */
function hoursVerdict(input: VerdictInput, hours: number, windowDays: number): Verdict {
  const peaks = [
    ...(input.peakLicenses ? [`${formatAmount(input.peakLicenses)} ${input.peakLicenses === 1 ? 'license' : 'licenses'}`] : []),
    ...(input.peakTokens ? [`${formatAmount(input.peakTokens)} ${input.peakTokens === 1 ? 'token' : 'tokens'}`] : []),
  ];
  const used = hours > 0 || peaks.length > 0 ? `${formatHours(hours)} in ${formatDays(windowDays)}${peaks.length > 0 ? `, peak ${peaks.join(' and ')}` : ''}` : `no license use in ${formatDays(windowDays)}`;
  const denials = input.denials ?? 0;
  if (denials > 0) {
    return { kind: 'keep', text: `${used}; denied ${denials === 1 ? 'once' : `${formatAmount(denials)} times`}: needed a license that was not there` };
  }
  return { kind: 'keep', text: used };
}

/**
 * Capacity tenants: a user who has not signed in for the inactivity threshold still counts as a
 * Full User; disabling them gives the seat back.
 */
function signInVerdict(input: VerdictInput, rules: VerdictRules): Verdict {
  const last = input.lastUse;
  if (last === null) {
    return { kind: 'inactive', fullUser: true, text: `no sign-in the audit log still holds (it keeps 90 days; threshold ${formatDays(rules.inactiveDays)}) → disable candidate (frees 1 Full User)` };
  }
  const used = `${formatAmount(input.capacityMinutes)} session minutes in ${formatDays(rules.windowDays)}, last signed in ${formatDate(last)}`;
  const idleDays = Math.floor((input.now - last) / DAY_MS);
  if (idleDays >= rules.inactiveDays) {
    return { kind: 'inactive', fullUser: true, text: `${used}: no sign-in for ${formatDays(idleDays)} (threshold ${formatDays(rules.inactiveDays)}) → disable candidate (frees 1 Full User)` };
  }
  return { kind: 'holds', fullUser: true, text: `${used}: an active Full User` };
}

function capacityVerdict(minutes: number, rules: VerdictRules): Verdict {
  const used = `${formatAmount(minutes)} capacity minutes in ${formatDays(rules.windowDays)}`;
  if (rules.capacityBreakEvenMinutes === null) {
    return { kind: 'keep', text: `${used}; no capacity break-even set (Qlik publishes no price ratio between capacity minutes and a license: set one for the connection), so no suggestion` };
  }
  if (minutes >= rules.capacityBreakEvenMinutes) {
    return {
      kind: 'assign',
      suggestedKind: 'analyzer',
      text: `${used} ≥ the break-even of ${formatAmount(rules.capacityBreakEvenMinutes)} → assign analyzer access`,
    };
  }
  return { kind: 'keep', text: `${used} < the break-even of ${formatAmount(rules.capacityBreakEvenMinutes)} → keep on capacity` };
}

const KIND_ORDER: Readonly<Record<PassKind, number>> = { user: 0, professional: 1, analyzer: 2 };

/**
 * The allocation a user's verdict speaks about: a live pass before a quarantined one, then
 * user before professional before analyzer (the order QMC lists them).
 */
export function primaryAllocation(allocations: readonly Allocation[]): Allocation | null {
  let best: Allocation | null = null;
  for (let i = 0; i < allocations.length; i++) {
    const a = allocations[i] as Allocation;
    if (
      !best ||
      Number(a.quarantined) < Number(best.quarantined) ||
      (a.quarantined === best.quarantined && KIND_ORDER[a.kind] < KIND_ORDER[best.kind])
    ) {
      best = a;
    }
  }
  return best;
}
