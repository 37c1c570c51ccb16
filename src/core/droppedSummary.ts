import type { DroppedData } from './licenseSource';

/**
 * One sentence for what a sync left out, or null when nothing was: rows a server sends with
 * null ids or unreadable cells shrink a ranking silently unless someone says so.
 */
export function describeDropped(dropped: readonly DroppedData[]): string | null {
  if (dropped.length === 0) {
    return null;
  }
  const parts = dropped.map((d) => `${d.count} ${d.count === 1 ? d.what.slice(0, -1) : d.what} ${d.reason} (${d.request})`);
  return `Left out as unreadable: ${parts.join('; ')}. The ranking does not count them; check the server's data or report it.`;
}
