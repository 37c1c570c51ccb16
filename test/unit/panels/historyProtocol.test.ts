import { strict as assert } from 'node:assert';
import { formatDay } from '../../../media/history/src/format';
import { summarize } from '../../../media/history/src/summary';
import { HISTORY_MEASURES, parseWebviewMessage, type DailyValues, type SiteHistory, type UserHistory } from '../../../src/protocol/historyMessages';
import { firstFullWindowDay, rollingTotals, siteTable, userTable } from '../../../src/protocol/historySeries';
import { parseHostMessage } from '../../../src/protocol/parseHostMessage';
import { fixtureSiteHistory, fixtureUserHistory } from '../../webview/historyFixtures';

const DAY = 86_400_000;
const at = (i: number, passes: number): DailyValues => ({ day: i * DAY, loginPasses: passes, tokens: 0, capacityMinutes: 0, hours: 0 });

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
        { type: 'history', data: fixtureUserHistory('28d', 'hours') },
        { type: 'history', data: fixtureSiteHistory('90d', 4, 'hours') },
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
        { type: 'history', data: { ...user, days: user.days.map((d) => ({ day: d.day, loginPasses: d.loginPasses, tokens: d.tokens, capacityMinutes: d.capacityMinutes })) } },
        { type: 'history', data: { ...site, totals: [...site.totals, { ...site.totals[0], hours: '1.5' }] } },
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

  it('parseHostMessage takes exactly the three measures', () => {
    assert.deepEqual(HISTORY_MEASURES, ['tokens', 'capacity', 'hours']);
    const user = fixtureUserHistory('28d', 'hours');
    for (const measure of HISTORY_MEASURES) {
      assert.equal(parseHostMessage({ type: 'history', data: { ...user, measure } })?.type, 'history', measure);
    }
    for (const measure of ['minutes', 'Hours', 'hours ', '', null, undefined, 3]) {
      assert.equal(parseHostMessage({ type: 'history', data: { ...user, measure } }), undefined, String(measure));
    }
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

  describe('hours of license use (License Statistics)', () => {
    const hoursOn = (i: number, hours: number): DailyValues => ({ day: i * DAY, loginPasses: 0, tokens: 0, capacityMinutes: 0, hours });
    // The page writes numbers in the admin's locale; these sentences are pinned with a decimal point.
    const decimalPoint = (text: string) => text.replace(/(\d),(\d)/g, '$1.$2');
    const user = (days: DailyValues[], leadIn: DailyValues[] = []): UserHistory => ({
      target: 'user',
      connection: 'Eng',
      user: { key: 'ann', name: 'Ann' },
      range: '28d',
      days,
      leadIn,
      measure: 'hours',
      breakEvenPasses: 10,
      events: [],
    });

    it("labels a user's series in hours and totals 28 days of them, lead-in included", () => {
      const t = userTable(user([hoursOn(100, 0.5), hoursOn(101, 1.25), hoursOn(102, 0)], [hoursOn(70, 9), hoursOn(99, 1)]));
      assert.deepEqual(
        t.series.map((s) => [s.role, s.label, s.values]),
        [
          ['hours', 'Hours of license use per day', [0.5, 1.25, 0]],
          ['rolling', 'Hours in the last 28 days', [1.5, 2.75, 2.75]],
        ],
      );
    });

    it("labels the site's total in hours", () => {
      const site: SiteHistory = {
        target: 'site',
        connection: 'Eng',
        range: '28d',
        measure: 'hours',
        totals: [hoursOn(100, 1.16), hoursOn(101, 2)],
        top: [
          { key: 'ann', name: 'Ann', values: [0.58, 1.5] },
          { key: 'bob', name: 'Bob', values: [0.58, 0] },
        ],
        topDays: [100 * DAY, 101 * DAY],
        pool: [],
        events: [],
      };
      assert.deepEqual(
        siteTable(site).series.map((s) => [s.role, s.label, s.values]),
        [
          ['total', 'Site hours of license use per day', [1.16, 2]],
          ['top', 'Ann', [0.58, 1.5]],
          ['top', 'Bob', [0.58, 0]],
          ['others', 'Other users', [0, 0.5]],
        ],
      );
      assert.equal(decimalPoint(summarize(site)), 'Eng (site totals), the last 28 days: 3.16 hours used; the largest user, Ann, used 2.08 (66%). 2 top users stacked.');
    });

    it('says hours in the summary, in agreement with the number', () => {
      assert.equal(
        decimalPoint(summarize(user([hoursOn(100, 0.5), hoursOn(101, 1.5), hoursOn(102, 0)], [hoursOn(99, 1)]))),
        `Ann (ann) on Eng, the last 28 days: 2 hours of license use; 3 in the 28 days up to the last day shown. Busiest day ${formatDay(101 * DAY)} with 1.5 hours.`,
      );
      // Sums of hundredths are not exact: 0.7 + 0.2 + 0.1 is 0.9999999999999999, which reads 1.
      assert.equal(
        decimalPoint(summarize(user([hoursOn(100, 0.7), hoursOn(101, 0.2), hoursOn(102, 0.1)]))),
        `Ann (ann) on Eng, the last 28 days: 1 hour of license use; 1 in the 28 days up to the last day shown. Busiest day ${formatDay(100 * DAY)} with 0.7 hours.`,
      );
      assert.equal(summarize(user([hoursOn(100, 1)])).match(/with 1 hour\./)?.[0], 'with 1 hour.');
      assert.equal(summarize(user([hoursOn(100, 0)])), 'Ann (ann) on Eng, the last 28 days: no use recorded.');
    });
  });
});
