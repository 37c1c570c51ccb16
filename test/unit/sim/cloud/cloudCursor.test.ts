import { strict as assert } from 'node:assert';
import { CloudCursorCodec, CloudCursorError, type CursorPayload } from '../../../../src/sim/cloud/cloudCursor';

const PAYLOAD: CursorPayload = { list: 'users', dir: 'next', sort: '+name', query: 'q1', key: ['Anna Berg', '6654aa0000000000000000aa'] };

describe('cloudCursor', () => {
  const codec = new CloudCursorCodec('secret-1');

  it('round-trips a position', () => {
    assert.deepEqual(codec.decode(codec.encode(PAYLOAD)), PAYLOAD);
  });

  it('is opaque: neither the key nor the list can be read out of it', () => {
    const token = codec.encode(PAYLOAD);
    assert.match(token, /^[A-Za-z0-9_-]+$/);
    const decoded = Buffer.from(token, 'base64url').toString('latin1');
    for (const secret of ['Anna', 'users', '6654aa', '+name']) {
      assert.ok(!decoded.includes(secret), `${secret} does not show`);
    }
  });

  it('is the same for the same position and secret, and differs for the next position', () => {
    assert.equal(codec.encode(PAYLOAD), new CloudCursorCodec('secret-1').encode(PAYLOAD));
    assert.notEqual(codec.encode(PAYLOAD), codec.encode({ ...PAYLOAD, key: ['Anna Berg', '6654aa0000000000000000ab'] }));
  });

  it('refuses a tampered, truncated, foreign or made-up cursor', () => {
    const token = codec.encode(PAYLOAD);
    const raw = Buffer.from(token, 'base64url');
    raw[raw.length - 20] = (raw[raw.length - 20] ?? 0) ^ 1;
    const tampered = raw.toString('base64url');
    for (const bad of [tampered, token.slice(0, -4), new CloudCursorCodec('secret-2').encode(PAYLOAD), 'bmV4dDoxMDA', '100', 'abc$', '']) {
      assert.throws(() => codec.decode(bad), CloudCursorError, bad);
    }
  });
});
