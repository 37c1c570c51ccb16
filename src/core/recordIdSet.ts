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
 * passes, capacity minutes) or {@link EXACT} when it lives in the `exact` array instead. The
 * log keeps its records in the same four fields.
 */
const STRIDE = 4;
const EXACT = -1;
const INITIAL_SLOTS = 1 << 14;
const TWO_32 = 4294967296;
/** Records per block of the log: a megabyte each, so the log never copies itself to grow. */
const LOG_BLOCK = 1 << 16;

/** Each unit hashes with a seed of its own: its records come from a server table of its own. */
const SEED: Readonly<Record<UsageUnit, number>> = { loginPass: 0, capacityMinutes: 1, hours: 2 };

/** What adding a record found. */
export type SeenRecord =
  /** Never seen in this sync: count it whole. */
  | { readonly fresh: true }
  /** Seen before: count only `more` (a capacity session that grew), 0 for a plain repeat. */
  | { readonly fresh: false; readonly more: number };

// Shared answers: the common outcomes allocate nothing, which matters at a million records.
const FRESH: SeenRecord = Object.freeze({ fresh: true });
const REPEAT: SeenRecord = Object.freeze({ fresh: false, more: 0 });

/** The records logged while ids came in order, before there is a table. */
interface OrderedLog {
  readonly blocks: Int32Array[];
  /** Amounts that are not whole numbers, by record number. */
  readonly exact: Map<number, number>;
  /** The highest id seen of each unit. */
  readonly lastId: Record<UsageUnit, string>;
}

export class RecordIdSet {
  /**
   * QRS pages come sorted by record id, so while each unit's ids keep rising a record cannot be
   * a repeat: it is only logged, front to back. The first id that does not rise (a repeat at a
   * page boundary, or a server that does not sort) turns the log into the table. A sync of
   * sorted pages thus never probes a table at random nor rehashes one as it grows, which
   * was most of what counting a record cost beyond reading it.
   */
  private log: OrderedLog | null = { blocks: [], exact: new Map(), lastId: { loginPass: '', capacityMinutes: '', hours: '' } };
  private keys = new Int32Array(0);
  /** Amounts that are not whole numbers (hours), by slot; made when the first one comes. */
  private exact: Float64Array | undefined;
  private mask = -1;
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
    const hash = hash53(id, SEED[unit]);
    const lo = hash | 0;
    const hi = Math.floor(hash / TWO_32) + 1;
    const log = this.log;
    if (log) {
      if (id > log.lastId[unit]) {
        log.lastId[unit] = id;
        this.append(log, lo, hi, day, amount);
        return FRESH;
      }
      this.settle(log);
    }
    return this.addToTable(lo, hi, day, amount);
  }

  private append(log: OrderedLog, lo: number, hi: number, day: number, amount: number): void {
    const n = this.count++;
    const at = (n % LOG_BLOCK) * STRIDE;
    if (at === 0) {
      log.blocks.push(new Int32Array(LOG_BLOCK * STRIDE));
    }
    const block = log.blocks[log.blocks.length - 1] as Int32Array;
    block[at] = lo;
    block[at + 1] = hi;
    block[at + 2] = day;
    if (isWhole(amount)) {
      block[at + 3] = amount;
    } else {
      block[at + 3] = EXACT;
      log.exact.set(n, amount);
    }
  }

  /** The table of every logged record, sized for them; the log is dropped. */
  private settle(log: OrderedLog): void {
    this.log = null;
    let slots = INITIAL_SLOTS;
    while ((this.count + 1) * 4 > slots * 3) {
      slots *= 2;
    }
    this.keys = new Int32Array(slots * STRIDE);
    this.mask = slots - 1;
    for (let n = 0; n < this.count; n++) {
      const block = log.blocks[Math.floor(n / LOG_BLOCK)] as Int32Array;
      const at = (n % LOG_BLOCK) * STRIDE;
      const lo = block[at] as number;
      const day = block[at + 2] as number;
      // Logged records are distinct: each needs an empty slot, never a comparison.
      const i = emptySlot(this.keys, lo, day, this.mask);
      this.keys[i * STRIDE] = lo;
      this.keys[i * STRIDE + 1] = block[at + 1] as number;
      this.keys[i * STRIDE + 2] = day;
      this.setAmount(i, block[at + 3] === EXACT ? (log.exact.get(n) ?? 0) : (block[at + 3] as number));
    }
  }

  private addToTable(lo: number, hi: number, day: number, amount: number): SeenRecord {
    // Full to three quarters before it doubles: a fresh record's probe then reads about two
    // cache lines, and a table half as large is half the fresh memory a sync touches, which
    // costs more on a virtual machine than the probes.
    if ((this.count + 1) * 4 > (this.mask + 1) * 3) {
      this.grow();
    }
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
    if (isWhole(amount)) {
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
      const i = emptySlot(next, lo, day, mask);
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

/** Amounts kept in an Int32 field: whole, not negative, and below 2^31. */
function isWhole(amount: number): boolean {
  return amount >= 0 && amount === (amount | 0);
}

/** The first empty slot from a key's own, for a key known not to be in `keys` yet. */
function emptySlot(keys: Int32Array, lo: number, day: number, mask: number): number {
  let i = slotOf(lo, day, mask);
  while (keys[i * STRIDE + 1] !== 0) {
    i = (i + 1) & mask;
  }
  return i;
}

function slotOf(lo: number, day: number, mask: number): number {
  // The low 32 bits of a cyrb53 hash are well mixed; the day spreads one id's days apart.
  return (lo ^ Math.imul(day, 0x9e3779b1)) & mask;
}
