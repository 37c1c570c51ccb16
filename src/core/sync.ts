import { poolFromOverview, type PoolTotals } from './history';
import type { CallOptions, DroppedData, LicenseSource, UsageScope } from './licenseSource';
import type { Allocation, LicenseOverview, UsageRecord, UserDenials } from './model';
import { windowOfDays } from './model';
import { rankUsers, type RankedUser } from './ranking';
import { UsageTally, type TallyOptions } from './usageTally';
import type { VerdictRules } from './verdict';

/** Defaults every front end shares. */
export const DEFAULT_RULES: VerdictRules = { windowDays: 28, inactiveDays: 30, capacityBreakEvenMinutes: null };

/** What one sync learnt from a license system. */
export interface SyncResult {
  readonly overview: LicenseOverview;
  readonly allocations: readonly Allocation[];
  readonly tally: UsageTally;
  readonly ranked: readonly RankedUser[];
  readonly at: number;
  /** What the server sent that could not be used and was left out: the admin must hear of it. */
  readonly dropped: readonly DroppedData[];
  /** Denials per user in the window, where the source reports them (License Statistics). */
  readonly denials?: readonly UserDenials[];
}

/**
 * Where a sync keeps what it saw (the local history store). It consumes the usage pages as the
 * sync reads them, so the records are never held twice; it writes nothing unless every page
 * arrived, so a cancelled or failed sync leaves no half-recorded day behind.
 */
export interface HistorySink {
  recordSync(input: {
    readonly at: number;
    readonly records: AsyncIterable<readonly UsageRecord[]>;
    readonly allocations: readonly Allocation[];
    /** The kinds whose allocation lists were read: only these can show a pass as revoked. */
    readonly listedKinds: LicenseOverview['offeredKinds'];
    readonly tokenCosts: { readonly loginPassCost: number };
    readonly pool: PoolTotals | null;
    /** Stops a wait for the store's lock; the records themselves stop with the sync's own signal. */
    readonly signal?: AbortSignal;
  }): Promise<unknown>;
}

/** Progress reports, for a progress bar. */
export interface SyncProgress {
  (step: 'overview' | 'allocations' | 'usage' | 'ranking', detail: { records?: number }): void;
}

/**
 * Fetches overview, allocations and the window's usage, and ranks once: the views render from
 * the result instead of re-ranking per render. `scope` narrows the ranking (one feature); the
 * history, when kept, still records the whole estate.
 */
export async function syncSource(
  source: LicenseSource,
  opts: { rules: VerdictRules; now: number; progress?: SyncProgress; history?: HistorySink; tally?: TallyOptions; scope?: UsageScope } & CallOptions,
): Promise<SyncResult> {
  const call = opts.signal ? { signal: opts.signal } : {};
  opts.progress?.('overview', {});
  const overview = await source.overview(call);
  const dropped: DroppedData[] = [];
  const onDropped = (d: DroppedData): void => {
    dropped.push(d);
  };
  opts.progress?.('allocations', {});
  const allocations = await source.allocations({ ...call, onDropped });
  const tally = new UsageTally(windowOfDays(opts.rules.windowDays, opts.now), opts.tally);
  const progress = opts.progress;
  const scope = opts.scope ? { scope: opts.scope } : {};
  async function* pages(told = onDropped): AsyncGenerator<readonly UsageRecord[]> {
    for await (const page of source.usage(tally.window, { ...call, onDropped: told, ...scope })) {
      tally.add(page);
      progress?.('usage', { records: tally.recordCount });
      yield page;
    }
  }
  if (opts.history) {
    await opts.history.recordSync({
      at: opts.now,
      // History keeps the whole estate whatever the ranking is narrowed to: a scope costs a second read.
      records: opts.scope ? source.usage(tally.window, { ...call, onDropped }) : pages(),
      allocations,
      listedKinds: overview.offeredKinds,
      tokenCosts: { loginPassCost: overview.tokens?.loginPassCost ?? 0.1 },
      pool: poolFromOverview(overview),
      ...call,
    });
    if (opts.scope) {
      // Rows this read leaves out were reported by the history's read, which saw them too.
      for await (const _page of pages(() => undefined)) {
        // The tally is filled as the pages go by.
      }
    }
  } else if (source.usageInto) {
    // Nothing keeps the records: each row is folded into the tally as it is read, no record built.
    const add = (record: UsageRecord): void => tally.addRecord(record);
    await source.usageInto(tally.window, add, { ...call, onDropped, ...scope, onPage: () => progress?.('usage', { records: tally.recordCount }) });
  } else {
    for await (const _page of pages()) {
      // The tally is filled as the pages go by.
    }
  }
  // A failed read of denials fails the sync: ranking without them would show denied users unflagged.
  const denials = source.denials ? await source.denials(tally.window, { ...call, onDropped, ...scope }) : undefined;
  opts.progress?.('ranking', {});
  // Only where users themselves are what is licensed: a capacity tenant's Full Users.
  const members = source.members && overview.fullUsers ? await source.members(call) : undefined;
  const ranked = rankUsers({ overview, tally, allocations, rules: opts.rules, now: opts.now, ...(denials ? { denials } : {}), ...(members ? { members } : {}) });
  return { overview, allocations, tally, ranked, at: opts.now, dropped, ...(denials ? { denials } : {}) };
}
