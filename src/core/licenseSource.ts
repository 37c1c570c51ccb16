import type { Allocation, Identity, LicenseOverview, PassKind, RevokeOutcome, UsageRecord, UsageWindow, User } from './model';

/** Options every network call accepts. */
export interface CallOptions {
  /** Aborts the underlying HTTP requests, not just the wait for them. */
  readonly signal?: AbortSignal;
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
  usage(window: UsageWindow, options?: CallOptions): AsyncIterable<readonly UsageRecord[]>;
  allocations(options?: CallOptions): Promise<readonly Allocation[]>;
  /** Finds a user by directory and id (`CORP`, `jdoe`); undefined when there is none. */
  findUser(directory: string, userId: string, options?: CallOptions): Promise<User | undefined>;
  /** Whether the connected account may create a pass of this kind. */
  canAssign(kind: PassKind, options?: CallOptions): Promise<boolean>;
  assign(user: User, kind: PassKind, options?: CallOptions): Promise<Allocation>;
  revoke(allocation: Allocation, options?: CallOptions): Promise<RevokeOutcome>;
  /** Present only where the system can give a quarantined pass back to the same user. */
  reinstate?(allocation: Allocation, options?: CallOptions): Promise<Allocation>;
}
