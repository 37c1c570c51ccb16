/**
 * The one domain model every license system maps into. Plain data: no I/O, no vscode,
 * dates as epoch milliseconds so large syncs stay cheap to hold and compare.
 */

/** The kinds of named pass an admin can allocate to a person. */
export type PassKind = 'user' | 'professional' | 'analyzer';

/** Every pass kind, in the order menus and tables show them. */
export const PASS_KINDS: readonly PassKind[] = ['user', 'professional', 'analyzer'];

/** Human names for pass kinds, as the QMC and Qlik's documentation call them. */
export const PASS_KIND_LABELS: Readonly<Record<PassKind, string>> = {
  user: 'user access pass',
  professional: 'professional access',
  analyzer: 'analyzer access',
};

/** The labels with their article, for sentences: "an analyzer access", "a user access pass". */
export const PASS_KIND_WITH_ARTICLE: Readonly<Record<PassKind, string>> = {
  user: 'a user access pass',
  professional: 'a professional access',
  analyzer: 'an analyzer access',
};

/** A person known to a license system. */
export interface User {
  /** The system's own id (a QRS user GUID, a Qlik Cloud user id). */
  readonly id: string;
  /** User directory on Qlik Sense client-managed; the identity provider's name elsewhere. */
  readonly directory: string;
  /** User id inside the directory (QRS `userId`, Cloud `subject`). */
  readonly userId: string;
  /** Display name; falls back to the user id when the system has none. */
  readonly name: string;
}

/** Account flags a repository keeps, which mark users automation must leave alone. */
export type UserFlag = 'blacklisted' | 'removedExternally' | 'inactive';

/** Every flag, in the order policies list them. */
export const USER_FLAGS: readonly UserFlag[] = ['blacklisted', 'removedExternally', 'inactive'];

/** What the server knows of a user beyond usage and passes: what never-touch lists look at. */
export interface UserFacts {
  readonly flags: readonly UserFlag[];
  /** Directory groups (QRS user attributes of type Group; Qlik Cloud groups). */
  readonly groups: readonly string[];
}

/**
 * `DIR\id`, the way Qlik admins write a user; just the id where the system has no directories
 * (a Qlik Cloud subject such as `auth0|a1b2` or `qlik\kalle`, shown as Qlik Cloud shows it).
 */
export function userKey(user: Pick<User, 'directory' | 'userId'>): string {
  return user.directory ? `${user.directory}\\${user.userId}` : user.userId;
}

/** A pass allocated to one person. */
export interface Allocation {
  /** The allocation's own id (what revoke and reinstate act on), not the user's id. */
  readonly id: string;
  readonly kind: PassKind;
  /** The holder. For a deleted user this is built from `deletedUserDirectory`/`deletedUserId`. */
  readonly user: User;
  /** Last use, epoch ms; null when never used. */
  readonly lastUsed: number | null;
  /**
   * The system records no last use per pass (Qlik Cloud): `lastUsed` is null whether or not the
   * pass was used, and only the holder's usage says when it was. Absent means false.
   */
  readonly lastUseUnrecorded?: boolean;
  /**
   * When the pass was allocated, epoch ms, where the system says: a pass assigned yesterday and
   * not used yet is new, not idle.
   */
  readonly allocatedAt?: number | null;
  /** The server's own quarantine flag: never inferred from dates. */
  readonly quarantined: boolean;
  /** When the quarantine ends and the token is freed, epoch ms. */
  readonly quarantineEnd: number | null;
  /** The holder was deleted from the user directory; the pass waits out its quarantine. */
  readonly userDeleted: boolean;
  /** Allocated beyond what the license provides (user-based model). */
  readonly excess: boolean;
  /**
   * The holder is no user of this system: a Qlik Cloud assignment whose subject matches no user
   * of the tenant (the entitlement may span tenants, or the user was removed). `user` then
   * carries just the subject. Views list these apart ("Orphaned assignments") so they can be
   * released. Absent means false.
   */
  readonly orphaned?: boolean;
}

/**
 * What a usage record counts. `hours` is time a user held licenses of a feature, as License
 * Statistics reports it for engineering licenses (FlexNet, LM-X, RLM): there is no pass to buy,
 * so those users rank by hours rather than by token-equivalents.
 */
export type UsageUnit = 'loginPass' | 'capacityMinutes' | 'hours';

/** One consumption event as the server recorded it. */
export interface UsageRecord {
  /** The server's record id: history deduplicates on it. */
  readonly id: string;
  readonly user: User;
  /** Start of use, epoch ms. */
  readonly start: number;
  /** End of use, epoch ms; null while the pass is still running. */
  readonly stop: number | null;
  readonly unit: UsageUnit;
  /** 1 for a login pass; minutes (in whole 6-minute units) for capacity; hours used for `hours`. */
  readonly amount: number;
  /**
   * The pool it was drawn from (login access group, capacity pool), when the server says; for
   * `hours`, the feature whose licenses were used (`MATLAB`, `acfd`).
   */
  readonly pool: string | null;
  /** `hours` records only: the most licenses the user held at once in the record's period. */
  readonly peakLicenses?: number;
  /**
   * `hours` records of a token feature only (License Statistics type `Token`): the most tokens
   * the user drew at once from the feature's token pool, where a checkout costs several tokens.
   */
  readonly peakTokens?: number;
  /**
   * A small whole number the source's reader gave the record's user object (0, 1, 2, … in order
   * of first appearance), so a fold can keep that user's totals in an array slot instead of
   * hashing the user id again for each of 1.5 million rows. A hint only: a fold must check that
   * the slot it finds holds this very user object, since slots of another read mean other users.
   */
  readonly userSlot?: number;
}

/** A half-open time range [from, to), epoch ms. */
export interface UsageWindow {
  readonly from: number;
  readonly to: number;
}

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/** The window of the last `days` days ending at `now`. */
export function windowOfDays(days: number, now: number): UsageWindow {
  if (!Number.isFinite(days) || days <= 0) {
    throw new RangeError(`A usage window needs a positive number of days, not ${days}.`);
  }
  return { from: now - days * DAY_MS, to: now };
}

/** Counts of one user-based pass kind (professional, analyzer). */
export interface SeatTotals {
  readonly total: number;
  readonly allocated: number;
  readonly used: number;
  readonly quarantined: number;
  readonly excess: number;
  readonly available: number;
}

/** Token model totals. */
export interface TokenTotals {
  readonly total: number;
  readonly available: number;
  /** Tokens one user access pass costs (1 on every known site; read from the server). */
  readonly userPassCost: number;
  /** Tokens one login pass costs (0.1 on every known site; read from the server). */
  readonly loginPassCost: number;
  readonly userAccess: { readonly allocated: number; readonly used: number; readonly quarantined: number };
  readonly loginAccess: { readonly allocated: number; readonly used: number; readonly unavailable: number };
}

/** Analyzer capacity totals, in minutes. */
export interface CapacityTotals {
  readonly allocatedMinutes: number;
  readonly usedMinutes: number;
  readonly unavailableMinutes: number;
}

/** A login access group: tokens turned into a pool of login passes for a set of users. */
export interface LoginPool {
  readonly name: string;
  readonly assignedTokens: number;
  /** Login passes the tokens provide (10 per token on every known site). */
  readonly passes: number;
  /** Passes used in the last 28 days (they return to the pool 28 days after use). */
  readonly used: number;
  readonly remaining: number;
}

/** Which license models a site or tenant runs, and its totals. */
export interface LicenseOverview {
  /** Present when the token model is on. */
  readonly tokens: TokenTotals | null;
  readonly professional: SeatTotals | null;
  readonly analyzer: SeatTotals | null;
  readonly capacity: CapacityTotals | null;
  /**
   * Full Users of a Qlik Cloud capacity subscription (Standard, Premium, Enterprise): every user
   * who signs in counts as one against the purchased number, with nothing to assign. Absent or
   * null elsewhere.
   */
  readonly fullUsers?: SeatTotals | null;
  /** Login access groups, where the system has them (empty otherwise). */
  readonly loginPools?: readonly LoginPool[];
  /** Pass kinds this site lets an admin allocate. */
  readonly offeredKinds: readonly PassKind[];
}

/**
 * A user who counts against the subscription by being there, not by holding a pass: on a Qlik
 * Cloud capacity tenant every active user who signs in is a Full User.
 */
export interface Member {
  readonly user: User;
  /** The last sign-in the system still records (the audit log keeps 90 days); null when none. */
  readonly lastSignIn: number | null;
}

/** Who the connection acts as, and what the server is. */
export interface Identity {
  /** `DIR\id` or a subject; null when the server cannot tell (e.g. header auth without a lookup). */
  readonly user: string | null;
  /** Server product and version, for the admin's confidence and for bug reports. */
  readonly server: string;
}

/** What revoking a pass did to the token. */
export type RevokeOutcome =
  | { readonly kind: 'freed' }
  | { readonly kind: 'quarantined'; readonly until: number | null; readonly allocation: Allocation };

/**
 * How often one user was denied a license in a window: they asked for a license of a feature
 * and none was free (License Statistics denials). Such a user needs a license that was not there.
 */
export interface UserDenials {
  readonly user: User;
  /** Denied checkouts in the window. */
  readonly count: number;
  /** The latest denial, epoch ms; null when the server gave no readable time. */
  readonly last: number | null;
  /** Features the user was denied, by name, each once. */
  readonly features: readonly string[];
}

/** A license checked out to a machine for offline use (borrowed) and not returned. */
export interface BorrowedLicense {
  readonly feature: string;
  /** The license server it was borrowed from, when the server says. */
  readonly server: string | null;
  /** Who borrowed it, when the report says (by user name; `directory` is empty). */
  readonly user: User | null;
  readonly host: string | null;
  /** Licenses (tokens, for a token feature) the borrow holds. */
  readonly licenses: number;
  /** When it was checked out, epoch ms. */
  readonly since: number;
  /** When the borrow runs out and the license returns by itself, epoch ms; null when not said. */
  readonly returnBy: number | null;
}

/** A feature whose licenses expire soon. */
export interface ExpiringFeature {
  readonly feature: string;
  readonly version: string | null;
  readonly server: string | null;
  /** Expiry, epoch ms. */
  readonly expires: number;
  /** Licenses that expire, when the server says. */
  readonly licenses: number | null;
}

/**
 * Facts about licenses that belong to no one user, which a connection shows beside its ranking:
 * borrowed licenses held away from the pool for long, and features about to expire.
 */
export interface EstateFacts {
  /** Licenses borrowed now, idle or not. */
  readonly borrowed: number;
  /** Borrowed at least `idleAfterDays` days ago and not returned: held away from everyone else. */
  readonly idleBorrowed: readonly BorrowedLicense[];
  readonly idleAfterDays: number;
  /** Features expiring within `expiringWithinDays` days, soonest first. */
  readonly expiring: readonly ExpiringFeature[];
  readonly expiringWithinDays: number;
}
