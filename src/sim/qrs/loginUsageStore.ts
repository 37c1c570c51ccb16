import { indexedUuid } from '../prng';

/** A login-pass session as QRS nests it inside a usage record. */
export interface SimSession {
  readonly id: string;
  readonly sessionID: string;
  readonly createdDate: number;
  readonly modifiedDate: number;
  readonly latestActivity: number;
  readonly modifiedByUserName?: string;
}

/**
 * Everything about a record that cannot be derived from its index: the Qlik Community sample
 * carries real ids and sessions that must come back byte for byte.
 */
export interface LoginUsageLiteral {
  readonly id: string;
  readonly createdDate: number;
  readonly modifiedDate: number;
  readonly modifiedByUserName: string;
  readonly hostName: string;
  readonly serverNodeConfigurationId: string;
  readonly sessions: readonly SimSession[];
}

/** One consumed login access pass to add to the store. */
export interface LoginUsageInput {
  /** Index into the simulator's user list. */
  readonly userIndex: number;
  /** Index into the login access groups. */
  readonly groupIndex: number;
  readonly start: number;
  /** End of the pass; null when the server has not written one (the 2018 sample has none). */
  readonly stop: number | null;
  readonly latestActivity: number;
  /** 1-5 parallel sessions per pass (Qlik's cap). */
  readonly sessionCount: number;
  readonly literal?: LoginUsageLiteral;
}

const STREAM_RECORD = 11;
const STREAM_SESSION = 12;
const STREAM_SESSION_ID = 13;

/**
 * Login-pass usage held column-wise in typed arrays (about 30 bytes a record): 300,000
 * records stay a few megabytes and a filter scan touches no objects. Ids and sessions are
 * recomputed from the record index on demand.
 */
export class LoginUsageStore {
  private userIdx = new Int32Array(0);
  private groupIdx = new Uint16Array(0);
  private starts = new Float64Array(0);
  private stops = new Float64Array(0);
  private latest = new Float64Array(0);
  private sessionCounts = new Uint8Array(0);
  private length = 0;
  private readonly literals = new Map<number, LoginUsageLiteral>();
  private idIndex: Map<string, number> | undefined;
  private sorted = true;
  private revision = 0;

  constructor(
    private readonly seed: number,
    capacity = 1024,
  ) {
    this.grow(Math.max(16, capacity));
  }

  /** Number of records. */
  get size(): number {
    return this.length;
  }

  /** Changes whenever a record is added, so cached query results can be dropped. */
  get version(): number {
    return this.revision;
  }

  /** True while records are in `useStartTime` order, so sorting by it costs nothing. */
  get sortedByStart(): boolean {
    return this.sorted;
  }

  private grow(capacity: number): void {
    const copy = <T extends Int32Array | Uint16Array | Float64Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old.subarray(0, this.length));
      return next;
    };
    this.userIdx = copy(this.userIdx, (n) => new Int32Array(n));
    this.groupIdx = copy(this.groupIdx, (n) => new Uint16Array(n));
    this.starts = copy(this.starts, (n) => new Float64Array(n));
    this.stops = copy(this.stops, (n) => new Float64Array(n));
    this.latest = copy(this.latest, (n) => new Float64Array(n));
    this.sessionCounts = copy(this.sessionCounts, (n) => new Uint8Array(n));
  }

  /** Appends a record and returns its index. */
  add(input: LoginUsageInput): number {
    if (this.length === this.starts.length) {
      this.grow(this.starts.length * 2);
    }
    const i = this.length++;
    this.userIdx[i] = input.userIndex;
    this.groupIdx[i] = input.groupIndex;
    this.starts[i] = input.start;
    this.stops[i] = input.stop ?? Number.NaN;
    this.latest[i] = input.latestActivity;
    this.sessionCounts[i] = Math.min(5, Math.max(1, input.sessionCount));
    if (input.literal) {
      this.literals.set(i, input.literal);
    }
    if (i > 0 && input.start < (this.starts[i - 1] ?? 0)) {
      this.sorted = false;
    }
    this.idIndex?.set(this.idAt(i), i);
    this.revision++;
    return i;
  }

  userIndexAt(i: number): number {
    return this.userIdx[i] ?? -1;
  }

  groupIndexAt(i: number): number {
    return this.groupIdx[i] ?? 0;
  }

  startAt(i: number): number {
    return this.starts[i] ?? 0;
  }

  /** Null when the record has no stop time. */
  stopAt(i: number): number | null {
    const v = this.stops[i] ?? Number.NaN;
    return Number.isNaN(v) ? null : v;
  }

  latestActivityAt(i: number): number {
    return this.latest[i] ?? 0;
  }

  literalAt(i: number): LoginUsageLiteral | undefined {
    return this.literals.get(i);
  }

  idAt(i: number): string {
    return this.literals.get(i)?.id ?? indexedUuid(this.seed, STREAM_RECORD, i);
  }

  /** The record's last change: the latest session activity, as the repository stamps it. */
  modifiedAt(i: number): number {
    return this.literals.get(i)?.modifiedDate ?? this.latestActivityAt(i);
  }

  createdAt(i: number): number {
    return this.literals.get(i)?.createdDate ?? this.startAt(i);
  }

  /** Index of a record id, building the lookup on first use (most runs never need it). */
  indexOf(id: string): number | undefined {
    if (!this.idIndex) {
      this.idIndex = new Map();
      for (let i = 0; i < this.length; i++) {
        this.idIndex.set(this.idAt(i), i);
      }
    }
    return this.idIndex.get(id.toLowerCase());
  }

  /** The record's sessions, spread evenly from the pass start to its latest activity. */
  sessionsAt(i: number): SimSession[] {
    const literal = this.literals.get(i);
    if (literal) {
      return [...literal.sessions];
    }
    const n = this.sessionCounts[i] ?? 1;
    const start = this.startAt(i);
    const span = this.latestActivityAt(i) - start;
    const sessions: SimSession[] = [];
    for (let k = 0; k < n; k++) {
      const created = start + Math.floor((span * k) / n);
      const activity = k === n - 1 ? start + span : start + Math.floor((span * (k + 1)) / n);
      sessions.push({
        id: indexedUuid(this.seed, STREAM_SESSION, i * 8 + k),
        sessionID: indexedUuid(this.seed, STREAM_SESSION_ID, i * 8 + k),
        createdDate: created,
        modifiedDate: start + span,
        latestActivity: activity,
      });
    }
    return sessions;
  }

  /** Counts records per group whose pass started at or after `since` (the 28-day window). */
  countByGroupSince(since: number, groups: number): number[] {
    const counts: number[] = Array.from({ length: groups }, () => 0);
    for (let i = 0; i < this.length; i++) {
      if ((this.starts[i] ?? 0) >= since) {
        const g = this.groupIdx[i] ?? 0;
        counts[g] = (counts[g] ?? 0) + 1;
      }
    }
    return counts;
  }
}
