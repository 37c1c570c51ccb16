import { strict as assert } from 'node:assert';
import { DAY_MS } from '../../../../src/core/model';
import { LicstatsProtocolError } from '../../../../src/sources/licstats/licstatsErrors';
import { DenialCounter, LicstatsUsageMapper, parseLicstatsDate, reportDays, toExpiring } from '../../../../src/sources/licstats/licstatsMapping';
import type { UsagePerUserRow } from '../../../../src/sources/licstats/licstatsWire';

const REQ = 'GET /api/v1/report/license-server/all/usage-per-user/json';

function usageRow(over: Partial<UsagePerUserRow>): UsagePerUserRow {
  return { fud: '2026-11-20', un: 'jdoe', fid: '101', fns: 'MATLAB', ftype: 'Floating', lsn: 'flex-1', hn: undefined, hu: 2, mu: 1, ...over };
}

describe('License Statistics mapping', () => {
  it('reads dates as v1 wrote them and as ISO, refusing impossible days', () => {
    assert.equal(parseLicstatsDate('2026-11-20'), Date.UTC(2026, 10, 20));
    assert.equal(parseLicstatsDate('2026-11-20 09:05'), Date.UTC(2026, 10, 20, 9, 5));
    assert.equal(parseLicstatsDate('2026-11-20 09:05:30'), Date.UTC(2026, 10, 20, 9, 5, 30));
    assert.equal(parseLicstatsDate('2026-11-20T09:05:30+01:00'), Date.UTC(2026, 10, 20, 8, 5, 30));
    assert.equal(parseLicstatsDate('2026-02-30'), null);
    assert.equal(parseLicstatsDate('permanent'), null);
  });

  it('asks for the days whose start lies in the window', () => {
    const to = Date.UTC(2026, 10, 23, 12);
    assert.deepEqual(reportDays({ from: to - 28 * DAY_MS, to }), { sd: '2026-10-27', ed: '2026-11-23', from: Date.UTC(2026, 9, 27) });
    assert.deepEqual(reportDays({ from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 10, 3) }), { sd: '2026-11-01', ed: '2026-11-02', from: Date.UTC(2026, 10, 1) });
    assert.equal(reportDays({ from: to - 3_600_000, to }), undefined);
  });

  it('maps usage rows into hours records: one per feature, user, host and day, peaks by feature type', () => {
    const mapper = new LicstatsUsageMapper();
    const records = mapper.mapPage([usageRow({}), usageRow({ fid: '111', fns: 'HWHyperMesh', ftype: 'Token', hu: 3.5, mu: 42 }), usageRow({ hn: 'lt-7' })], REQ);
    assert.deepEqual(records[0], {
      id: '101|jdoe||2026-11-20',
      user: { id: 'jdoe', directory: '', userId: 'jdoe', name: 'jdoe' },
      start: Date.UTC(2026, 10, 20),
      stop: Date.UTC(2026, 10, 21),
      unit: 'hours',
      amount: 2,
      pool: 'MATLAB',
      peakLicenses: 1,
    });
    assert.equal(records[1]?.peakTokens, 42);
    assert.equal(records[1]?.peakLicenses, undefined);
    assert.equal(records[2]?.id, '101|jdoe|lt-7|2026-11-20');
    assert.equal(records[0]?.user, records[2]?.user, 'one User object per name');
  });

  it('leaves out and counts rows without a user name or a feature', () => {
    const mapper = new LicstatsUsageMapper();
    const records = mapper.mapPage([usageRow({ un: '' }), usageRow({ un: undefined }), usageRow({ fid: undefined, fns: undefined }), usageRow({})], REQ);
    assert.equal(records.length, 1);
    assert.deepEqual([...mapper.dropped], [['without a user name', 2], ['without a feature', 1]]);
  });

  it('refuses a period that is no day as a protocol error', () => {
    assert.throws(() => new LicstatsUsageMapper().mapPage([usageRow({ fud: '2026-11' })], REQ), (e: unknown) => e instanceof LicstatsProtocolError && /row 0: the period "2026-11" is not a day/.test(e.message));
  });

  it('adds up denials per user over features, inside the range only', () => {
    const counter = new DenialCounter({ from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 10, 20, 12) });
    counter.add('acfd', [
      { ldt: '2026-11-02 10:00', ldtc: 2, un: 'jdoe', hn: 'ws-1' },
      { ldt: '2026-10-31 10:00', ldtc: 5, un: 'jdoe', hn: 'ws-1' },
      { ldt: '2026-11-20 13:00', ldtc: 5, un: 'jdoe', hn: 'ws-1' },
      { ldt: '2026-11-03 10:00', ldtc: 1, un: undefined, hn: 'ws-9' },
    ], 'GET x');
    counter.add('MATLAB', [{ ldt: '2026-11-05 08:30', ldtc: 1, un: 'jdoe', hn: 'ws-1' }, { ldt: '2026-11-05 09:00', ldtc: 4, un: 'asmith', hn: 'ws-2' }], 'GET y');
    assert.deepEqual(counter.result(), [
      { user: { id: 'asmith', directory: '', userId: 'asmith', name: 'asmith' }, count: 4, last: Date.UTC(2026, 10, 5, 9), features: ['MATLAB'] },
      { user: { id: 'jdoe', directory: '', userId: 'jdoe', name: 'jdoe' }, count: 3, last: Date.UTC(2026, 10, 5, 8, 30), features: ['MATLAB', 'acfd'] },
    ]);
    assert.equal(counter.withoutUser, 1);
  });

  it('takes a permanent license for no expiry', () => {
    assert.equal(toExpiring({ fns: 'MATLAB', fv: '53', lsn: 'x', fexp: 'permanent', ft: 3 }), null);
    assert.equal(toExpiring({ fns: 'acfd', fv: undefined, lsn: undefined, fexp: '2026-12-01', ft: undefined })?.expires, Date.UTC(2026, 11, 1));
  });
});
