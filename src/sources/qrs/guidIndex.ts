/**
 * Small whole numbers by QRS GUID, the way a sync finds the user of each of 1.5 million usage
 * rows. A GUID is read as the four 32-bit words it spells and kept in a flat typed array, so a
 * lookup hashes four numbers and compares them in one cache line: a Map keyed by the GUID text
 * hashes 36 characters of a string the page parser has just made and then compares them with
 * a key string elsewhere in memory, at twice the cost.
 */

/** `find`: the text is a GUID not in the index. */
export const ABSENT = -1;
/** `find`: the text is not a GUID in QRS's form (lowercase `8-4-4-4-12` hex); use a Map for it. */
export const NOT_GUID = -2;

/** Int32 fields per slot: the four words, then the number plus one (0 marks an empty slot). */
const STRIDE = 5;
const INITIAL_SLOTS = 1 << 10;

/** Value of each lowercase hex digit by character code, -1 for every other character. */
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) {
  HEX[48 + i] = i;
}
for (let i = 0; i < 6; i++) {
  HEX[97 + i] = 10 + i;
}

export class GuidIndex {
  private slots = new Int32Array(INITIAL_SLOTS * STRIDE);
  private mask = INITIAL_SLOTS - 1;
  private count = 0;
  /** The words `read` found; fields, so reading a GUID allocates nothing. */
  private w0 = 0;
  private w1 = 0;
  private w2 = 0;
  private w3 = 0;

  /** GUIDs held. */
  get size(): number {
    return this.count;
  }

  /** The number stored for `text`, {@link ABSENT}, or {@link NOT_GUID}. */
  find(text: string): number {
    if (!this.read(text)) {
      return NOT_GUID;
    }
    const s = this.slots;
    for (let i = this.slotOf(); ; i = (i + 1) & this.mask) {
      const at = i * STRIDE;
      const held = s[at + 4] as number;
      if (held === 0) {
        return ABSENT;
      }
      if (s[at] === this.w0 && s[at + 1] === this.w1 && s[at + 2] === this.w2 && s[at + 3] === this.w3) {
        return held - 1;
      }
    }
  }

  /**
   * Stores `value` (0 to 2^31 - 2) for `text`, a GUID `find` said is {@link ABSENT}.
   * @throws when `text` is not a GUID in QRS's form
   */
  add(text: string, value: number): void {
    if (!this.read(text)) {
      throw new Error(`not a GUID in QRS's form: ${JSON.stringify(text.slice(0, 40))}`);
    }
    // Full to three quarters before it doubles, as the record table does.
    if ((this.count + 1) * 4 > (this.mask + 1) * 3) {
      this.grow();
    }
    const s = this.slots;
    let i = this.slotOf();
    while (s[i * STRIDE + 4] !== 0) {
      i = (i + 1) & this.mask;
    }
    const at = i * STRIDE;
    s[at] = this.w0;
    s[at + 1] = this.w1;
    s[at + 2] = this.w2;
    s[at + 3] = this.w3;
    s[at + 4] = value + 1;
    this.count++;
  }

  /** Reads `text` into the four words; false when it is not a lowercase canonical GUID. */
  private read(text: string): boolean {
    if (text.length !== 36 || text.charCodeAt(8) !== 45 || text.charCodeAt(13) !== 45 || text.charCodeAt(18) !== 45 || text.charCodeAt(23) !== 45) {
      return false;
    }
    // Each word is 8 hex digits; the dashes fall between digits 8|9, 13|14, 18|19 and 23|24.
    const w0 = hexWord(text, 0, 8, 8);
    const w1 = hexWord(text, 9, 13, 14);
    const w2 = hexWord(text, 19, 23, 24);
    const w3 = hexWord(text, 28, 36, 36);
    if (w0 === null || w1 === null || w2 === null || w3 === null) {
      return false;
    }
    this.w0 = w0;
    this.w1 = w1;
    this.w2 = w2;
    this.w3 = w3;
    return true;
  }

  private slotOf(): number {
    return mix(this.w0, this.w1, this.w2, this.w3) & this.mask;
  }

  private grow(): void {
    const old = this.slots;
    const slots = (this.mask + 1) * 2;
    const next = new Int32Array(slots * STRIDE);
    const mask = slots - 1;
    for (let at = 0; at < old.length; at += STRIDE) {
      if (old[at + 4] === 0) {
        continue;
      }
      let i = mix(old[at] as number, old[at + 1] as number, old[at + 2] as number, old[at + 3] as number) & mask;
      while (next[i * STRIDE + 4] !== 0) {
        i = (i + 1) & mask;
      }
      next.set(old.subarray(at, at + STRIDE), i * STRIDE);
    }
    this.slots = next;
    this.mask = mask;
  }
}

/**
 * The 32-bit word spelled by 8 hex digits: those in [from, gap) and then those from `resume`,
 * which steps over a dash inside the word. Null when a character is not a lowercase hex digit.
 */
function hexWord(text: string, from: number, gap: number, resume: number): number | null {
  let v = 0;
  for (let i = from, n = 0; n < 8; n++, i = i + 1 === gap ? resume : i + 1) {
    const c = text.charCodeAt(i);
    const d = c < 128 ? (HEX[c] as number) : -1;
    if (d < 0) {
      return null;
    }
    v = (v << 4) | d;
  }
  return v;
}

/** Spreads four words over 32 bits: sequential GUIDs (some servers make them) must not cluster. */
function mix(a: number, b: number, c: number, d: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b) ^ Math.imul(c, 0xc2b2ae35) ^ Math.imul(d, 0x27d4eb2f);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h;
}
