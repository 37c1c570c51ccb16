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

/** `1 hour`, `12.5 hours`: license time as License Statistics reports it. */
export function formatHours(n: number): string {
  const s = formatAmount(n);
  return `${s} ${s === '1' ? 'hour' : 'hours'}`;
}

/** `1 day`, `28 days`. */
export function formatDays(n: number): string {
  return `${n} ${n === 1 ? 'day' : 'days'}`;
}

/** Calendar date in UTC, `2026-11-30`: the form QMC admins read in audit trails. */
export function formatDate(ms: number): string {
  if (!(ms >= 0 && ms < YEAR_10000)) {
    // Before 1970, after 9999 (six-digit years), or no date at all (a RangeError): as Date says.
    return new Date(ms).toISOString().slice(0, 10);
  }
  // The calendar by arithmetic (H. Hinnant's days-to-civil): a ranking states thousands of
  // dates, and a Date plus its 24-character ISO string per date was a good part of its garbage.
  const z = Math.floor(ms / 86_400_000) + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const m5 = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * m5 + 2) / 5) + 1;
  const month = m5 < 10 ? m5 + 3 : m5 - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** 10000-01-01T00:00:00Z, where ISO dates grow a sign and six digits. */
const YEAR_10000 = 253_402_300_800_000;

/**
 * How long ago `then` was, coarsely: `just now`, `5 min ago`, `2 h ago`, `3 days ago`. An age
 * ages while it is shown, so it never claims more precision than a glance needs; a time ahead of
 * `now` (another machine's clock) reads as `just now`.
 */
export function formatAge(then: number, now: number): string {
  const minutes = Math.floor((now - then) / 60_000);
  if (minutes < 1) {
    return 'just now';
  }
  if (minutes < 60) {
    return `${minutes} min ago`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    return `${hours} h ago`;
  }
  return `${formatDays(Math.floor(hours / 24))} ago`;
}

/**
 * The first moment after `now` at which `formatAge(then, ·)` reads differently, so a view can
 * keep text built at `now` until then. A whole number of days since `then` changes no sooner, so
 * it also bounds any `N days` counted from `then`.
 */
export function formatAgeChangesAt(then: number, now: number): number {
  const minutes = Math.floor((now - then) / 60_000);
  if (minutes < 60) {
    return then + (Math.max(0, minutes) + 1) * 60_000;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    return then + (hours + 1) * 3_600_000;
  }
  return then + (Math.floor(hours / 24) + 1) * 86_400_000;
}
