/**
 * The usage-history store of one connection: what every sync saw, kept beyond the servers'
 * retention windows (QRS keeps about 28 days of login passes), plus the audit log.
 *
 * Format, and why:
 * - Files, not a database. An embedded database worth having here (SQLite, LevelDB) is a native
 *   module: one build per OS and architecture inside the VSIX, or WebAssembly megabytes plus a
 *   memory file system. The access pattern is narrow (append a sync, read series by user or day)
 *   and a purpose-built layout answers it faster than a general engine would.
 * - Immutable binary segments. Each sync writes one delta segment (`d-<seq>.seg`); compaction
 *   folds deltas into one segment per month (`m-YYYY-MM-g<gen>.seg`) and deletes months past the
 *   retention; the allocations last seen outlive their delta in `a-<seq>.seg`. A file is written
 *   once (temp + fsync + rename + directory fsync) and never modified, so a reader needs no lock
 *   and a crash leaves the old file or the whole new one. Which files count is decided from names
 *   and headers alone (segmentSet.ts), so there is no manifest that could itself be torn.
 * - Columnar-ish inside (segmentFormat.ts): a lookup of user hashes to block offsets, one block
 *   of (day, passes, minutes, tokens) cells per user, per-user and per-day totals precomputed.
 *   One user's series reads the lookup (28 bytes a user, cached) and a few hundred bytes per
 *   month; the site's totals read 24 bytes per day; neither parses JSON nor touches other users.
 *   For a year of 10,000 users (bench/history.ts) a fresh store answers either in about 10 ms,
 *   where scanning the same segments takes 110-190 ms and JSON lines of the same cells 0.6-6 s.
 * - Checksums everywhere: CRC-32 of the header, of each section and of each user's block, checked
 *   on every read. A segment that fails is moved to `corrupt/` with a warning and the query runs
 *   again without it; the rest of the store keeps loading.
 * - Deduplication by record id: the ids (53-bit hashes, with the amount counted) of days that can
 *   still receive records (`openDays`, 90 by default; servers send 28 to 60) are kept beside the
 *   data; older days are sealed and records for them refused, so ids never pile up.
 *
 * Writers take a lock file (writeLock.ts) so two VS Code windows or a scheduled CLI never
 * interleave; a sync holds it only to write its delta, not while pages stream in.
 */
import { mkdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import {
  compareUsageDescending,
  DailyAccumulator,
  daySpanOf,
  dayStart,
  IdleDays,
  intersectSpans,
  retentionStartDay,
  utcDay,
  type DailyPoint,
  type DaySpan,
  type PoolTotals,
  type SitePoint,
  type UserSeries,
} from '../core/history';
import { LocalError } from '../core/errors';
import type { AuditEntry } from '../core/historyAudit';
import { diffAllocations, keptSnapshot, snapshotOf, type AllocationEvent, type AllocationSnapshotEntry } from '../core/historyEvents';
import { silentLogger, type Logger } from '../core/logger';
import { userKey, type Allocation, type PassKind, type UsageRecord, type UsageWindow, type User } from '../core/model';
import { writeFileAtomic } from './atomicFile';
import { AUDIT_FILE, appendAuditEntry, readAuditEntries } from './auditLog';
import { compactSegments, type CompactionResult } from './compaction';
import { blockUser, CorruptSegmentError, encodeSegment, forEachCell, userHash, type StoredSnapshot } from './segmentFormat';
import type { SegmentFile } from './segmentFile';
import { deltaFileName, SegmentSet, type SegmentView } from './segmentSet';
import { IdIndex, SyncCollector, type CollectedCounts } from './syncCollector';
import { errnoOf, isDirGone, storeMissingError, withWriteLock } from './writeLock';

export type { CompactionResult } from './compaction';

/** How a store behaves; every field has a default. */
export interface HistoryStoreOptions {
  /** Days of history kept; older days drop out of queries at once, and off the disk (a whole month at a time) at compaction. Default 400. */
  readonly retentionDays?: number;
  readonly logger?: Logger;
  /** The clock retention and sealing are measured against. */
  readonly now?: () => number;
  /** Days back from today that can still receive records, whose record ids are kept for dedup. Default 90. */
  readonly openDays?: number;
  /** Compact once this many syncs have been recorded since the last compaction. Default 8. */
  readonly compactAfterSyncs?: number;
  /** Write-lock timing (tests shorten it). */
  readonly lock?: { readonly staleMs?: number; readonly timeoutMs?: number };
}

/** What one sync hands the store. */
export interface RecordSyncInput {
  /** When the sync ran, epoch ms: the day allocation changes and pool totals are filed under. */
  readonly at: number;
  /** The usage pages as they stream from the server; consumed once, never held whole. */
  readonly records: AsyncIterable<readonly UsageRecord[]> | Iterable<readonly UsageRecord[]>;
  /** The allocations the sync saw; null when it did not fetch them (no change events then). */
  readonly allocations: readonly Allocation[] | null;
  /**
   * The kinds whose allocation lists the sync actually read. Allocations of other kinds missing
   * from `allocations` were not looked at, so they are kept as last seen, never taken as revoked.
   */
  readonly listedKinds: readonly PassKind[];
  /** Tokens one login pass costs, from the server's overview (0.1 on every known site). */
  readonly tokenCosts: { readonly loginPassCost: number };
  /** The token pool's totals, for the site chart; null or absent without the token model. */
  readonly pool?: PoolTotals | null;
  /** Stops waiting for the store's write lock (another window or the CLI may be writing). */
  readonly signal?: AbortSignal;
}

/** What recording a sync did. */
export interface RecordSyncResult extends CollectedCounts {
  /** Allocation change events recorded. */
  readonly events: number;
  /** False when the sync brought nothing new (no file was written). */
  readonly written: boolean;
}

/**
 * Opens (creating if need be) the store in `dir`, one directory per connection (see storeDirs.ts).
 * A path that is a file or may not be written fails with a LocalError naming it.
 */
export async function openHistoryStore(dir: string, options: HistoryStoreOptions = {}): Promise<HistoryStore> {
  await ensureStoreDir(dir);
  const store = new HistoryStore(dir, options);
  await store.check();
  return store;
}

/** Creates the store directory (and the data directory above it) unless it exists. */
async function ensureStoreDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    const code = errnoOf(e);
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      const file = (await firstNonDirectory(dir)) ?? dir;
      throw new LocalError('STORE_NOT_DIRECTORY', `${file} is a file, not a directory: pass --data-dir a directory (the history store goes in ${dir}).`);
    }
    throw await storeFailure(dir, e);
  }
}

/** The nearest of `dir` and its ancestors that exists, if it is not a directory. */
async function firstNonDirectory(dir: string): Promise<string | null> {
  for (let p = dir; ; p = path.dirname(p)) {
    try {
      return (await stat(p)).isDirectory() ? null : p;
    } catch (e) {
      const code = errnoOf(e);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || path.dirname(p) === p) {
        return null;
      }
    }
  }
}

/**
 * A file-system failure inside the store as the domain error that says what to do, or the
 * failure itself when it is not about the directory (a bug, a full disk).
 */
async function storeFailure(dir: string, e: unknown): Promise<unknown> {
  const code = errnoOf(e);
  if ((code === 'ENOENT' || code === 'ENOTDIR') && (await isDirGone(dir).catch(() => false))) {
    return storeMissingError(dir);
  }
  if (code === 'EACCES' || code === 'EPERM') {
    const where = (e as NodeJS.ErrnoException).path ?? dir;
    return new LocalError('STORE_UNWRITABLE', `License Steward may not write ${where} (${code}), where it keeps the history store: pass --data-dir a directory it can write, or fix the permissions.`);
  }
  return e;
}

const MAX_RETRIES = 16;

/** Reading a file's blocks whole pays off once more than one row in this many is wanted. */
const BLOCKS_WHOLE_ABOVE = 8;

export class HistoryStore {
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly retentionDays: number;
  private readonly openDays: number;
  private readonly compactAfterSyncs: number;
  private readonly segments: SegmentSet;
  /** Writes of this process, one after another (the lock file orders them across processes). */
  private writing: Promise<unknown> = Promise.resolve();

  /** Use openHistoryStore. */
  constructor(
    readonly dir: string,
    private readonly options: HistoryStoreOptions,
  ) {
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.retentionDays = positiveInteger('retentionDays', options.retentionDays ?? 400);
    this.openDays = positiveInteger('openDays', options.openDays ?? 90);
    this.compactAfterSyncs = positiveInteger('compactAfterSyncs', options.compactAfterSyncs ?? 8);
    this.segments = new SegmentSet(dir, this.logger);
  }

  /** Opens every segment's header now, so damage is reported when the store opens. */
  async check(): Promise<void> {
    await this.read(async () => undefined);
  }

  /**
   * Records what one sync learnt: usage per user and UTC day (deduplicated by record id against
   * everything stored), allocation changes since the previous sync, and the pool's totals.
   */
  async recordSync(input: RecordSyncInput): Promise<RecordSyncResult> {
    if (!Number.isFinite(input.at)) {
      throw new RangeError('recordSync needs the sync time as epoch ms.');
    }
    if (!Array.isArray(input.listedKinds)) {
      throw new TypeError('recordSync needs listedKinds: the kinds whose allocation lists the sync read.');
    }
    // A store directory deleted since the last sync starts over, as on the first run; one that
    // vanishes while this sync writes is an error (the lock and the writes say STORE_MISSING).
    await ensureStoreDir(this.dir);
    const openFrom = utcDay(Math.max(input.at, this.now())) - (this.openDays - 1);
    const known = await this.read(async (view) => ({ view: view.signature, ids: await IdIndex.load(view, openFrom) }));
    const collector = new SyncCollector(openFrom, utcDay(input.at) + 7, input.tokenCosts.loginPassCost, known.ids);
    for await (const page of input.records) {
      collector.add(page);
    }
    return this.locked(input.signal, async () => {
      const result = await this.read((view) => this.commitSync(view, input, collector, known, openFrom));
      if (result.written && result.uncompacted >= this.compactAfterSyncs) {
        try {
          await this.read((v) => this.compactView(v));
        } catch (e) {
          // The sync is stored; compaction will simply run again after the next one.
          this.logger.warn(`History compaction failed: ${(e as Error).message}`);
        }
      }
      const { uncompacted: _, ...outcome } = result;
      return outcome;
    });
  }

  /** Writes one sync's delta; runs under the lock, and again if a damaged segment was set aside meanwhile. */
  private async commitSync(
    view: SegmentView,
    input: RecordSyncInput,
    collector: SyncCollector,
    known: { view: string; ids: IdIndex },
    openFrom: number,
  ): Promise<RecordSyncResult & { uncompacted: number }> {
    const latest = view.signature === known.view ? known.ids : await IdIndex.load(view, openFrom);
    const usage = collector.finish(latest);
    let events: AllocationEvent[] = [];
    let snapshot: StoredSnapshot | null = null;
    if (input.allocations) {
      const seen = snapshotOf(input.allocations);
      const previous = (await view.snapshotHolder?.snapshot()) ?? null;
      events = diffAllocations(previous?.entries ?? null, seen, input.at, input.listedKinds);
      const next = keptSnapshot(previous?.entries ?? null, seen, input.listedKinds);
      if (!previous || !sameSnapshot(previous.entries, next)) {
        snapshot = { at: input.at, entries: next };
      }
    }
    const pool = input.pool ? [{ at: input.at, totalTokens: input.pool.totalTokens, availableTokens: input.pool.availableTokens, usedTokens: input.pool.usedTokens }] : [];
    const counts = { added: usage.added, updated: usage.updated, duplicates: usage.duplicates, tooOld: usage.tooOld, invalid: usage.invalid, events: events.length };
    if (!usage.rows.length && !usage.ids.length && !events.length && !snapshot && !pool.length) {
      return { ...counts, written: false, uncompacted: view.deltas.length };
    }
    const syncDay = utcDay(input.at);
    const firstDay = Math.min(usage.firstDay ?? syncDay, syncDay);
    const lastDay = Math.max(usage.lastDay ?? syncDay, syncDay);
    const seq = view.maxSeq + 1;
    const bytes = encodeSegment({
      kind: 'delta',
      seq,
      gen: seq,
      firstDay,
      dayCount: lastDay - firstDay + 1,
      writtenAt: this.now(),
      rows: usage.rows,
      ids: usage.ids,
      events,
      pool,
      snapshot,
    });
    await writeFileAtomic(path.join(this.dir, deltaFileName(seq)), bytes);
    this.logger.debug(`History: sync ${seq} recorded ${usage.added} new records (${usage.duplicates} already stored), ${events.length} allocation changes.`);
    return { ...counts, written: true, uncompacted: view.deltas.length + 1 };
  }

  /**
   * One user's daily series over the range, one point per UTC day (zeros included). `user` is the
   * system's user id or `DIR\userId`; by the latter, a user deleted and re-created adds up.
   */
  async userSeries(user: string, range: UsageWindow): Promise<DailyPoint[]> {
    const span = daySpanOf(range);
    if (!span) {
      return [];
    }
    const live = this.liveSpan(span);
    const h = userHash(user);
    return this.read(async (view) => {
      const acc = new DailyAccumulator(span);
      if (live) {
        await Promise.all(
          view.sources
            .filter((f) => f.overlaps(live))
            .map(async (f) => {
              const lk = await f.lookup();
              for (let r = 0; r < f.header.rowCount; r++) {
                if (lk.idHash[r] === h || lk.keyHash[r] === h) {
                  const block = await f.block(r);
                  const u = blockUser(block);
                  if (u.id === user || userKey(u) === user) {
                    addCells(view, f, block, live, acc);
                  }
                }
              }
            }),
        );
      }
      return acc.points();
    });
  }

  /** The site's daily totals over the range, with the pool as each day's last sync saw it. */
  async siteSeries(range: UsageWindow): Promise<SitePoint[]> {
    const span = daySpanOf(range);
    if (!span) {
      return [];
    }
    const live = this.liveSpan(span);
    return this.read(async (view) => {
      const acc = new DailyAccumulator(span);
      const pool = new Map<number, { at: number; totals: PoolTotals }>();
      if (live) {
        await Promise.all(
          view.sources
            .filter((f) => f.overlaps(live))
            .map(async (f) => {
              const [totals, meta] = await Promise.all([f.dayTotals(), f.meta()]);
              const first = Math.max(live.first, f.header.firstDay);
              const last = Math.min(live.last, f.lastDay);
              for (let day = first; day <= last; day++) {
                if (countsOn(view, f, day)) {
                  const i = day - f.header.firstDay;
                  acc.add(day, totals.loginPasses[i] ?? 0, totals.tokens[i] ?? 0, totals.capacityMinutes[i] ?? 0);
                }
              }
              for (const p of meta.pool) {
                const day = utcDay(p.at);
                if (day >= live.first && day <= live.last && countsOn(view, f, day) && (pool.get(day)?.at ?? -Infinity) <= p.at) {
                  pool.set(day, { at: p.at, totals: { totalTokens: p.totalTokens, availableTokens: p.availableTokens, usedTokens: p.usedTokens } });
                }
              }
            }),
        );
      }
      return acc.points().map((pt) => ({ ...pt, pool: pool.get(utcDay(pt.day))?.totals ?? null }));
    });
  }

  /** The `n` users who consumed most in the range (token-equivalents, then capacity minutes), with their daily series. */
  async topUsers(range: UsageWindow, n: number): Promise<UserSeries[]> {
    if (!Number.isInteger(n) || n < 0) {
      throw new RangeError(`topUsers needs a whole number of users, not ${n}.`);
    }
    const span = daySpanOf(range);
    const live = span && this.liveSpan(span);
    if (!span || !live || n === 0) {
      return [];
    }
    return this.read(async (view) => {
      const sources = view.sources.filter((f) => f.overlaps(live));
      const totals = new Map<number, { loginPasses: number; tokens: number; capacityMinutes: number }>();
      const add = (h: number, lp: number, tok: number, cap: number) => {
        const t = totals.get(h);
        if (t) {
          t.loginPasses += lp;
          t.tokens += tok;
          t.capacityMinutes += cap;
        } else {
          totals.set(h, { loginPasses: lp, tokens: tok, capacityMinutes: cap });
        }
      };
      // Whole months inside the range use the per-user totals; edges and deltas sum their cells.
      const loaded = new Map<SegmentFile, Uint8Array>();
      for (const f of sources) {
        const lk = await f.lookup();
        if (f.header.kind === 'month' && f.header.firstDay >= live.first && f.lastDay <= live.last) {
          const rt = await f.rowTotals();
          for (let r = 0; r < f.header.rowCount; r++) {
            add(lk.idHash[r] ?? 0, rt.loginPasses[r] ?? 0, rt.tokens[r] ?? 0, rt.capacityMinutes[r] ?? 0);
          }
          continue;
        }
        const blocks = await f.blocks();
        loaded.set(f, blocks);
        for (let r = 0; r < f.header.rowCount; r++) {
          const block = await f.blockIn(blocks, r);
          const h = lk.idHash[r] ?? 0;
          forEachCell(block, f.header.firstDay, (day, lp, tok, cap) => {
            if (day >= live.first && day <= live.last && countsOn(view, f, day)) {
              add(h, lp, tok, cap);
            }
          });
        }
      }
      const top = [...totals.entries()]
        .filter(([, t]) => t.loginPasses || t.tokens || t.capacityMinutes)
        .sort((a, b) => compareUsageDescending(a[1], b[1]) || a[0] - b[0])
        .slice(0, n)
        .map(([h]) => h);
      // Each user's series is summed in one accumulator, reused user after user: one per user
      // was three typed arrays each, 60,000 of them (175 MB) for a whole site's year.
      const slotOf = new Map(top.map((h, slot) => [h, slot]));
      const files: { readonly f: SegmentFile; readonly rows: RowsBySlot; readonly block: (row: number, slot: number) => Uint8Array | undefined }[] = [];
      // Newest first: the latest name wins, and a user's name is then decoded once, not per month.
      for (const f of [...sources].reverse()) {
        const lk = await f.lookup();
        const rows = new RowsBySlot(top.length);
        for (let r = 0; r < f.header.rowCount; r++) {
          const slot = slotOf.get(lk.idHash[r] ?? NaN);
          if (slot !== undefined) {
            rows.add(slot, r);
          }
        }
        // Many users wanted (a whole site's history asks for all of them): one read of the blocks
        // section beats a read and a CRC per block; a few users still seek to their own blocks.
        const blocks = loaded.get(f) ?? (rows.count * BLOCKS_WHOLE_ABOVE > f.header.rowCount ? await f.blocks() : undefined);
        if (blocks) {
          files.push({ f, rows, block: (row) => f.blockAt(lk, blocks, row) });
        } else {
          const read = new Map<number, Uint8Array>();
          await Promise.all(rows.all().map(async (r) => read.set(r, await f.block(r))));
          files.push({ f, rows, block: (row) => read.get(row) });
        }
      }
      const idle = new IdleDays();
      const acc = new DailyAccumulator(span);
      const series: UserSeries[] = [];
      top.forEach((_h, slot) => {
        acc.reset();
        let user: User | null = null;
        for (const { f, rows, block } of files) {
          rows.forEachOf(slot, (r) => {
            const b = block(r, slot);
            if (b) {
              user ??= blockUser(b);
              addCells(view, f, b, live, acc);
            }
          });
        }
        if (user) {
          series.push({ user, total: acc.total(), series: acc.points(idle) });
        }
      });
      return series;
    });
  }

  /** Allocation changes seen in the range, oldest first; `user` (id or `DIR\userId`) narrows them to one holder. */
  async events(range: UsageWindow, user?: string): Promise<AllocationEvent[]> {
    const span = daySpanOf(range);
    const live = span && this.liveSpan(span);
    if (!live) {
      return [];
    }
    return this.read(async (view) => {
      const out: AllocationEvent[] = [];
      for (const f of view.sources.filter((s) => s.overlaps(live))) {
        for (const e of (await f.meta()).events) {
          const day = utcDay(e.at);
          if (day >= live.first && day <= live.last && countsOn(view, f, day) && (user === undefined || e.user.id === user || userKey(e.user) === user)) {
            out.push(e);
          }
        }
      }
      return out.sort((a, b) => a.at - b.at);
    });
  }

  /**
   * The first and last UTC day with any usage or pool reading still within retention, as a
   * half-open window of whole days (for an "all" range); null for an empty store.
   */
  async extent(): Promise<UsageWindow | null> {
    const keepFrom = retentionStartDay(this.now(), this.retentionDays);
    return this.read(async (view) => {
      let first = Infinity;
      let last = -Infinity;
      for (const f of view.sources) {
        if (f.lastDay < keepFrom || (f.header.firstDay >= first && f.lastDay <= last)) {
          continue;
        }
        const [totals, meta] = await Promise.all([f.dayTotals(), f.meta()]);
        for (let i = 0; i < f.header.dayCount; i++) {
          const day = f.header.firstDay + i;
          if (day >= keepFrom && (totals.loginPasses[i] || totals.tokens[i] || totals.capacityMinutes[i]) && countsOn(view, f, day)) {
            first = Math.min(first, day);
            last = Math.max(last, day);
          }
        }
        for (const p of meta.pool) {
          const day = utcDay(p.at);
          if (day >= keepFrom && countsOn(view, f, day)) {
            first = Math.min(first, day);
            last = Math.max(last, day);
          }
        }
      }
      return first <= last ? { from: dayStart(first), to: dayStart(last + 1) } : null;
    });
  }

  /** Merges the deltas into month files and drops what retention no longer keeps. */
  async compact(): Promise<CompactionResult> {
    return this.locked(undefined, () => this.read((view) => this.compactView(view)));
  }

  /**
   * Reads and checks every byte of every segment (queries only check what they read); damaged
   * files are set aside like anywhere else. Returns the names set aside.
   */
  async verify(): Promise<string[]> {
    const setAside: string[] = [];
    for (;;) {
      const bad = await this.segments.use(async (view) => {
        for (const f of view.files) {
          try {
            await f.verify();
          } catch (e) {
            if (e instanceof CorruptSegmentError) {
              return e;
            }
            throw e;
          }
        }
        return null;
      });
      if (!bad) {
        return setAside;
      }
      await this.segments.quarantine(bad.file, bad.message);
      setAside.push(bad.file);
    }
  }

  /** Appends one audit entry (fsync'd before this resolves); `signal` stops waiting for the write lock. */
  async appendAudit(entry: AuditEntry, options: { readonly signal?: AbortSignal } = {}): Promise<void> {
    await this.locked(options.signal, () => appendAuditEntry(path.join(this.dir, AUDIT_FILE), entry));
  }

  /** Audit entries, oldest first; with a range, those whose `at` falls in it. Not subject to retention. */
  async audit(range?: UsageWindow): Promise<AuditEntry[]> {
    return readAuditEntries(path.join(this.dir, AUDIT_FILE), this.logger, range);
  }

  /** Closes the open segment files. */
  async close(): Promise<void> {
    await this.writing;
    await this.segments.close();
  }

  /** The part of a span retention still keeps. */
  private liveSpan(span: DaySpan): DaySpan | null {
    return intersectSpans(span, { first: retentionStartDay(this.now(), this.retentionDays), last: Number.MAX_SAFE_INTEGER });
  }

  private compactView(view: SegmentView): Promise<CompactionResult> {
    return compactSegments({ dir: this.dir, view, logger: this.logger, now: this.now(), retentionDays: this.retentionDays, openDays: this.openDays });
  }

  /** Runs a query on the current files; a segment found damaged is set aside and the query rerun. */
  private async read<T>(fn: (view: SegmentView) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.segments.use(fn);
      } catch (e) {
        if (!(e instanceof CorruptSegmentError) || attempt >= MAX_RETRIES) {
          throw await storeFailure(this.dir, e);
        }
        await this.segments.quarantine(e.file, e.message);
      }
    }
  }

  /** Runs a write under this process's queue and the store's lock file. */
  private locked<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    const run = async () => {
      try {
        return await withWriteLock(this.dir, { logger: this.logger, ...this.options.lock, ...(signal ? { signal } : {}) }, fn);
      } catch (e) {
        throw await storeFailure(this.dir, e);
      }
    };
    const p = this.writing.then(run, run);
    this.writing = p.catch(() => undefined);
    return p;
  }
}

/** Whether a file's data for `day` counts (a delta's may already be merged into its month). */
function countsOn(view: SegmentView, f: SegmentFile, day: number): boolean {
  return f.header.kind !== 'delta' || view.applies(f, day);
}

/** The rows of one file that hold each wanted user (almost always one or none; a shared id hash makes two). */
class RowsBySlot {
  /** How many rows were added. */
  count = 0;
  private readonly first: Int32Array;
  private readonly more = new Map<number, number[]>();

  constructor(slots: number) {
    this.first = new Int32Array(slots).fill(-1);
  }

  /** Adds row `row` to `slot`; rows are added in ascending order. */
  add(slot: number, row: number): void {
    this.count++;
    if (this.first[slot] === -1) {
      this.first[slot] = row;
    } else {
      const rows = this.more.get(slot) ?? [];
      rows.push(row);
      this.more.set(slot, rows);
    }
  }

  /** Calls `fn` for each row of `slot`, in ascending order. */
  forEachOf(slot: number, fn: (row: number) => void): void {
    const row = this.first[slot] ?? -1;
    if (row !== -1) {
      fn(row);
      this.more.get(slot)?.forEach(fn);
    }
  }

  /** Every row added, ascending. */
  all(): number[] {
    const rows: number[] = [];
    this.first.forEach((row, slot) => {
      if (row !== -1) {
        rows.push(row, ...(this.more.get(slot) ?? []));
      }
    });
    return rows.sort((a, b) => a - b);
  }
}

function addCells(view: SegmentView, f: SegmentFile, block: Uint8Array, live: DaySpan, acc: DailyAccumulator): void {
  forEachCell(block, f.header.firstDay, (day, lp, tok, cap) => {
    if (day >= live.first && day <= live.last && countsOn(view, f, day)) {
      acc.add(day, lp, tok, cap);
    }
  });
}

function sameSnapshot(a: readonly AllocationSnapshotEntry[], b: readonly AllocationSnapshotEntry[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i];
      return (
        y !== undefined &&
        x.id === y.id &&
        x.kind === y.kind &&
        x.quarantined === y.quarantined &&
        x.userDeleted === y.userDeleted &&
        x.user.id === y.user.id &&
        x.user.directory === y.user.directory &&
        x.user.userId === y.user.userId &&
        x.user.name === y.user.name
      );
    })
  );
}

function positiveInteger(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) {
    throw new RangeError(`History store option ${name} must be a positive whole number, not ${v}.`);
  }
  return v;
}
