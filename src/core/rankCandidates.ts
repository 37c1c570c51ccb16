import type { Allocation, User } from './model';

/** The hours-ranking fields of one row. */
export interface HoursFacts {
  readonly hoursUsed: number;
  readonly peakLicenses: number | null;
  readonly peakTokens: number | null;
  readonly denials: number;
}

/**
 * Everyone a ranking ranks, as columns: what each row will hold and what the ranking sorts by,
 * gathered before any row is made. Rows made first lived through every garbage collection the
 * sorting caused, and each one copied all 80,000 of them; made last, in rank order, they are
 * copied at most once.
 */
export class RankCandidates {
  /** How many were added. */
  count = 0;
  readonly users: User[];
  readonly loginPasses: Float64Array;
  /** Login passes × their token cost, in thousandths: 14 × 0.1 is 1.4, not 1.4000000000000001. */
  readonly tokens: Float64Array;
  readonly capacityMinutes: Float64Array;
  readonly allocations: (readonly Allocation[])[];
  /** Hours-ranking facts, in a ranking by hours only (null otherwise: every row's would be absent). */
  readonly hours: (HoursFacts | undefined)[] | null;
  private readonly hoursUsed: Float64Array | null;
  private readonly denials: Float64Array | null;
  private readonly lastUses: Float64Array;
  private readonly lastUseKnown: Uint8Array;

  /** Room for at most `max` candidates; `byHours` when some will have hours facts. */
  constructor(
    max: number,
    private readonly loginPassCost: number,
    byHours: boolean,
  ) {
    this.users = new Array<User>(max);
    this.loginPasses = new Float64Array(max);
    this.tokens = new Float64Array(max);
    this.capacityMinutes = new Float64Array(max);
    this.allocations = new Array<readonly Allocation[]>(max);
    this.hours = byHours ? new Array<HoursFacts | undefined>(max) : null;
    this.hoursUsed = byHours ? new Float64Array(max) : null;
    this.denials = byHours ? new Float64Array(max) : null;
    this.lastUses = new Float64Array(max);
    this.lastUseKnown = new Uint8Array(max);
  }

  add(user: User, loginPasses: number, capacityMinutes: number, lastUse: number | null, allocations: readonly Allocation[], hours: HoursFacts | undefined): void {
    const i = this.count++;
    this.users[i] = user;
    this.loginPasses[i] = loginPasses;
    this.tokens[i] = Math.round(loginPasses * this.loginPassCost * 1000) / 1000;
    this.capacityMinutes[i] = capacityMinutes;
    this.allocations[i] = allocations;
    if (this.hours && this.hoursUsed && this.denials) {
      this.hours[i] = hours;
      this.hoursUsed[i] = hours?.hoursUsed ?? 0;
      this.denials[i] = hours?.denials ?? 0;
    } else if (hours) {
      throw new Error('Hours facts for a ranking not by hours.');
    }
    if (lastUse !== null) {
      this.lastUses[i] = lastUse;
      this.lastUseKnown[i] = 1;
    }
  }

  lastUse(i: number): number | null {
    return this.lastUseKnown[i] === 1 ? (this.lastUses[i] as number) : null;
  }

  /**
   * The numbers the ranking sorts by, largest first, in turn: tokens, hours, denials, capacity
   * minutes. Hours and denials are all 0 outside a ranking by hours, and so decide nothing.
   */
  descending(): Float64Array[] {
    const n = this.count;
    const hours = this.hoursUsed && this.denials ? [this.hoursUsed.subarray(0, n), this.denials.subarray(0, n)] : [];
    return [this.tokens.subarray(0, n), ...hours, this.capacityMinutes.subarray(0, n)];
  }

  /** The users added, in order. */
  rankedUsers(): User[] {
    this.users.length = this.count;
    return this.users;
  }
}
