import { strict as assert } from 'node:assert';
import { createLicstatsContract, LICSTATS_SIM_REPORTS } from '../../../../src/sim/licstats/licstatsContract';
import { LICSTATS_REPORTS, V1_REPORT_PATHS } from '../../../../src/sources/licstats/licstatsReports';

/** The columns the client reads, orders or filters by, per report (licstatsWire, licstatsSource). */
const CLIENT_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  licenseServers: ['lsid', 'lsn', 'lsh', 'lsp', 'lsmn', 'vn', 'lss'],
  features: ['fid', 'fns', 'fv', 'ftype', 'lsn'],
  usagePerUser: ['fud', 'un', 'fid', 'fns', 'ftype', 'lsn', 'hn', 'hu', 'mu'],
  denials: ['ldt', 'ldtc', 'un', 'hn'],
  currentUsers: ['un', 'hn', 'fns', 'ftype', 'lsn', 'lus', 'lco'],
  borrowed: ['fns', 'lsn', 'lus', 'lco', 'un', 'hn', 'lbe'],
  expiring: ['fns', 'fv', 'lsn', 'fexp', 'ft'],
};

describe('License Statistics contract', () => {
  const contract = createLicstatsContract();

  it('names the same reports and v1 paths as the client, written down separately', () => {
    assert.deepEqual([...LICSTATS_SIM_REPORTS], [...LICSTATS_REPORTS]);
    for (const report of LICSTATS_SIM_REPORTS) {
      assert.equal(contract.v1Path(report), V1_REPORT_PATHS[report], report);
    }
  });

  it('has every column the client reads', () => {
    for (const report of LICSTATS_SIM_REPORTS) {
      const columns = contract.columns(report);
      for (const handle of CLIENT_COLUMNS[report] ?? []) {
        assert.ok(columns.has(handle), `${report}.${handle}`);
      }
    }
  });

  it('accepts a query as the reference describes it', () => {
    const filter = JSON.stringify([{ property: 'fid', operator: 'gt', value: 3 }, { property: 'ftype', value: ['Floating', 'Token'] }, { property: 'un', value: 'doe' }]);
    const order = JSON.stringify([{ property: 'hu', direction: 'DESC' }]);
    assert.deepEqual(contract.validateQuery('usagePerUser', { sd: '2026-11-01', ed: '2026-11-20', grat: 'DAY', agrt: '1', filter, order, offset: '9', limit: '5' }), []);
    assert.deepEqual(contract.validateQuery('usagePerUser', { sd: '2026-11-01', ed: '2026-11-20', grat: '5' }), [], 'granularity by number');
    assert.deepEqual(contract.validateQuery('features', { fieldVisibility: '{"fid":"1"}', rn: 'Features' }), []);
  });

  const wrong: readonly [string, string, Record<string, string>, RegExp][] = [
    ['the pre-v6.8 orderBy', 'features', { orderBy: 'fid', orderDirection: 'ASC' }, /must NOT have additional properties \('orderBy'\)/],
    ['a missing sd', 'usagePerUser', { ed: '2026-11-20' }, /must have required property 'sd'/],
    ['sd after ed', 'denials', { sd: '2026-11-21', ed: '2026-11-20' }, /sd 2026-11-21 is after ed 2026-11-20/],
    ['a day that does not exist', 'denials', { sd: '2026-02-30', ed: '2026-03-02' }, /sd 2026-02-30 is no calendar day/],
    ['HOUR granularity for usage per user', 'usagePerUser', { sd: '2026-11-01', ed: '2026-11-02', grat: 'HOUR' }, /grat must match pattern/],
    ['a limit of 0', 'features', { limit: '0' }, /limit must be at least 1/],
    ['a negative offset', 'features', { offset: '-1' }, /offset must match pattern/],
    ['filter that is no JSON', 'features', { filter: '[{property:fid}]' }, /filter is not JSON/],
    ['a filter on an unknown column', 'features', { filter: '[{"property":"hu","value":1}]' }, /features has no column "hu"/],
    ['a comparison on a text column', 'features', { filter: '[{"property":"fns","operator":"lt","value":"M"}]' }, /a text column takes a string value and no comparison/],
    ['a number column given text', 'features', { filter: '[{"property":"fid","value":"104"}]' }, /a number column takes a number value/],
    ['a date column given a date-time', 'denials', { sd: '2026-11-01', ed: '2026-11-02', filter: '[{"property":"ldt","value":"2026-11-01 10:00"}]' }, /a date column takes a YYYY-MM-DD value/],
    ['an unknown operator', 'features', { filter: '[{"property":"fid","operator":"ge","value":1}]' }, /filter\/0\/operator must be equal to one of the allowed values/],
    ['an order direction in lower case', 'features', { order: '[{"property":"fid","direction":"asc"}]' }, /order\/0\/direction must be equal to one of the allowed values/],
  ];
  for (const [what, report, query, message] of wrong) {
    it(`refuses ${what}`, () => {
      const problems = contract.validateQuery(report as (typeof LICSTATS_SIM_REPORTS)[number], query);
      assert.ok(problems.some((p) => message.test(p)), problems.join('\n'));
    });
  }

  it('checks answers row by row, and refusals', () => {
    const row = { ldt: '2026-11-20 10:05', ldtc: 2, un: 'jdoe', hn: 'ws-1' };
    const answer = (data: unknown[]) => ({ success: true, msg: null, data, code: null, totalCount: data.length });
    assert.deepEqual(contract.validateAnswer('denials', answer([row])), []);
    assert.ok(contract.validateAnswer('denials', answer([{ ...row, ldtc: 0 }])).some((p) => /data\/0\/ldtc must be >= 1/.test(p)));
    assert.ok(contract.validateAnswer('denials', answer([{ ...row, extra: 1 }])).some((p) => /must NOT have additional properties \('extra'\)/.test(p)));
    assert.ok(contract.validateAnswer('denials', { success: true, msg: null, data: [row], code: null }).some((p) => /required property 'totalCount'/.test(p)));
    assert.deepEqual(contract.validateFailure({ success: false, msg: 'Invalid API token.', data: null, code: 401, totalCount: 0 }), []);
    assert.ok(contract.validateFailure({ success: false, msg: '', data: null, code: 401 }).length > 0);
  });
});
