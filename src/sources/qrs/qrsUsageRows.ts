/**
 * Reads QRS usage tables (`/table` pages of login-pass and capacity records) into compact usage
 * records, row by row: the one code that runs for each of a large site's 1.5 million rows.
 */
import { boundName } from '../../core/displayText';
import { userKey, type UsageRecord, type UsageUnit, type User } from '../../core/model';
import { ABSENT, GuidIndex, NOT_GUID } from './guidIndex';
import { parseQrsDate } from './qrsMapping';
import { QrsProtocolError } from './qrsErrors';

/** Analyzer capacity is consumed in started 6-minute units (reference §3). */
const CAPACITY_UNIT_MINUTES = 6;

/**
 * Capacity minutes one usage record costs: every started 6-minute unit of the record's span
 * counts whole. This is an approximation (reference §3, UNVERIFIED): the license server counts
 * units of *activity*, and idle stretches inside a span are free there but counted here.
 * @param end the stop time, or the latest activity of a running record
 */
export function capacityMinutes(start: number, end: number | null): number {
  const minutes = end === null ? 0 : Math.max(0, end - start) / 60_000;
  // A record exists only once use started, and a started unit is a consumed unit.
  const units = Math.max(1, Math.ceil(minutes / CAPACITY_UNIT_MINUTES));
  return units * CAPACITY_UNIT_MINUTES;
}

/** Which `/table` columns hold what; definitions double as column names. */
export interface UsageColumns {
  readonly id: string;
  readonly userGuid: string;
  readonly userId: string;
  readonly userDirectory: string;
  readonly userName: string;
  readonly start: string;
  /** Only capacity records use it: a login pass counts once, however long it ran. */
  readonly stop?: string;
  /** Only capacity records use it, to cost records that have not stopped. */
  readonly latestActivity?: string;
  readonly pool: string;
}

/** A non-empty string cell, or undefined (absent column, null, number, empty). */
function cellText(row: readonly unknown[], index: number): string | undefined {
  if (index < 0) {
    return undefined;
  }
  const cell = row[index];
  return typeof cell === 'string' && cell.length > 0 ? cell : undefined;
}

/** Where each usage column sits in one page's rows; -1 for a column the feed does not read. */
interface CellPositions {
  readonly id: number;
  readonly guid: number;
  readonly userId: number;
  readonly directory: number;
  readonly name: number;
  readonly start: number;
  readonly stop: number;
  readonly latest: number;
  readonly pool: number;
}

type MutableRecord = { -readonly [K in keyof UsageRecord]: UsageRecord[K] };

/** Stands in for the user of a scratch record no row has filled yet; never passed on. */
const NO_USER: User = { id: '', directory: '', userId: '', name: '' };

/**
 * The users of one usage read, each one `User` object with its slot (`UsageRecord.userSlot`),
 * however many rows name them.
 */
export class UsageUsers {
  /** Slots by GUID: the lookup of nearly every row. */
  private readonly byGuid = new GuidIndex();
  /** Slots by any other key: a GUID not in QRS's form, or `DIR\id` for a row without one. */
  private readonly byKey = new Map<string, number>();
  /** Users by slot. */
  private readonly users: User[] = [];

  /**
   * The slot of the row's user; -1 when the row names no user. Cells beyond the GUID are read
   * once per user.
   */
  slotOf(row: readonly unknown[], guidAt: number, dirAt: number, userIdAt: number, nameAt: number): number {
    const guid = cellText(row, guidAt);
    let found = NOT_GUID;
    if (guid !== undefined) {
      found = this.byGuid.find(guid);
      if (found >= 0) {
        return found;
      }
    }
    const directory = cellText(row, dirAt);
    const userId = cellText(row, userIdAt);
    if (userId === undefined || directory === undefined) {
      return -1;
    }
    const key = guid ?? userKey({ directory, userId });
    if (found === ABSENT) {
      this.byGuid.add(key, this.users.length);
    } else {
      const known = this.byKey.get(key);
      if (known !== undefined) {
        return known;
      }
      this.byKey.set(key, this.users.length);
    }
    return this.users.push({ id: key, directory, userId, name: boundName(cellText(row, nameAt) ?? userId) }) - 1;
  }

  /** The user of a slot `slotOf` gave. */
  at(slot: number): User {
    return this.users[slot] as User;
  }
}

/**
 * Maps `/table` rows of one usage kind into compact records. One mapper lives for a whole
 * `usage()` run, so a user who appears in 10,000 rows is one `User` object, and pool names are
 * one string each.
 */
export class UsageRowMapper {
  private readonly pools = new Map<string, string>();
  private lastPool: string | undefined;
  /** Rows that cannot be counted, by reason ("without a record id"); left out, and reported by the source. */
  readonly dropped = new Map<string, number>();
  /** The one record `forEachRecord` refills for every row. */
  private scratch: MutableRecord | undefined;

  /**
   * @param unit what the records count
   * @param users the read's users, shared by the mappers of its feeds so that a user with both
   *   login passes and capacity minutes is one `User` with one slot
   */
  constructor(
    private readonly unit: UsageUnit,
    private readonly columns: UsageColumns,
    private readonly users = new UsageUsers(),
  ) {}

  /**
   * Maps one page. Column positions are looked up by name on every page: the server, not the
   * request, decides the order.
   * @param request for error messages
   */
  mapPage(columnNames: readonly string[], rows: readonly (readonly unknown[])[], request: string): UsageRecord[] {
    const at = this.positions(columnNames, request);
    const records: UsageRecord[] = [];
    for (const row of rows) {
      const record = this.blank();
      if (this.read(row, at, record)) {
        records.push(record);
      }
    }
    return records;
  }

  /**
   * Reads one page as `mapPage` does, but hands each record to `visit` instead of collecting
   * them, in ONE object refilled for every row: `visit` must copy what it keeps. A sync that only
   * tallies then allocates nothing per row, and holds no page of records beside the page of rows.
   * @param request for error messages
   */
  forEachRecord(columnNames: readonly string[], rows: readonly (readonly unknown[])[], request: string, visit: (record: UsageRecord) => void): void {
    const at = this.positions(columnNames, request);
    const scratch = (this.scratch ??= this.blank());
    for (const row of rows) {
      if (this.read(row, at, scratch)) {
        visit(scratch);
      }
    }
  }

  private positions(columnNames: readonly string[], request: string): CellPositions {
    const at = (name: string | undefined): number => {
      if (name === undefined) {
        return -1;
      }
      const index = columnNames.indexOf(name);
      if (index < 0) {
        throw new QrsProtocolError(request, 'a usage table', `column "${name}" is missing`);
      }
      return index;
    };
    const c = this.columns;
    return {
      id: at(c.id),
      guid: at(c.userGuid),
      userId: at(c.userId),
      directory: at(c.userDirectory),
      name: at(c.userName),
      start: at(c.start),
      stop: at(c.stop),
      latest: at(c.latestActivity),
      pool: at(c.pool),
    };
  }

  /** A record with every field present, in one order: all records then share one shape. */
  private blank(): MutableRecord {
    return { id: '', user: NO_USER, start: 0, stop: null, unit: this.unit, amount: 0, pool: null, userSlot: -1 };
  }

  /**
   * Fills `out` from one row; false (and the row counted as dropped) when the row cannot be
   * counted. This runs once per usage row, 1.5 million times on a large site: no closures, no
   * lookups it can skip.
   */
  private read(row: readonly unknown[], at: CellPositions, out: MutableRecord): boolean {
    const recordId = cellText(row, at.id);
    const startMs = parseQrsDate(cellText(row, at.start));
    const slot = this.users.slotOf(row, at.guid, at.directory, at.userId, at.name);
    if (recordId === undefined || startMs === null || slot < 0) {
      this.drop(recordId === undefined ? 'without a readable record id' : slot < 0 ? 'without a readable user' : 'without a readable start time');
      return false;
    }
    const stopMs = at.stop < 0 ? null : parseQrsDate(cellText(row, at.stop));
    out.id = recordId;
    out.user = this.users.at(slot);
    out.userSlot = slot;
    out.start = startMs;
    out.stop = stopMs;
    out.amount = this.unit === 'loginPass' ? 1 : capacityMinutes(startMs, stopMs ?? parseQrsDate(cellText(row, at.latest)));
    out.pool = this.intern(cellText(row, at.pool));
    return true;
  }

  private drop(reason: string): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + 1);
  }

  private intern(pool: string | undefined): string | null {
    if (pool === undefined) {
      return null;
    }
    // A site has a handful of pools: comparing with the last one spares most rows a hash lookup.
    if (pool === this.lastPool) {
      return this.lastPool;
    }
    const known = this.pools.get(pool);
    if (known !== undefined) {
      this.lastPool = known;
      return known;
    }
    this.pools.set(pool, pool);
    this.lastPool = pool;
    return pool;
  }
}
