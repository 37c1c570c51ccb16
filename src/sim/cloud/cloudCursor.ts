import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';

/** A sort key: the sort field's value, then the id that breaks ties. */
export type CursorKey = readonly (string | number | boolean | null)[];

/** What a cursor remembers: where a page ended, in which list, sorted how, for which query. */
export interface CursorPayload {
  /** The list it pages, e.g. `users`; a cursor of another list is refused. */
  readonly list: string;
  /** `next`: rows after `key`; `prev`: rows before it. */
  readonly dir: 'next' | 'prev';
  /** The sort it was made under, e.g. `+name`. */
  readonly sort: string;
  /** A digest of the query's filters: a cursor only continues the query that made it. */
  readonly query: string;
  readonly key: CursorKey;
}

/** A cursor that was altered, truncated, made by another tenant, or is not a cursor at all. */
export class CloudCursorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CloudCursorError';
  }
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

function isKeyPart(v: unknown): v is string | number | boolean | null {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/**
 * Seals cursors with AES-256-GCM, so a client can neither read a position out of one nor forge
 * or edit one (the tag fails): "cursors can't be calculated client-side" (reference A.1). The IV
 * is an HMAC of the plaintext, which keeps a seeded simulator's answers byte-for-byte repeatable.
 */
export class CloudCursorCodec {
  private readonly encKey: Buffer;
  private readonly ivKey: Buffer;

  constructor(secret: string) {
    this.encKey = createHash('sha256').update(`cursor-enc\0${secret}`).digest();
    this.ivKey = createHash('sha256').update(`cursor-iv\0${secret}`).digest();
  }

  encode(payload: CursorPayload): string {
    const plain = Buffer.from(JSON.stringify([1, payload.list, payload.dir, payload.sort, payload.query, payload.key]), 'utf8');
    const iv = createHmac('sha256', this.ivKey).update(plain).digest().subarray(0, IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
  }

  /** Opens a cursor; throws CloudCursorError for anything this codec did not seal. */
  decode(token: string): CursorPayload {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) {
      throw new CloudCursorError('The cursor is not one this tenant issued.');
    }
    const raw = Buffer.from(token, 'base64url');
    if (raw.length <= IV_BYTES + TAG_BYTES) {
      throw new CloudCursorError('The cursor is not one this tenant issued.');
    }
    let plain: string;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.encKey, raw.subarray(0, IV_BYTES));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new CloudCursorError('The cursor is not one this tenant issued.');
    }
    const parsed: unknown = JSON.parse(plain);
    if (!Array.isArray(parsed) || parsed.length !== 6 || parsed[0] !== 1) {
      throw new CloudCursorError('The cursor is not one this tenant issued.');
    }
    const [, list, dir, sort, query, key] = parsed as unknown[];
    if (
      typeof list !== 'string' ||
      (dir !== 'next' && dir !== 'prev') ||
      typeof sort !== 'string' ||
      typeof query !== 'string' ||
      !Array.isArray(key) ||
      !key.every(isKeyPart)
    ) {
      throw new CloudCursorError('The cursor is not one this tenant issued.');
    }
    return { list, dir, sort, query, key };
  }
}
