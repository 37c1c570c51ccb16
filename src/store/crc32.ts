/**
 * CRC-32 (IEEE, the one zip and zlib use) of segment sections. Node 20.15+ has a native
 * `zlib.crc32`; VS Code 1.90's extension host runs Node 20.9, which does not, so a slicing-by-8
 * table version in plain JS stands in (a few hundred MB/s, plenty for indexes and slices).
 */
import * as zlib from 'node:zlib';

type Crc32 = (data: Uint8Array, value?: number) => number;


const TABLES: Uint32Array[] = (() => {
  const t0 = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    t0[n] = c >>> 0;
  }
  const tables = [t0];
  for (let k = 1; k < 8; k++) {
    const prev = tables[k - 1] as Uint32Array;
    const t = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      const p = prev[n] as number;
      t[n] = ((p >>> 8) ^ (t0[p & 0xff] as number)) >>> 0;
    }
    tables.push(t);
  }
  return tables;
})();

/** The plain-JS CRC-32; exported so a test can hold it to the native one. */
export function crc32Js(data: Uint8Array, value = 0): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  let c = ~value >>> 0;
  let i = 0;
  const n = data.length;
  for (; i + 8 <= n; i += 8) {
    const a = (c ^ ((data[i] as number) | ((data[i + 1] as number) << 8) | ((data[i + 2] as number) << 16) | ((data[i + 3] as number) << 24))) >>> 0;
    c =
      ((t7[a & 0xff] as number) ^
        (t6[(a >>> 8) & 0xff] as number) ^
        (t5[(a >>> 16) & 0xff] as number) ^
        (t4[a >>> 24] as number) ^
        (t3[data[i + 4] as number] as number) ^
        (t2[data[i + 5] as number] as number) ^
        (t1[data[i + 6] as number] as number) ^
        (t0[data[i + 7] as number] as number)) >>>
      0;
  }
  for (; i < n; i++) {
    c = ((t0[(c ^ (data[i] as number)) & 0xff] as number) ^ (c >>> 8)) >>> 0;
  }
  return ~c >>> 0;
}

/** Node's own CRC-32 where it has one (null where not); looked up on first use, see `crc32`. */
let native: Crc32 | null | undefined;

/** CRC-32 of `data`, continuing from `value` (the CRC of what came before). */
export const crc32: Crc32 = (data, value = 0) => {
  // Looked up here rather than at load: the bundles load zlib only when something needs it.
  native ??= (zlib as { crc32?: Crc32 }).crc32 ?? null;
  return native ? native(data, value) >>> 0 : crc32Js(data, value);
};
