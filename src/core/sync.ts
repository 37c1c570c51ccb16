import type { CallOptions, LicenseSource } from './licenseSource';
import type { Allocation, LicenseOverview } from './model';
import { windowOfDays } from './model';
import { rankUsers, type RankedUser } from './ranking';
import { UsageTally } from './usageTally';
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
}

/** Progress reports, for a progress bar. */
export interface SyncProgress {
  (step: 'overview' | 'allocations' | 'usage' | 'ranking', detail: { records?: number }): void;
}

/**
 * Fetches overview, allocations and the window's usage, and ranks once: the views render from
 * the result instead of re-ranking per render.
 */
export async function syncSource(
  source: LicenseSource,
  opts: { rules: VerdictRules; now: number; progress?: SyncProgress } & CallOptions,
): Promise<SyncResult> {
  const call = opts.signal ? { signal: opts.signal } : {};
  opts.progress?.('overview', {});
  const overview = await source.overview(call);
  opts.progress?.('allocations', {});
  const allocations = await source.allocations(call);
  const tally = new UsageTally(windowOfDays(opts.rules.windowDays, opts.now));
  for await (const page of source.usage(tally.window, call)) {
    tally.add(page);
    opts.progress?.('usage', { records: tally.recordCount });
  }
  opts.progress?.('ranking', {});
  const ranked = rankUsers({ overview, tally, allocations, rules: opts.rules, now: opts.now });
  return { overview, allocations, tally, ranked, at: opts.now };
}
