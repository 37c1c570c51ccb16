import type { CallOptions, LicenseSource, ReadOptions } from '../../core/licenseSource';
import { silentLogger, taggedLogger, type Logger } from '../../core/logger';
import { DAY_MS, PASS_KIND_LABELS, userKey, type Allocation, type BorrowedLicense, type EstateFacts, type ExpiringFeature, type Identity, type LicenseOverview, type PassKind, type RevokeOutcome, type UsageRecord, type UsageWindow, type User, type UserDenials, type UserFacts } from '../../core/model';
import { ConfigError } from '../../core/errors';
import type { AppliedWrite } from '../../core/verifiedWrite';
import { LicstatsClient, type LicstatsFilter, type LicstatsQuery } from './licstatsClient';
import { LicstatsReadOnlyError } from './licstatsErrors';
import { DenialCounter, LicstatsUsageMapper, licstatsDay, licstatsUser, reportDays, toBorrowed, toExpiring, toFeature, toLicenseServer, toSession, type LicenseServer, type LicenseSession, type LicstatsFeature } from './licstatsMapping';
import type { LicstatsClientOptions } from './licstatsOptions';
import { featurePath, V1_REPORT_PATHS, type LicstatsReport, type LicstatsReportPaths } from './licstatsReports';
import { asBorrowedRows, asDenialRows, asExpiringRows, asFeatureRows, asLicenseServerRows, asSessionRows, asUsagePerUserRows, type LicstatsRow } from './licstatsWire';

const DEFAULT_IDLE_BORROW_DAYS = 7;
const DEFAULT_EXPIRY_WARNING_DAYS = 30;
const DEFAULT_DENIAL_CONCURRENCY = 4;

/** How far back `findUser` looks for a user's use. */
const FIND_USER_LOOKBACK_DAYS = 90;

/**
 * Usage per user aggregated by user (`agrt` 1, reference §5 U17) per day: the granularity's
 * v6.11+ name, which v1 servers accept too (U24).
 */
const USAGE_PARAMS = { grat: 'DAY', agrt: 1 } as const;

/** License Statistics knows nothing like the passes of Qlik's license models. */
const NO_PASSES: LicenseOverview = { tokens: null, professional: null, analyzer: null, capacity: null, offeredKinds: [] };

/**
 * X-Formation License Statistics, through its report API. Read-only: it ranks users of
 * engineering licenses (FlexNet, LM-X, RLM…) by hours used and flags denials; the licenses
 * themselves are managed on the license servers, so every write is refused before any request.
 */
export class LicstatsSource implements LicenseSource {
  readonly system = 'licstats' as const;
  /** Where each report is read, defaults and the connection's overrides merged. */
  readonly reports: LicstatsReportPaths;
  /** `host[:port]` of the server, for messages. */
  readonly host: string;
  private readonly client: LicstatsClient;
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly idleBorrowDays: number;
  private readonly expiryWarningDays: number;
  private readonly denialConcurrency: number;

  /** @param options the connection; its token arrives resolved */
  constructor(options: LicstatsClientOptions) {
    this.client = new LicstatsClient(options);
    this.reports = options.reports ?? V1_REPORT_PATHS;
    this.host = new URL(options.baseUrl).host;
    this.now = options.now ?? Date.now;
    this.logger = taggedLogger(options.logger ?? silentLogger, 'licstats');
    this.idleBorrowDays = options.idleBorrowDays ?? DEFAULT_IDLE_BORROW_DAYS;
    this.expiryWarningDays = options.expiryWarningDays ?? DEFAULT_EXPIRY_WARNING_DAYS;
    this.denialConcurrency = Math.max(1, Math.floor(options.denialConcurrency ?? DEFAULT_DENIAL_CONCURRENCY));
  }

  /**
   * The server and what it monitors. License Statistics has no "who am I" (reference §2), so the
   * user is null; reading the license servers proves the token works.
   */
  async whoAmI(options?: CallOptions): Promise<Identity> {
    const servers = await this.licenseServers(options);
    const online = servers.filter((s) => s.status === 'ONLINE').length;
    const count = `${servers.length} license ${servers.length === 1 ? 'server' : 'servers'}`;
    return { user: null, server: `X-Formation License Statistics at ${this.host}, monitoring ${count} (${online} online)` };
  }

  /** No passes, no token pools: engineering licenses are counted in hours (`usage`). */
  async overview(_options?: CallOptions): Promise<LicenseOverview> {
    return NO_PASSES;
  }

  /**
   * Hours each user held each feature's licenses, one record per user, feature and day in the
   * window (usage per user by user, per day), with the peak licenses, or tokens for a Token
   * feature. `scope.feature` (an id from `features()`) narrows it to one feature.
   */
  async *usage(window: UsageWindow, options?: ReadOptions): AsyncGenerator<readonly UsageRecord[]> {
    const days = reportDays(window);
    if (!days) {
      return;
    }
    const featureId = options?.scope?.feature;
    const filter: LicstatsFilter[] = featureId === undefined ? [] : [{ property: 'fid', operator: 'eq', value: idValue(featureId) }];
    const query: LicstatsQuery = {
      params: { sd: days.sd, ed: days.ed, ...USAGE_PARAMS },
      filter,
      // Ordered by what identifies a row, so that pages neither overlap nor skip rows.
      order: [
        { property: 'fud', direction: 'ASC' },
        { property: 'un', direction: 'ASC' },
        { property: 'fid', direction: 'ASC' },
      ],
    };
    const path = this.reports.usagePerUser;
    const request = this.client.requestLine(path);
    const mapper = new LicstatsUsageMapper();
    for await (const page of this.client.pages('usagePerUser', path, query, options)) {
      const records = mapper.mapPage(asUsagePerUserRows(page.rows, request), request);
      if (records.length > 0) {
        yield records;
      }
    }
    for (const [reason, count] of mapper.dropped) {
      this.logger.warn(`${count} usage per user rows ${reason} could not be counted and were left out of the usage.`);
      options?.onDropped?.({ what: 'usage rows', count, reason, request });
    }
  }

  /**
   * Denied checkouts per user in the window, over every feature or the one of `scope.feature`:
   * the denials report is per feature (reference §5 U18), so this reads the feature list, then
   * each feature's denials, `denialConcurrency` at a time.
   */
  async denials(window: UsageWindow, options?: ReadOptions): Promise<readonly UserDenials[]> {
    const days = reportDays(window);
    if (!days) {
      return [];
    }
    const features = this.inScope(await this.features(options), options?.scope?.feature);
    const counter = new DenialCounter({ from: days.from, to: window.to });
    const query: LicstatsQuery = { params: { sd: days.sd, ed: days.ed }, order: [{ property: 'ldt', direction: 'ASC' }] };
    let next = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
      // After one failure the others stop taking features: the read has failed as a whole.
      for (let i = next++; i < features.length && !failed; i = next++) {
        const feature = features[i] as LicstatsFeature;
        const path = featurePath(this.reports.denials, feature.id);
        const request = this.client.requestLine(path);
        try {
          for await (const page of this.client.pages('denials', path, query, options)) {
            counter.add(feature.name, asDenialRows(page.rows, request), request);
          }
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.denialConcurrency, features.length) }, worker));
    if (counter.withoutUser > 0) {
      const request = this.client.requestLine(this.reports.denials);
      this.logger.warn(`${counter.withoutUser} denials name no user and were left out of the denial counts.`);
      options?.onDropped?.({ what: 'usage rows', count: counter.withoutUser, reason: 'without a user name (denials)', request });
    }
    return counter.result();
  }

  /**
   * Borrowed licenses out for `idleBorrowDays` or longer, and features expiring within
   * `expiryWarningDays`, soonest first.
   */
  async estateFacts(options?: CallOptions): Promise<EstateFacts> {
    const now = this.now();
    const [borrowed, expiring] = await Promise.all([this.borrowed(options), this.expiring(now, options)]);
    const idleSince = now - this.idleBorrowDays * DAY_MS;
    return {
      borrowed: borrowed.length,
      idleBorrowed: borrowed.filter((b) => b.since <= idleSince).sort((a, b) => a.since - b.since),
      idleAfterDays: this.idleBorrowDays,
      expiring,
      expiringWithinDays: this.expiryWarningDays,
    };
  }

  /** Every license server License Statistics monitors. */
  async licenseServers(options?: CallOptions): Promise<readonly LicenseServer[]> {
    return (await this.read('licenseServers', this.reports.licenseServers, { order: [{ property: 'lsid', direction: 'ASC' }] }, asLicenseServerRows, options)).map(toLicenseServer);
  }

  /** Every feature of every license server, for choosing one to rank by. */
  async features(options?: CallOptions): Promise<readonly LicstatsFeature[]> {
    return (await this.read('features', this.reports.features, { order: [{ property: 'fid', direction: 'ASC' }] }, asFeatureRows, options)).map(toFeature);
  }

  /** Licenses in use now, one per session. */
  async currentSessions(options?: CallOptions): Promise<readonly LicenseSession[]> {
    const rows = await this.read('currentUsers', this.reports.currentUsers, { order: [{ property: 'lco', direction: 'ASC' }] }, asSessionRows, options);
    return this.readable(rows.map(toSession), 'current license sessions');
  }

  /**
   * A user License Statistics saw using a license in the last 90 days, by exact user name; the
   * directory must be empty (License Statistics users have none).
   */
  async findUser(directory: string, userId: string, options?: CallOptions): Promise<User | undefined> {
    if (directory !== '' || userId === '') {
      return undefined;
    }
    const now = this.now();
    // The string filter matches substrings (reference §3): the exact name is picked out below.
    const query: LicstatsQuery = {
      params: { sd: licstatsDay(now - FIND_USER_LOOKBACK_DAYS * DAY_MS), ed: licstatsDay(now), ...USAGE_PARAMS, grat: 'MONTH' },
      filter: [{ property: 'un', value: userId }],
      order: [{ property: 'un', direction: 'ASC' }],
    };
    const rows = await this.read('usagePerUser', this.reports.usagePerUser, query, asUsagePerUserRows, options);
    const found = rows.find((r) => r.un === userId);
    return found?.un ? licstatsUser(found.un) : undefined;
  }

  /** License Statistics holds no allocations: licenses belong to the license servers' pools. */
  async allocations(_options?: ReadOptions): Promise<readonly Allocation[]> {
    return [];
  }

  /** No allocations, whoever the user. */
  async allocationsOf(_user: User, _options?: CallOptions): Promise<readonly Allocation[]> {
    return [];
  }

  /** License Statistics keeps no account flags or directory groups: every user has none. */
  async userFacts(users: readonly User[], _options?: CallOptions): Promise<ReadonlyMap<string, UserFacts>> {
    return new Map(users.map((u) => [u.id, { flags: [], groups: [] }]));
  }

  /** Never: License Statistics only reports. */
  async canAssign(_kind: PassKind, _options?: CallOptions): Promise<boolean> {
    return false;
  }

  /** Refused before any request: licenses are managed on the license servers. */
  async assign(user: User, kind: PassKind, _options?: CallOptions): Promise<AppliedWrite<Allocation>> {
    throw new LicstatsReadOnlyError(`assign a ${PASS_KIND_LABELS[kind]} to ${userKey(user)}`);
  }

  /** Refused before any request: licenses are managed on the license servers. */
  async revoke(allocation: Allocation, _options?: CallOptions): Promise<AppliedWrite<RevokeOutcome>> {
    throw new LicstatsReadOnlyError(`revoke the ${PASS_KIND_LABELS[allocation.kind]} of ${userKey(allocation.user)}`);
  }

  /** Closes the connections. */
  async close(): Promise<void> {
    await this.client.close();
  }

  private async read<T>(report: LicstatsReport, path: string, query: LicstatsQuery, narrow: (rows: readonly LicstatsRow[], request: string) => T[], options?: CallOptions): Promise<T[]> {
    return narrow(await this.client.all(report, path, query, options), this.client.requestLine(path));
  }

  private async borrowed(options?: CallOptions): Promise<BorrowedLicense[]> {
    const rows = await this.read('borrowed', this.reports.borrowed, { order: [{ property: 'lco', direction: 'ASC' }] }, asBorrowedRows, options);
    return this.readable(rows.map(toBorrowed), 'borrowed licenses');
  }

  private async expiring(now: number, options?: CallOptions): Promise<ExpiringFeature[]> {
    const until = now + this.expiryWarningDays * DAY_MS;
    const query: LicstatsQuery = { params: { sd: licstatsDay(now), ed: licstatsDay(until) }, order: [{ property: 'fns', direction: 'ASC' }] };
    const rows = await this.read('expiring', this.reports.expiring, query, asExpiringRows, options);
    // Expiry dates are days: one that is today has not passed yet.
    const today = Math.floor(now / DAY_MS) * DAY_MS;
    const soon = this.readable(rows.map(toExpiring), 'expiring features').filter((f) => f.expires >= today && f.expires <= until);
    return soon.sort((a, b) => a.expires - b.expires || (a.feature < b.feature ? -1 : 1));
  }

  /**
   * The features a scope names. A feature that is gone (a remembered choice the server no longer
   * lists) fails the read: ranking it would show an empty list as if nobody used it.
   */
  private inScope(features: readonly LicstatsFeature[], id: string | undefined): readonly LicstatsFeature[] {
    if (id === undefined) {
      return features;
    }
    const chosen = features.filter((f) => f.id === id);
    if (chosen.length === 0) {
      throw new ConfigError(`License Statistics at ${this.host} lists no feature with id ${id}; it lists ${describeFeatures(features)}.`);
    }
    return chosen;
  }

  /** The items that could be read; the rest are logged, since they only feed notices. */
  private readable<T>(items: readonly (T | null)[], what: string): T[] {
    const kept = items.filter((item): item is T => item !== null);
    if (kept.length < items.length) {
      this.logger.warn(`${items.length - kept.length} ${what} carry no readable date and were left out.`);
    }
    return kept;
  }
}

/** `3 (MATLAB on flex-1), 5 (acfd)`, for messages naming the features there are. */
export function describeFeatures(features: readonly LicstatsFeature[]): string {
  if (features.length === 0) {
    return 'no features at all';
  }
  return features.map((f) => `${f.id} (${f.name}${f.server ? ` on ${f.server}` : ''})`).join(', ');
}

/** Feature ids are numbers in every documented example; a numeric filter needs a number. */
function idValue(id: string): string | number {
  return /^\d+$/.test(id) ? Number(id) : id;
}

/** Builds a License Statistics source for one server. Call `close()` when done with it. */
export function createLicstatsSource(options: LicstatsClientOptions): LicstatsSource {
  return new LicstatsSource(options);
}
