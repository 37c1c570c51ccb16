import { ELLIPSIS } from './displayText';
import { formatAmount } from './format';
import type { LicenseOverview } from './model';

/** Longest site name the status bar shows whole, in code points: the bar is shared with everything else. */
export const STATUS_NAME_WIDTH = 24;

/** A name cut to the status bar's width. */
function shortName(name: string): string {
  const points = [...name];
  return points.length > STATUS_NAME_WIDTH ? `${points.slice(0, STATUS_NAME_WIDTH - 1).join('')}${ELLIPSIS}` : name;
}

/** What is free on a site without tokens: professional and analyzer seats. */
function freeSeats(o: LicenseOverview): string {
  const parts = [o.professional ? `${o.professional.available} professional` : null, o.analyzer ? `${o.analyzer.available} analyzer` : null].filter((p): p is string => p !== null);
  return parts.length > 0 ? `${parts.join(', ')} free` : 'no license model enabled';
}

/**
 * The status bar's text for a site, naming it because several may be configured:
 * `Prod: 12 / 40 tokens` (available / total), or `Lab: 3 professional, 2 analyzer free`.
 */
export function siteStatusText(name: string, o: LicenseOverview): string {
  const t = o.tokens;
  return `${shortName(name)}: ${t ? `${formatAmount(t.available)} / ${formatAmount(t.total)} tokens` : freeSeats(o)}`;
}
