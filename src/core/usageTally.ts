import { utcDay } from './history';
import type { UsageRecord, UsageWindow, User } from './model';
import { RecordIdSet } from './recordIdSet';

/** What one user consumed inside a window. */
export interface UserUsage {
  readonly user: User;
  loginPasses: number;
  capacityMinutes: number;
  /** Latest start of use seen, epoch ms. */
  lastUse: number;
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

  constructor(readonly window: UsageWindow) {}

  /** Adds a page; records outside the window are ignored, repeats counted once. */
  add(page: readonly UsageRecord[]): void {
    for (const r of page) {
      if (r.start < this.window.from || r.start >= this.window.to) {
        continue;
      }
      const seen = this.seen.add(r.unit, r.id, utcDay(r.start), r.amount);
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
    }
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
