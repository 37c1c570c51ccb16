/**
 * Deterministic randomness for the simulators. Same seed, same site: tests and benchmarks
 * must be reproducible, so nothing here touches Math.random.
 */

/** A seeded pseudo-random source (mulberry32: tiny, fast and good enough for fake data). */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** A random v4-shaped UUID, lower-case, as QRS writes ids. */
  uuid(): string;
}

/** Creates a mulberry32 generator; any 32-bit integer is a valid seed. */
export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const word = (): number => Math.floor(next() * 4294967296) >>> 0;
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) {
        throw new RangeError('Cannot pick from an empty list.');
      }
      return item;
    },
    uuid: () => formatUuid(word(), word(), word(), word()),
  };
}

/** Murmur3's finalizer: spreads the bits of a 32-bit integer. */
function mix32(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * A UUID derived from (seed, stream, index) without storing it. Large record sets keep only
 * their index; ids are recomputed on demand, which keeps 300,000 usage rows compact.
 */
export function indexedUuid(seed: number, stream: number, index: number): string {
  const base = mix32(seed ^ Math.imul(stream + 1, 0x9e3779b1)) ^ mix32(index + 0x632be5ab);
  const a = mix32(base ^ 0x1b873593);
  const b = mix32(a ^ index);
  const c = mix32(b + stream);
  const d = mix32(c ^ seed);
  return formatUuid(a, b, c, d);
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function hex4(n: number): string {
  return (HEX[(n >>> 24) & 255] ?? '') + (HEX[(n >>> 16) & 255] ?? '') + (HEX[(n >>> 8) & 255] ?? '') + (HEX[n & 255] ?? '');
}

function hex2(n: number): string {
  return (HEX[(n >>> 8) & 255] ?? '') + (HEX[n & 255] ?? '');
}

/**
 * Lays out 128 bits as a version-4, variant-1 UUID so format validators accept it. Built
 * from a byte table: ids of 300,000 records are recomputed on demand and must be cheap.
 */
function formatUuid(a: number, b: number, c: number, d: number): string {
  const version = ((b >>> 16) & 0x0fff) | 0x4000;
  const variant = ((c >>> 16) & 0x3fff) | 0x8000;
  return `${hex4(a)}-${hex2(b)}-${hex2(version)}-${hex2(variant)}-${hex2(c)}${hex4(d)}`;
}
