import { strict as assert } from 'node:assert';
import { historyCsv, historyCsvFileName } from '../../../src/panels/historyCsv';
import type { DailyValues, SiteHistory, UserHistory } from '../../../src/protocol/historyMessages';

const DAY = 86_400_000;
const d0 = Date.UTC(2024, 2, 1);
const daily = (i: number, passes: number): DailyValues => ({ day: d0 + i * DAY, loginPasses: passes, tokens: passes / 10, capacityMinutes: passes * 30, hours: passes * 1.25 });

function user(over: Partial<UserHistory> = {}): UserHistory {
  return {
    target: 'user',
    connection: 'Prod',
    user: { key: 'CORP\\jdoe', name: 'Jane Doe' },
    range: '28d',
    days: [daily(0, 1), daily(1, 0), daily(2, 3)],
    leadIn: [daily(-2, 2), daily(-1, 4)],
    measure: 'tokens',
    breakEvenPasses: 10,
    events: [],
    ...over,
  };
}

function lines(csv: string): string[] {
  assert.ok(csv.endsWith('\r\n'), 'RFC 4180 line ends');
  return csv.slice(0, -2).split('\r\n');
}

describe('usage-history CSV', () => {
  it('writes one row per day of a user: passes, rolling 28-day total with lead-in, break-even, tokens', () => {
    assert.deepEqual(lines(historyCsv(user())), [
      'day,Login passes per day,Login passes in the last 28 days,Break-even: 10 passes in 28 days,Token-equivalents per day',
      '2024-03-01,1,7,10,0.1',
      '2024-03-02,0,7,10,0',
      '2024-03-03,3,10,10,0.3',
    ]);
  });

  it('writes capacity minutes for a capacity site', () => {
    assert.deepEqual(lines(historyCsv(user({ measure: 'capacity', leadIn: [] }))), [
      'day,Capacity minutes per day,Capacity minutes in the last 28 days',
      '2024-03-01,30,30',
      '2024-03-02,0,30',
      '2024-03-03,90,120',
    ]);
  });

  it('writes hours of license use for License Statistics', () => {
    assert.deepEqual(lines(historyCsv(user({ measure: 'hours', leadIn: [daily(-1, 2)] }))), [
      'day,Hours of license use per day,Hours in the last 28 days',
      '2024-03-01,1.25,3.75',
      '2024-03-02,0,3.75',
      '2024-03-03,3.75,7.5',
    ]);
  });

  it('writes a site: total, each top user, the others, and the pool with gaps left empty', () => {
    const site: SiteHistory = {
      target: 'site',
      connection: 'Prod',
      range: '90d',
      measure: 'tokens',
      totals: [daily(0, 10), daily(1, 20)],
      top: [
        { key: 'CORP\\a', name: 'Ann, "the boss"', values: [0.5, 1] },
        { key: 'CORP\\b', name: '=HYPERLINK("x")', values: [0.2, 0.3] },
      ],
      topDays: [d0, d0 + DAY],
      pool: [{ day: d0 + DAY, used: 60, available: 140 }],
      events: [],
    };
    assert.deepEqual(lines(historyCsv(site)), [
      `day,Site token-equivalents per day,"Ann, ""the boss"" (CORP\\a)","'=HYPERLINK(""x"") (CORP\\b)",Other users,Pool tokens used,Pool tokens available`,
      '2024-03-01,1,0.5,0.2,0.3,,',
      '2024-03-02,2,1,0.3,0.7,60,140',
    ]);
  });

  it('heads a user column with the name the legend shows, naming DIR\\id once', () => {
    const site: SiteHistory = {
      target: 'site',
      connection: 'Prod',
      range: '28d',
      measure: 'tokens',
      totals: [daily(0, 10)],
      top: [
        { key: 'CORP\\pahmed', name: 'Pedro Ahmed (CORP\\pahmed)', values: [0.5] },
        { key: 'EXT\\pedro', name: 'Pedro Ahmed (EXT\\pedro)', values: [0.3] },
        { key: 'CORP\\ann', name: 'Ann Lee', values: [0.1] },
      ],
      topDays: [d0],
      pool: [],
      events: [],
    };
    assert.equal(lines(historyCsv(site))[0], 'day,Site token-equivalents per day,Pedro Ahmed (CORP\\pahmed),Pedro Ahmed (EXT\\pedro),Ann Lee (CORP\\ann),Other users');
  });

  it('leaves the days before the history starts empty: unknown, not idle', () => {
    const h = user({ leadIn: [], days: [daily(0, 0), daily(1, 2), daily(2, 3)], historyStart: d0 + DAY });
    assert.deepEqual(lines(historyCsv(h)).slice(1), ['2024-03-01,,,10,', '2024-03-02,2,2,10,0.2', '2024-03-03,3,5,10,0.3']);
  });

  it('names the file after what it holds', () => {
    assert.equal(historyCsvFileName(user(), Date.UTC(2024, 5, 30, 15)), 'usage-Prod-CORP-jdoe-28-days-2024-06-30.csv');
  });
});
