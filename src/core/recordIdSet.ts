/**
 * The usage records one sync has counted, by (unit, record id, UTC day): the key the history
 * store deduplicates on, so a ranking and the store it feeds never disagree about a repeat.
 * Ids are kept as 53-bit hashes in flat typed arrays (open addressing): a 1.5-million-record
 * window costs about 70 MB less than a Set of GUID strings and no per-record allocation.
 */
import { hash53 } from './hash53';
import type { UsageUnit } from './model';

/**
 * Int32 fields per slot, side by side so that a probe touches one cache line: the hash's low
 * 32 bits, its high 21 bits plus one (0 marks an empty slot, so a fresh array is an empty table
 * and growing needs no fill pass), the day, and the amount when it is a whole number (login
 * passes, capacity minutes) or {@link EXACT} when it lives in the `exact` array instead.
 */
const STRIDE = 4;
const EXACT = -1;
const INITIAL_SLOTS = 1 << 14;
const TWO_32 = 4294967296;

/** What adding a record found. */
export type SeenRecord =
  /** Never seen in this sync: count it whole. */
  | { readonly fresh: true }
  /** Seen before: count only `more` (a capacity session that grew), 0 for a plain repeat. */
  | { readonly fresh: false; readonly more: number };

// Shared answers: the common outcomes allocate nothing, which matters at a million records.
const FRESH: SeenRecord = Object.freeze({ fresh: true });
const REPEAT: SeenRecord = Object.freeze({ fresh: false, more: 0 });

export class RecordIdSet {
  private keys = new Int32Array(INITIAL_SLOTS * STRIDE);
  /** Amounts that are not whole numbers (hours), by slot; made when the first one comes. */
  private exact: Float64Array | undefined;
  private mask = INITIAL_SLOTS - 1;
  private count = 0;

  /** Records held. */
  get size(): number {
    return this.count;
  }

  /**
   * Notes a record and says whether it is new. A repeat with a larger amount keeps the larger
   * one, as the store does: the later answer about a capacity session knows more of it.
   */
  add(unit: UsageUnit, id: string, day: number, amount: number): SeenRecord {
    // Full to three quarters before it doubles: a fresh record's probe then reads about two
    // cache lines, and a table half as large is half the fresh memory a sync touches (at 1.5
    // million records, 34 MB instead of 67 MB), which costs more on a virtual machine than the probes.
    if ((this.count + 1) * 4 > (this.mask + 1) * 3) {
      this.grow();
    }
    // The unit is part of the key (login and capacity records come from different server
    // tables); as the hash's seed it costs no string per record.
    const hash = hash53(id, unit === 'loginPass' ? 0 : 1);
    const lo = hash | 0;
    const hi = Math.floor(hash / TWO_32) + 1;
    const keys = this.keys;
    const mask = this.mask;
    for (let i = slotOf(lo, day, mask); ; i = (i + 1) & mask) {
      const k = i * STRIDE;
      const h = keys[k + 1] as number;
      if (h === 0) {
        keys[k] = lo;
        keys[k + 1] = hi;
        keys[k + 2] = day;
        this.setAmount(i, amount);
        this.count++;
        return FRESH;
      }
      if (h === hi && keys[k] === lo && keys[k + 2] === day) {
        const before = this.amountAt(i);
        if (amount > before) {
          this.setAmount(i, amount);
          return { fresh: false, more: amount - before };
        }
        return REPEAT;
      }
    }
  }

  private amountAt(slot: number): number {
    const whole = this.keys[slot * STRIDE + 3] as number;
    return whole === EXACT ? ((this.exact?.[slot] ?? 0) as number) : whole;
  }

  private setAmount(slot: number, amount: number): void {
    if (amount >= 0 && amount === (amount | 0)) {
      this.keys[slot * STRIDE + 3] = amount;
      return;
    }
    this.exact ??= new Float64Array(this.mask + 1);
    this.exact[slot] = amount;
    this.keys[slot * STRIDE + 3] = EXACT;
  }

  private grow(): void {
    const { keys, exact } = this;
    const slots = (this.mask + 1) * 2;
    const next = new Int32Array(slots * STRIDE);
    const nextExact = exact ? new Float64Array(slots) : undefined;
    const mask = slots - 1;
    for (let k = 0; k < keys.length; k += STRIDE) {
      const hi = keys[k + 1] as number;
      if (hi === 0) {
        continue;
      }
      const lo = keys[k] as number;
      const day = keys[k + 2] as number;
      let i = slotOf(lo, day, mask);
      while (next[i * STRIDE + 1] !== 0) {
        i = (i + 1) & mask;
      }
      next[i * STRIDE] = lo;
      next[i * STRIDE + 1] = hi;
      next[i * STRIDE + 2] = day;
      next[i * STRIDE + 3] = keys[k + 3] as number;
      if (nextExact && exact) {
        nextExact[i] = exact[k / STRIDE] as number;
      }
    }
    this.keys = next;
    this.exact = nextExact;
    this.mask = mask;
  }
}

function slotOf(lo: number, day: number, mask: number): number {
  // The low 32 bits of a cyrb53 hash are well mixed; the day spreads one id's days apart.
  return (lo ^ Math.imul(day, 0x9e3779b1)) & mask;
}
