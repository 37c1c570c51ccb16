import { strict as assert } from 'node:assert';
import { failureKindOf } from '../../../../src/core/errors';
import { DAY_MS, windowOfDays, type Allocation, type UsageRecord } from '../../../../src/core/model';
import { DEFAULT_RULES, syncSource } from '../../../../src/core/sync';
import { startLicstatsSimulator, type LicstatsSimulator } from '../../../../src/sim/licstats/licstatsSimulator';
import { checkLicstatsConnection, LICSTATS_TOKEN_WARNING } from '../../../../src/sources/licstats/licstatsConnectionCheck';
import { LicstatsReadOnlyError, LicstatsRefusedError, LicstatsReportNotFoundError, LicstatsTokenError } from '../../../../src/sources/licstats/licstatsErrors';
import { resolveReportPaths } from '../../../../src/sources/licstats/licstatsReports';
import { createLicstatsSource, type LicstatsSource } from '../../../../src/sources/licstats/licstatsSource';
import { keepingLogger, licstatsOptions, trafficCheck } from './licstatsSimConnection';

const NOW = Date.UTC(2026, 10, 20, 15, 30);
const WINDOW = windowOfDays(28, NOW);
/** Start of the first day a 28-day window ending at NOW counts (its days start inside it). */
const FIRST_DAY = Math.ceil(WINDOW.from / DAY_MS);

async function collect(pages: AsyncIterable<readonly UsageRecord[]>): Promise<UsageRecord[]> {
  const all: UsageRecord[] = [];
  for await (const page of pages) {
    all.push(...page);
  }
  return all;
}

/** Hours per user name in the window, straight from the simulator's data. */
function expectedHours(sim: LicstatsSimulator): Map<string, number> {
  const hours = new Map<string, number>();
  for (const u of sim.state.data.usage) {
    if (u.day >= FIRST_DAY && u.day * DAY_MS < WINDOW.to) {
      const name = sim.state.user(u.uid).un;
      hours.set(name, (hours.get(name) ?? 0) + u.hours);
    }
  }
  return hours;
}

/** Denied checkouts per user name in the window, straight from the simulator's data. */
function expectedDenials(sim: LicstatsSimulator): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of sim.state.data.denials) {
    if (d.at >= FIRST_DAY * DAY_MS && d.at < WINDOW.to) {
      const name = sim.state.user(d.uid).un;
      counts.set(name, (counts.get(name) ?? 0) + d.count);
    }
  }
  return counts;
}

describe('License Statistics source against the simulator', function () {
  this.timeout(60_000);
  let sim: LicstatsSimulator;
  let check: ReturnType<typeof trafficCheck>;
  const opened: LicstatsSource[] = [];
  const open = (source: LicstatsSource): LicstatsSource => {
    opened.push(source);
    return source;
  };

  before(async () => {
    sim = await startLicstatsSimulator({ now: NOW, users: 80, seed: 11 });
  });
  after(async () => {
    await sim.close();
  });
  beforeEach(() => {
    check = trafficCheck(sim);
  });
  afterEach(async function () {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    if (this.currentTest?.state === 'passed') {
      check.assertClean();
    }
  });
  const newRequests = () => sim.requests.slice(check.since);

  it('reads usage per user by user and day as hours records of the window', async () => {
    const source = open(createLicstatsSource(licstatsOptions(sim, { pageSize: 250 })));
    const records = await collect(source.usage(WINDOW));
    assert.ok(records.length > 250, 'more than one page');
    assert.ok(records.every((r) => r.unit === 'hours' && r.start >= WINDOW.from && r.start < WINDOW.to && r.stop === r.start + DAY_MS));
    assert.equal(new Set(records.map((r) => r.id)).size, records.length, 'pages neither overlap nor repeat');
    const [first] = newRequests();
    assert.equal(first?.path, '/api/v1/report/license-server/all/usage-per-user/json');
    assert.deepEqual({ ...first?.query }, {
      sd: '2026-10-24',
      ed: '2026-11-20',
      grat: 'DAY',
      agrt: '1',
      order: '[{"property":"fud","direction":"ASC"},{"property":"un","direction":"ASC"},{"property":"fid","direction":"ASC"}]',
      offset: '0',
      limit: '250',
    });
    const tokenRecords = records.filter((r) => r.peakTokens !== undefined);
    assert.ok(tokenRecords.length > 0 && tokenRecords.every((r) => ['HWHyperMesh', 'HWOptiStruct', 'HWHyperView'].includes(r.pool ?? '')), 'Token features draw tokens');
  });

  it('ranks users by hours through the core ranking, denied users flagged, those only denied too', async () => {
    const source = open(createLicstatsSource(licstatsOptions(sim)));
    const result = await syncSource(source, { rules: DEFAULT_RULES, now: NOW });
    const hours = expectedHours(sim);
    const denials = expectedDenials(sim);
    const byHours = [...hours].sort((a, b) => b[1] - a[1]);
    assert.deepEqual(
      result.ranked.slice(0, 5).map((r) => r.user.name),
      byHours.slice(0, 5).map(([name]) => name),
    );
    for (const r of result.ranked) {
      assert.ok(Math.abs((r.hoursUsed ?? -1) - (hours.get(r.user.name) ?? 0)) < 0.011, `${r.user.name}: ${r.hoursUsed}`);
      assert.equal(r.denials, denials.get(r.user.name) ?? 0, r.user.name);
      assert.equal(r.user.directory, '');
      assert.equal(r.allocation, null);
    }
    assert.ok(result.ranked.every((r, i, all) => i === 0 || (all[i - 1]?.hoursUsed ?? 0) >= (r.hoursUsed ?? 0)), 'sorted by hours');
    const onlyDenied = result.ranked.filter((r) => r.hoursUsed === 0 && (r.denials ?? 0) > 0);
    assert.equal(onlyDenied.length, 2, 'the generator makes two users who were only ever denied');
    for (const r of onlyDenied) {
      assert.match(r.verdict.text, /^no license use in 28 days; denied (once|\d+ times): needed a license that was not there$/);
    }
    assert.deepEqual(
      new Map(result.denials?.map((d) => [d.user.name, d.count])),
      denials,
    );
  });

  it('narrows usage to one feature with a fid filter', async () => {
    const source = open(createLicstatsSource(licstatsOptions(sim)));
    const acfd = (await source.features()).find((f) => f.name === 'acfd');
    assert.ok(acfd);
    const records = await collect(source.usage(WINDOW, { scope: { feature: acfd.id } }));
    assert.ok(records.length > 0);
    assert.ok(records.every((r) => r.pool === 'acfd'));
    const usageRequest = newRequests().find((r) => r.path.endsWith('/usage-per-user/json'));
    assert.equal(usageRequest?.query['filter'], `[{"property":"fid","operator":"eq","value":${acfd.id}}]`);
  });

  it('counts denials per user over every feature, one denials report per feature', async () => {
    const source = open(createLicstatsSource(licstatsOptions(sim, { denialConcurrency: 3 })));
    const denied = await source.denials(WINDOW);
    assert.deepEqual(new Map(denied.map((d) => [d.user.name, d.count])), expectedDenials(sim));
    assert.ok(denied.every((d, i) => i === 0 || (denied[i - 1]?.count ?? 0) >= d.count), 'most denied first');
    const denialRequests = newRequests().filter((r) => /\/report\/feature\/\d+\/denials\/json$/.test(r.path));
    assert.equal(denialRequests.length, sim.state.data.features.length);
    assert.ok(denialRequests.every((r) => r.query['sd'] === '2026-10-24' && r.query['ed'] === '2026-11-20'));
  });

  it('counts one feature\'s denials with one report when scoped to it; a feature not listed fails the read', async () => {
    const source = open(createLicstatsSource(licstatsOptions(sim)));
    const denials = sim.state.data.denials.filter((d) => d.at >= FIRST_DAY * DAY_MS && d.at < WINDOW.to);
    const fid = denials[0]?.fid;
    assert.ok(fid !== undefined, 'the simulator has denials in the window');
    const expected = new Map<string, number>();
    for (const d of denials.filter((x) => x.fid === fid)) {
      const name = sim.state.user(d.uid).un;
      expected.set(name, (expected.get(name) ?? 0) + d.count);
    }
    const denied = await source.denials(WINDOW, { scope: { feature: String(fid) } });
    assert.deepEqual(new Map(denied.map((d) => [d.user.name, d.count])), expected);
    assert.deepEqual(newRequests().filter((r) => r.path.includes('/denials/')).map((r) => r.path), [`/api/v1/report/feature/${fid}/denials/json`]);
    await assert.rejects(source.denials(WINDOW, { scope: { feature: '999999' } }), (e: Error) => failureKindOf(e) === 'config' && /lists no feature with id 999999; it lists \d+ \(/.test(e.message));
  });

  it('syncs history over every feature while ranking only the scoped one', async () => {
    const source = open(createLicstatsSource(licstatsOptions(sim)));
    const acfd = (await source.features()).find((f) => f.name === 'acfd');
    assert.ok(acfd);
    const recorded: UsageRecord[] = [];
    const result = await syncSource(source, {
      rules: DEFAULT_RULES,
      now: NOW,
      scope: { feature: acfd.id },
      history: {
        recordSync: async (input) => {
          for await (const page of input.records) recorded.push(...page);
        },
      },
    });
    assert.ok(new Set(recorded.map((r) => r.pool)).size > 1, 'history got every feature');
    const acfdHours = new Map<string, number>();
    for (const r of recorded.filter((x) => x.pool === 'acfd')) acfdHours.set(r.user.name, (acfdHours.get(r.user.name) ?? 0) + r.amount);
    const ranked = new Map(result.ranked.filter((r) => (r.hoursUsed ?? 0) > 0).map((r) => [r.user.name, r.hoursUsed]));
    assert.equal(ranked.size, acfdHours.size);
    for (const [name, hours] of acfdHours) assert.ok(Math.abs((ranked.get(name) ?? 0) - hours) < 1e-9, name);
  });

  it('fails the denials read as a whole at the first feature refused, and reads no further', async () => {
    // Feature 101 answers slowly, 102 is refused at once: the worker on 101 must not go on to 103.
    sim.fault({ path: /\/report\/feature\/101\/denials\/json$/, delayMs: 400, body: { success: true, msg: null, data: [], code: null, totalCount: 0 }, times: 1 });
    sim.fault({ path: /\/report\/feature\/102\/denials\/json$/, status: 400, body: { success: false, msg: 'Report unavailable', data: null, code: 400 }, times: 1 });
    const source = open(createLicstatsSource(licstatsOptions(sim, { denialConcurrency: 2 })));
    await assert.rejects(source.denials(WINDOW), (e: unknown) => e instanceof LicstatsRefusedError && /feature\/102\/denials\/json with 400 \(error code 400\): Report unavailable\.$/.test(e.message));
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.deepEqual(newRequests().filter((r) => r.path.includes('/denials/')).map((r) => r.path.split('/')[5]), ['101', '102']);
  });

  it('names idle borrowed licenses and features near expiry', async () => {
    const source = open(createLicstatsSource(licstatsOptions(sim)));
    const facts = await source.estateFacts();
    assert.equal(facts.borrowed, 3);
    assert.equal(facts.idleAfterDays, 7);
    assert.deepEqual(facts.idleBorrowed.map((b) => [b.feature, Math.round((NOW - b.since) / DAY_MS)]), [['MATLAB', 12], ['acfd', 9]]);
    assert.ok(facts.idleBorrowed.every((b) => b.user !== null && b.returnBy === b.since + 14 * DAY_MS));
    assert.equal(facts.expiringWithinDays, 30);
    assert.deepEqual(facts.expiring.map((f) => f.feature), ['nukex_i', 'acfd', 'Signal_Toolbox']);
  });

  it('refuses every write before any request: License Statistics is read-only', async () => {
    const source = open(createLicstatsSource(licstatsOptions(sim)));
    const user = { id: 'jdoe', directory: '', userId: 'jdoe', name: 'jdoe' };
    const allocation: Allocation = { id: 'x', kind: 'user', user, lastUsed: null, quarantined: false, quarantineEnd: null, userDeleted: false, excess: false };
    await assert.rejects(source.assign(user, 'user'), (e: unknown) => {
      assert.ok(e instanceof LicstatsReadOnlyError, String(e));
      assert.equal(failureKindOf(e), 'usage');
      assert.match(e.message, /^License Statistics is read-only for License Steward: .* Could not assign a user access pass to jdoe; change licenses on the license server/);
      return true;
    });
    await assert.rejects(source.revoke(allocation), (e: unknown) => e instanceof LicstatsReadOnlyError && /Could not revoke the user access pass of jdoe/.test(e.message));
    assert.equal(await source.canAssign('user'), false);
    assert.deepEqual(await source.allocations(), []);
    assert.deepEqual(await source.allocationsOf(user), []);
    assert.deepEqual((await source.overview()).offeredKinds, []);
    assert.equal('reinstate' in source, false);
    assert.equal(newRequests().length, 0);
  });

  it('finds a user by exact name, not by a part of one', async () => {
    const source = open(createLicstatsSource(licstatsOptions(sim)));
    const someone = sim.state.user(sim.state.data.usage[sim.state.data.usage.length - 1]?.uid ?? 0).un;
    assert.deepEqual(await source.findUser('', someone), { id: someone, directory: '', userId: someone, name: someone });
    assert.equal(await source.findUser('', someone.slice(1)), undefined);
    assert.equal(await source.findUser('CORP', someone), undefined);
    assert.equal(JSON.parse(newRequests()[0]?.query['filter'] ?? '[]')[0]?.property, 'un');
  });

  it('tests a connection: servers, sessions, and the warning about standing tokens', async () => {
    const source = open(createLicstatsSource(licstatsOptions(sim)));
    const report = await checkLicstatsConnection(source);
    assert.equal(report.servers.length, 5);
    assert.equal(report.sessions, sim.state.data.sessions.length);
    assert.equal(
      report.text,
      `License Statistics at localhost:${sim.port} monitors 5 license servers (4 online; rlm-foundry-01: OFFLINE); ${report.sessions} license sessions open now. The token may read reports.`,
    );
    assert.equal(report.warning, LICSTATS_TOKEN_WARNING);
    assert.match(report.warning, /never expires and carries every permission of the user who created it\. Create it as a dedicated user whose role may only view reports, with API scope, and rotate it/);
  });

  it('a connection test with an Agent-scope token gets past the server list and is refused at the reports', async () => {
    const source = open(createLicstatsSource(licstatsOptions(sim, { token: sim.agentToken })));
    await assert.rejects(checkLicstatsConnection(source), (e: unknown) => e instanceof LicstatsTokenError && e.problem === 'agentScope' && /create an API-scope token/.test(e.message));
    assert.deepEqual(newRequests().map((r) => r.path), ['/api/v1/license-server/json', '/api/v1/report/users/current/json']);
  });

  it('a connection test with a wrong token: a credentials failure, the token in no log line', async () => {
    const { logger, lines } = keepingLogger();
    const wrong = 'ffffffffffffffffffffffffffffffff';
    const source = open(createLicstatsSource(licstatsOptions(sim, { token: wrong, logger })));
    await assert.rejects(checkLicstatsConnection(source), (e: unknown) => e instanceof LicstatsTokenError && failureKindOf(e) === 'auth' && /^License Statistics rejected the connection's API token \(401 on GET \/api\/v1\/license-server\/json\)/.test(e.message));
    assert.deepEqual(lines.filter((l) => l.includes(wrong)), []);
  });

  describe('on a server with other report paths, numeric enumerations, refusals inside 200 and extra columns', () => {
    let other: LicstatsSimulator;
    before(async () => {
      other = await startLicstatsSimulator({ now: NOW, users: 30, seed: 5, paths: 'alternative', enumerations: 'numeric', refusals: 'envelope', extraColumns: { xv7Column: 'new', lsActive: true } });
    });
    after(async () => {
      await other.close();
    });
    afterEach(() => {
      assert.deepEqual(other.violations, []);
    });

    it('the v1 defaults find nothing, and the error names the entry to set', async () => {
      const source = open(createLicstatsSource(licstatsOptions(other)));
      await assert.rejects(source.whoAmI(), (e: unknown) => e instanceof LicstatsReportNotFoundError && /set "reports\.licenseServers"/.test(e.message));
    });

    it('overrides reach every report', async () => {
      const since = other.requests.length;
      const source = open(createLicstatsSource(licstatsOptions(other, { reports: resolveReportPaths({ ...other.paths }) })));
      assert.match((await source.whoAmI()).server, /monitoring 5 license servers \(4 online\)$/);
      const result = await syncSource(source, { rules: DEFAULT_RULES, now: NOW });
      assert.ok(result.ranked.length > 0 && (result.ranked[0]?.hoursUsed ?? 0) > 0);
      assert.ok((result.denials?.length ?? 0) > 0);
      const facts = await source.estateFacts();
      assert.equal(facts.idleBorrowed.length, 2);
      assert.ok((await source.currentSessions()).length > 0);
      const paths = new Set(other.requests.slice(since).map((r) => r.path.replace(/\/\d+\//, '/{fid}/')));
      assert.deepEqual([...paths].sort(), Object.values(other.paths).map((p) => `${p}/json`).sort());
    });

    it('reads the numeric server statuses of servers before v6.11', async () => {
      const source = open(createLicstatsSource(licstatsOptions(other, { reports: resolveReportPaths({ ...other.paths }) })));
      assert.deepEqual((await source.licenseServers()).map((s) => s.status), ['ONLINE', 'ONLINE', 'ONLINE', 'ONLINE', 'OFFLINE']);
      const sent = other.requests[other.requests.length - 1];
      assert.equal(sent?.path, '/api/v3/license-servers/json');
    });

    it('takes a token refusal inside HTTP 200 for what it is', async () => {
      const source = open(createLicstatsSource(licstatsOptions(other, { token: 'not-the-token', reports: resolveReportPaths({ ...other.paths }) })));
      await assert.rejects(source.whoAmI(), (e: unknown) => e instanceof LicstatsTokenError && e.problem === 'rejected' && e.status === 401);
    });
  });
});
