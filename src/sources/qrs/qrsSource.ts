import { setTimeout as delay } from 'node:timers/promises';
import { AuthError } from '../../core/errors';
import type { CallOptions, FoldOptions, LicenseSource, ReadOptions } from '../../core/licenseSource';
import { silentLogger, taggedLogger, type Logger } from '../../core/logger';
import { PASS_KIND_LABELS, userKey, type Allocation, type Identity, type LicenseOverview, type PassKind, type RevokeOutcome, type UsageRecord, type UsageWindow, type User, type UserFacts } from '../../core/model';
import { READ_BACK, verifiedWrite, type AppliedWrite } from '../../core/verifiedWrite';
import { isStatus, QrsClient, requestLine } from './qrsClient';
import { QrsStateError } from './qrsErrors';
import { isQrsGuid, qrsAnd, qrsClause, qrsDate, qrsGuid, qrsString } from './qrsFilter';
import { toAllocation, toLoginPool, toOverview, toUser, toUserFacts } from './qrsMapping';
import { QrsUsageReader } from './qrsUsageReader';
import type { QrsClientOptions } from './qrsOptions';
import { asAbout, asAccessTypeOverview, asLoginAccessTypeList, asAllocation, asAllocationList, asBoolean, asUserList, type LicenseAllocation } from './qrsWire';
import { asAppList, asAppObjectList, type OwnedContent } from './qrsWire';

/** QRS entity path of each pass kind's allocations. */
const ALLOCATION_PATHS: Readonly<Record<PassKind, string>> = {
  user: 'license/useraccesstype',
  professional: 'license/professionalaccesstype',
  analyzer: 'license/analyzeraccesstype',
};

/** The QMC page listing each kind's allocations, for "check it in the QMC" advice. */
const QMC_PAGES: Readonly<Record<PassKind, string>> = {
  user: 'License management > User allocations',
  professional: 'License management > Professional allocations',
  analyzer: 'License management > Analyzer allocations',
};

/** The plural for "lacks rights to create …". */
const ALLOCATION_PLURALS: Readonly<Record<PassKind, string>> = {
  user: 'user access passes',
  professional: 'professional access allocations',
  analyzer: 'analyzer access allocations',
};

/** Users per `/user/full` filter: 50 GUID clauses keep the URL near 3 KB, under every proxy's limit. */
const FACTS_BATCH = 50;

/** Owners per `/app` and `/app/object` filter: the same URL budget as FACTS_BATCH. */
const AUTHORING_BATCH = 50;

/**
 * Where authoring shows in the repository: apps, then the sheets, stories, bookmarks and master
 * items inside them (specs/qrs-apps.swagger.json). Apps first: they are fewer, and whoever owns a
 * recent one needs no look at their sheets.
 */
const AUTHORED_CONTENT: readonly { readonly path: string; readonly list: (value: unknown, request: string) => readonly OwnedContent[] }[] = [
  { path: 'app', list: asAppList },
  { path: 'app/object', list: asAppObjectList },
];


/**
 * Stands in for "some user" when asking whether the account may create allocations at all:
 * the preview needs an item, and the spec requires a user id and directory in it.
 */
const RIGHTS_PROBE_USER = { userId: 'license-steward-rights-check', userDirectory: 'INTERNAL' };

/**
 * Qlik Sense client-managed, through the Repository Service API. Reads the license overview,
 * usage and allocations, and assigns, revokes and reinstates passes.
 */
export class QrsSource implements LicenseSource {
  readonly system = 'qrs' as const;
  private readonly client: QrsClient;
  private readonly usageReader: QrsUsageReader;
  private readonly now: () => number;
  private readonly logger: Logger;
  /** Which models the site runs decides which endpoints exist; read once per source. */
  private knownOverview: Promise<LicenseOverview> | undefined;

  /** @param options the connection; its secrets arrive resolved */
  constructor(options: QrsClientOptions) {
    this.client = new QrsClient(options);
    this.now = options.now ?? Date.now;
    this.logger = taggedLogger(options.logger ?? silentLogger, 'qrs');
    this.usageReader = new QrsUsageReader(this.client, options.pageSize, this.logger);
  }

  /** The repository's version and the account the connection acts as. */
  async whoAmI(options?: CallOptions): Promise<Identity> {
    const about = asAbout(await this.client.get('about', undefined, options), requestLine('GET', 'about'));
    return { user: this.client.account ?? null, server: `Qlik Sense repository ${about.buildVersion}` };
  }

  /** Totals and the models the site runs; refreshes the copy other calls rely on. */
  async overview(options?: CallOptions): Promise<LicenseOverview> {
    const fresh = this.fetchOverview(options);
    this.knownOverview = fresh;
    // A failed read must not stay cached for allocations() and usage().
    fresh.catch(() => {
      if (this.knownOverview === fresh) {
        this.knownOverview = undefined;
      }
    });
    return fresh;
  }

  /**
   * Login passes consumed in the window, then analyzer capacity when the site has it, one page
   * of `pageSize` rows at a time.
   */
  async *usage(window: UsageWindow, options?: ReadOptions): AsyncGenerator<readonly UsageRecord[]> {
    yield* this.usageReader.pages(window, () => this.hasCapacity(options), options);
  }

  /**
   * The records `usage` yields, handed to `visit` one at a time in one object refilled per row,
   * so a sync that only tallies builds no record per row and no page of them.
   */
  async usageInto(window: UsageWindow, visit: (record: UsageRecord) => void, options?: FoldOptions): Promise<void> {
    await this.usageReader.fold(window, () => this.hasCapacity(options), visit, options);
  }

  /**
   * Every allocation of the kinds the site offers, including quarantined ones and deleted
   * holders. Items that name no holder at all are left out and reported.
   */
  async allocations(options?: ReadOptions): Promise<readonly Allocation[]> {
    const { offeredKinds } = await this.cachedOverview(options);
    const lists = await Promise.all(
      offeredKinds.map(async (kind) => {
        const path = `${ALLOCATION_PATHS[kind]}/full`;
        const request = requestLine('GET', path);
        const { items, withoutHolder } = asAllocationList(await this.client.get(path, undefined, options), request);
        if (withoutHolder > 0) {
          this.logger.warn(`${withoutHolder} ${PASS_KIND_LABELS[kind]} allocations name no holder (no user, no deleted user) and were left out.`);
          options?.onDropped?.({ what: 'allocations', count: withoutHolder, reason: 'without a holder', request });
        }
        return items.map((item) => toAllocation(item, kind));
      }),
    );
    return lists.flat();
  }

  /** The user `directory\userId` (case-insensitive, as QRS compares strings), if QRS knows one. */
  async findUser(directory: string, userId: string, options?: CallOptions): Promise<User | undefined> {
    const filter = qrsAnd(qrsClause('userDirectory', 'eq', qrsString(directory)), qrsClause('userId', 'eq', qrsString(userId)));
    const users = asUserList(await this.client.get('user/full', { filter }, options), requestLine('GET', 'user/full'));
    const [found] = users;
    return found ? toUser(found) : undefined;
  }

  /** The user's allocations of every kind the site offers, quarantined ones included. */
  async allocationsOf(user: User, options?: CallOptions): Promise<readonly Allocation[]> {
    const { offeredKinds } = await this.cachedOverview(options);
    const lists = await Promise.all(offeredKinds.map((kind) => this.heldAllocations(kind, user, options)));
    return lists.flat();
  }

  /**
   * Flags and directory groups of the given users, by user id, read in batches small enough for
   * a URL. Users the repository no longer has are absent from the map.
   */
  async userFacts(users: readonly User[], options?: CallOptions): Promise<ReadonlyMap<string, UserFacts>> {
    const facts = new Map<string, UserFacts>();
    // Users known only as `DIR\id` (no GUID) have no repository record to read.
    const withGuid = users.filter((u) => isQrsGuid(u.id));
    for (let i = 0; i < withGuid.length; i += FACTS_BATCH) {
      const batch = withGuid.slice(i, i + FACTS_BATCH);
      const filter = batch.map((u) => qrsClause('id', 'eq', qrsGuid(u.id))).join(' or ');
      for (const wire of asUserList(await this.client.get('user/full', { filter }, options), requestLine('GET', 'user/full'))) {
        facts.set(wire.id, toUserFacts(wire));
      }
    }
    return facts;
  }

  /**
   * Of `users`, who owns an app or app object created or modified since `since`. Owners are asked
   * about 50 at a time, one filter each: a `/count` first, which settles a batch of consumers in
   * one small answer, then `/full` only for a batch where someone authored, to learn who. Apps are
   * read before app objects, and owners found there are not asked about again. A scheduled reload
   * moves an app's modifiedDate too, so the owner of a reloaded app counts as authoring: the safe
   * side, which keeps their pass. Users without a repository GUID cannot be asked about and are
   * returned as authors (never swapped on a guess).
   */
  async authoredSince(users: readonly User[], since: number, options?: CallOptions): Promise<ReadonlySet<string>> {
    const authors = new Set<string>();
    const byGuid = new Map<string, string>();
    for (const u of users) {
      if (isQrsGuid(u.id)) {
        byGuid.set(u.id.toLowerCase(), u.id);
      } else {
        authors.add(u.id);
      }
    }
    // modifiedDate is never before createdDate: "modified since" covers "created since".
    const changed = qrsClause('modifiedDate', 'ge', qrsDate(since));
    for (const content of AUTHORED_CONTENT) {
      const open = [...byGuid.values()].filter((id) => !authors.has(id));
      for (let i = 0; i < open.length; i += AUTHORING_BATCH) {
        const batch = open.slice(i, i + AUTHORING_BATCH);
        const filter = qrsAnd(batch.map((id) => qrsClause('owner.id', 'eq', qrsGuid(id))).join(' or '), changed);
        if ((await this.client.count(content.path, filter, options)) === 0) {
          continue;
        }
        const path = `${content.path}/full`;
        for (const item of content.list(await this.client.get(path, { filter }, options), requestLine('GET', path))) {
          const owner = item.owner?.id ? byGuid.get(item.owner.id.toLowerCase()) : undefined;
          if (owner !== undefined) {
            authors.add(owner);
          }
        }
      }
    }
    return authors;
  }

  /** The QMC page where an admin deallocates this pass by hand. */
  manualRevokeHint(allocation: Allocation): string {
    return `in the QMC, ${QMC_PAGES[allocation.kind]}, select ${userKey(allocation.user)}'s allocation (${allocation.id}) and deallocate it`;
  }

  /** Whether the account may create allocations of `kind` (QRS's own rights preview). */
  async canAssign(kind: PassKind, options?: CallOptions): Promise<boolean> {
    return this.previewCreate(kind, RIGHTS_PROBE_USER, options);
  }

  /**
   * Allocates a pass of `kind` to `user`, after checking the account may. Sent once; an unclear
   * answer is settled by looking for the user's allocation (core/verifiedWrite).
   */
  async assign(user: User, kind: PassKind, options?: CallOptions): Promise<AppliedWrite<Allocation>> {
    const condensed = { id: qrsGuid(user.id), userId: user.userId, userDirectory: user.directory, name: user.name };
    if (!(await this.previewCreate(kind, condensed, options))) {
      throw new AuthError('forbidden', { ...(this.client.account ? { account: this.client.account } : {}), what: `create ${ALLOCATION_PLURALS[kind]}` });
    }
    const path = ALLOCATION_PATHS[kind];
    const label = PASS_KIND_LABELS[kind];
    // Read first, so that finding an allocation after an unclear answer means this write made it.
    const before = await this.heldAllocation(kind, user, options);
    if (before) {
      throw new QrsStateError(
        'QRS_ALREADY_HOLDS',
        `${userKey(user)} already holds a ${label} (allocation ${before.id})${before.quarantined ? ', quarantined: reinstate it instead, which costs no new token' : ''}.`,
      );
    }
    return verifiedWrite({
      ...this.writeTiming(options),
      what: `assign a ${label} to ${userKey(user)}`,
      check: `Check in the QMC (${QMC_PAGES[kind]}) whether ${userKey(user)} holds a ${label}, or sync, before trying again: repeating it blindly could allocate a second pass.`,
      // The spec requires userId and userDirectory in an embedded user; QRS itself keys on the id.
      send: async () =>
        toAllocation(asAllocation(await this.client.post(path, { user: condensed }, { ...options, expect: [201], describe: `create ${ALLOCATION_PLURALS[kind]}` }), requestLine('POST', path)), kind),
      readBack: () => this.heldAllocation(kind, user),
      notBorneOut: () => new QrsStateError('QRS_UNEXPECTED_STATE', `The repository answered the assignment cleanly but ${userKey(user)} holds no ${label}. Sync and check it in the QMC.`),
    });
  }

  /**
   * Deallocates. QRS decides what happens to the token: freed at once, or quarantined until
   * 7 days after last use; reading the allocation back says which, and that it happened.
   */
  async revoke(allocation: Allocation, options?: CallOptions): Promise<AppliedWrite<RevokeOutcome>> {
    const path = `${ALLOCATION_PATHS[allocation.kind]}/${qrsGuid(allocation.id)}`;
    return verifiedWrite<RevokeOutcome>({
      ...this.writeTiming(options),
      what: `remove the ${describe(allocation)}`,
      check: `Check in the QMC (${QMC_PAGES[allocation.kind]}) whether ${userKey(allocation.user)} still holds the pass, or sync, before trying again.`,
      send: async () => {
        await this.client.delete(path, { ...options, describe: `remove the ${describe(allocation)}` });
        return READ_BACK;
      },
      readBack: async () => {
        // Errata (sim/qrs/qrsErrata): QRS answers 404 for an allocation whose token was freed.
        const after = await this.client.find(path);
        if (after === undefined) {
          return { kind: 'freed' };
        }
        const still = toAllocation(asAllocation(after, requestLine('GET', path)), allocation.kind);
        return still.quarantined ? { kind: 'quarantined', until: still.quarantineEnd, allocation: still } : undefined;
      },
      notBorneOut: () =>
        new QrsStateError(
          'QRS_UNEXPECTED_STATE',
          `The repository accepted the removal of the ${describe(allocation)} but still lists it, not quarantined. Sync and check it in the QMC.`,
        ),
    });
  }

  /**
   * Gives a quarantined pass back to its holder. The public reference documents no dedicated
   * action (the QMC's Reinstate button is UNVERIFIED over the API); this uses the documented PUT
   * with `quarantined: false`, sending the `modifiedDate` just read so a concurrent change is
   * refused rather than overwritten. Whatever the PUT answers, the pass is read back: a server
   * that accepts the PUT but keeps the quarantine is reported as such, with the QMC's way.
   */
  async reinstate(allocation: Allocation, options?: CallOptions): Promise<AppliedWrite<Allocation>> {
    const path = `${ALLOCATION_PATHS[allocation.kind]}/${qrsGuid(allocation.id)}`;
    const found = await this.client.find(path, options);
    if (found === undefined) {
      throw new QrsStateError('QRS_QUARANTINE_ENDED', `The ${describe(allocation)} no longer exists: its quarantine ended or it was freed. Assign a new pass instead.`);
    }
    const current = asAllocation(found, requestLine('GET', path));
    const mapped = toAllocation(current, allocation.kind);
    if (mapped.userDeleted) {
      throw new QrsStateError('QRS_USER_DELETED', `The ${describe(mapped)} belonged to a user who was deleted; it cannot be reinstated. Its token is freed when the quarantine ends.`);
    }
    if (!mapped.quarantined) {
      throw new QrsStateError('QRS_NOT_QUARANTINED', `The ${describe(mapped)} is not quarantined, so there is nothing to reinstate.`);
    }
    if (mapped.quarantineEnd !== null && mapped.quarantineEnd <= this.now()) {
      throw new QrsStateError('QRS_QUARANTINE_ENDED', `The quarantine of the ${describe(mapped)} has ended. Assign a new pass instead.`);
    }
    return verifiedWrite({
      ...this.writeTiming(options),
      what: `reinstate the ${describe(mapped)}`,
      check: `Check in the QMC (${QMC_PAGES[allocation.kind]}) whether the pass of ${userKey(mapped.user)} is still quarantined, or sync.`,
      send: async () => {
        try {
          await this.client.put(path, reinstatedBody(current), { ...options, describe: `reinstate the ${describe(mapped)}` });
        } catch (error) {
          if (isStatus(error, 409)) {
            throw new QrsStateError('QRS_CONFLICT', `Someone changed the ${describe(mapped)} meanwhile; sync and try again.`);
          }
          throw error;
        }
        return READ_BACK;
      },
      readBack: async () => {
        const after = await this.client.find(path);
        const back = after === undefined ? undefined : toAllocation(asAllocation(after, requestLine('GET', path)), allocation.kind);
        return back && !back.quarantined ? back : undefined;
      },
      notBorneOut: () =>
        new QrsStateError(
          'QRS_NOT_REINSTATED',
          `This server accepted the request to reinstate the ${describe(mapped)} but the pass is still quarantined: it did not reinstate it. Reinstate it in the QMC instead: ${QMC_PAGES[allocation.kind]}, select the pass, then Reinstate.`,
        ),
    });
  }

  /** Closes the connections. */
  async close(): Promise<void> {
    await this.client.close();
  }

  private async fetchOverview(options?: CallOptions): Promise<LicenseOverview> {
    const path = 'license/accesstypeoverview';
    const overview = toOverview(asAccessTypeOverview(await this.client.get(path, undefined, options), requestLine('GET', path)));
    if (!overview.tokens) {
      return overview;
    }
    // The login access groups answer "which pool does this user draw from, and how full is it".
    const groups = 'license/loginaccesstype/full';
    const pools = asLoginAccessTypeList(await this.client.get(groups, undefined, options), requestLine('GET', groups));
    return { ...overview, loginPools: pools.map(toLoginPool) };
  }

  /** Whether the site has analyzer capacity, whose usage is read after the login passes. */
  private async hasCapacity(options?: CallOptions): Promise<boolean> {
    return (await this.cachedOverview(options)).capacity !== null;
  }

  private async cachedOverview(options?: CallOptions): Promise<LicenseOverview> {
    return this.knownOverview ?? this.overview(options);
  }

  private async previewCreate(kind: PassKind, user: Readonly<Record<string, string>>, options?: CallOptions): Promise<boolean> {
    const path = `${ALLOCATION_PATHS[kind]}/previewcreateprivilege`;
    // A preview changes nothing, so it may be repeated like a read.
    const answer = await this.client.post(path, { user }, { ...options, expect: [200, 201], idempotent: true });
    return asBoolean(answer, requestLine('POST', path));
  }

  /**
   * The user's allocation of `kind` (quarantined ones included). After a write it is read
   * without the caller's signal: a write cancelled mid-flight still deserves its outcome.
   */
  private async heldAllocation(kind: PassKind, user: User, options?: CallOptions): Promise<Allocation | undefined> {
    return (await this.heldAllocations(kind, user, options))[0];
  }

  /** The user's allocations of `kind` (QRS compares the filter's strings case-insensitively). */
  private async heldAllocations(kind: PassKind, user: User, options?: CallOptions): Promise<Allocation[]> {
    const path = `${ALLOCATION_PATHS[kind]}/full`;
    const filter = qrsAnd(qrsClause('user.userDirectory', 'eq', qrsString(user.directory)), qrsClause('user.userId', 'eq', qrsString(user.userId)));
    const { items } = asAllocationList(await this.client.get(path, { filter }, options), requestLine('GET', path));
    const key = userKey(user).toLowerCase();
    return items.map((item) => toAllocation(item, kind)).filter((a) => !a.userDeleted && userKey(a.user).toLowerCase() === key);
  }

  /** The clock and the wait of a write's one "retry after" repeat; the transport stamps Retry-After by the wall clock. */
  private writeTiming(options?: CallOptions): { now: () => number; sleep: (ms: number) => Promise<void> } {
    const signal = options?.signal;
    return { now: Date.now, sleep: (ms) => delay(ms, undefined, signal ? { signal } : {}) };
  }
}

/** `user access pass of CORP\jdoe`, for messages. */
function describe(allocation: Allocation): string {
  return `${PASS_KIND_LABELS[allocation.kind]} of ${userKey(allocation.user)}`;
}

/**
 * The allocation as read, with the quarantine lifted. Nulls are dropped (the spec types those
 * fields as strings and arrays), and so is `quarantineEnd`, which no longer applies.
 */
function reinstatedBody(current: LicenseAllocation): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(current)) {
    if (value !== null && value !== undefined && key !== 'privileges' && key !== 'quarantineEnd') {
      body[key] = value;
    }
  }
  if (current.user) {
    const { id, userId, userDirectory, name } = current.user;
    body['user'] = { ...(id ? { id } : {}), userId, userDirectory, ...(name ? { name } : {}) };
  }
  body['quarantined'] = false;
  return body;
}

/** Builds a QRS source for one site. Call `close()` when done with it. */
export function createQrsSource(options: QrsClientOptions): QrsSource {
  return new QrsSource(options);
}
