import type { Prng } from '../prng';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** `n` characters drawn from `alphabet`. */
export function randomText(prng: Prng, alphabet: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    out += alphabet[prng.int(alphabet.length)] ?? '';
  }
  return out;
}

/**
 * A 24-hex id shaped like the MongoDB ObjectIds Qlik Cloud's services write (users, groups,
 * roles): the creation second, then random bytes. Reads as real ids do and sorts by age.
 */
export function cloudObjectId(prng: Prng, atMs: number): string {
  const seconds = Math.max(0, Math.floor(atMs / 1000)) >>> 0;
  return seconds.toString(16).padStart(8, '0') + randomHex(prng, 16);
}

/** A tenant id in the 32-character form the specs' examples show (`q3VRZ4YMixRaLKEPhkZWM-XMIDN7cO8f`). */
export function cloudTenantId(prng: Prng): string {
  return randomText(prng, BASE64URL, 32);
}

/** Random hex of a given length, eight digits per draw: tens of thousands of ids are made per tenant. */
export function randomHex(prng: Prng, n: number): string {
  let out = '';
  while (out.length < n) {
    out += (Math.floor(prng.next() * 4294967296) >>> 0).toString(16).padStart(8, '0');
  }
  return out.slice(0, n);
}
