/**
 * One segment file opened for reading. Segments never change once renamed into place, so the
 * handle stays open for the store's life and every part read is cached: a file that compaction
 * deletes meanwhile still reads whole through the open handle (POSIX keeps the inode; libuv opens
 * with FILE_SHARE_DELETE on Windows), and a query never sees half of a compaction.
 */
import { open, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import type { DaySpan } from '../core/history';
import {
  CorruptSegmentError,
  decodeColumns,
  decodeHeader,
  decodeIds,
  decodeLookup,
  decodeMeta,
  decodeSnapshot,
  HEADER_BYTES,
  verifySection,
  type Columns,
  type DayIds,
  type Lookup,
  type PoolPoint,
  type SectionName,
  type SegmentHeader,
  type StoredSnapshot,
} from './segmentFormat';
import type { AllocationEvent } from '../core/historyEvents';

export class SegmentFile {
  private readonly parts = new Map<string, Promise<unknown>>();

  private constructor(
    readonly name: string,
    readonly header: SegmentHeader,
    private readonly fh: FileHandle,
  ) {}

  /** Opens a file and checks its header; throws CorruptSegmentError, NewerSegmentError or ENOENT. */
  static async open(dir: string, name: string): Promise<SegmentFile> {
    const fh = await open(path.join(dir, name), 'r');
    try {
      const size = (await fh.stat()).size;
      const head = await readExactly(fh, name, 0, Math.min(HEADER_BYTES, size));
      return new SegmentFile(name, decodeHeader(name, head, size), fh);
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  get lastDay(): number {
    return this.header.firstDay + this.header.dayCount - 1;
  }

  overlaps(span: DaySpan): boolean {
    return this.header.dayCount > 0 && this.header.firstDay <= span.last && this.lastDay >= span.first;
  }

  hasSnapshot(): boolean {
    return this.header.sections.snapshot.length > 0;
  }

  lookup(): Promise<Lookup> {
    return this.part('lookup', (b) => decodeLookup(b, this.header.rowCount));
  }

  rowTotals(): Promise<Columns> {
    return this.part('rowTotals', (b) => decodeColumns(b, this.header.rowCount));
  }

  dayTotals(): Promise<Columns> {
    return this.part('dayTotals', (b) => decodeColumns(b, this.header.dayCount));
  }

  /** Not cached: only a sync needs them, and a busy site's 90 days of ids run to megabytes. */
  async ids(): Promise<DayIds[]> {
    return decodeOrThrow(this.name, 'ids', await this.section('ids'), decodeIds);
  }

  meta(): Promise<{ events: AllocationEvent[]; pool: PoolPoint[] }> {
    return this.part('meta', decodeMeta);
  }

  /** Not cached: read once per sync. */
  async snapshot(): Promise<StoredSnapshot | null> {
    return decodeOrThrow(this.name, 'snapshot', await this.section('snapshot'), decodeSnapshot);
  }

  /** The whole blocks section, verified; not cached (it is the bulk of the file). */
  async blocks(): Promise<Uint8Array> {
    return this.section('blocks');
  }

  /** Row `row`'s block, verified against its own CRC. */
  async block(row: number): Promise<Uint8Array> {
    const lk = await this.lookup();
    const offset = lk.blockOffset[row] ?? 0;
    const length = lk.blockLength[row] ?? 0;
    const ref = this.header.sections.blocks;
    if (offset + length > ref.length) {
      throw new CorruptSegmentError(this.name, `block ${row} lies outside the blocks section`);
    }
    const bytes = await readExactly(this.fh, this.name, ref.offset + offset, length);
    verifySection(this.name, 'block', bytes, lk.blockCrc[row] ?? 0);
    return bytes;
  }

  /** Row `row`'s block inside an already verified blocks section. */
  async blockIn(blocks: Uint8Array, row: number): Promise<Uint8Array> {
    return this.blockAt(await this.lookup(), blocks, row);
  }

  /** `blockIn` with the lookup at hand: a whole site's history takes 240,000 blocks, a promise each otherwise. */
  blockAt(lk: Lookup, blocks: Uint8Array, row: number): Uint8Array {
    const offset = lk.blockOffset[row] ?? 0;
    const length = lk.blockLength[row] ?? 0;
    if (offset + length > blocks.length) {
      throw new CorruptSegmentError(this.name, `block ${row} lies outside the blocks section`);
    }
    return blocks.subarray(offset, offset + length);
  }

  /** Reads and checks every part of the file, every block's own CRC included. */
  async verify(): Promise<void> {
    const [lk, blocks] = await Promise.all([this.lookup(), this.blocks()]);
    await Promise.all([this.rowTotals(), this.dayTotals(), this.ids(), this.meta(), this.snapshot()]);
    for (let r = 0; r < this.header.rowCount; r++) {
      verifySection(this.name, 'block', await this.blockIn(blocks, r), lk.blockCrc[r] ?? 0);
    }
  }

  async close(): Promise<void> {
    await this.fh.close().catch(() => undefined);
  }

  private part<T>(name: SectionName, decode: (bytes: Uint8Array) => T): Promise<T> {
    let p = this.parts.get(name) as Promise<T> | undefined;
    if (!p) {
      p = this.section(name).then((bytes) => decodeOrThrow(this.name, name, bytes, decode));
      // A failed read must not stick: the file is about to be set aside and the query retried.
      p.catch(() => this.parts.delete(name));
      this.parts.set(name, p);
    }
    return p;
  }

  private async section(name: SectionName): Promise<Uint8Array> {
    const ref = this.header.sections[name];
    const bytes = await readExactly(this.fh, this.name, ref.offset, ref.length);
    verifySection(this.name, name, bytes, ref.crc);
    return bytes;
  }
}

function decodeOrThrow<T>(file: string, name: SectionName, bytes: Uint8Array, decode: (bytes: Uint8Array) => T): T {
  try {
    return decode(bytes);
  } catch (e) {
    // The CRC matched, so this is a writer bug or a hand-made file; either way, not trustworthy.
    throw new CorruptSegmentError(file, `${name} does not decode (${(e as Error).message})`);
  }
}

/** Reads exactly `length` bytes into a fresh (8-aligned) buffer; a short file is corrupt. */
async function readExactly(fh: FileHandle, name: string, position: number, length: number): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) {
      throw new CorruptSegmentError(name, `ends at byte ${position + done}, expected ${position + length} (truncated)`);
    }
    done += bytesRead;
  }
  return buf;
}
