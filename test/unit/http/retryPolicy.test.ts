import { strict as assert } from 'node:assert';
import { backoffMs, isIdempotent, isRetryableNetworkCode, isRetryableStatus, parseRetryAfter } from '../../../src/http/retryPolicy';

describe('retryPolicy', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2024-05-01T10:00:00Z');
    assert.equal(parseRetryAfter('7', now), 7000);
    assert.equal(parseRetryAfter(['3'], now), 3000);
    assert.equal(parseRetryAfter('Wed, 01 May 2024 10:01:00 GMT', now), 60_000);
    assert.equal(parseRetryAfter('Wed, 01 May 2024 09:00:00 GMT', now), 0, 'a date in the past means now');
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });

  it('doubles the back-off per attempt, jittered into the upper half, capped at 10 s', () => {
    assert.equal(backoffMs(0, 200, 0), 100);
    assert.equal(backoffMs(0, 200, 0.999), 200);
    assert.equal(backoffMs(2, 200, 0), 400);
    assert.ok(backoffMs(30, 200, 1) <= 10_000);
  });

  it('repeats only reads, only on transient statuses and transient network codes', () => {
    assert.ok(isIdempotent('GET') && isIdempotent('HEAD'));
    assert.ok(!isIdempotent('POST') && !isIdempotent('PUT') && !isIdempotent('DELETE'));
    for (const status of [500, 502, 503, 504, 429]) {
      assert.ok(isRetryableStatus(status), String(status));
    }
    for (const status of [400, 401, 403, 404, 409]) {
      assert.ok(!isRetryableStatus(status), String(status));
    }
    assert.ok(isRetryableNetworkCode('ECONNRESET') && isRetryableNetworkCode('UND_ERR_SOCKET') && isRetryableNetworkCode('ETIMEDOUT'));
    assert.ok(!isRetryableNetworkCode('ECONNREFUSED') && !isRetryableNetworkCode('DEPTH_ZERO_SELF_SIGNED_CERT') && !isRetryableNetworkCode(undefined));
  });
});
