/**
 * The words a swap uses for "authored", which differ by what the system keeps: a plan's reason
 * and apply's skip must name what was actually looked at, so an admin can check it.
 */
import { formatDate } from './format';
import type { AuthoringEvidence } from './licenseSource';

/** What "nothing authored" rests on, for a swap's reason: `no app … since 2026-09-01`. */
export function nothingAuthoredText(evidence: AuthoringEvidence, since: number): string {
  return evidence === 'auditEvents'
    ? `no app created, published or reloaded with new data since ${formatDate(since)}, as the audit log shows`
    : `no app, sheet, story or bookmark created or modified since ${formatDate(since)}`;
}

/** What authoring meanwhile means, for apply's skip: `owns an app … since 2026-09-01`. */
export function authoredMeanwhileText(evidence: AuthoringEvidence, since: number): string {
  return evidence === 'auditEvents'
    ? `created, published or reloaded an app with new data since ${formatDate(since)}, as the audit log shows`
    : `owns an app or app object created or modified since ${formatDate(since)}`;
}
