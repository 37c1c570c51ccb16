/**
 * The files of one store directory and which of them count. Names carry what a listing needs to
 * decide (`m-2026-03-g0000000012.seg`, `d-0000000041.seg`, `a-0000000041.seg`); headers confirm it.
 *
 * Which data counts, without any manifest to go stale:
 * - per month, the valid month file with the highest generation;
 * - a delta's days in month M count only if the delta's seq is above the seq that M's month file
 *   says it already merged (so a compaction that died half-way, with some months rewritten and
 *   the deltas still there, neither loses nor double-counts anything);
 * - the allocation snapshot with the highest seq, whether in a delta or an `a-` file.
 */
import { mkdir, readdir, rename } from 'node:fs/promises';
import * as path from 'node:path';
import type { Logger } from '../core/logger';
import { monthLabel, monthOfDay, parseMonthLabel } from '../core/history';
import { CorruptSegmentError, NewerSegmentError } from './segmentFormat';
import { SegmentFile } from './segmentFile';

/** Where damaged segments are moved. */
export const CORRUPT_DIR = 'corrupt';

const MONTH_RE = /^m-(\d{4}-\d{2})-g(\d{10})\.seg$/;
const DELTA_RE = /^d-(\d{10})\.seg$/;
const ALLOC_RE = /^a-(\d{10})\.seg$/;

const pad = (n: number) => String(n).padStart(10, '0');
export const monthFileName = (month: number, gen: number) => `m-${monthLabel(month)}-g${pad(gen)}.seg`;
export const deltaFileName = (seq: number) => `d-${pad(seq)}.seg`;
export const allocationsFileName = (seq: number) => `a-${pad(seq)}.seg`;

/** What a listing of the directory means, at one moment. */
export class SegmentView {
  /** Per month number, the month file that counts. */
  readonly months = new Map<number, SegmentFile>();
  /** Deltas, oldest first. */
  readonly deltas: SegmentFile[] = [];
  /** Month files superseded by a newer generation, and older allocation files: compaction's debris. */
  readonly superseded: SegmentFile[] = [];
  /** The file holding the newest allocation snapshot, if any. */
  readonly snapshotHolder: SegmentFile | null;
  private readonly masks = new Map<SegmentFile, Uint8Array>();

  constructor(
    /** Every valid file listed, superseded ones included. */
    readonly files: readonly SegmentFile[],
    /** Highest seq and generation in any name, valid or not, so new names never collide. */
    readonly maxSeq: number,
    readonly maxGen: number,
    /** The listing's file names, to tell whether anything changed since. */
    readonly signature: string,
  ) {
    let holder: SegmentFile | null = null;
    for (const f of files) {
      if (f.header.kind === 'month') {
        const month = monthOfDay(f.header.firstDay);
        const cur = this.months.get(month);
        if (!cur || f.header.gen > cur.header.gen) {
          if (cur) {
            this.superseded.push(cur);
          }
          this.months.set(month, f);
        } else {
          this.superseded.push(f);
        }
      } else if (f.header.kind === 'delta') {
        this.deltas.push(f);
      }
      if (f.hasSnapshot() && (!holder || f.header.seq > holder.header.seq)) {
        holder = f;
      }
    }
    for (const f of files) {
      if (f.header.kind === 'allocations' && f !== holder) {
        this.superseded.push(f);
      }
    }
    this.snapshotHolder = holder;
    this.deltas.sort((a, b) => a.header.seq - b.header.seq);
  }

  /** The seq a month's file has merged up to (0 without a month file). */
  coveredSeq(month: number): number {
    return this.months.get(month)?.header.seq ?? 0;
  }

  /** Whether a delta's data for `day` counts (see the module comment). */
  applies(delta: SegmentFile, day: number): boolean {
    let mask = this.masks.get(delta);
    if (!mask) {
      const h = delta.header;
      mask = new Uint8Array(h.dayCount);
      for (let i = 0; i < h.dayCount; i++) {
        mask[i] = h.seq > this.coveredSeq(monthOfDay(h.firstDay + i)) ? 1 : 0;
      }
      this.masks.set(delta, mask);
    }
    return mask[day - delta.header.firstDay] === 1;
  }

  /** Month files and deltas: every file whose usage, ids, events or pool may count. */
  get sources(): SegmentFile[] {
    return [...this.months.values(), ...this.deltas];
  }
}

/**
 * Keeps the directory's files open and cached between queries. Files that vanish (compaction)
 * or are set aside are closed only once no query is using them.
 */
export class SegmentSet {
  private readonly open = new Map<string, SegmentFile>();
  /** Names not to retry on every listing (newer format versions). */
  private readonly skipped = new Set<string>();
  private readonly retired: SegmentFile[] = [];
  private readonly opening = new Map<string, Promise<boolean>>();
  private active = 0;

  constructor(
    readonly dir: string,
    private readonly logger: Logger,
  ) {}

  /** Runs `fn` on a fresh view; the view's files stay open until it returns. */
  async use<T>(fn: (view: SegmentView) => Promise<T>): Promise<T> {
    this.active++;
    try {
      return await fn(await this.refresh());
    } finally {
      if (--this.active === 0) {
        const done = this.retired.splice(0);
        await Promise.all(done.map((f) => f.close()));
      }
    }
  }

  /**
   * Lists the directory, opens new files, sets aside damaged ones, drops vanished ones. A file
   * removed between listing and opening means a compaction finished meanwhile: list again, or
   * the view could hold the old deltas' absence without the new months.
   */
  private async refresh(): Promise<SegmentView> {
    for (let attempt = 1; ; attempt++) {
      const view = await this.list();
      if (view || attempt >= 10) {
        return view ?? (await this.list(true)) ?? new SegmentView([], 0, 0, '');
      }
    }
  }

  private async list(acceptVanished = false): Promise<SegmentView | null> {
    const names = (await readdir(this.dir)).filter((n) => MONTH_RE.test(n) || DELTA_RE.test(n) || ALLOC_RE.test(n)).sort();
    let maxSeq = 0;
    let maxGen = 0;
    for (const n of names) {
      const m = MONTH_RE.exec(n);
      if (m) {
        maxGen = Math.max(maxGen, Number(m[2]));
      } else {
        maxSeq = Math.max(maxSeq, Number(n.slice(2, 12)));
      }
    }
    const listed = new Set(names);
    for (const [name, f] of this.open) {
      if (!listed.has(name)) {
        this.open.delete(name);
        this.retired.push(f);
      }
    }
    const fresh = names.filter((n) => !this.open.has(n) && !this.skipped.has(n));
    const vanished = (await Promise.all(fresh.map((name) => this.openOnce(name)))).some((v) => v);
    if (vanished && !acceptVanished) {
      return null;
    }
    const files = names.map((n) => this.open.get(n)).filter((f): f is SegmentFile => f !== undefined);
    for (const f of files) {
      maxSeq = Math.max(maxSeq, f.header.seq);
    }
    return new SegmentView(files, maxSeq, maxGen, names.join('\n'));
  }

  /** Opens a listed file once, however many queries list it at the same time. */
  private openOnce(name: string): Promise<boolean> {
    let p = this.opening.get(name);
    if (!p) {
      p = this.openFile(name).finally(() => this.opening.delete(name));
      this.opening.set(name, p);
    }
    return p;
  }

  /** Opens a file into the cache; true when it vanished before it could be opened. */
  private async openFile(name: string): Promise<boolean> {
    try {
      const f = await SegmentFile.open(this.dir, name);
      if (!nameMatches(name, f)) {
        await f.close();
        throw new CorruptSegmentError(name, 'its header disagrees with its name');
      }
      this.open.set(name, f);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // Windows lists a file deleted while another process holds it open until that handle closes,
      // and refuses to open it meanwhile.
      if (code === 'ENOENT' || (process.platform === 'win32' && (code === 'EPERM' || code === 'EACCES'))) {
        return true;
      }
      if (e instanceof CorruptSegmentError) {
        await this.quarantine(name, e.message);
      } else if (e instanceof NewerSegmentError) {
        this.skipped.add(name);
        this.logger.warn(`${e.message} Leaving it alone.`);
      } else {
        throw e;
      }
    }
    return false;
  }

  /** Moves a damaged file to `corrupt/` with a warning; the rest of the store loads without it. */
  async quarantine(name: string, reason: string): Promise<void> {
    const f = this.open.get(name);
    if (f) {
      this.open.delete(name);
      this.retired.push(f);
    }
    const target = path.join(this.dir, CORRUPT_DIR);
    await mkdir(target, { recursive: true });
    try {
      await rename(path.join(this.dir, name), path.join(target, `${name}.${Date.now()}`));
      this.logger.warn(`History segment damaged: ${reason}. Moved it to ${CORRUPT_DIR}/ and loaded the rest without it.`);
    } catch (e) {
      // Another process set it aside (or compaction removed it) first.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw e;
      }
    }
  }

  async close(): Promise<void> {
    const files = [...this.open.values(), ...this.retired.splice(0)];
    this.open.clear();
    await Promise.all(files.map((f) => f.close()));
  }
}

function nameMatches(name: string, f: SegmentFile): boolean {
  const h = f.header;
  const m = MONTH_RE.exec(name);
  if (m) {
    return h.kind === 'month' && h.gen === Number(m[2]) && parseMonthLabel(m[1] ?? '') === monthOfDay(h.firstDay);
  }
  const seq = Number(name.slice(2, 12));
  return (DELTA_RE.test(name) ? h.kind === 'delta' : h.kind === 'allocations') && h.seq === seq;
}
