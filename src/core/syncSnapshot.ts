import type { DroppedData } from './licenseSource';
import { DAY_MS, type Allocation, type LicenseOverview, type UsageRecord, type UsageWindow, type User, type UserDenials } from './model';
import { rankUsers } from './ranking';
import type { SyncResult } from './sync';
import { UsageTally } from './usageTally';
import type { VerdictRules } from './verdict';

/** One user's totals in the synced window: what ranking needs of the usage records. */
export interface UserTotals {
  readonly user: User;
  readonly loginPasses: number;
  readonly capacityMinutes: number;
  /** Latest start of use in the window, epoch ms. */
  readonly lastUse: number;
  /** Hours of license use (License Statistics); absent where the source counts none. */
  readonly hours?: number;
  readonly peakLicenses?: number;
  readonly peakTokens?: number;
}

/**
 * What one sync learnt, as plain data: enough to rank again without the server (a window reload
 * shows the last ranking at once). Per-user totals stand in for the usage records, which the
 * history store keeps anyway.
 */
export interface SyncSnapshot {
  /** When the sync ran, epoch ms. */
  readonly at: number;
  /** The usage window the totals cover. */
  readonly window: UsageWindow;
  readonly overview: LicenseOverview;
  readonly allocations: readonly Allocation[];
  readonly usage: readonly UserTotals[];
  /** Distinct usage records the sync counted, and the repeats it did not count twice. */
  readonly recordCount: number;
  readonly repeatCount: number;
  readonly dropped: readonly DroppedData[];
  /** Login passes each login access group gave out per UTC day: the pool forecast's input. */
  readonly poolBurn: readonly { readonly pool: string; readonly days: readonly (readonly [day: number, passes: number])[] }[];
  /** Denials per user in the window, where the source reports them (License Statistics). */
  readonly denials?: readonly UserDenials[];
}

/** The snapshot of a sync's result. */
export function snapshotOf(result: SyncResult): SyncSnapshot {
  return {
    at: result.at,
    window: result.tally.window,
    overview: result.overview,
    allocations: result.allocations,
    usage: [...result.tally.users().values()].map((u) => ({
      user: u.user,
      loginPasses: u.loginPasses,
      capacityMinutes: u.capacityMinutes,
      lastUse: u.lastUse,
      ...(u.hours > 0 || u.peakLicenses !== undefined ? { hours: u.hours } : {}),
      ...(u.peakLicenses === undefined ? {} : { peakLicenses: u.peakLicenses }),
      ...(u.peakTokens === undefined ? {} : { peakTokens: u.peakTokens }),
    })),
    recordCount: result.tally.recordCount,
    repeatCount: result.tally.repeatCount,
    dropped: result.dropped,
    poolBurn: [...result.tally.poolBurn()].map(([pool, days]) => ({ pool, days: [...days] })),
    ...(result.denials ? { denials: result.denials } : {}),
  };
}

/** Whole days a snapshot's window spans. */
export function snapshotWindowDays(s: SyncSnapshot): number {
  return Math.round((s.window.to - s.window.from) / DAY_MS);
}

/**
 * The sync result a snapshot stands for, ranked again with today's rules: a changed inactivity
 * threshold or capacity break-even applies at once. The window is the exception: the totals only
 * cover the window they were counted in, and a verdict computed for another length would scale
 * them wrongly, so a changed window applies from the next sync. Verdicts are as of the sync
 * (`now` is its time): the ranking shows that moment, not a guess at today.
 */
export function restoreSyncResult(s: SyncSnapshot, rules: VerdictRules): SyncResult {
  const tally = new RestoredTally(s);
  const denials = s.denials ? { denials: s.denials } : {};
  const ranked = rankUsers({ overview: s.overview, tally, allocations: s.allocations, rules: { ...rules, windowDays: snapshotWindowDays(s) }, now: s.at, ...denials });
  return { overview: s.overview, allocations: s.allocations, tally, ranked, at: s.at, dropped: s.dropped, ...denials };
}

/**
 * A tally rebuilt from per-user totals. It goes through the ordinary `add` (one record per user
 * and unit) so everything the tally derives stays consistent; only the record counts are the
 * sync's own, not the number of stand-in records.
 */
class RestoredTally extends UsageTally {
  private readonly counts: { readonly records: number; readonly repeats: number };
  private readonly burn: ReadonlyMap<string, ReadonlyMap<number, number>>;

  constructor(s: SyncSnapshot) {
    super(s.window);
    this.counts = { records: s.recordCount, repeats: s.repeatCount };
    this.burn = new Map(s.poolBurn.map((p) => [p.pool, new Map(p.days)]));
    const records: UsageRecord[] = [];
    s.usage.forEach((u, i) => {
      const base = { user: u.user, start: u.lastUse, stop: null, pool: null };
      records.push({ ...base, id: `restored:${i}:loginPass`, unit: 'loginPass', amount: u.loginPasses });
      if (u.capacityMinutes > 0) {
        records.push({ ...base, id: `restored:${i}:capacity`, unit: 'capacityMinutes', amount: u.capacityMinutes });
      }
      if (u.hours !== undefined) {
        const peaks = { ...(u.peakLicenses === undefined ? {} : { peakLicenses: u.peakLicenses }), ...(u.peakTokens === undefined ? {} : { peakTokens: u.peakTokens }) };
        records.push({ ...base, id: `restored:${i}:hours`, unit: 'hours', amount: u.hours, ...peaks });
      }
    });
    this.add(records);
  }

  override get recordCount(): number {
    return this.counts.records;
  }

  override get repeatCount(): number {
    return this.counts.repeats;
  }

  override poolBurn(): ReadonlyMap<string, ReadonlyMap<number, number>> {
    return this.burn;
  }
}
