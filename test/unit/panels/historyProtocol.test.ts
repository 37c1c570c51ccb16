import { strict as assert } from 'node:assert';
import { parseWebviewMessage, type DailyValues } from '../../../src/protocol/historyMessages';
import { firstFullWindowDay, rollingTotals, siteTable, userTable } from '../../../src/protocol/historySeries';
import { parseHostMessage } from '../../../src/protocol/parseHostMessage';
import { fixtureSiteHistory, fixtureUserHistory } from '../../webview/historyFixtures';

const DAY = 86_400_000;
const at = (i: number, passes: number): DailyValues => ({ day: i * DAY, loginPasses: passes, tokens: 0, capacityMinutes: 0 });

describe('usage-history protocol', () => {
  describe('parseHostMessage (the webview side)', () => {
    it('accepts what the host sends', () => {
      const user = fixtureUserHistory('1y');
      const site = fixtureSiteHistory('90d', 5);
      for (const m of [
        { type: 'init', state: { connection: 'c', user: null, range: '90d' } },
        { type: 'loading', range: 'all' },
        { type: 'error', message: 'no' },
        { type: 'exported', path: '/x.csv' },
        { type: 'history', data: user },
        { type: 'history', data: site },
        { type: 'history', data: { ...user, historyStart: user.days[40]?.day } },
      ]) {
        assert.deepEqual(parseHostMessage(JSON.parse(JSON.stringify(m))), m);
      }
    });

    it('rejects anything malformed, down to one bad number', () => {
      const user = fixtureUserHistory('28d');
      const site = fixtureSiteHistory('28d', 3);
      for (const m of [
        undefined,
        null,
        [],
        'history',
        { type: 'history', data: null },
        { type: 'history', data: { ...user, target: 'team' } },
        { type: 'history', data: { ...user, leadIn: undefined } },
        { type: 'history', data: { ...user, days: [...user.days, { ...user.days[0], tokens: Number.NaN }] } },
        { type: 'history', data: { ...user, events: [{ day: 1, kind: 'stolen', user: 'x', source: 'y' }] } },
        { type: 'history', data: { ...user, measure: 'bytes' } },
        { type: 'history', data: { ...site, top: [{ key: 'k', name: 'n', values: [1, 2] }] } },
        { type: 'history', data: { ...site, pool: [{ day: 1, used: '3', available: 1 }] } },
        { type: 'history', data: { ...user, historyStart: '2024-03-01' } },
        { type: 'history', data: { ...site, historyStart: Number.POSITIVE_INFINITY } },
        { type: 'loading', range: '2w' },
        { type: 'init', state: { connection: 'c', user: 3, range: '28d' } },
        { type: 'exported', path: 7 },
      ]) {
        assert.equal(parseHostMessage(m), undefined, JSON.stringify(m)?.slice(0, 120));
      }
    });
  });

  it('parseWebviewMessage (the host side) takes only the three messages', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'setRange', range: '1y', extra: 1 }), { type: 'setRange', range: '1y' });
    assert.equal(parseWebviewMessage({ type: 'setRange', range: '1d' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'eval', code: 'x' }), undefined);
  });

  describe('rollingTotals', () => {
    it('sums the 28 days up to each day, lead-in included', () => {
      const leadIn = Array.from({ length: 27 }, (_, i) => at(i, 1));
      const days = [at(27, 5), at(28, 0), at(29, 2)];
      assert.deepEqual(rollingTotals(leadIn, days, (d) => d.loginPasses), [32, 31, 32]);
    });

    it('windows by date, so a gap in the days cannot stretch a window', () => {
      assert.deepEqual(rollingTotals([], [at(0, 4), at(10, 1), at(28, 2), at(60, 3)], (d) => d.loginPasses), [4, 5, 3, 3]);
    });
  });

  it('siteTable aligns top users by day and leaves pool gaps unknown', () => {
    const site = fixtureSiteHistory('28d', 2);
    const t = siteTable({ ...site, topDays: site.topDays.slice(1), top: site.top.map((u) => ({ ...u, values: u.values.slice(1) })), pool: [{ day: site.topDays[3] ?? 0, used: 5, available: 6 }] });
    const first = t.series.find((s) => s.role === 'top');
    assert.equal(first?.values[0], null, 'a day the top series lacks is unknown');
    assert.equal(first?.values[1], site.top[0]?.values[1]);
    const used = t.series.find((s) => s.role === 'poolUsed')?.values ?? [];
    assert.deepEqual([used[2], used[3], used[4]], [null, 5, null]);
  });

  describe('before the history starts', () => {
    it("leaves a user's days before it unknown, and counts the rolling total from it", () => {
      const h = fixtureUserHistory('28d');
      const start = h.days[10]?.day ?? 0;
      const t = userTable({ ...h, leadIn: h.leadIn.map((d) => ({ ...d, loginPasses: 0, tokens: 0 })), days: h.days.map((d) => (d.day < start ? { ...d, loginPasses: 0, tokens: 0 } : d)), historyStart: start });
      const values = (role: string) => t.series.find((s) => s.role === role)?.values ?? [];
      for (const role of ['passes', 'rolling', 'tokens']) {
        assert.deepEqual(values(role).slice(0, 10), Array.from({ length: 10 }, () => null), role);
        assert.ok(values(role).slice(10).every((v) => typeof v === 'number'), role);
      }
      assert.deepEqual(values('breakEven').slice(0, 10), Array.from({ length: 10 }, () => 10), 'the break-even is a rule, not a recording');
      assert.equal(firstFullWindowDay(start), start + 27 * DAY);
    });

    it("leaves a site's days before it unknown for the total, each user and the others", () => {
      const site = fixtureSiteHistory('28d', 2);
      const t = siteTable({ ...site, historyStart: site.topDays[3] });
      for (const s of t.series.filter((x) => !x.role.startsWith('pool'))) {
        assert.deepEqual(s.values.slice(0, 3), [null, null, null], s.label);
        assert.equal(typeof s.values[3], 'number', s.label);
      }
    });
  });
});
