import type { UsageRecord, UsageWindow, User } from './model';

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
 * at a time instead of the whole window.
 */
export class UsageTally {
  private readonly byUser = new Map<string, UserUsage>();
  private records = 0;

  constructor(readonly window: UsageWindow) {}

  /**
   * Adds a page; records outside the window are ignored. Sources hand each record over once
   * (a source that pages is the one that knows where pages can overlap), so the tally keeps no
   * set of 300,000 ids: that alone cost more than the rest of a sync.
   */
  add(page: readonly UsageRecord[]): void {
    for (const r of page) {
      if (r.start < this.window.from || r.start >= this.window.to) {
        continue;
      }
      this.records++;
      let u = this.byUser.get(r.user.id);
      if (!u) {
        u = { user: r.user, loginPasses: 0, capacityMinutes: 0, lastUse: r.start };
        this.byUser.set(r.user.id, u);
      }
      if (r.unit === 'loginPass') {
        u.loginPasses += r.amount;
      } else {
        u.capacityMinutes += r.amount;
      }
      if (r.start > u.lastUse) {
        u.lastUse = r.start;
      }
    }
  }

  /** Records counted so far. */
  get recordCount(): number {
    return this.records;
  }

  /** Per-user totals keyed by the system's user id. */
  users(): ReadonlyMap<string, UserUsage> {
    return this.byUser;
  }
}
