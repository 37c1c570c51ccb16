/**
 * Compaction: fold the per-sync deltas into their month files, delete months retention no longer
 * keeps, drop record ids of sealed days, then remove what the new files replace. Runs under the
 * write lock.
 *
 * Order matters for crash safety: every new file is complete and renamed into place before
 * anything is removed, and a month file names the last delta it merged, so a crash at any point
 * leaves a directory that reads exactly as before (see segmentSet.ts).
 */
import { readdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { monthOfDay, monthSpan, retentionStartDay, utcDay } from '../core/history';
import type { AllocationEvent } from '../core/historyEvents';
import type { Logger } from '../core/logger';
import type { User } from '../core/model';
import { fsyncDir, TEMP_SUFFIX, writeFileAtomic } from './atomicFile';
import { blockUser, encodeSegment, forEachCell, type DayIds, type DraftRow, type PoolPoint, type SegmentDraft } from './segmentFormat';
import type { SegmentFile } from './segmentFile';
import { allocationsFileName, monthFileName, type SegmentView } from './segmentSet';

/** What a compaction did. */
export interface CompactionResult {
  readonly monthsWritten: number;
  readonly deltasMerged: number;
  readonly filesRemoved: number;
}

export interface CompactionContext {
  readonly dir: string;
  readonly view: SegmentView;
  readonly logger: Logger;
  readonly now: number;
  readonly retentionDays: number;
  readonly openDays: number;
}

export async function compactSegments(ctx: CompactionContext): Promise<CompactionResult> {
  const { view, dir } = ctx;
  const keepFrom = retentionStartDay(ctx.now, ctx.retentionDays);
  const sealedFrom = utcDay(ctx.now) - (ctx.openDays - 1);
  const maxDeltaSeq = view.deltas.at(-1)?.header.seq ?? 0;

  const months = new Set<number>();
  for (const d of view.deltas) {
    for (let m = monthOfDay(d.header.firstDay); m <= monthOfDay(d.lastDay); m++) {
      months.add(m);
    }
  }
  const remove: string[] = [];
  for (const [m, f] of view.months) {
    if (monthSpan(m).last < keepFrom) {
      remove.push(f.name);
      months.delete(m);
    } else if (needsTrim(f, sealedFrom)) {
      months.add(m);
    }
  }

  let gen = view.maxGen;
  let monthsWritten = 0;
  for (const m of [...months].sort((a, b) => a - b)) {
    if (monthSpan(m).last < keepFrom) {
      continue;
    }
    gen++;
    const draft = await mergeMonth(view, m, { keepFrom, sealedFrom, gen, seq: Math.max(view.coveredSeq(m), maxDeltaSeq), now: ctx.now });
    await writeFileAtomic(path.join(dir, monthFileName(m, gen)), encodeSegment(draft));
    monthsWritten++;
    const old = view.months.get(m);
    if (old) {
      remove.push(old.name);
    }
  }

  // The newest allocation snapshot must outlive the delta that carries it.
  const holder = view.snapshotHolder;
  if (holder?.header.kind === 'delta') {
    const snapshot = await holder.snapshot();
    const seq = holder.header.seq;
    await writeFileAtomic(
      path.join(dir, allocationsFileName(seq)),
      encodeSegment({ kind: 'allocations', seq, gen: seq, firstDay: utcDay(snapshot?.at ?? ctx.now), dayCount: 0, writtenAt: ctx.now, rows: [], ids: [], events: [], pool: [], snapshot }),
    );
  }

  remove.push(...view.deltas.map((f) => f.name), ...view.superseded.map((f) => f.name));
  for (const name of await readdir(dir)) {
    if (name.endsWith(TEMP_SUFFIX)) {
      remove.push(name); // debris of a writer that crashed; nobody else writes while we hold the lock
    }
  }
  let filesRemoved = 0;
  for (const name of new Set(remove)) {
    try {
      await rm(path.join(dir, name), { force: true });
      filesRemoved++;
    } catch (e) {
      // Harmless to leave: a merged delta or an older generation no longer counts.
      ctx.logger.warn(`Could not remove ${name} after compaction (${(e as Error).message}); it no longer counts and will be removed next time.`);
    }
  }
  await fsyncDir(dir);
  return { monthsWritten, deltasMerged: view.deltas.length, filesRemoved };
}

/**
 * Whether a month file still holds record ids although all its days are sealed. Partly sealed or
 * partly expired months are left alone until they are wholly so: queries already ignore what
 * retention dropped, and rewriting a month for every day that slides out would rewrite it daily.
 * Disk therefore holds at most a month beyond the retention.
 */
function needsTrim(f: SegmentFile, sealedFrom: number): boolean {
  return f.header.idFirstDay !== null && f.lastDay < sealedFrom;
}

interface MergeOptions {
  readonly keepFrom: number;
  readonly sealedFrom: number;
  readonly gen: number;
  readonly seq: number;
  readonly now: number;
}

interface MergedUser {
  user: User;
  readonly loginPasses: Float64Array;
  readonly tokens: Float64Array;
  readonly capacityMinutes: Float64Array;
}

/** The month file for month `m`: its current file plus every delta not yet merged into it. */
async function mergeMonth(view: SegmentView, m: number, o: MergeOptions): Promise<SegmentDraft> {
  const span = monthSpan(m);
  const D = span.last - span.first + 1;
  const from = Math.max(span.first, o.keepFrom);
  const base = view.months.get(m);
  const deltas = view.deltas.filter((d) => d.overlaps(span) && d.header.seq > view.coveredSeq(m));
  const sources = base ? [base, ...deltas] : deltas;

  const users = new Map<string, MergedUser>();
  for (const f of sources) {
    const [blocks, lk] = await Promise.all([f.blocks(), f.lookup()]);
    for (let r = 0; r < f.header.rowCount; r++) {
      const off = lk.blockOffset[r] ?? 0;
      const block = blocks.subarray(off, off + (lk.blockLength[r] ?? 0));
      const user = blockUser(block);
      let u = users.get(user.id);
      if (!u) {
        u = { user, loginPasses: new Float64Array(D), tokens: new Float64Array(D), capacityMinutes: new Float64Array(D) };
        users.set(user.id, u);
      } else {
        u.user = user; // sources go oldest to newest: the latest name wins
      }
      const into = u;
      forEachCell(block, f.header.firstDay, (day, lp, tok, cap) => {
        if (day >= from && day <= span.last) {
          const i = day - span.first;
          into.loginPasses[i] = (into.loginPasses[i] ?? 0) + lp;
          into.tokens[i] = (into.tokens[i] ?? 0) + tok;
          into.capacityMinutes[i] = (into.capacityMinutes[i] ?? 0) + cap;
        }
      });
    }
  }
  const rows: DraftRow[] = [];
  for (const u of [...users.values()].sort((a, b) => (a.user.id < b.user.id ? -1 : a.user.id > b.user.id ? 1 : 0))) {
    const row = { user: u.user, days: [] as number[], loginPasses: [] as number[], tokens: [] as number[], capacityMinutes: [] as number[] };
    for (let i = 0; i < D; i++) {
      const lp = u.loginPasses[i] ?? 0, tok = u.tokens[i] ?? 0, cap = u.capacityMinutes[i] ?? 0;
      if (lp || tok || cap) {
        row.days.push(span.first + i);
        row.loginPasses.push(lp);
        row.tokens.push(tok);
        row.capacityMinutes.push(cap);
      }
    }
    if (row.days.length) {
      rows.push(row);
    }
  }

  const idsFrom = Math.max(span.first, o.sealedFrom);
  const idLists = new Map<number, DayIds[]>();
  const events: AllocationEvent[] = [];
  const pool: PoolPoint[] = [];
  for (const f of sources) {
    if (f.header.idFirstDay !== null && f.lastDay >= idsFrom) {
      for (const d of await f.ids()) {
        if (d.day >= idsFrom && d.day <= span.last) {
          idLists.set(d.day, [...(idLists.get(d.day) ?? []), d]);
        }
      }
    }
    const meta = await f.meta();
    const inMonth = (at: number) => utcDay(at) >= from && utcDay(at) <= span.last;
    events.push(...meta.events.filter((e) => inMonth(e.at)));
    pool.push(...meta.pool.filter((p) => inMonth(p.at)));
  }
  const ids = [...idLists.entries()].sort((a, b) => a[0] - b[0]).map(([day, lists]) => mergeDayIds(day, lists));
  events.sort((a, b) => a.at - b.at);
  pool.sort((a, b) => a.at - b.at);
  return { kind: 'month', seq: o.seq, gen: o.gen, firstDay: span.first, dayCount: D, writtenAt: o.now, rows, ids, events, pool, snapshot: null };
}

/** The union of a day's id lists, keeping the largest amount counted for each id. */
function mergeDayIds(day: number, lists: readonly DayIds[]): DayIds {
  if (lists.length === 1 && lists[0]) {
    return lists[0];
  }
  const n = lists.reduce((s, l) => s + l.hashes.length, 0);
  const hashes = new Float64Array(n);
  const amounts = new Float64Array(n);
  let k = 0;
  for (const l of lists) {
    hashes.set(l.hashes, k);
    amounts.set(l.amounts, k);
    k += l.hashes.length;
  }
  const order = Uint32Array.from(hashes.keys());
  order.sort((a, b) => (hashes[a] as number) - (hashes[b] as number) || (amounts[b] as number) - (amounts[a] as number));
  const outH: number[] = [];
  const outA: number[] = [];
  for (const i of order) {
    const h = hashes[i] as number;
    if (outH.length && outH[outH.length - 1] === h) {
      continue;
    }
    outH.push(h);
    outA.push(amounts[i] as number);
  }
  return { day, hashes: Float64Array.from(outH), amounts: Float64Array.from(outA) };
}
