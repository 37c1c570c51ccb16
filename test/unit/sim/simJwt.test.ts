import { strict as assert } from 'node:assert';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { JwtError, signRs256Jwt, verifyRs256Jwt } from '../../../src/sim/simJwt';

describe('simJwt', () => {
  let privateKey: KeyObject;
  let publicKey: KeyObject;
  let otherKey: KeyObject;

  before(() => {
    ({ privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 }));
    otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  });
  const now = Date.UTC(2024, 0, 1);
  const iat = now / 1000;

  it('round-trips RS256 claims', () => {
    const token = signRs256Jwt({ userId: 'admin', userDirectory: 'CORP', iat, exp: iat + 60 }, privateKey);
    assert.deepEqual(verifyRs256Jwt(token, publicKey, now), { userId: 'admin', userDirectory: 'CORP', iat, exp: iat + 60 });
    assert.deepEqual(JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()), { alg: 'RS256', typ: 'JWT' });
  });

  it('honours exp and nbf against the given clock', () => {
    const token = signRs256Jwt({ exp: iat + 60, nbf: iat - 10 }, privateKey);
    assert.throws(() => verifyRs256Jwt(token, publicKey, now + 60_000), /expired/);
    assert.throws(() => verifyRs256Jwt(token, publicKey, now - 11_000), /not valid yet/);
    assert.ok(verifyRs256Jwt(token, publicKey, now + 59_000));
  });

  it('refuses other keys, other algorithms and garbage', () => {
    const token = signRs256Jwt({ a: 1 }, otherKey);
    assert.throws(() => verifyRs256Jwt(token, publicKey, now), (e: unknown) => e instanceof JwtError && /signature/.test(e.message));
    const [, body, sig] = signRs256Jwt({ a: 1 }, privateKey).split('.');
    const hs = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url');
    assert.throws(() => verifyRs256Jwt(`${hs}.${body}.${sig}`, publicKey, now), /must be RS256/);
    assert.throws(() => verifyRs256Jwt('a.b', publicKey, now), /three/);
    assert.throws(() => verifyRs256Jwt('!!.??.xx', publicKey, now), /base64url JSON/);
  });
});
