/** Number and date formatting shared by verdicts, the CLI and the views, so they all agree. */

/** At most two decimals, no trailing zeros: 1.4, 0.93, 12. */
export function formatAmount(n: number): string {
  const rounded = Math.round(n * 100) / 100;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/** `1 token`, `1.4 tokens`. */
export function formatTokens(n: number): string {
  const s = formatAmount(n);
  return `${s} ${s === '1' ? 'token' : 'tokens'}`;
}

/** `1 login pass`, `14 login passes`. */
export function formatPasses(n: number): string {
  const s = formatAmount(n);
  return `${s} login ${s === '1' ? 'pass' : 'passes'}`;
}

/** `1 day`, `28 days`. */
export function formatDays(n: number): string {
  return `${n} ${n === 1 ? 'day' : 'days'}`;
}

/** Calendar date in UTC, `2026-11-30`: the form QMC admins read in audit trails. */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
