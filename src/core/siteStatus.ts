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
  const parts = [
    o.professional ? `${o.professional.available} professional` : null,
    o.analyzer ? `${o.analyzer.available} analyzer` : null,
    // A Qlik Cloud capacity tenant: every signed-in user takes one of the purchased Full Users.
    o.fullUsers && !o.professional && !o.analyzer ? `${o.fullUsers.available} of ${o.fullUsers.total} Full Users` : null,
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? `${parts.join(', ')} free` : 'no license model enabled';
}

/**
 * The status bar's text for a site, naming it because several may be configured:
 * `Prod: 12 / 40 tokens` (available / total), or `Lab: 3 professional, 2 analyzer free`.
 */
export function siteStatusText(name: string, o: LicenseOverview): string {
  if (!o.tokens && !o.professional && !o.analyzer && !o.fullUsers && o.offeredKinds.length === 0 && !o.capacity) {
    return `${shortName(name)}: no license model enabled`;
  }
  const t = o.tokens;
  return `${shortName(name)}: ${t ? `${formatAmount(t.available)} / ${formatAmount(t.total)} tokens` : freeSeats(o)}`;
}

/**
 * The status bar's text for a License Statistics server, which has no seats of its own to count:
 * `Eng: 3 denied · 412.5 h` (users denied a license, hours of license use in the window).
 */
export function hoursStatusText(name: string, ranked: readonly { readonly hoursUsed?: number; readonly denials?: number }[]): string {
  let hours = 0;
  let denied = 0;
  for (const r of ranked) {
    hours += r.hoursUsed ?? 0;
    denied += (r.denials ?? 0) > 0 ? 1 : 0;
  }
  return `${shortName(name)}: ${denied} denied · ${formatAmount(Math.round(hours * 10) / 10)} h`;
}
