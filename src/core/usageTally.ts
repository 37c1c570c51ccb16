import { utcDay } from './history';
import { DAY_MS, type UsageRecord, type UsageWindow, type User } from './model';
import { RecordIdSet } from './recordIdSet';

/** What one user consumed inside a window. */
export interface UserUsage {
  readonly user: User;
  loginPasses: number;
  capacityMinutes: number;
  /** Latest start of use seen, epoch ms. */
  lastUse: number;
  /**
   * Every use as [start, login passes, capacity minutes] triples, flat; kept only when the tally
   * was asked to (`byDay`), so shorter windows count exactly as the whole window does.
   */
  uses?: number[];
  /** The login access group the user's latest login pass came from, when the server said. */
  pool?: string;
}

/** What a tally keeps beyond per-user totals (planning needs shorter windows and pool burn). */
export interface TallyOptions {
  /** Keep each user's uses and each pool's daily burn, so totals over the last N days can be asked for. */
  readonly byDay?: boolean;
  /** Keep each login access group's daily burn only (a few numbers per pool): the forecast needs it. */
  readonly poolBurn?: boolean;
}

/**
 * Folds usage pages into per-user totals as they arrive, so a sync holds one page of records
 * at a time instead of the whole window. A record the server sends twice (a later page repeats
 * rows when one is inserted mid-sync, or a faulty server repeats them) counts once: the tally
 * deduplicates by record id exactly as the history store does.
 */
export class UsageTally {
  private readonly byUser = new Map<string, UserUsage>();
  private readonly seen = new RecordIdSet();
  private records = 0;
  private repeats = 0;
  private readonly byDay: boolean;
  private readonly keepPoolBurn: boolean;
  /** Login passes per pool per UTC day (with `byDay`). */
  private readonly poolDays = new Map<string, Map<number, number>>();

  constructor(
    readonly window: UsageWindow,
    options: TallyOptions = {},
  ) {
    this.byDay = options.byDay === true;
    this.keepPoolBurn = this.byDay || options.poolBurn === true;
  }

  /** Adds a page; records outside the window are ignored, repeats counted once. */
  add(page: readonly UsageRecord[]): void {
    for (const r of page) {
      if (r.start < this.window.from || r.start >= this.window.to) {
        continue;
      }
      const day = utcDay(r.start);
      const seen = this.seen.add(r.unit, r.id, day, r.amount);
      const amount = seen.fresh ? r.amount : seen.more;
      if (seen.fresh) {
        this.records++;
      } else {
        this.repeats++;
      }
      let u = this.byUser.get(r.user.id);
      if (!u) {
        u = { user: r.user, loginPasses: 0, capacityMinutes: 0, lastUse: r.start };
        this.byUser.set(r.user.id, u);
      }
      if (r.unit === 'loginPass') {
        u.loginPasses += amount;
      } else {
        u.capacityMinutes += amount;
      }
      if (r.start > u.lastUse) {
        u.lastUse = r.start;
      }
      if (this.byDay && amount > 0) {
        u.uses ??= [];
        u.uses.push(r.start, r.unit === 'loginPass' ? amount : 0, r.unit === 'loginPass' ? 0 : amount);
      }
      if (r.unit === 'loginPass' && r.pool !== null && this.keepPoolBurn) {
        u.pool = r.pool;
        if (amount > 0) {
          const pool = this.poolDays.get(r.pool) ?? new Map<number, number>();
          pool.set(day, (pool.get(day) ?? 0) + amount);
          this.poolDays.set(r.pool, pool);
        }
      }
    }
  }

  /**
   * A user's totals over the last `days` days of the window, counted as the window itself is
   * (from its end back); undefined for a user without usage. Needs `byDay`.
   */
  totalsOver(userId: string, days: number): { readonly loginPasses: number; readonly capacityMinutes: number } | undefined {
    const u = this.byUser.get(userId);
    if (!u) {
      return undefined;
    }
    const { uses } = u;
    if (!uses) {
      throw new Error('This tally keeps no uses: create it with { byDay: true }.');
    }
    const from = this.window.to - days * DAY_MS;
    let loginPasses = 0;
    let capacityMinutes = 0;
    for (let i = 0; i < uses.length; i += 3) {
      if ((uses[i] as number) >= from) {
        loginPasses += uses[i + 1] as number;
        capacityMinutes += uses[i + 2] as number;
      }
    }
    return { loginPasses, capacityMinutes };
  }

  /** Login passes each pool gave out per UTC day in the window (with `byDay` or `poolBurn`). */
  poolBurn(): ReadonlyMap<string, ReadonlyMap<number, number>> {
    return this.poolDays;
  }

  /** Distinct records counted so far. */
  get recordCount(): number {
    return this.records;
  }

  /** Records the server sent again (same id, same day) and that were not counted twice. */
  get repeatCount(): number {
    return this.repeats;
  }

  /** Per-user totals keyed by the system's user id. */
  users(): ReadonlyMap<string, UserUsage> {
    return this.byUser;
  }
}
