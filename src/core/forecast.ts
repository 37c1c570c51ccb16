/**
 * How long a login access group lasts at the current burn. A login pass returns to its group 28
 * days after use, so the pool only runs dry if the next 28 days draw more than what is left plus
 * what the last 28 days give back; after 28 days draws and returns balance at a steady burn.
 * Simulating those 28 days against the known return schedule answers it exactly for a constant
 * burn; none of the peers forecasts this.
 */
import { formatAmount } from './format';
import { DAY_MS, type CapacityTotals, type LoginPool } from './model';
import { LOGIN_PASS_RECYCLE_DAYS } from './verdict';

/** One login access group's outlook. */
export interface PoolForecast {
  readonly pool: string;
  readonly passes: number;
  readonly remaining: number;
  /** Login passes per day, averaged over the last 28 days. */
  readonly burnPerDay: number;
  /** Days until the pool has no pass left at this burn; null when it does not run dry. */
  readonly daysUntilDry: number | null;
}

/** Analyzer capacity this month, for user-based sites and tenants. */
export interface CapacityForecast {
  readonly usedMinutes: number;
  readonly allottedMinutes: number;
  /** Days until the month's allotment is used up at this month's pace; null when it lasts the month. */
  readonly daysUntilExhausted: number | null;
}

/**
 * @param pool the group as the server counts it (passes, used in the last 28 days, remaining)
 * @param burnByDay login passes the group gave out per UTC day (day numbers since the epoch)
 * @param today the current UTC day number
 * @param lessPerDay passes per day that stop being drawn (users a plan moves to a pass)
 */
export function forecastPool(pool: LoginPool, burnByDay: ReadonlyMap<number, number>, today: number, lessPerDay = 0): PoolForecast {
  let drawn = 0;
  for (const [day, n] of burnByDay) {
    if (day > today - LOGIN_PASS_RECYCLE_DAYS && day <= today) {
      drawn += n;
    }
  }
  // The server's own count wins when it knows better (usage outside what this sync read).
  const used = Math.max(pool.used, drawn);
  const burn = Math.max(0, used / LOGIN_PASS_RECYCLE_DAYS - lessPerDay);
  let remaining = pool.remaining;
  let daysUntilDry: number | null = remaining <= 0 && burn > 0 ? 0 : null;
  for (let t = 1; t <= LOGIN_PASS_RECYCLE_DAYS && daysUntilDry === null; t++) {
    // A pass drawn on day d comes back on day d + 28.
    remaining += (burnByDay.get(today + t - LOGIN_PASS_RECYCLE_DAYS) ?? 0) - burn;
    if (remaining < 0) {
      daysUntilDry = t;
    }
  }
  return { pool: pool.name, passes: pool.passes, remaining: pool.remaining, burnPerDay: Math.round(burn * 100) / 100, daysUntilDry };
}

/** The month's analyzer capacity at this month's pace so far. */
export function forecastCapacity(capacity: CapacityTotals, now: number): CapacityForecast {
  const date = new Date(now);
  const monthStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  const monthEnd = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  const elapsedDays = Math.max(1, (now - monthStart) / DAY_MS);
  const perDay = capacity.usedMinutes / elapsedDays;
  const left = capacity.allocatedMinutes - capacity.usedMinutes;
  const daysLeftInMonth = (monthEnd - now) / DAY_MS;
  let daysUntilExhausted: number | null = null;
  if (left <= 0) {
    daysUntilExhausted = 0;
  } else if (perDay > 0 && left / perDay < daysLeftInMonth) {
    daysUntilExhausted = Math.floor(left / perDay);
  }
  return { usedMinutes: capacity.usedMinutes, allottedMinutes: capacity.allocatedMinutes, daysUntilExhausted };
}

/** One sentence: "Occasional: 412 of 500 passes left, 31.2 a day, runs dry in 9 days". */
export function describePoolForecast(f: PoolForecast): string {
  const dry = f.daysUntilDry === null ? 'does not run dry at this burn' : f.daysUntilDry === 0 ? 'is dry now' : `runs dry in ${f.daysUntilDry} ${f.daysUntilDry === 1 ? 'day' : 'days'}`;
  return `${f.pool}: ${formatAmount(f.remaining)} of ${formatAmount(f.passes)} login passes left, ${formatAmount(f.burnPerDay)} a day, ${dry}`;
}

/** One sentence for the month's analyzer capacity. */
export function describeCapacityForecast(f: CapacityForecast): string {
  const lasts = f.daysUntilExhausted === null ? 'lasts the month at this pace' : f.daysUntilExhausted === 0 ? 'is used up' : `is used up in ${f.daysUntilExhausted} days at this pace`;
  return `analyzer capacity: ${formatAmount(f.usedMinutes)} of ${formatAmount(f.allottedMinutes)} minutes used this month, ${lasts}`;
}
