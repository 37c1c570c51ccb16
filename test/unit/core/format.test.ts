import { strict as assert } from 'node:assert';
import { formatAge, formatAgeChangesAt, formatDate } from '../../../src/core/format';

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

  it('says when an age next reads differently, and it reads the same until then', () => {
    // Ages from the future to weeks, at odd offsets so minute, hour and day edges all come up.
    for (let offset = -90_000; offset < 30 * 86_400_000; offset += 7_919_311) {
      for (const step of [0, 59_999, 3_599_999, 86_399_999]) {
        const then = now - offset - step;
        const until = formatAgeChangesAt(then, now);
        assert.ok(until > now, `${offset}/${step}`);
        assert.equal(formatAge(then, until - 1), formatAge(then, now), `unchanged just before, ${offset}/${step}`);
        assert.notEqual(formatAge(then, until), formatAge(then, now), `changed at, ${offset}/${step}`);
      }
    }
  });
});


describe('formatDate', () => {
  it('states the UTC calendar date exactly as an ISO timestamp does, leap days and year ends included', () => {
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const days = [0, 59, 60, 365, 10_957, 11_016, 11_017, 20_423, 20_513, 47_540, 2_932_896];
    for (let d = 0; d < 2_932_897; d += 997) {
      days.push(d);
    }
    for (const day of days) {
      for (const ms of [day * 86_400_000, day * 86_400_000 + 1, day * 86_400_000 + 86_399_999, day * 86_400_000 + 0.5]) {
        assert.equal(formatDate(ms), iso(ms), String(ms));
      }
    }
    for (const ms of [-1, -86_400_001, Date.UTC(10000, 0, 1), Date.UTC(-5, 3, 1)]) {
      assert.equal(formatDate(ms), iso(ms), String(ms));
    }
    assert.throws(() => formatDate(Number.NaN), RangeError);
  });
});
