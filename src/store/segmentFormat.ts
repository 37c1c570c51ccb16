/**
 * The binary segment container: encode a draft into bytes, decode and verify each part.
 * No file I/O here; `segmentFile.ts` reads parts from disk, `historyStore.ts` explains the
 * layout's purpose.
 *
 *   header (256 bytes, CRC-32 at its end)
 *   lookup     f64 idHash[U] | f64 keyHash[U] | u32 blockOffset[U] | u32 blockLength[U] | u32 blockCrc[U]
 *   rowTotals  f64 loginPasses[U] | f64 tokens[U] | f64 capacityMinutes[U]
 *   blocks     per row: u32 identityLength | identity JSON | cells (u16 day-offset, u32 passes, f64 minutes, f64 tokens)
 *   dayTotals  f64 loginPasses[D] | f64 tokens[D] | f64 capacityMinutes[D]
 *   ids        u32 days | u32 ids | i32 day[days] | u32 count[days] | f64 hash[ids] | f64 amount[ids]
 *   meta       JSON { events, pool }
 *   snapshot   JSON { at, entries } or empty
 *
 * Every section starts 8-aligned and carries its own CRC-32 in the header; every block its own
 * CRC in the lookup, so one user's series reads and verifies a few hundred bytes per segment.
 * Numbers are little-endian.
 */
import type { PoolTotals } from '../core/history';
import { dayStart, utcDay } from '../core/history';
import type { AllocationEvent, AllocationSnapshotEntry } from '../core/historyEvents';
import type { PassKind, User } from '../core/model';
import { userKey } from '../core/model';
import { crc32 } from './crc32';
import { hash53 } from '../core/hash53';

/** 'LSH1' read as a little-endian u32. */
const MAGIC = 0x3148534c;
/** Bumped on an incompatible layout change; newer files are skipped, never quarantined. */
export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 256;
const HEADER_CRC_AT = HEADER_BYTES - 4;
const CELL_BYTES = 22;
/** idFirstDay when a segment holds no record ids. */
const NO_IDS = 0x7fffffff;

/** What a segment holds. */
export type SegmentKind = 'month' | 'delta' | 'allocations';
const KIND_CODES: Readonly<Record<SegmentKind, number>> = { month: 1, delta: 2, allocations: 3 };

/** The sections, in file order. */
export const SECTIONS = ['lookup', 'rowTotals', 'blocks', 'dayTotals', 'ids', 'meta', 'snapshot'] as const;
export type SectionName = (typeof SECTIONS)[number];

/** Where a section lies in the file, and its CRC-32. */
export interface SectionRef {
  readonly offset: number;
  readonly length: number;
  readonly crc: number;
}

/** A segment's fixed header. */
export interface SegmentHeader {
  readonly kind: SegmentKind;
  /** Delta: its commit sequence number. Month: the last delta merged into it. Allocations: the delta it came from. */
  readonly seq: number;
  /** Month: generation (the newest valid file of a month wins). Others: equal to seq. */
  readonly gen: number;
  readonly firstDay: number;
  readonly dayCount: number;
  readonly rowCount: number;
  /** Earliest day with record ids, or null. */
  readonly idFirstDay: number | null;
  readonly writtenAt: number;
  readonly sections: Readonly<Record<SectionName, SectionRef>>;
}

/** A pool reading from one sync. */
export interface PoolPoint extends PoolTotals {
  readonly at: number;
}

/** The allocations one sync saw, kept to compare the next sync with. */
export interface StoredSnapshot {
  readonly at: number;
  readonly entries: readonly AllocationSnapshotEntry[];
}

/** Record ids (hashed) seen for one day and the amount counted for each, sorted by hash. */
export interface DayIds {
  readonly day: number;
  readonly hashes: Float64Array;
  readonly amounts: Float64Array;
}

/** One user's cells, days ascending and unique. */
export interface DraftRow {
  readonly user: User;
  readonly days: readonly number[];
  readonly loginPasses: readonly number[];
  readonly tokens: readonly number[];
  readonly capacityMinutes: readonly number[];
}

/** Everything a segment is encoded from. */
export interface SegmentDraft {
  readonly kind: SegmentKind;
  readonly seq: number;
  readonly gen: number;
  readonly firstDay: number;
  readonly dayCount: number;
  readonly writtenAt: number;
  readonly rows: readonly DraftRow[];
  readonly ids: readonly DayIds[];
  readonly events: readonly AllocationEvent[];
  readonly pool: readonly PoolPoint[];
  readonly snapshot: StoredSnapshot | null;
}

/** A segment failed a check: it must be set aside, not trusted. */
export class CorruptSegmentError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'CorruptSegmentError';
  }
}

/** A segment written by a newer License Steward: left alone. */
export class NewerSegmentError extends Error {
  constructor(
    readonly file: string,
    readonly version: number,
  ) {
    super(`${file} has format version ${version}; this version of License Steward reads ${FORMAT_VERSION}.`);
    this.name = 'NewerSegmentError';
  }
}

/** The lookup hash of a user id or `DIR\id` key. */
export function userHash(idOrKey: string): number {
  return hash53(idOrKey, 7);
}

const align8 = (n: number) => (n + 7) & ~7;

/** Encodes a draft; the result is what goes on disk. */
export function encodeSegment(d: SegmentDraft): Uint8Array {
  const U = d.rows.length;
  const D = d.dayCount;
  const enc = new TextEncoder();
  const identities = d.rows.map((r) => enc.encode(JSON.stringify([r.user.id, r.user.directory, r.user.userId, r.user.name])));
  let blocksLength = 0;
  for (let r = 0; r < U; r++) {
    blocksLength += 4 + (identities[r]?.length ?? 0) + (d.rows[r]?.days.length ?? 0) * CELL_BYTES;
  }
  const ids = d.ids.filter((x) => x.hashes.length > 0);
  const idTotal = ids.reduce((n, x) => n + x.hashes.length, 0);
  const idsHead = align8(8 + ids.length * 8);
  const meta = enc.encode(
    JSON.stringify({
      events: d.events.map((e) => [e.at, e.allocationId, e.kind, e.change, e.user.id, e.user.directory, e.user.userId, e.user.name]),
      pool: d.pool.map((p) => [p.at, p.totalTokens, p.availableTokens, p.usedTokens]),
    }),
  );
  const snapshot = d.snapshot
    ? enc.encode(
        JSON.stringify({
          at: d.snapshot.at,
          entries: d.snapshot.entries.map((a) => [a.id, a.kind, a.user.id, a.user.directory, a.user.userId, a.user.name, (a.quarantined ? 1 : 0) | (a.userDeleted ? 2 : 0)]),
        }),
      )
    : new Uint8Array(0);
  const lengths: Record<SectionName, number> = {
    lookup: align8(U * 28),
    rowTotals: U * 24,
    blocks: blocksLength,
    dayTotals: D * 24,
    ids: idsHead + idTotal * 16,
    meta: meta.length,
    snapshot: snapshot.length,
  };
  const offsets = {} as Record<SectionName, number>;
  let at = HEADER_BYTES;
  for (const s of SECTIONS) {
    offsets[s] = at;
    at = align8(at + lengths[s]);
  }
  const buf = new Uint8Array(at);
  const dv = new DataView(buf.buffer);

  // lookup, rowTotals, blocks, dayTotals in one pass over the rows.
  const lk = offsets.lookup;
  const rowTotals = decodeColumns(buf.subarray(offsets.rowTotals, offsets.rowTotals + lengths.rowTotals), U);
  const dayTotals = decodeColumns(buf.subarray(offsets.dayTotals, offsets.dayTotals + lengths.dayTotals), D);
  let blockAt = offsets.blocks;
  let minDayWithIds = NO_IDS;
  for (let r = 0; r < U; r++) {
    const row = d.rows[r] as DraftRow;
    const ident = identities[r] as Uint8Array;
    const start = blockAt;
    dv.setUint32(blockAt, ident.length, true);
    buf.set(ident, blockAt + 4);
    blockAt += 4 + ident.length;
    let lp = 0, tok = 0, cap = 0;
    let prevDay = -Infinity;
    for (let i = 0; i < row.days.length; i++) {
      const day = row.days[i] as number;
      const off = day - d.firstDay;
      if (off < 0 || off >= D || day <= prevDay) {
        throw new RangeError(`Row ${row.user.id}: day ${day} is outside the segment or out of order.`);
      }
      prevDay = day;
      const p = row.loginPasses[i] ?? 0, t = row.tokens[i] ?? 0, c = row.capacityMinutes[i] ?? 0;
      dv.setUint16(blockAt, off, true);
      dv.setUint32(blockAt + 2, p, true);
      dv.setFloat64(blockAt + 6, c, true);
      dv.setFloat64(blockAt + 14, t, true);
      blockAt += CELL_BYTES;
      lp += p;
      tok += t;
      cap += c;
      dayTotals.loginPasses[off] = (dayTotals.loginPasses[off] ?? 0) + p;
      dayTotals.tokens[off] = (dayTotals.tokens[off] ?? 0) + t;
      dayTotals.capacityMinutes[off] = (dayTotals.capacityMinutes[off] ?? 0) + c;
    }
    dv.setFloat64(lk + r * 8, userHash(row.user.id), true);
    dv.setFloat64(lk + (U + r) * 8, userHash(userKey(row.user)), true);
    dv.setUint32(lk + U * 16 + r * 4, start - offsets.blocks, true);
    dv.setUint32(lk + U * 20 + r * 4, blockAt - start, true);
    dv.setUint32(lk + U * 24 + r * 4, crc32(buf.subarray(start, blockAt)), true);
    rowTotals.loginPasses[r] = lp;
    rowTotals.tokens[r] = tok;
    rowTotals.capacityMinutes[r] = cap;
  }

  // ids
  const io = offsets.ids;
  dv.setUint32(io, ids.length, true);
  dv.setUint32(io + 4, idTotal, true);
  let k = 0;
  for (let i = 0; i < ids.length; i++) {
    const x = ids[i] as DayIds;
    minDayWithIds = Math.min(minDayWithIds, x.day);
    dv.setInt32(io + 8 + i * 4, x.day, true);
    dv.setUint32(io + 8 + ids.length * 4 + i * 4, x.hashes.length, true);
    new Float64Array(buf.buffer, io + idsHead + k * 8, x.hashes.length).set(x.hashes);
    new Float64Array(buf.buffer, io + idsHead + (idTotal + k) * 8, x.amounts.length).set(x.amounts);
    k += x.hashes.length;
  }
  buf.set(meta, offsets.meta);
  buf.set(snapshot, offsets.snapshot);

  // header
  dv.setUint32(0, MAGIC, true);
  dv.setUint16(4, FORMAT_VERSION, true);
  dv.setUint16(6, KIND_CODES[d.kind], true);
  dv.setFloat64(8, d.seq, true);
  dv.setFloat64(16, d.gen, true);
  dv.setInt32(24, d.firstDay, true);
  dv.setUint32(28, D, true);
  dv.setUint32(32, U, true);
  dv.setInt32(36, minDayWithIds, true);
  dv.setFloat64(40, d.writtenAt, true);
  SECTIONS.forEach((s, i) => {
    const o = 48 + i * 12;
    dv.setUint32(o, offsets[s], true);
    dv.setUint32(o + 4, lengths[s], true);
    dv.setUint32(o + 8, crc32(buf.subarray(offsets[s], offsets[s] + lengths[s])), true);
  });
  dv.setUint32(HEADER_CRC_AT, crc32(buf.subarray(0, HEADER_CRC_AT)), true);
  return buf;
}

/** Decodes and checks a header; `fileSize` bounds the sections. */
export function decodeHeader(file: string, bytes: Uint8Array, fileSize: number): SegmentHeader {
  if (bytes.length < HEADER_BYTES) {
    throw new CorruptSegmentError(file, `header is ${bytes.length} bytes, expected ${HEADER_BYTES}`);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  if (dv.getUint32(0, true) !== MAGIC) {
    throw new CorruptSegmentError(file, 'not a history segment (bad magic)');
  }
  if (dv.getUint32(HEADER_CRC_AT, true) !== crc32(bytes.subarray(0, HEADER_CRC_AT))) {
    throw new CorruptSegmentError(file, 'header checksum mismatch');
  }
  const version = dv.getUint16(4, true);
  if (version > FORMAT_VERSION) {
    throw new NewerSegmentError(file, version);
  }
  const code = dv.getUint16(6, true);
  const kind = (Object.keys(KIND_CODES) as SegmentKind[]).find((k) => KIND_CODES[k] === code);
  if (!kind) {
    throw new CorruptSegmentError(file, `unknown segment kind ${code}`);
  }
  const rowCount = dv.getUint32(32, true);
  const dayCount = dv.getUint32(28, true);
  const sections = {} as Record<SectionName, SectionRef>;
  SECTIONS.forEach((s, i) => {
    const o = 48 + i * 12;
    const ref = { offset: dv.getUint32(o, true), length: dv.getUint32(o + 4, true), crc: dv.getUint32(o + 8, true) };
    if (ref.offset < HEADER_BYTES || ref.offset % 8 !== 0 || ref.offset + ref.length > fileSize) {
      throw new CorruptSegmentError(file, `section ${s} lies outside the file (truncated?)`);
    }
    sections[s] = ref;
  });
  if (sections.lookup.length !== align8(rowCount * 28) || sections.rowTotals.length !== rowCount * 24 || sections.dayTotals.length !== dayCount * 24) {
    throw new CorruptSegmentError(file, 'section sizes disagree with the row and day counts');
  }
  const idFirstDay = dv.getInt32(36, true);
  return {
    kind,
    seq: dv.getFloat64(8, true),
    gen: dv.getFloat64(16, true),
    firstDay: dv.getInt32(24, true),
    dayCount,
    rowCount,
    idFirstDay: idFirstDay === NO_IDS ? null : idFirstDay,
    writtenAt: dv.getFloat64(40, true),
    sections,
  };
}

/** Throws unless `bytes` has the section's CRC. */
export function verifySection(file: string, name: SectionName | 'block', bytes: Uint8Array, expectedCrc: number): void {
  if (crc32(bytes) !== expectedCrc) {
    throw new CorruptSegmentError(file, `${name} checksum mismatch`);
  }
}

/** Typed-array views need 8-aligned offsets; sections are, but a caller's buffer may not be. */
function aligned(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
}

/** The lookup section: per row, the user hashes and where its block lies. */
export interface Lookup {
  readonly idHash: Float64Array;
  readonly keyHash: Float64Array;
  readonly blockOffset: Uint32Array;
  readonly blockLength: Uint32Array;
  readonly blockCrc: Uint32Array;
}

export function decodeLookup(bytes: Uint8Array, rowCount: number): Lookup {
  const b = aligned(bytes);
  const U = rowCount;
  return {
    idHash: new Float64Array(b.buffer, b.byteOffset, U),
    keyHash: new Float64Array(b.buffer, b.byteOffset + U * 8, U),
    blockOffset: new Uint32Array(b.buffer, b.byteOffset + U * 16, U),
    blockLength: new Uint32Array(b.buffer, b.byteOffset + U * 20, U),
    blockCrc: new Uint32Array(b.buffer, b.byteOffset + U * 24, U),
  };
}

/** Three parallel columns of n numbers (per row or per day). */
export interface Columns {
  readonly loginPasses: Float64Array;
  readonly tokens: Float64Array;
  readonly capacityMinutes: Float64Array;
}

export function decodeColumns(bytes: Uint8Array, n: number): Columns {
  const b = aligned(bytes);
  return {
    loginPasses: new Float64Array(b.buffer, b.byteOffset, n),
    tokens: new Float64Array(b.buffer, b.byteOffset + n * 8, n),
    capacityMinutes: new Float64Array(b.buffer, b.byteOffset + n * 16, n),
  };
}

/** The user a block belongs to. */
export function blockUser(block: Uint8Array): User {
  const dv = new DataView(block.buffer, block.byteOffset, block.length);
  const n = dv.getUint32(0, true);
  const [id, directory, userId, name] = JSON.parse(new TextDecoder().decode(block.subarray(4, 4 + n))) as string[];
  return { id: id ?? '', directory: directory ?? '', userId: userId ?? '', name: name ?? '' };
}

/** Calls `fn` for every cell of a block, with absolute day numbers. */
export function forEachCell(
  block: Uint8Array,
  firstDay: number,
  fn: (day: number, loginPasses: number, tokens: number, capacityMinutes: number) => void,
): void {
  const dv = new DataView(block.buffer, block.byteOffset, block.length);
  let at = 4 + dv.getUint32(0, true);
  for (; at + CELL_BYTES <= block.length; at += CELL_BYTES) {
    fn(firstDay + dv.getUint16(at, true), dv.getUint32(at + 2, true), dv.getFloat64(at + 14, true), dv.getFloat64(at + 6, true));
  }
}

export function decodeIds(bytes: Uint8Array): DayIds[] {
  const b = aligned(bytes);
  const dv = new DataView(b.buffer, b.byteOffset, b.length);
  const days = dv.getUint32(0, true);
  const total = dv.getUint32(4, true);
  const head = align8(8 + days * 8);
  const out: DayIds[] = [];
  let k = 0;
  for (let i = 0; i < days; i++) {
    const day = dv.getInt32(8 + i * 4, true);
    const n = dv.getUint32(8 + days * 4 + i * 4, true);
    out.push({
      day,
      hashes: new Float64Array(b.buffer, b.byteOffset + head + k * 8, n),
      amounts: new Float64Array(b.buffer, b.byteOffset + head + (total + k) * 8, n),
    });
    k += n;
  }
  return out;
}

export function decodeMeta(bytes: Uint8Array): { events: AllocationEvent[]; pool: PoolPoint[] } {
  const raw = JSON.parse(new TextDecoder().decode(bytes)) as { events: unknown[][]; pool: number[][] };
  return {
    events: raw.events.map((e) => {
      const at = e[0] as number;
      return {
        at,
        day: dayStart(utcDay(at)),
        allocationId: e[1] as string,
        kind: e[2] as PassKind,
        change: e[3] as AllocationEvent['change'],
        user: { id: e[4] as string, directory: e[5] as string, userId: e[6] as string, name: e[7] as string },
      };
    }),
    pool: raw.pool.map((p) => ({ at: p[0] ?? 0, totalTokens: p[1] ?? 0, availableTokens: p[2] ?? 0, usedTokens: p[3] ?? 0 })),
  };
}

export function decodeSnapshot(bytes: Uint8Array): StoredSnapshot | null {
  if (bytes.length === 0) {
    return null;
  }
  const raw = JSON.parse(new TextDecoder().decode(bytes)) as { at: number; entries: unknown[][] };
  return {
    at: raw.at,
    entries: raw.entries.map((a) => ({
      id: a[0] as string,
      kind: a[1] as PassKind,
      user: { id: a[2] as string, directory: a[3] as string, userId: a[4] as string, name: a[5] as string },
      quarantined: ((a[6] as number) & 1) !== 0,
      userDeleted: ((a[6] as number) & 2) !== 0,
    })),
  };
}
