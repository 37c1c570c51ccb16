import type { Allocation, EstateFacts, Identity, Member, LicenseOverview, PassKind, RevokeOutcome, UsageRecord, UsageWindow, User, UserDenials, UserFacts } from './model';
import type { OutcomeUnknownError } from './errors';
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

/**
 * Part of the estate a usage or denials read is narrowed to. Only sources whose system has the
 * notion read a field; the others ignore it and read everything.
 */
export interface UsageScope {
  /** One feature, by the id the system lists it under (License Statistics: `LicstatsSource.features()`). */
  readonly feature?: string;
}

/** Options of the bulk reads. */
export interface ReadOptions extends CallOptions {
  /** Told once per reason after the read, with how many rows or items were left out. */
  readonly onDropped?: (dropped: DroppedData) => void;
  /** Narrows `usage`, `usageInto` and `denials` where the source can; everything when absent. */
  readonly scope?: UsageScope;
}

/** Options of `LicenseSource.usageInto`. */
export interface FoldOptions extends ReadOptions {
  /** Called after each page of the server's answer was handed over, for progress reports. */
  readonly onPage?: () => void;
}

/**
 * What tells authoring apart on a system: who owns content changed lately (Qlik Sense's
 * repository), or who the audit log shows creating, publishing or reloading apps (Qlik Cloud).
 */
export type AuthoringEvidence = 'ownership' | 'auditEvents';

/** One change of a batch (`applyRows`). */
export type RowChange =
  | { readonly action: 'assign'; readonly user: User; readonly kind: PassKind }
  | { readonly action: 'revoke'; readonly allocation: Allocation }
  | { readonly action: 'changeKind'; readonly allocation: Allocation; readonly kind: PassKind };

/**
 * What became of one change of a batch: applied (the state shows it), not applied (refused, or
 * the state shows it is not there; `error` says why), or unknown (an OutcomeUnknownError: the
 * admin has to look).
 */
export type RowOutcome =
  | { readonly change: RowChange; readonly status: 'applied'; readonly write: AppliedWrite<Allocation | RevokeOutcome> }
  | { readonly change: RowChange; readonly status: 'notApplied'; readonly error: unknown }
  | { readonly change: RowChange; readonly status: 'unknown'; readonly error: OutcomeUnknownError };

/**
 * One license system (QRS, Qlik Cloud, License Statistics) behind one interface.
 * Implementations live in `src/sources/<system>/` and map their API into the core model.
 */
export interface LicenseSource {
  /** Which system this is, for messages and for the settings that differ per system. */
  readonly system: 'qrs' | 'cloud' | 'licstats';
  /**
   * False where passes carry no last use of their own (Qlik Cloud; `Allocation.lastUseUnrecorded`):
   * a pass's last use is then its holder's latest use in the usage read, so planning reads usage
   * as far back as its release and swap rules look. Absent: each pass says when it was last used.
   */
  readonly lastUsePerPass?: false;
  whoAmI(options?: CallOptions): Promise<Identity>;
  overview(options?: CallOptions): Promise<LicenseOverview>;
  /**
   * Usage in the window, page by page, so a 300,000-record site never sits in memory twice.
   * Records are in no particular order.
   */
  usage(window: UsageWindow, options?: ReadOptions): AsyncIterable<readonly UsageRecord[]>;
  /**
   * Present where a source can hand usage over without building a record per row: the records
   * `usage` yields (repeats, drops and errors alike), passed to `visit` one at a time in ONE
   * object refilled for every record, so `visit` must copy whatever it keeps. A sync that keeps
   * no history tallies through this, and so holds neither a page of records nor a record per row.
   */
  usageInto?(window: UsageWindow, visit: (record: UsageRecord) => void, options?: FoldOptions): Promise<void>;
  allocations(options?: ReadOptions): Promise<readonly Allocation[]>;
  /** Finds a user by directory and id (`CORP`, `jdoe`); undefined when there is none. */
  findUser(directory: string, userId: string, options?: CallOptions): Promise<User | undefined>;
  /** The user's allocations of every kind the site offers, quarantined ones included. */
  allocationsOf(user: User, options?: CallOptions): Promise<readonly Allocation[]>;
  /** Flags and directory groups of the given users, by user id (never-touch lists need them). */
  userFacts(users: readonly User[], options?: CallOptions): Promise<ReadonlyMap<string, UserFacts>>;
  /**
   * Of the given users, who authored since `since` (epoch ms), by what `authoringEvidence` says
   * the system keeps: owns an app, or a sheet, story, bookmark or other object in one, created or
   * modified since then (Qlik Sense); created, published or reloaded an app with new data, as
   * the audit log shows (Qlik Cloud). Swap rules read it to tell who only consumes. Users the
   * system cannot look up are in the set too: nobody is taken for a consumer without the server
   * saying so. Throws AuthoringUnreadableError where what the system keeps cannot tell (the plan
   * then skips those swaps with its reason). Present only where the system keeps either.
   */
  authoredSince?(users: readonly User[], since: number, options?: CallOptions): Promise<ReadonlySet<string>>;
  /** What `authoredSince` goes by, for the sentences that explain a swap; `ownership` when absent. */
  readonly authoringEvidence?: AuthoringEvidence;
  /**
   * Where an admin releases this allocation by hand, completing "release it by hand: …" (the QMC
   * page on Qlik Sense), for when a swap's release failed; absent where no console is known.
   */
  manualRevokeHint?(allocation: Allocation): string;
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
  /**
   * Present where a pass can change kind in place, keeping its holder (Qlik Cloud: professional
   * ↔ analyzer in one request, so the user is never without a license in between).
   */
  changeKind?(allocation: Allocation, kind: PassKind, options?: CallOptions): Promise<AppliedWrite<Allocation>>;
  /**
   * Present where users count against the subscription by being there (Qlik Cloud capacity
   * tenants: every active user who signs in is a Full User): each active user with their last
   * sign-in, so users who stopped signing in are found although they have no usage in the window.
   * Empty where the system licenses by pass instead.
   */
  members?(options?: CallOptions): Promise<readonly Member[]>;
  /**
   * Present where the system can disable a user: on Qlik Cloud capacity tenants, where every user
   * who signs in counts as a Full User, this is the release action. Resolves with the user as
   * read back, disabled.
   */
  disable?(user: User, options?: CallOptions): Promise<AppliedWrite<User>>;
  /**
   * Present where the system takes several changes in one request (Qlik Cloud's batched
   * assignment actions). Sends as few requests as the API allows and never throws for a row:
   * resolves with one outcome per change, in the order given, each established as the single
   * writes establish theirs.
   */
  applyRows?(changes: readonly RowChange[], options?: CallOptions): Promise<readonly RowOutcome[]>;
  /**
   * With `applyRows`: the most rows one request carries, so a caller that must stop after the
   * first request with a failed row (a policy run) can hand over one request's worth at a time.
   */
  readonly rowsPerRequest?: number;
  /**
   * Present where the system records denials (License Statistics): per user, the checkouts in the
   * window refused because no license was free. A user here may have no usage at all: they needed
   * a license and never got one. Only users with at least one denial are listed.
   */
  denials?(window: UsageWindow, options?: ReadOptions): Promise<readonly UserDenials[]>;
  /**
   * Present where the system sees licenses held by no one user (License Statistics): borrowed
   * licenses left idle and features near expiry, which a connection shows beside its ranking.
   */
  estateFacts?(options?: CallOptions): Promise<EstateFacts>;
}
