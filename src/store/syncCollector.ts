/**
 * Turns one sync's stream of usage pages into a delta: deduplicated by record id against what
 * the store holds, folded per user and UTC day. A 300,000-record sync is held as five compact
 * columns (about 30 bytes a record), never as the records themselves.
 */
import { utcDay } from '../core/history';
import type { UsageRecord, User } from '../core/model';
import { hash53 } from '../core/hash53';
import type { DayIds, DraftRow } from './segmentFormat';
import type { SegmentView } from './segmentSet';

/** The record ids (hashed) the store already holds for the days that can still change. */
export class IdIndex {
  private readonly byDay = new Map<number, DayIds[]>();

  /** Loads the ids of days from `fromDay` on out of the view's month files and deltas. */
  static async load(view: SegmentView, fromDay: number): Promise<IdIndex> {
    const index = new IdIndex();
    const sources = view.sources.filter((f) => f.header.idFirstDay !== null && f.lastDay >= fromDay);
    const all = await Promise.all(sources.map((f) => f.ids()));
    for (const days of all) {
      for (const d of days) {
        if (d.day >= fromDay) {
          const list = index.byDay.get(d.day) ?? [];
          list.push(d);
          index.byDay.set(d.day, list);
        }
      }
    }
    return index;
  }

  /** The largest amount counted for a record id on a day, or -1 when it was never seen. */
  amount(day: number, hash: number): number {
    const lists = this.byDay.get(day);
    let best = -1;
    for (const l of lists ?? []) {
      const i = findHash(l.hashes, hash);
      if (i >= 0) {
        best = Math.max(best, l.amounts[i] ?? 0);
      }
    }
    return best;
  }
}

function findHash(sorted: Float64Array, h: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid] as number;
    if (v < h) {
      lo = mid + 1;
    } else if (v > h) {
      hi = mid - 1;
    } else {
      return mid;
    }
  }
  return -1;
}

/** Counts of what a sync's records did. */
export interface CollectedCounts {
  /** Records counted for the first time. */
  readonly added: number;
  /** Records seen before with a smaller amount (a capacity session that grew): the difference was added. */
  readonly updated: number;
  /** Records already counted (by an earlier sync, or earlier in this one). */
  readonly duplicates: number;
  /** Records on days older than the store still accepts (their ids are no longer kept). */
  readonly tooOld: number;
  /** Records with no usable start or amount, or starting well after the sync itself. */
  readonly invalid: number;
}

/** What the collector hands the delta writer. */
export interface CollectedUsage extends CollectedCounts {
  readonly rows: DraftRow[];
  readonly ids: DayIds[];
  readonly firstDay: number | null;
  readonly lastDay: number | null;
}

const UNIT_LOGIN = 0;
const UNIT_CAPACITY = 1;
/**
 * License Statistics hours of license use. Kept in the time column as minutes (hours × 60), the
 * unit that column counts for every source, under a key of their own so an hours row never
 * deduplicates against a capacity session that happens to share its id.
 */
const UNIT_HOURS = 2;

/** The unit's key in the id hash and the columns. */
function unitOf(r: UsageRecord): number {
  return r.unit === 'loginPass' ? UNIT_LOGIN : r.unit === 'hours' ? UNIT_HOURS : UNIT_CAPACITY;
}

/** Growable columns of candidate records. */
class CandidateColumns {
  n = 0;
  day = new Int32Array(1024);
  hash = new Float64Array(1024);
  amount = new Float64Array(1024);
  user = new Uint32Array(1024);
  unit = new Uint8Array(1024);

  push(day: number, hash: number, amount: number, user: number, unit: number): void {
    if (this.n === this.day.length) {
      const grow = <T extends Int32Array | Float64Array | Uint32Array | Uint8Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.day = grow(this.day);
      this.hash = grow(this.hash);
      this.amount = grow(this.amount);
      this.user = grow(this.user);
      this.unit = grow(this.unit);
    }
    const i = this.n++;
    this.day[i] = day;
    this.hash[i] = hash;
    this.amount[i] = amount;
    this.user[i] = user;
    this.unit[i] = unit;
  }
}

export class SyncCollector {
  private readonly cols = new CandidateColumns();
  private readonly userRows = new Map<string, number>();
  private readonly users: User[] = [];
  private duplicates = 0;
  private tooOld = 0;
  private invalid = 0;

  /**
   * @param openFromDay records on earlier days are refused (their ids are no longer kept).
   * @param lastDay records on later days are refused (a start after the sync is a server's clock gone wrong).
   * @param known ids already stored, to drop repeats while streaming; `finish` checks again.
   */
  constructor(
    private readonly openFromDay: number,
    private readonly lastDay: number,
    private readonly loginPassCost: number,
    private readonly known: IdIndex,
  ) {
    if (!Number.isFinite(loginPassCost) || loginPassCost < 0) {
      throw new RangeError(`A login pass cost must be a non-negative number of tokens, not ${loginPassCost}.`);
    }
  }

  /** Records fed so far that may still count. */
  get pending(): number {
    return this.cols.n;
  }

  add(page: readonly UsageRecord[]): void {
    for (const r of page) {
      const day = utcDay(r.start);
      if (!Number.isFinite(day) || !Number.isFinite(r.amount) || r.amount < 0 || day > this.lastDay) {
        this.invalid++;
        continue;
      }
      if (day < this.openFromDay) {
        this.tooOld++;
        continue;
      }
      const unit = unitOf(r);
      // The unit is part of the key: login, capacity and hours records come from different server tables.
      const hash = hash53(`${unit}:${r.id}`);
      if (this.known.amount(day, hash) >= r.amount) {
        this.duplicates++;
        continue;
      }
      let row = this.userRows.get(r.user.id);
      if (row === undefined) {
        row = this.users.length;
        this.userRows.set(r.user.id, row);
        this.users.push(r.user);
      } else {
        this.users[row] = r.user; // the latest name wins
      }
      this.cols.push(day, hash, r.amount, row, unit);
    }
  }

  /**
   * Dedups what was collected (within the sync, and against `latest`: the ids as they are under
   * the write lock, which may include a sync another window committed meanwhile) and folds it.
   */
  finish(latest: IdIndex): CollectedUsage {
    const c = this.cols;
    const order = new Uint32Array(c.n);
    for (let i = 0; i < c.n; i++) {
      order[i] = i;
    }
    // Same day and hash together, largest amount first: the first of a run is the one to keep.
    order.sort((a, b) => (c.day[a] as number) - (c.day[b] as number) || (c.hash[a] as number) - (c.hash[b] as number) || (c.amount[b] as number) - (c.amount[a] as number));

    let added = 0, updated = 0, duplicates = this.duplicates;
    const cellIndex = new Map<number, number>();
    const cellUser: number[] = [], cellDay: number[] = [], cellLp: number[] = [], cellTok: number[] = [], cellCap: number[] = [];
    const ids: DayIds[] = [];
    let idHashes: number[] = [], idAmounts: number[] = [], idDay = NaN;
    const flushIds = () => {
      if (idHashes.length) {
        ids.push({ day: idDay, hashes: Float64Array.from(idHashes), amounts: Float64Array.from(idAmounts) });
      }
      idHashes = [];
      idAmounts = [];
    };
    let firstDay: number | null = null, lastDay: number | null = null;
    let prevDay = NaN, prevHash = NaN;
    for (let k = 0; k < order.length; k++) {
      const i = order[k] as number;
      const day = c.day[i] as number, hash = c.hash[i] as number, amount = c.amount[i] as number;
      if (day === prevDay && hash === prevHash) {
        duplicates++;
        continue;
      }
      prevDay = day;
      prevHash = hash;
      const before = latest.amount(day, hash);
      if (before >= amount) {
        duplicates++;
        continue;
      }
      const delta = amount - Math.max(before, 0);
      if (before >= 0) {
        updated++;
      } else {
        added++;
      }
      if (day !== idDay) {
        flushIds();
        idDay = day;
      }
      idHashes.push(hash);
      idAmounts.push(amount);
      firstDay = firstDay === null ? day : Math.min(firstDay, day);
      lastDay = lastDay === null ? day : Math.max(lastDay, day);
      const user = c.user[i] as number;
      const key = user * 2_097_152 + (day - this.openFromDay);
      let cell = cellIndex.get(key);
      if (cell === undefined) {
        cell = cellUser.length;
        cellIndex.set(key, cell);
        cellUser.push(user);
        cellDay.push(day);
        cellLp.push(0);
        cellTok.push(0);
        cellCap.push(0);
      }
      if (c.unit[i] === UNIT_LOGIN) {
        cellLp[cell] = (cellLp[cell] ?? 0) + delta;
        cellTok[cell] = (cellTok[cell] ?? 0) + delta * this.loginPassCost;
      } else {
        cellCap[cell] = (cellCap[cell] ?? 0) + (c.unit[i] === UNIT_HOURS ? delta * 60 : delta);
      }
    }
    flushIds();

    const cells = Uint32Array.from(cellUser.keys());
    cells.sort((a, b) => (cellUser[a] as number) - (cellUser[b] as number) || (cellDay[a] as number) - (cellDay[b] as number));
    const rows: DraftRow[] = [];
    let row: { user: User; days: number[]; loginPasses: number[]; tokens: number[]; capacityMinutes: number[] } | null = null;
    let rowUser = -1;
    for (const cell of cells) {
      const u = cellUser[cell] as number;
      if (u !== rowUser) {
        row = { user: this.users[u] as User, days: [], loginPasses: [], tokens: [], capacityMinutes: [] };
        rows.push(row);
        rowUser = u;
      }
      row?.days.push(cellDay[cell] as number);
      row?.loginPasses.push(cellLp[cell] as number);
      row?.tokens.push(cellTok[cell] as number);
      row?.capacityMinutes.push(cellCap[cell] as number);
    }
    return { added, updated, duplicates, tooOld: this.tooOld, invalid: this.invalid, rows, ids, firstDay, lastDay };
  }
}
