/** How the page writes numbers and days; days are UTC midnights, so they are shown in UTC. */

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const dayFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });

/** `1,234.5` in the admin's locale. */
export function formatNumber(n: number): string {
  return numberFormat.format(n);
}

/** `Mar 4, 2024` for a UTC midnight in epoch ms. */
export function formatDay(day: number): string {
  return dayFormat.format(day);
}
