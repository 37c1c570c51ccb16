import { strict as assert } from 'node:assert';
import { formatAge } from '../../../src/core/format';

describe('formatAge', () => {
  const now = Date.UTC(2026, 11, 1, 12);
  const ago = (ms: number) => formatAge(now - ms, now);

  it('reads coarsely: minutes, hours, then days', () => {
    assert.equal(ago(20_000), 'just now');
    assert.equal(ago(5 * 60_000), '5 min ago');
    assert.equal(ago(59 * 60_000 + 59_000), '59 min ago');
    assert.equal(ago(2 * 3_600_000 + 10 * 60_000), '2 h ago');
    assert.equal(ago(23 * 3_600_000), '23 h ago');
    assert.equal(ago(24 * 3_600_000), '1 day ago');
    assert.equal(ago(41 * 86_400_000 + 3_600_000), '41 days ago');
  });

  it('reads a time ahead of the clock as just now', () => {
    assert.equal(formatAge(now + 60_000, now), 'just now');
  });
});
