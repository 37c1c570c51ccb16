import { strict as assert } from 'node:assert';
import { startLicstatsSimulator, type LicstatsSimulator } from '../../../../src/sim/licstats/licstatsSimulator';
import { encodeLicstatsQuery, LicstatsClient } from '../../../../src/sources/licstats/licstatsClient';
import { LicstatsProtocolError, LicstatsRefusedError, LicstatsReportNotFoundError, LicstatsTokenError } from '../../../../src/sources/licstats/licstatsErrors';
import { V1_REPORT_PATHS } from '../../../../src/sources/licstats/licstatsReports';
import { keepingLogger, licstatsOptions, trafficCheck } from './licstatsSimConnection';

const NOW = Date.UTC(2026, 10, 20, 15, 30);
const FEATURES = V1_REPORT_PATHS.features;

describe('License Statistics client against the simulator', function () {
  this.timeout(30_000);
  let sim: LicstatsSimulator;
  let check: ReturnType<typeof trafficCheck>;
  const opened: LicstatsClient[] = [];
  const open = (client: LicstatsClient): LicstatsClient => {
    opened.push(client);
    return client;
  };

  before(async () => {
    sim = await startLicstatsSimulator({ now: NOW, users: 40, seed: 7 });
  });
  after(async () => {
    await sim.close();
  });
  beforeEach(() => {
    check = trafficCheck(sim);
  });
  afterEach(async function () {
    await Promise.all(opened.splice(0).map((c) => c.close()));
    if (this.currentTest?.state === 'passed') {
      check.assertClean();
    }
  });
  const newRequests = () => sim.requests.slice(check.since);

  it('sends GET with the token in X-Auth-token and the format as the last path segment', async () => {
    const client = open(new LicstatsClient(licstatsOptions(sim)));
    const page = await client.page('features', FEATURES, {});
    assert.equal(page.rows.length, 15);
    assert.equal(page.totalCount, 15);
    const [request] = newRequests();
    assert.equal(request?.path, '/api/v1/report/feature/json');
    assert.equal(request?.headers['x-auth-token'], sim.apiToken);
    assert.equal(request?.headers['accept'], 'application/json');
    assert.deepEqual(request?.query, {});
  });

  it('encodes filter and order as JSON arrays beside offset and limit', () => {
    const query = encodeLicstatsQuery(
      {
        params: { sd: '2026-11-01', ed: '2026-11-20' },
        filter: [
          { property: 'fid', operator: 'eq', value: 104 },
          { property: 'ftype', value: ['Floating', 'Token'] },
        ],
        order: [
          { property: 'lco', direction: 'DESC' },
          { property: 'lsn', direction: 'ASC' },
        ],
      },
      { offset: 9, limit: 5 },
    );
    assert.deepEqual(query, {
      sd: '2026-11-01',
      ed: '2026-11-20',
      filter: '[{"property":"fid","operator":"eq","value":104},{"property":"ftype","value":["Floating","Token"]}]',
      order: '[{"property":"lco","direction":"DESC"},{"property":"lsn","direction":"ASC"}]',
      offset: 9,
      limit: 5,
    });
    assert.deepEqual(encodeLicstatsQuery({ filter: [], order: [] }), {}, 'empty lists are left out');
  });

  it('filters and orders on the server: the query reaches it intact', async () => {
    const client = open(new LicstatsClient(licstatsOptions(sim)));
    const page = await client.page('features', FEATURES, {
      filter: [
        { property: 'ftype', value: ['Token'] },
        { property: 'fns', value: 'hw' },
      ],
      order: [{ property: 'fns', direction: 'DESC' }],
    });
    assert.deepEqual(page.rows.map((r) => r['fns']), ['HWOptiStruct', 'HWHyperView', 'HWHyperMesh']);
    const [request] = newRequests();
    assert.deepEqual(JSON.parse(request?.query['filter'] ?? ''), [{ property: 'ftype', value: ['Token'] }, { property: 'fns', value: 'hw' }]);
    assert.deepEqual(JSON.parse(request?.query['order'] ?? ''), [{ property: 'fns', direction: 'DESC' }]);
  });

  it('pages with offset and limit, and stops at totalCount without asking for an empty page', async () => {
    const client = open(new LicstatsClient(licstatsOptions(sim, { pageSize: 5 })));
    const rows = await client.all('features', FEATURES, { order: [{ property: 'fid', direction: 'ASC' }] });
    assert.deepEqual(rows.map((r) => r['fid']), Array.from({ length: 15 }, (_, i) => 101 + i));
    assert.deepEqual(newRequests().map((r) => [r.query['offset'], r.query['limit']]), [['0', '5'], ['5', '5'], ['10', '5']]);
  });

  it('without totalCount, stops at the first short page', async () => {
    const row = (fid: number) => ({ fid, fns: `F${fid}`, ftype: 'Floating', lsid: 1, lsn: 's' });
    sim.fault({ path: /\/report\/feature\/json$/, body: { success: true, msg: null, data: [1, 2, 3].map(row), code: null }, times: 1 });
    sim.fault({ path: /\/report\/feature\/json$/, body: { success: true, msg: null, data: [4].map(row), code: null }, times: 1 });
    const client = open(new LicstatsClient(licstatsOptions(sim, { pageSize: 3 })));
    assert.deepEqual((await client.all('features', FEATURES, {})).map((r) => r['fid']), [1, 2, 3, 4]);
    assert.equal(newRequests().length, 2);
  });

  it('refuses to page forever through a server that ignores offset', async () => {
    const same = { success: true, msg: null, data: [{ fid: 1 }, { fid: 2 }], code: null };
    sim.fault({ path: /\/report\/feature\/json$/, body: same, times: 2 });
    const client = open(new LicstatsClient(licstatsOptions(sim, { pageSize: 2 })));
    await assert.rejects(client.all('features', FEATURES, {}), (e: unknown) => e instanceof LicstatsProtocolError && /offset 2 answered the rows of the page before it: the server ignores "offset"/.test(e.message));
    assert.equal(newRequests().length, 2);
  });

  it('reads a server that ignores limit and sends every row at once', async () => {
    const all = Array.from({ length: 12 }, (_, i) => ({ fid: i + 1 }));
    sim.fault({ path: /\/report\/feature\/json$/, body: { success: true, msg: null, data: all, code: null, totalCount: 12 }, times: 1 });
    const client = open(new LicstatsClient(licstatsOptions(sim, { pageSize: 5 })));
    assert.equal((await client.all('features', FEATURES, {})).length, 12);
    assert.equal(newRequests().length, 1);
  });

  it('takes success: false on HTTP 200 for the refusal it is', async () => {
    sim.fault({ path: /\/report\/feature\/json$/, status: 200, body: { success: false, msg: 'The report is being recalculated', data: null, code: 503 }, times: 1 });
    const client = open(new LicstatsClient(licstatsOptions(sim)));
    await assert.rejects(client.page('features', FEATURES, {}), (e: unknown) => {
      assert.ok(e instanceof LicstatsRefusedError, String(e));
      assert.equal(e.kind, 'server');
      assert.equal(e.message, 'License Statistics refused GET /api/v1/report/feature/json (error code 503): The report is being recalculated.');
      return true;
    });
  });

  it('takes a token refusal inside HTTP 200 (code 401) for a rejected token', async () => {
    sim.fault({ path: /\/report\/feature\/json$/, status: 200, body: { success: false, msg: 'Invalid token', data: null, code: 401 }, times: 1 });
    const client = open(new LicstatsClient(licstatsOptions(sim)));
    await assert.rejects(client.page('features', FEATURES, {}), (e: unknown) => e instanceof LicstatsTokenError && e.problem === 'rejected' && e.kind === 'auth' && e.status === 401);
  });

  it('a wrong token: a clear 401 sentence, the token in no message and no log line', async () => {
    const wrong = 'e765ee9c3ded6ca6e5e7f4d0d01189d0';
    sim.fault({ path: /\/report\/feature\/json$/, status: 401, body: { success: false, msg: `Token ${wrong} is not valid`, data: null, code: 401 }, times: 1 });
    const { logger, lines } = keepingLogger();
    const client = open(new LicstatsClient(licstatsOptions(sim, { token: wrong, logger })));
    await assert.rejects(client.page('features', FEATURES, {}), (e: unknown) => {
      assert.ok(e instanceof LicstatsTokenError, String(e));
      assert.equal(
        e.message,
        "License Statistics rejected the connection's API token (401 on GET /api/v1/report/feature/json): it is mistyped, or was deleted. Check the token, or create an API-scope token in License Statistics under your user name (top right) > API > Add, as a user whose role may view reports. The server said: Token *** is not valid",
      );
      return true;
    });
    assert.ok(lines.length > 0, 'the transport logged the call');
    assert.deepEqual(lines.filter((l) => l.includes(wrong)), []);
  });

  it('an Agent-scope token is refused for reports, with what to create instead', async () => {
    const client = open(new LicstatsClient(licstatsOptions(sim, { token: sim.agentToken })));
    await assert.rejects(client.page('features', FEATURES, {}), (e: unknown) => {
      assert.ok(e instanceof LicstatsTokenError, String(e));
      assert.equal(e.problem, 'agentScope');
      assert.equal(e.kind, 'auth');
      assert.match(e.message, /^License Statistics refused the connection's token for reports \(403 on GET \/api\/v1\/report\/feature\/json\): it is an Agent-scope token, which only License Statistics Agent may use\. Instead, create an API-scope token/);
      assert.ok(!e.message.includes(sim.agentToken));
      return true;
    });
  });

  it('a 403 that names no scope: the user may not view the report, or the token is an Agent one', async () => {
    sim.fault({ path: /\/report\/feature\/json$/, status: 403, body: { success: false, msg: 'Access denied', data: null, code: 403 }, times: 1 });
    const client = open(new LicstatsClient(licstatsOptions(sim)));
    await assert.rejects(client.page('features', FEATURES, {}), (e: unknown) => {
      assert.ok(e instanceof LicstatsTokenError, String(e));
      assert.equal(e.kind, 'rights');
      assert.match(e.message, /the token's user may not view this report, or the token has Agent scope\. Reports need an API-scope token/);
      return true;
    });
  });

  it('a report path with nothing behind it: a configuration error naming the entry to set', async () => {
    const client = open(new LicstatsClient(licstatsOptions(sim)));
    await assert.rejects(client.page('usagePerUser', '/api/v7/reports/usage-per-user', {}), (e: unknown) => {
      assert.ok(e instanceof LicstatsReportNotFoundError, String(e));
      assert.equal(e.kind, 'config');
      assert.match(e.message, /nothing at GET \/api\/v7\/reports\/usage-per-user\/json \(404\), where this connection looks for the usage per user report\. .* set "reports\.usagePerUser" to the path its web UI requests/);
      return true;
    });
  });

  it('an HTML page where JSON belongs is a protocol error', async () => {
    sim.fault({ path: /\/report\/feature\/json$/, status: 200, body: '<html><body>Please sign in</body></html>', times: 1 });
    const client = open(new LicstatsClient(licstatsOptions(sim)));
    await assert.rejects(client.page('features', FEATURES, {}), (e: unknown) => e instanceof LicstatsProtocolError && /not a License Statistics JSON answer \(the answer is text, not JSON\)/.test(e.message));
  });

  it('a refusal the server sends with 400 carries its message', async () => {
    const client = open(new LicstatsClient(licstatsOptions(sim)));
    await assert.rejects(client.page('denials', '/api/v1/report/feature/999/denials', { params: { sd: '2026-11-01', ed: '2026-11-02' } }), (e: unknown) => {
      assert.ok(e instanceof LicstatsRefusedError, String(e));
      assert.equal(e.message, 'License Statistics refused GET /api/v1/report/feature/999/denials/json with 400 (error code 400): Feature 999 does not exist.');
      return true;
    });
  });
});
