/**
 * Pure series math for the usage history: UTC days, months, dense daily series, ranking order.
 * The store (src/store) does the I/O and hands plain numbers to these functions, so the webview
 * host and the CLI can share them without touching the file system.
 */
import type { LicenseOverview, UsageWindow, User } from './model';
import { DAY_MS } from './model';

/** What one user (or the whole site) consumed on one UTC day. */
export interface DailyUsage {
  readonly loginPasses: number;
  /** Token-equivalents of the login passes, at the login pass cost each sync reported. */
  readonly tokens: number;
  readonly capacityMinutes: number;
}

/** One UTC day of a series. */
export interface DailyPoint extends DailyUsage {
  /** UTC midnight of the day, epoch ms. */
  readonly day: number;
}

/** Token pool totals as one sync saw them. */
export interface PoolTotals {
  readonly totalTokens: number;
  readonly availableTokens: number;
  readonly usedTokens: number;
}

/** One day of the site's chart: usage totals plus the pool as the day's last sync saw it. */
export interface SitePoint extends DailyPoint {
  /** Null on days without a sync that reported the pool. */
  readonly pool: PoolTotals | null;
}

/** One user's daily series over a range, with the range's total. */
export interface UserSeries {
  readonly user: User;
  readonly total: DailyUsage;
  readonly series: readonly DailyPoint[];
}

/** An inclusive range of UTC day numbers (days since 1970-01-01). */
export interface DaySpan {
  readonly first: number;
  readonly last: number;
}

/** The longest series a query may ask for: ten years of days keeps a dense series small. */
export const MAX_SERIES_DAYS = 3660;

/** The UTC day number (days since the epoch) an instant falls on. */
export function utcDay(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** UTC midnight of a day number, epoch ms. */
export function dayStart(day: number): number {
  return day * DAY_MS;
}

/**
 * The UTC days a half-open window [from, to) touches; null when it touches none. Throws on a
 * window longer than MAX_SERIES_DAYS, which would only be a caller's unit mistake.
 */
export function daySpanOf(range: UsageWindow): DaySpan | null {
  if (!Number.isFinite(range.from) || !Number.isFinite(range.to)) {
    throw new RangeError('A history range needs finite epoch milliseconds.');
  }
  if (range.to <= range.from) {
    return null;
  }
  const span = { first: utcDay(range.from), last: utcDay(range.to - 1) };
  if (span.last - span.first + 1 > MAX_SERIES_DAYS) {
    throw new RangeError(`A history range may span at most ${MAX_SERIES_DAYS} days.`);
  }
  return span;
}

/** The two spans' overlap, or null. */
export function intersectSpans(a: DaySpan, b: DaySpan): DaySpan | null {
  const first = Math.max(a.first, b.first);
  const last = Math.min(a.last, b.last);
  return first <= last ? { first, last } : null;
}

/** A month as one number, `year * 12 + monthIndex`, so months compare and step like integers. */
export function monthOfDay(day: number): number {
  const d = new Date(day * DAY_MS);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** The days of a month (see monthOfDay). */
export function monthSpan(month: number): DaySpan {
  const year = Math.floor(month / 12);
  const m = month - year * 12;
  const first = utcDay(Date.UTC(year, m, 1));
  return { first, last: utcDay(Date.UTC(year, m + 1, 1)) - 1 };
}

/** `YYYY-MM` of a month number. */
export function monthLabel(month: number): string {
  const year = Math.floor(month / 12);
  return `${String(year).padStart(4, '0')}-${String(month - year * 12 + 1).padStart(2, '0')}`;
}

/** The month number of a `YYYY-MM` label; NaN when it is not one. */
export function parseMonthLabel(label: string): number {
  const m = /^(\d{4})-(\d{2})$/.exec(label);
  if (!m?.[1] || !m[2]) {
    return NaN;
  }
  const month = Number(m[2]);
  return month >= 1 && month <= 12 ? Number(m[1]) * 12 + month - 1 : NaN;
}

/** The first UTC day still inside a retention of `retentionDays` days ending today. */
export function retentionStartDay(now: number, retentionDays: number): number {
  return utcDay(now) - (retentionDays - 1);
}

/**
 * Float sums of 0.1-token passes drift (0.30000000000000004); charts and tables want the
 * decimal the admin would compute by hand.
 */
export function roundTokens(tokens: number): number {
  return Math.round(tokens * 1e6) / 1e6;
}

/**
 * Accumulates daily usage over a span into flat columns (no object per cell) and turns it into
 * the dense, zero-filled series charts want.
 */
export class DailyAccumulator {
  readonly loginPasses: Float64Array;
  readonly tokens: Float64Array;
  readonly capacityMinutes: Float64Array;

  constructor(readonly span: DaySpan) {
    const n = span.last - span.first + 1;
    this.loginPasses = new Float64Array(n);
    this.tokens = new Float64Array(n);
    this.capacityMinutes = new Float64Array(n);
  }

  /** Back to no usage at all, so one accumulator can serve one series after another. */
  reset(): void {
    this.loginPasses.fill(0);
    this.tokens.fill(0);
    this.capacityMinutes.fill(0);
  }

  /** Adds one day's usage; days outside the span are ignored. */
  add(day: number, loginPasses: number, tokens: number, capacityMinutes: number): void {
    const i = day - this.span.first;
    if (i < 0 || i >= this.loginPasses.length) {
      return;
    }
    this.loginPasses[i] = (this.loginPasses[i] ?? 0) + loginPasses;
    this.tokens[i] = (this.tokens[i] ?? 0) + tokens;
    this.capacityMinutes[i] = (this.capacityMinutes[i] ?? 0) + capacityMinutes;
  }

  /** The sum over the span. */
  total(): DailyUsage {
    let loginPasses = 0, tokens = 0, capacityMinutes = 0;
    for (let i = 0; i < this.loginPasses.length; i++) {
      loginPasses += this.loginPasses[i] ?? 0;
      tokens += this.tokens[i] ?? 0;
      capacityMinutes += this.capacityMinutes[i] ?? 0;
    }
    return { loginPasses, tokens: roundTokens(tokens), capacityMinutes };
  }

  /**
   * One point per day of the span, zeros included. With `idle`, days without use are its shared
   * points: many series over one span then share one object per idle day.
   */
  points(idle?: IdleDays): DailyPoint[] {
    // With shared idle points the series starts as a copy of them (one copy of pointers), and
    // only days with use are looked at again: a site's series are mostly idle days.
    const out = idle ? idle.over(this.span).slice() : new Array<DailyPoint>(this.loginPasses.length);
    for (let i = 0; i < this.loginPasses.length; i++) {
      const loginPasses = this.loginPasses[i] ?? 0;
      const tokens = this.tokens[i] ?? 0;
      const capacityMinutes = this.capacityMinutes[i] ?? 0;
      if (idle && (loginPasses !== 0 || tokens !== 0 || capacityMinutes !== 0)) {
        out[i] = idle.used(this.span.first + i, loginPasses, roundTokens(tokens), capacityMinutes);
      } else if (!idle) {
        out[i] = { day: dayStart(this.span.first + i), loginPasses, tokens: roundTokens(tokens), capacityMinutes };
      }
    }
    return out;
  }
}

/** Days with use share a point only among the first this many different uses of the day. */
const MAX_SHARED_PER_DAY = 16;

/**
 * The points of days without use, one frozen object per day, for many series over the same days:
 * a whole site's history (every user, a year each) is mostly idle days, six million at 20,000
 * users, each an object to build and then to collect. Days with use share frozen points too.
 */
export class IdleDays {
  private readonly points = new Map<number, DailyPoint>();
  private readonly usedPoints = new Map<number, DailyPoint[]>();
  private last: { readonly first: number; readonly last: number; readonly points: readonly DailyPoint[] } | undefined;

  /** The idle points of every day of `span`, in order (kept for the span last asked for). */
  over(span: DaySpan): readonly DailyPoint[] {
    if (this.last?.first !== span.first || this.last.last !== span.last) {
      const points: DailyPoint[] = [];
      for (let day = span.first; day <= span.last; day++) {
        points.push(this.at(day));
      }
      this.last = { first: span.first, last: span.last, points };
    }
    return this.last.points;
  }

  /**
   * The shared point of a day with use: most users with use on a day use the same pass or two,
   * so a whole site's year (1.4 million days with use at 20,000 users) needs a few points per
   * day, not an object (and two boxed numbers) per user and day.
   */
  used(day: number, loginPasses: number, tokens: number, capacityMinutes: number): DailyPoint {
    let points = this.usedPoints.get(day);
    if (!points) {
      points = [];
      this.usedPoints.set(day, points);
    }
    for (const p of points) {
      if (Object.is(p.loginPasses, loginPasses) && Object.is(p.tokens, tokens) && Object.is(p.capacityMinutes, capacityMinutes)) {
        return p;
      }
    }
    const p = Object.freeze({ day: dayStart(day), loginPasses, tokens, capacityMinutes });
    // A day with many different uses is not worth searching: past a few, points are its own.
    if (points.length < MAX_SHARED_PER_DAY) {
      points.push(p);
    }
    return p;
  }

  /** The idle point of UTC day `day`. */
  at(day: number): DailyPoint {
    let p = this.points.get(day);
    if (!p) {
      p = Object.freeze({ day: dayStart(day), loginPasses: 0, tokens: 0, capacityMinutes: 0 });
      this.points.set(day, p);
    }
    return p;
  }
}

/**
 * The order of the top-users chart, the same as the ranking's: token-equivalents, then
 * capacity minutes, then login passes, most first.
 */
export function compareUsageDescending(a: DailyUsage, b: DailyUsage): number {
  return b.tokens - a.tokens || b.capacityMinutes - a.capacityMinutes || b.loginPasses - a.loginPasses;
}

/** The pool totals a sync should record, from the overview it fetched; null without the token model. */
export function poolFromOverview(overview: LicenseOverview): PoolTotals | null {
  const t = overview.tokens;
  if (!t) {
    return null;
  }
  return { totalTokens: t.total, availableTokens: t.available, usedTokens: roundTokens(t.total - t.available) };
}
