import { strict as assert } from 'node:assert';
import { readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { monthOfDay, monthSpan, utcDay } from '../../../src/core/history';
import { type UsageRecord } from '../../../src/core/model';
import { openHistoryStore, type HistoryStore } from '../../../src/store/historyStore';
import { crc32 } from '../../../src/store/crc32';
import { decodeHeader, decodeLookup, FORMAT_VERSION, HEADER_BYTES, userHash } from '../../../src/store/segmentFormat';
import { lastDays, NOW, pass, person, recordingLogger, sum, tempDirs } from './storeFixtures';

const users = ['ann', 'bob', 'cid'].map((id) => person(id));
const MARCH_FIRST = monthSpan(monthOfDay(utcDay(NOW))).first;
/** Days back from NOW that fall in February (NOW is 15 March). */
const febDays = (d: number) => utcDay(NOW) - d < MARCH_FIRST;

/** A store with a compacted February and March plus one newer delta: 3 users × 30 days, 1 pass each. */
async function build(dir: string): Promise<void> {
  const s = await openHistoryStore(dir, { now: () => NOW, compactAfterSyncs: 1000 });
  const recs: UsageRecord[] = [];
  for (let d = 2; d < 30; d++) {
    users.forEach((u) => recs.push(pass(`${u.id}-${d}`, u, d)));
  }
  await s.recordSync({ at: NOW - 2 * 86_400_000, records: [recs], allocations: null, listedKinds: [], tokenCosts: { loginPassCost: 0.1 } });
  await s.compact();
  await s.recordSync({ at: NOW, records: [users.flatMap((u) => [pass(`${u.id}-1`, u, 1), pass(`${u.id}-0`, u, 0)])], allocations: null, listedKinds: [], tokenCosts: { loginPassCost: 0.1 } });
  await s.close();
}

async function segment(dir: string, prefix: string): Promise<string> {
  const name = (await readdir(dir)).find((n) => n.startsWith(prefix));
  assert.ok(name, `no ${prefix}* segment`);
  return path.join(dir, name);
}

async function flip(file: string, at: number): Promise<void> {
  const bytes = await readFile(file);
  bytes[at] = (bytes[at] ?? 0) ^ 0x5a;
  await writeFile(file, bytes);
}

describe('HistoryStore corruption', () => {
  const dirs = tempDirs();
  let store: HistoryStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
    await dirs.cleanup();
  });

  async function reopen(dir: string) {
    const logger = recordingLogger();
    store = await openHistoryStore(dir, { now: () => NOW, logger });
    return { store, logger };
  }

  const expectedTotal = 3 * 30;
  const februaryTotal = 3 * Array.from({ length: 30 }, (_, d) => d).filter((d) => d >= 2 && febDays(d)).length;

  it('sets aside a segment whose user block was damaged and still loads the others', async () => {
    const dir = await dirs.make();
    await build(dir);
    const feb = await segment(dir, 'm-2026-02');
    // Damage Bob's cells in February, located through the file's own lookup.
    const bytes = await readFile(feb);
    const h = decodeHeader('feb', bytes.subarray(0, HEADER_BYTES), bytes.length);
    const lk = decodeLookup(bytes.subarray(h.sections.lookup.offset, h.sections.lookup.offset + h.sections.lookup.length), h.rowCount);
    const row = [...lk.idHash].indexOf(userHash('bob'));
    await flip(feb, h.sections.blocks.offset + (lk.blockOffset[row] ?? 0) + (lk.blockLength[row] ?? 0) - 3);

    const { store: s, logger } = await reopen(dir);
    assert.equal(sum(await s.siteSeries(lastDays(40))), expectedTotal, 'per-day totals are intact, so the site series does not notice');
    const bob = await s.userSeries('bob', lastDays(40));
    assert.equal(sum(bob), expectedTotal / 3 - februaryTotal / 3, "Bob's March and newest days still load");
    assert.equal(logger.warnings.length, 1);
    assert.match(logger.warnings[0] ?? '', /m-2026-02.*block checksum mismatch.*corrupt\//);
    assert.deepEqual((await readdir(path.join(dir, 'corrupt'))).map((n) => n.replace(/\.\d+$/, '')), [path.basename(feb)]);
    assert.equal(sum(await s.siteSeries(lastDays(40))), expectedTotal - februaryTotal, 'February is gone for every query now');
    assert.equal(sum(await s.userSeries('ann', lastDays(40))), (expectedTotal - februaryTotal) / 3);
  });

  it('sets aside a segment with a damaged header when the store opens', async () => {
    const dir = await dirs.make();
    await build(dir);
    const delta = await segment(dir, 'd-');
    await flip(delta, 20);
    const { store: s, logger } = await reopen(dir);
    assert.match(logger.warnings.join('\n'), /d-\d+\.seg: header checksum mismatch/);
    assert.equal(sum(await s.siteSeries(lastDays(40))), expectedTotal - 6, 'only the newest sync (2 days × 3 users) is lost');
  });

  it('sets aside a truncated segment and a file that is not a segment at all', async () => {
    const dir = await dirs.make();
    await build(dir);
    const march = await segment(dir, 'm-2026-03');
    await truncate(march, Math.floor((await stat(march)).size / 2));
    await writeFile(path.join(dir, 'd-0000000099.seg'), 'not a segment'.repeat(40));
    const { store: s, logger } = await reopen(dir);
    assert.equal(logger.warnings.length, 2);
    assert.match(logger.warnings.join('\n'), /truncated/);
    assert.match(logger.warnings.join('\n'), /bad magic/);
    assert.equal(sum(await s.siteSeries(lastDays(40))), februaryTotal + 6);
  });

  it('leaves a segment of a newer format version alone instead of setting it aside', async () => {
    const dir = await dirs.make();
    await build(dir);
    const delta = await segment(dir, 'd-');
    const bytes = await readFile(delta);
    bytes.writeUInt16LE(FORMAT_VERSION + 1, 4);
    bytes.writeUInt32LE(crc32(bytes.subarray(0, HEADER_BYTES - 4)), HEADER_BYTES - 4);
    await writeFile(delta, bytes);
    const { store: s, logger } = await reopen(dir);
    assert.match(logger.warnings.join('\n'), /format version 2.*Leaving it alone/);
    assert.equal(sum(await s.siteSeries(lastDays(40))), expectedTotal - 6);
    assert.ok((await readdir(dir)).includes(path.basename(delta)));
  });

  it('finds a flipped byte anywhere with verify(), whatever section it lands in', async () => {
    const dir = await dirs.make();
    await build(dir);
    const march = await segment(dir, 'm-2026-03');
    const pristine = await readFile(march);
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 12; i++) {
      const at = Math.floor(random() * pristine.length);
      const damaged = Buffer.from(pristine);
      damaged[at] = (damaged[at] ?? 0) ^ (1 + Math.floor(random() * 255));
      await writeFile(march, damaged);
      const logger = recordingLogger();
      const s = await openHistoryStore(dir, { now: () => NOW, logger });
      const setAside = await s.verify();
      // Bytes past the last section are padding no reader uses; everything else must be caught.
      const h = decodeHeader('march', pristine.subarray(0, HEADER_BYTES), pristine.length);
      const used = Object.values(h.sections).some((r) => at >= r.offset && at < r.offset + r.length) || at < HEADER_BYTES;
      if (used) {
        assert.equal(setAside.length + logger.warnings.length > 0, true, `byte ${at} flipped unnoticed`);
        assert.equal(sum(await s.siteSeries(lastDays(40))), februaryTotal + 6, `byte ${at}: only March is lost`);
      }
      await s.close();
      await writeFile(march, pristine); // put it back for the next round
      await rm(path.join(dir, 'corrupt'), { recursive: true, force: true });
    }
  });
});
