import { utcDay } from './history';
import { DAY_MS, type UsageRecord, type UsageWindow, type User } from './model';
import { RecordIdSet } from './recordIdSet';

/** What one user consumed inside a window. */
export interface UserUsage {
  readonly user: User;
  loginPasses: number;
  capacityMinutes: number;
  /** Hours of license use (`hours` records: License Statistics). */
  hours: number;
  /** The most licenses held at once in any one record (`hours` records that say). */
  peakLicenses?: number;
  /** The most tokens drawn at once from a token feature's pool in any one record. */
  peakTokens?: number;
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
  /** Totals by the records' `userSlot`: one array read per row where a hash lookup was. */
  private readonly bySlot: (UserUsage | undefined)[] = [];
  private readonly seen = new RecordIdSet();
  private records = 0;
  private repeats = 0;
  private countsHours = false;
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
      this.addRecord(r);
    }
  }

  /**
   * Adds one record, as `add` does. Nothing of `r` itself is kept (only its user, pool and
   * numbers), so a reader may pass one scratch object refilled per row: a sync of 1.5 million
   * rows then allocates no record objects at all.
   */
  addRecord(r: UsageRecord): void {
    if (r.start < this.window.from || r.start >= this.window.to) {
      return;
    }
    const day = utcDay(r.start);
    const seen = this.seen.add(r.unit, r.id, day, r.amount);
    const amount = seen.fresh ? r.amount : seen.more;
    if (seen.fresh) {
      this.records++;
    } else {
      this.repeats++;
    }
    const slot = r.userSlot ?? -1;
    let u = slot >= 0 ? this.bySlot[slot] : undefined;
    // The slot is only a hint: it must hold this very user object (slots of another read, or of
    // another feed of this one, mean other users).
    if (u === undefined || u.user !== r.user) {
      u = this.totalsOf(r.user, r.start);
      if (slot >= 0) {
        this.bySlot[slot] = u;
      }
    }
    if (r.unit === 'loginPass') {
      u.loginPasses += amount;
    } else if (r.unit === 'hours') {
      this.countsHours = true;
      u.hours += amount;
      // Peaks are maxima, so a repeated record cannot inflate them.
      if (r.peakLicenses !== undefined && r.peakLicenses > (u.peakLicenses ?? 0)) {
        u.peakLicenses = r.peakLicenses;
      }
      if (r.peakTokens !== undefined && r.peakTokens > (u.peakTokens ?? 0)) {
        u.peakTokens = r.peakTokens;
      }
    } else {
      u.capacityMinutes += amount;
    }
    if (r.start > u.lastUse) {
      u.lastUse = r.start;
    }
    if (this.byDay && amount > 0) {
      u.uses ??= [];
      u.uses.push(r.start, r.unit === 'loginPass' ? amount : 0, r.unit === 'capacityMinutes' ? amount : 0);
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

  /** The user's totals, found by id; new ones (last use at `start`) for a user not seen yet. */
  private totalsOf(user: User, start: number): UserUsage {
    let u = this.byUser.get(user.id);
    if (!u) {
      u = { user, loginPasses: 0, capacityMinutes: 0, hours: 0, lastUse: start };
      this.byUser.set(user.id, u);
    }
    return u;
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
    if (!this.byDay) {
      throw new Error('This tally keeps no uses: create it with { byDay: true }.');
    }
    // Only uses with an amount are kept: a user seen only in records of 0 (a Cloud session that
    // drew no capacity) has none.
    const uses = u.uses ?? [];
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

  /** Whether any `hours` record was counted: the ranking is then by hours of license use. */
  get hasHours(): boolean {
    return this.countsHours;
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
