import type { Allocation, Identity, LicenseOverview, PassKind, RevokeOutcome, UsageRecord, UsageWindow, User, UserFacts } from './model';
import type { AppliedWrite } from './verifiedWrite';

/** Options every network call accepts. */
export interface CallOptions {
  /** Aborts the underlying HTTP requests, not just the wait for them. */
  readonly signal?: AbortSignal;
}

/** Data a read had to leave out because it could not be used, so the admin hears of it. */
export interface DroppedData {
  readonly what: 'usage rows' | 'allocations';
  readonly count: number;
  /** Why, in words: "without a record id", "without a holder". */
  readonly reason: string;
  /** The call that answered them, e.g. `POST /qrs/license/loginaccessusage/table`. */
  readonly request: string;
}

/** Options of the bulk reads. */
export interface ReadOptions extends CallOptions {
  /** Told once per reason after the read, with how many rows or items were left out. */
  readonly onDropped?: (dropped: DroppedData) => void;
}

/**
 * One license system (QRS, Qlik Cloud, License Statistics) behind one interface.
 * Implementations live in `src/sources/<system>/` and map their API into the core model.
 */
export interface LicenseSource {
  /** Which system this is, for messages and for the settings that differ per system. */
  readonly system: 'qrs' | 'cloud' | 'licstats';
  whoAmI(options?: CallOptions): Promise<Identity>;
  overview(options?: CallOptions): Promise<LicenseOverview>;
  /**
   * Usage in the window, page by page, so a 300,000-record site never sits in memory twice.
   * Records are in no particular order.
   */
  usage(window: UsageWindow, options?: ReadOptions): AsyncIterable<readonly UsageRecord[]>;
  allocations(options?: ReadOptions): Promise<readonly Allocation[]>;
  /** Finds a user by directory and id (`CORP`, `jdoe`); undefined when there is none. */
  findUser(directory: string, userId: string, options?: CallOptions): Promise<User | undefined>;
  /** The user's allocations of every kind the site offers, quarantined ones included. */
  allocationsOf(user: User, options?: CallOptions): Promise<readonly Allocation[]>;
  /** Flags and directory groups of the given users, by user id (never-touch lists need them). */
  userFacts(users: readonly User[], options?: CallOptions): Promise<ReadonlyMap<string, UserFacts>>;
  /** Whether the connected account may create a pass of this kind. */
  canAssign(kind: PassKind, options?: CallOptions): Promise<boolean>;
  /*
   * Writes follow core/verifiedWrite: sent once, and judged by the system's state whenever the
   * answer is unclear. They resolve only when the state shows the change, and throw
   * NotAppliedError or OutcomeUnknownError otherwise.
   */
  assign(user: User, kind: PassKind, options?: CallOptions): Promise<AppliedWrite<Allocation>>;
  revoke(allocation: Allocation, options?: CallOptions): Promise<AppliedWrite<RevokeOutcome>>;
  /** Present only where the system can give a quarantined pass back to the same user. */
  reinstate?(allocation: Allocation, options?: CallOptions): Promise<AppliedWrite<Allocation>>;
}
