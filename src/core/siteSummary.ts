import { formatAmount, formatTokens } from './format';
import type { LicenseOverview } from './model';
import type { LicenseSource } from './licenseSource';
import type { RankedUser } from './ranking';

/** The few numbers an admin wants first: where tokens go and what acting on the verdicts would change. */
export interface SiteSummary {
  readonly assignCandidates: number;
  /** Tokens per 28 days saved by assigning every candidate a user access pass. */
  readonly tokensSaved: number;
  readonly revokeCandidates: number;
  readonly tokensFreed: number;
  readonly quarantined: number;
}

/** Adds up the verdicts of a ranking. */
export function summarize(ranked: readonly RankedUser[]): SiteSummary {
  let assignCandidates = 0, tokensSaved = 0, revokeCandidates = 0, tokensFreed = 0, quarantined = 0;
  for (const r of ranked) {
    switch (r.verdict.kind) {
      case 'assign':
        assignCandidates++;
        tokensSaved += r.verdict.tokensSaved ?? 0;
        break;
      case 'inactive':
        revokeCandidates++;
        tokensFreed += r.verdict.tokensSaved ?? 0;
        break;
      case 'quarantined':
      case 'deleted':
        quarantined++;
        break;
      default:
        break;
    }
  }
  return { assignCandidates, tokensSaved: Math.round(tokensSaved * 100) / 100, revokeCandidates, tokensFreed, quarantined };
}

/**
 * The summary as the CLI's demo prints it and the tree's connection tooltip shows it: what
 * assigning and revoking would change, and what waits in quarantine.
 */
export function describeSummary(s: SiteSummary, inactiveDays: number): [assign: string, revoke: string] {
  const users = s.assignCandidates === 1 ? '1 user burns' : `${s.assignCandidates} users burn`;
  const unused = s.revokeCandidates === 1 ? '1 pass is unused' : `${s.revokeCandidates} passes are unused`;
  const quarantined = s.quarantined === 1 ? '1 pass is quarantined' : `${s.quarantined} passes are quarantined`;
  return [
    `${users} a user access pass's worth of login passes: assigning ${s.assignCandidates === 1 ? 'it a pass saves' : 'them passes saves'} ${formatTokens(s.tokensSaved)} per 28 days.`,
    `${unused} for ${inactiveDays}+ days: revoking ${s.revokeCandidates === 1 ? 'it frees' : 'them frees'} ${formatTokens(s.tokensFreed)}. ${quarantined}.`,
  ];
}

/** One line of totals, e.g. for a status bar or a CLI header. */
export function describeOverview(o: LicenseOverview): string {
  const parts: string[] = [];
  if (o.tokens) {
    const t = o.tokens;
    parts.push(
      `${formatTokens(t.total)}, ${formatAmount(t.available)} available; user access passes hold ${formatAmount(t.userAccess.allocated)} (${formatAmount(t.userAccess.quarantined)} quarantined), login access groups hold ${formatAmount(t.loginAccess.allocated)}`,
    );
  }
  if (o.loginPools?.length) {
    parts.push(`login access groups: ${o.loginPools.map((p) => `${p.name} ${p.used}/${p.passes} passes used`).join(', ')}`);
  }
  for (const [label, seats] of [['professional', o.professional], ['analyzer', o.analyzer]] as const) {
    if (seats) {
      parts.push(`${label}: ${seats.allocated} of ${seats.total} allocated, ${seats.available} available`);
    }
  }
  if (o.capacity) {
    parts.push(`analyzer capacity: ${o.capacity.usedMinutes} of ${o.capacity.allocatedMinutes} minutes used this month`);
  }
  if (o.fullUsers) {
    parts.push(`Full Users: ${o.fullUsers.used} of ${o.fullUsers.total} purchased signed in this month`);
  }
  return parts.join('; ') || 'no license model enabled';
}

/** What a ranking's verdicts are about: passes and tokens, seats, Full Users, or engineering licenses. */
export type OutlookKind = 'qrs' | 'cloud' | 'capacity' | 'licstats';

/** The outlook kind of a synced source: a Qlik Cloud tenant with Full Users is a capacity tenant. */
export function outlookKindOf(system: LicenseSource['system'], overview: LicenseOverview): OutlookKind {
  return system === 'cloud' && overview.fullUsers ? 'capacity' : system;
}

/**
 * What acting on the verdicts would change, in the terms of the system: on Qlik Sense, `qrs`
 * says it in tokens (as `describeSummary`); elsewhere there are no tokens to count.
 */
export function describeOutlook(kind: Exclude<OutlookKind, 'qrs'>, ranked: readonly RankedUser[], rules: { readonly windowDays: number; readonly inactiveDays: number }): string {
  const s = summarize(ranked);
  switch (kind) {
    case 'cloud':
      return `${s.revokeCandidates === 1 ? '1 license is' : `${s.revokeCandidates} licenses are`} unused for ${rules.inactiveDays}+ days: revoking ${s.revokeCandidates === 1 ? 'it gives its seat' : 'them gives their seats'} back.`;
    case 'capacity': {
      const active = ranked.length - s.revokeCandidates;
      return `${active === 1 ? '1 user is' : `${active} users are`} active Full Users; ${s.revokeCandidates === 1 ? '1 has' : `${s.revokeCandidates} have`} not signed in for ${rules.inactiveDays}+ days: disabling ${s.revokeCandidates === 1 ? 'it frees a Full User' : 'them frees as many Full Users'}.`;
    }
    case 'licstats': {
      const denied = ranked.filter((r) => (r.denials ?? 0) > 0).length;
      return `${denied === 1 ? '1 user was' : `${denied} users were`} denied a license in the last ${rules.windowDays} days: they needed one that was not there.`;
    }
  }
}
