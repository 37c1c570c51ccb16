import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import { crc32, crc32Js } from '../../../src/store/crc32';

describe('crc32', () => {
  it('matches the standard check value', () => {
    assert.equal(crc32Js(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32Js(new Uint8Array(0)), 0);
  });

  it('agrees with zlib on random data of every length, chained or not', function () {
    const native = (zlib as { crc32?: (d: Uint8Array, v?: number) => number }).crc32;
    if (!native) {
      this.skip();
    }
    for (let n = 0; n < 70; n++) {
      const data = randomBytes(n * 37);
      assert.equal(crc32Js(data), native(data) >>> 0);
      const cut = Math.floor(data.length / 3);
      assert.equal(crc32Js(data.subarray(cut), crc32Js(data.subarray(0, cut))), native(data) >>> 0);
    }
  });
});
