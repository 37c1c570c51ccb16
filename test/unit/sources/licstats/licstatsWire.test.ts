import { strict as assert } from 'node:assert';
import { LicstatsProtocolError } from '../../../../src/sources/licstats/licstatsErrors';
import { asDenialRows, asEnvelope, asLicenseServerRows, asUsagePerUserRows, failureOf, featureTypeOf, serverStatusOf } from '../../../../src/sources/licstats/licstatsWire';

const REQ = 'GET /api/v1/report/feature/json';

describe('License Statistics wire', () => {
  describe('envelope', () => {
    it('reads rows and totalCount of a success', () => {
      const env = asEnvelope({ success: true, msg: null, data: [{ fid: 1 }], code: null, totalCount: 40 }, REQ);
      assert.deepEqual(env, { success: true, rows: [{ fid: 1 }], totalCount: 40 });
    });

    it('tolerates an envelope without totalCount (unconfirmed for v6.8+)', () => {
      assert.deepEqual(asEnvelope({ success: true, data: [] }, REQ), { success: true, rows: [], totalCount: undefined });
    });

    it('reads success: false as a refusal with its msg and code', () => {
      assert.deepEqual(asEnvelope({ success: false, msg: 'Invalid filter', data: null, code: 400 }, REQ), { success: false, msg: 'Invalid filter', code: 400 });
      assert.deepEqual(asEnvelope({ success: false, code: '401' }, REQ), { success: false, msg: '', code: 401 });
    });

    const broken: readonly [string, unknown, RegExp][] = [
      ['an HTML page', '<html>Login</html>', /not a License Statistics JSON answer \(the answer is text, not JSON\)/],
      ['JSON without success', { data: [] }, /not a License Statistics JSON answer \(no "success" field\)/],
      ['a success without data', { success: true, msg: null }, /not a report answer \("data" is not a list of rows\)/],
      ['a row that is no object', { success: true, data: [{ fid: 1 }, 7] }, /\(row 1 is not an object\)/],
      ['a fractional totalCount', { success: true, data: [], totalCount: 1.5 }, /"totalCount" is not a whole number/],
    ];
    for (const [what, body, message] of broken) {
      it(`refuses ${what} as a protocol error, never an empty result`, () => {
        assert.throws(() => asEnvelope(body, REQ), (e: unknown) => e instanceof LicstatsProtocolError && e.kind === 'protocol' && message.test(e.message));
      });
    }

    it('reads what a non-JSON or foreign error body says', () => {
      assert.deepEqual(failureOf('Bad gateway'), { msg: 'Bad gateway', code: null });
      assert.deepEqual(failureOf({ message: 'Forbidden', code: 403 }), { msg: 'Forbidden', code: 403 });
      assert.deepEqual(failureOf(undefined), { msg: '', code: null });
    });
  });

  describe('rows', () => {
    it('reads the columns it knows and ignores any other', () => {
      const [row] = asUsagePerUserRows(
        [{ fud: '2026-11-20', un: 'jdoe', fid: 104, fns: 'MATLAB', ftype: 'Floating', hu: 6.5, mu: 1, musage: 3.33, uil: 'CN=John Doe', brandNewColumn: { nested: true } }],
        REQ,
      );
      assert.deepEqual(row, { fud: '2026-11-20', un: 'jdoe', fid: '104', fns: 'MATLAB', ftype: 'Floating', lsn: undefined, hn: undefined, hu: 6.5, mu: 1 });
    });

    it('reads numbers sent as text', () => {
      const [row] = asDenialRows([{ ldt: '2026-11-20 10:15', ldtc: '2', un: 'jdoe', hn: 'ws-1' }], REQ);
      assert.equal(row?.ldtc, 2);
    });

    it('refuses a known column of the wrong type, naming row and column', () => {
      assert.throws(
        () => asUsagePerUserRows([{ fud: '2026-11-20', un: 'a', fid: 1, hu: 1 }, { fud: '2026-11-20', un: 'b', fid: 1, hu: 'lots' }], REQ),
        (e: unknown) => e instanceof LicstatsProtocolError && /\(row 1: column "hu" is not a number\)/.test(e.message),
      );
      assert.throws(() => asDenialRows([{ ldtc: 1, un: 'a' }], REQ), (e: unknown) => e instanceof LicstatsProtocolError && /row 0 has no column "ldt"/.test(e.message));
    });
  });

  describe('enumerations', () => {
    it('reads server statuses by v6.11+ name and by the earlier number', () => {
      const rows = asLicenseServerRows(
        [
          { lsid: 1, lsn: 'a', lss: 'ONLINE' },
          { lsid: 2, lsn: 'b', lss: 2 },
          { lsid: 3, lsn: 'c', lss: 3 },
          { lsid: 4, lsn: 'd', lss: '7' },
          { lsid: 5, lsn: 'e', lss: 'License exceeded' },
          { lsid: 6, lsn: 'f', lss: 'UP' },
        ],
        REQ,
      );
      assert.deepEqual(rows.map((r) => r.lss), ['ONLINE', 'ONLINE', 'OFFLINE', 'LICSTAT_DOWN', 'LICENSE_EXCEEDED', 'ONLINE']);
      assert.equal(serverStatusOf(4), 'UNKNOWN', '4 was never assigned');
      assert.equal(serverStatusOf(1), 'UNKNOWN');
      assert.equal(serverStatusOf('HIBERNATING'), 'UNKNOWN');
    });

    it('reads feature types by name in any spelling, anything else as Other', () => {
      assert.deepEqual(['Floating', 'Node-locked', 'NODE_LOCKED', 'token', 'Borrowable', 3].map(featureTypeOf), ['Floating', 'Node-locked', 'Node-locked', 'Token', 'Other', 'Other']);
      assert.equal(featureTypeOf(null), undefined);
    });
  });
});
