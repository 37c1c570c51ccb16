import { strict as assert } from 'node:assert';
import { DAY_MS } from '../../../../src/core/model';
import { generateLicstatsData } from '../../../../src/sim/licstats/licstatsDataGenerator';
import { LICSTATS_ALTERNATIVE_PATHS, startLicstatsSimulator, type LicstatsSimulator } from '../../../../src/sim/licstats/licstatsSimulator';
import { getSim } from './licstatsTestClient';

const NOW = Date.UTC(2026, 10, 20, 15, 30);
const FEATURES = '/api/v1/report/feature/json';
const SERVERS = '/api/v1/license-server/json';
const USAGE = '/api/v1/report/license-server/all/usage-per-user/json';
const CURRENT = '/api/v1/report/users/current/json';

function responseViolations(sim: LicstatsSimulator): string[] {
  return sim.violations.filter((v) => v.startsWith('response:'));
}

describe('License Statistics simulator', function () {
  this.timeout(30_000);
  let sim: LicstatsSimulator;

  before(async () => {
    sim = await startLicstatsSimulator({ now: NOW, users: 60, seed: 3 });
  });
  after(async () => {
    await sim.close();
  });
  afterEach(() => {
    assert.deepEqual(responseViolations(sim), []);
  });

  describe('tokens', () => {
    it('refuses a request without a token, and an unknown one, with 401 in the envelope', async () => {
      const none = await getSim(sim, FEATURES, {}, null);
      assert.equal(none.status, 401);
      assert.deepEqual(none.json(), { success: false, msg: 'Authentication required: send an API token in the X-Auth-token header.', data: null, code: 401, totalCount: 0 });
      const wrong = await getSim(sim, FEATURES, {}, 'e765ee9c3ded6ca6e5e7f4d0d01189d0');
      assert.equal(wrong.status, 401);
      assert.equal(wrong.json()['msg'], 'Invalid API token.');
    });

    it('issues 32-hex-character tokens, one per scope', () => {
      assert.match(sim.apiToken, /^[0-9a-f]{32}$/);
      assert.match(sim.agentToken, /^[0-9a-f]{32}$/);
      assert.notEqual(sim.apiToken, sim.agentToken);
    });

    it('lets an Agent-scope token list the license servers and no report', async () => {
      assert.equal((await getSim(sim, SERVERS, {}, sim.agentToken)).status, 200);
      const report = await getSim(sim, FEATURES, {}, sim.agentToken);
      assert.equal(report.status, 403);
      assert.match(String(report.json()['msg']), /Agent scope/);
    });
  });

  describe('envelope and routes', () => {
    it('answers { success, msg, data, code, totalCount }', async () => {
      const answer = await getSim(sim, FEATURES);
      assert.equal(answer.status, 200);
      const body = answer.json();
      assert.deepEqual(Object.keys(body), ['success', 'msg', 'data', 'code', 'totalCount']);
      assert.equal(body['success'], true);
      assert.equal(body['totalCount'], 15);
    });

    it('takes the format from the last path segment: json only', async () => {
      assert.equal((await getSim(sim, '/api/v1/report/feature/csv')).status, 501);
      assert.equal((await getSim(sim, '/api/v1/report/feature/html')).status, 404);
      assert.equal((await getSim(sim, '/api/v1/report/feature')).status, 404);
      assert.equal((await getSim(sim, FEATURES, {}, sim.apiToken, 'POST')).status, 405);
    });

    it('refuses parameters the contract does not have, and records the request as a violation', async () => {
      const before = sim.violations.length;
      const answer = await getSim(sim, FEATURES, { orderBy: 'fid', orderDirection: 'ASC' });
      assert.equal(answer.status, 400);
      assert.match(String(answer.json()['msg']), /additional properties \('orderBy'\)/);
      assert.ok(sim.violations.slice(before).every((v) => v.startsWith('request: features:')));
      assert.ok(sim.violations.length > before);
    });
  });

  describe('filter, order, offset, limit', () => {
    const fns = async (query: Record<string, string | number>): Promise<unknown[]> => (await getSim(sim, FEATURES, query)).rows().map((r) => r['fns']);

    it('matches text by substring, without case', async () => {
      assert.deepEqual(await fns({ filter: '[{"property":"fns","value":"TOOLBOX"}]', order: '[{"property":"fns","direction":"ASC"}]' }), ['Optimization_Toolbox', 'Signal_Toolbox', 'Statistics_Toolbox']);
    });

    it('compares numbers with eq, lt and gt', async () => {
      assert.deepEqual(await fns({ filter: '[{"property":"fid","value":101}]' }), ['MATLAB']);
      assert.deepEqual(await fns({ filter: '[{"property":"fid","operator":"gt","value":113}]' }), ['nuke_i', 'nukex_i']);
      assert.equal((await fns({ filter: '[{"property":"fid","operator":"lt","value":103}]' })).length, 2);
    });

    it('takes a set of values for an enumerated column', async () => {
      assert.deepEqual(await fns({ filter: '[{"property":"ftype","value":["Token","Node-locked"]}]' }), ['Statistics_Toolbox', 'HWHyperMesh', 'HWOptiStruct', 'HWHyperView']);
    });

    it('compares dates by day: during, before, after', async () => {
      const expiring = '/api/v1/report/expiry/server/all/json';
      const all = (await getSim(sim, expiring)).rows();
      const acfd = all.find((r) => r['fns'] === 'acfd');
      const day = String(acfd?.['fexp']);
      const on = (await getSim(sim, expiring, { filter: JSON.stringify([{ property: 'fexp', value: day }]) })).rows();
      assert.deepEqual(on.map((r) => r['fns']), ['acfd']);
      const before = (await getSim(sim, expiring, { filter: JSON.stringify([{ property: 'fexp', operator: 'lt', value: day }]) })).rows();
      assert.ok(before.every((r) => String(r['fexp']) < day) && before.length > 0);
      const after = (await getSim(sim, expiring, { filter: JSON.stringify([{ property: 'fexp', operator: 'gt', value: day }]) })).rows();
      assert.equal(before.length + on.length + after.length, all.length);
    });

    it('orders first, then skips offset rows and returns at most limit, counting all matches', async () => {
      const page = await getSim(sim, FEATURES, { order: '[{"property":"ftype","direction":"DESC"},{"property":"fid","direction":"ASC"}]', offset: 2, limit: 3 });
      assert.deepEqual(page.rows().map((r) => r['fns']), ['HWHyperView', 'Statistics_Toolbox', 'MATLAB']);
      assert.equal(page.json()['totalCount'], 15);
      const past = await getSim(sim, FEATURES, { offset: 40, limit: 5 });
      assert.deepEqual(past.rows(), []);
      assert.equal(past.json()['totalCount'], 15);
    });

    it('refuses a filter on a column the report does not have', async () => {
      const answer = await getSim(sim, FEATURES, { filter: '[{"property":"hu","value":1}]' });
      assert.equal(answer.status, 400);
      assert.match(String(answer.json()['msg']), /features has no column "hu"/);
    });
  });

  describe('reports', () => {
    it('aggregates usage per user by user, by user and host, and by period', async () => {
      const window = { sd: '2026-11-01', ed: '2026-11-20' };
      const byUser = (await getSim(sim, USAGE, { ...window, agrt: 1, grat: 'DAY' })).rows();
      const byUserHost = (await getSim(sim, USAGE, { ...window, agrt: 3, grat: 5 })).rows();
      const total = (rows: Record<string, unknown>[]) => Math.round(rows.reduce((sum, r) => sum + Number(r['hu']), 0) * 100) / 100;
      assert.equal(total(byUser), total(byUserHost));
      assert.ok(byUser.every((r) => r['hn'] === undefined && /^\d{4}-\d{2}-\d{2}$/.test(String(r['fud']))));
      assert.ok(byUserHost.every((r) => typeof r['hn'] === 'string'));
      const weeks = (await getSim(sim, USAGE, { ...window, agrt: 1, grat: 'WEEK' })).rows();
      assert.ok(weeks.every((r) => /^\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}$/.test(String(r['fud']))));
      assert.deepEqual([...new Set((await getSim(sim, USAGE, { ...window, agrt: 1, grat: 'MONTH' })).rows().map((r) => r['fud']))], ['2026-11']);
      assert.deepEqual([...new Set((await getSim(sim, USAGE, { ...window, agrt: 1, grat: 2 })).rows().map((r) => r['fud']))], ['2026-Q4']);
      assert.equal((await getSim(sim, USAGE, { ...window, agrt: 4 })).status, 501);
    });

    it('counts Token feature usage in tokens drawn', async () => {
      const rows = (await getSim(sim, USAGE, { sd: '2026-10-01', ed: '2026-11-20', agrt: 1, filter: '[{"property":"fns","value":"HWHyperMesh"}]' })).rows();
      assert.ok(rows.length > 0);
      assert.ok(rows.every((r) => r['ftype'] === 'Token' && Number(r['mu']) % 21 === 0));
    });

    it('reports denials of one feature between sd and ed, inclusive', async () => {
      const acfd = sim.state.featureNamed('acfd');
      assert.ok(acfd);
      const mine = sim.state.data.denials.filter((d) => d.fid === acfd.fid && d.at >= Date.UTC(2026, 9, 1) && d.at < Date.UTC(2026, 10, 21));
      const rows = (await getSim(sim, `/api/v1/report/feature/${acfd.fid}/denials/json`, { sd: '2026-10-01', ed: '2026-11-20' })).rows();
      assert.equal(rows.length, mine.length);
      assert.ok(rows.every((r) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(String(r['ldt']))));
      assert.equal((await getSim(sim, '/api/v1/report/feature/999/denials/json', { sd: '2026-10-01', ed: '2026-11-20' })).status, 400);
    });

    it('shows what a test arranges, and borrowed licenses come back when their borrow ends', async () => {
      const user = sim.state.addUser('newcomer');
      sim.state.addUsage({ un: user.un, fns: 'MATLAB', at: NOW - DAY_MS, hours: 3.25 });
      sim.state.addDenial({ un: user.un, fns: 'MATLAB', at: NOW - DAY_MS, count: 2 });
      const usage = (await getSim(sim, USAGE, { sd: '2026-11-19', ed: '2026-11-19', agrt: 1, filter: '[{"property":"un","value":"newcomer"}]' })).rows();
      assert.deepEqual(usage.map((r) => [r['un'], r['fns'], r['hu']]), [['newcomer', 'MATLAB', 3.25]]);
      const denials = (await getSim(sim, '/api/v1/report/feature/101/denials/json', { sd: '2026-11-19', ed: '2026-11-19', filter: '[{"property":"un","value":"newcomer"}]' })).rows();
      assert.deepEqual(denials.map((r) => r['ldtc']), [2]);
      const borrowed = '/api/v1/report/license-server/all/borrowed-licenses/json';
      assert.equal((await getSim(sim, borrowed)).rows().length, 3);
      sim.clock.advance(3 * DAY_MS);
      try {
        assert.equal((await getSim(sim, borrowed)).rows().length, 2, 'the 12-day-old MATLAB borrow ran out after 14 days');
      } finally {
        sim.clock.set(NOW);
      }
    });

    it('lists open sessions with their checkout time', async () => {
      const rows = (await getSim(sim, CURRENT)).rows();
      assert.equal(rows.length, sim.state.data.sessions.length);
      assert.ok(rows.every((r) => Number(r['lus']) >= 1 && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(String(r['lco']))));
    });
  });

  describe('sample data', () => {
    it('is the same for the same seed, and another for another seed', () => {
      const options = { users: 30, seed: 9, now: NOW, historyDays: 30 };
      assert.deepEqual(generateLicstatsData(options), generateLicstatsData(options));
      assert.notDeepEqual(generateLicstatsData(options).usage, generateLicstatsData({ ...options, seed: 10 }).usage);
    });

    it('looks like an engineering estate: FlexNet, LM-X and RLM servers, real feature names, token pools, denials', () => {
      const { servers, features, users, usage, denials } = sim.state.data;
      assert.deepEqual([...new Set(servers.map((s) => s.lsmn))], ['FlexNet Publisher', 'LM-X', 'RLM']);
      for (const name of ['MATLAB', 'SIMULINK', 'acfd', 'ansys', '87775ACD_2024_0F', 'HWHyperMesh', 'nuke_i']) {
        assert.ok(features.some((f) => f.fns === name), name);
      }
      assert.equal(features.filter((f) => f.ftype === 'Token').length, 3);
      assert.ok(usage.length > 1000);
      const usedBy = new Set(usage.map((u) => u.uid));
      const deniedOnly = users.filter((u) => !usedBy.has(u.uid) && denials.some((d) => d.uid === u.uid));
      assert.ok(deniedOnly.length >= 2, 'some users were only ever denied');
    });
  });

  describe('with the alternative paths, old enumerations, refusals inside 200 and extra columns', () => {
    let other: LicstatsSimulator;
    before(async () => {
      other = await startLicstatsSimulator({ now: NOW, users: 60, seed: 3, paths: 'alternative', enumerations: 'numeric', refusals: 'envelope', extraColumns: { xNew: 'v7' } });
    });
    after(async () => {
      await other.close();
    });
    afterEach(() => {
      assert.deepEqual(responseViolations(other), []);
    });

    it('serves the reports at the alternative paths only', async () => {
      assert.deepEqual(other.paths, LICSTATS_ALTERNATIVE_PATHS);
      assert.equal((await getSim(other, FEATURES, {}, other.apiToken)).status, 404, 'routing refusals keep their status');
      assert.equal((await getSim(other, '/api/v3/reports/features/json', {}, other.apiToken)).rows().length, 15);
      assert.equal((await getSim(other, '/api/v3/reports/features/101/history/denials/json', { sd: '2026-10-01', ed: '2026-11-20' }, other.apiToken)).status, 200);
    });

    it('writes server statuses as the numbers before v6.11', async () => {
      const rows = (await getSim(other, '/api/v3/license-servers/json', {}, other.apiToken)).rows();
      assert.deepEqual(rows.map((r) => r['lss']), [2, 2, 2, 2, 3]);
    });

    it('answers refusals with 200 and success: false', async () => {
      const answer = await getSim(other, '/api/v3/reports/features/json', {}, 'wrong');
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.json(), { success: false, msg: 'Invalid API token.', data: null, code: 401, totalCount: 0 });
    });

    it('adds the extra columns to every row', async () => {
      assert.ok((await getSim(other, '/api/v3/reports/features/json', {}, other.apiToken)).rows().every((r) => r['xNew'] === 'v7'));
    });

    it('keeps the same data and tokens for the same seed', () => {
      assert.equal(other.apiToken, sim.apiToken);
      assert.equal(other.agentToken, sim.agentToken);
      assert.deepEqual(other.state.data.features, sim.state.data.features);
      // The first simulator's tests may have added rows at the end; the generated ones are the same.
      assert.deepEqual(other.state.data.usage, sim.state.data.usage.slice(0, other.state.data.usage.length));
    });
  });
});
