import { strict as assert } from 'node:assert';
import { silentLogger } from '../../../src/core/logger';
import { DAY_MS } from '../../../src/core/model';
import { generateQrsData, type QrsGeneratorOptions } from '../../../src/sim/qrs/qrsDataGenerator';
import { startQrsSimulator } from '../../../src/sim/qrs/qrsSimulator';
import { QRS_NO_DATE, type QrsSimData } from '../../../src/sim/qrs/qrsSimState';
import { qrs } from './qrsTestClient';

const NOW = Date.UTC(2024, 5, 15, 12);
const BASE: QrsGeneratorOptions = { users: 500, seed: 1, usageRecords: 4_000, now: NOW, licenseModel: 'token', capacity: false };

/** Everything observable about a generated site, as plain data. */
function digest(d: QrsSimData): unknown {
  const usage = d.loginUsage;
  return {
    users: d.users.map((u) => [u.id, u.userDirectory, u.userId, u.name, u.createdDate, u.deleted, u.inactive]),
    allocations: d.allocations.map((a) => [a.id, a.kind, a.user.id, a.lastUsed, a.quarantined, a.quarantineEnd, a.createdDate]),
    groups: d.loginGroups.map((g) => [g.id, g.name, g.assignedTokens]),
    usage: Array.from({ length: usage.size }, (_, i) => [usage.idAt(i), usage.userIndexAt(i), usage.groupIndexAt(i), usage.startAt(i), usage.latestActivityAt(i), usage.sessionsAt(i).length]),
    license: d.license,
    node: d.serverNodeConfigurationId,
  };
}

function passesPerUser(d: QrsSimData, since: number): number[] {
  const counts = new Map<number, number>();
  for (let i = 0; i < d.loginUsage.size; i++) {
    if (d.loginUsage.startAt(i) >= since) {
      counts.set(d.loginUsage.userIndexAt(i), (counts.get(d.loginUsage.userIndexAt(i)) ?? 0) + 1);
    }
  }
  return d.users.map((u, i) => (u.userDirectory === 'CORP' && !u.deleted ? (counts.get(i) ?? 0) : -1)).filter((n) => n >= 0);
}

describe('qrsDataGenerator', function () {
  this.timeout(20_000);
  let d: QrsSimData;

  before(() => {
    d = generateQrsData(BASE);
  });

  it('is deterministic: same seed, same site; another seed, another site', () => {
    const small = { ...BASE, users: 200, usageRecords: 2_000 };
    assert.deepEqual(digest(generateQrsData(small)), digest(generateQrsData(small)));
    assert.notDeepEqual(digest(generateQrsData({ ...small, seed: 2 })), digest(generateQrsData(small)));
    const ub = { ...small, licenseModel: 'userBased', capacity: true } as const;
    assert.deepEqual(digest(generateQrsData(ub)), digest(generateQrsData(ub)));
  });

  it('makes the built-in accounts and realistic CORP users', () => {
    const keys = d.users.map((u) => `${u.userDirectory}\\${u.userId}`);
    for (const k of ['INTERNAL\\sa_repository', 'INTERNAL\\sa_api', 'CORP\\admin']) {
      assert.ok(keys.includes(k), k);
    }
    assert.equal(d.users.filter((u) => !u.deleted).length, 500);
    assert.equal(new Set(keys).size, keys.length, 'user ids are unique per directory');
    assert.ok(d.users.filter((u) => u.userDirectory === 'CORP').every((u) => /^[a-z]+\.[a-z]+(\d+|\.left\d*)?$/.test(u.userId) || u.userId === 'admin'));
  });

  it('draws heavy-tailed login-pass use: most users 0-3 passes in 28 days, a tail of 10-60', () => {
    const counts = passesPerUser(d, NOW - 28 * DAY_MS).sort((a, b) => a - b);
    const median = counts[Math.floor(counts.length / 2)] ?? -1;
    const heavy = counts.filter((n) => n >= 10).length;
    assert.ok(median <= 3, `median ${median}`);
    assert.ok(heavy >= counts.length * 0.05 && heavy <= counts.length * 0.45, `${heavy} heavy users of ${counts.length}`);
    assert.ok((counts[counts.length - 1] ?? 0) <= 80, `max ${counts[counts.length - 1]}`);
    assert.equal(d.loginUsage.size, 4_000);
    for (let i = 0; i < d.loginUsage.size; i++) {
      const sessions = d.loginUsage.sessionsAt(i);
      assert.ok(sessions.length >= 1 && sessions.length <= 5);
      assert.ok(d.loginUsage.startAt(i) >= NOW - 61 * DAY_MS && d.loginUsage.startAt(i) <= NOW - 3_600_000);
      assert.ok(sessions.every((s) => s.latestActivity <= d.loginUsage.latestActivityAt(i) && s.latestActivity >= d.loginUsage.startAt(i)));
    }
    assert.ok(d.loginUsage.sortedByStart);
    assert.deepEqual(d.loginGroups.map((g) => g.name), ['Occasional users', 'Contractors']);
  });

  it('hands ~8% of users a user pass: fresh, stale, quarantined and of deleted users', () => {
    const uaps = d.allocations.filter((a) => a.kind === 'user');
    assert.ok(uaps.length >= 38 && uaps.length <= 45, `${uaps.length}`);
    assert.ok(uaps.some((a) => !a.quarantined && a.lastUsed !== QRS_NO_DATE && NOW - a.lastUsed < 7 * DAY_MS), 'used this week');
    assert.ok(uaps.some((a) => a.lastUsed !== QRS_NO_DATE && NOW - a.lastUsed > 30 * DAY_MS), 'unused for a month');
    assert.ok(uaps.some((a) => a.lastUsed === QRS_NO_DATE), 'never used');
    const quarantined = uaps.filter((a) => a.quarantined);
    assert.ok(quarantined.length >= 2);
    assert.ok(quarantined.every((a) => a.quarantineEnd > NOW && a.quarantineEnd === a.lastUsed + 7 * DAY_MS));
    assert.ok(uaps.some((a) => a.user.deleted && a.quarantined));
    const o = d.license.totalTokens - uaps.length - d.loginGroups.reduce((s, g) => s + g.assignedTokens, 0);
    assert.ok(o > 0, 'tokens left to assign');
  });

  it('gives pass holders no login pass after their pass was allocated, and people who left none', () => {
    const lastEnd = new Map<number, number>();
    for (let i = 0; i < d.loginUsage.size; i++) {
      const u = d.loginUsage.userIndexAt(i);
      lastEnd.set(u, Math.max(lastEnd.get(u) ?? 0, d.loginUsage.startAt(i) + 3_600_000));
    }
    const index = new Map(d.users.map((u, i) => [u, i]));
    const holders = d.allocations.filter((a) => !a.user.deleted);
    assert.ok(holders.length > 30);
    const withEarlierPasses = holders.filter((a) => lastEnd.has(index.get(a.user) ?? -1));
    assert.ok(withEarlierPasses.length > 0, 'some holders used login passes before they got the pass');
    for (const a of holders) {
      const end = lastEnd.get(index.get(a.user) ?? -1);
      assert.ok(end === undefined || end <= a.createdDate, `${a.user.userId}: a login pass until ${new Date(end ?? 0).toISOString()} after the pass from ${new Date(a.createdDate).toISOString()}`);
    }
    assert.ok(d.users.every((u, i) => !u.deleted || !lastEnd.has(i)), 'deleted users have no login passes');
  });

  it('gives analyzer capacity only to users without a professional or analyzer allocation', () => {
    const ub = generateQrsData({ ...BASE, licenseModel: 'userBased', capacity: true });
    const seated = new Set(ub.allocations.map((a) => a.user));
    assert.ok(ub.capacityUsage.length > 0);
    assert.ok(ub.capacityUsage.every((c) => !seated.has(c.user)));
  });

  it('generates 20,000 users and 300,000 records within budget, and serves 20,000-row pages quickly', async () => {
    const debug: string[] = [];
    const logger = { ...silentLogger, debug: (m: string) => debug.push(m) };
    const sim = await startQrsSimulator({ users: 20_000, usageRecords: 300_000, now: NOW, logger });
    try {
      assert.equal(sim.state.loginUsage.size, 300_000);
      const generated = debug.find((m) => m.includes('login-pass records in'));
      assert.ok(generated);
      console.log(`      ${generated.replace('[qrs-sim] ', '')} (budget ~3,000 ms)`);
      const since = new Date(NOW - 28 * DAY_MS).toISOString();
      const definition = {
        type: 'License.LoginAccessUsage',
        columns: ['id', 'user.id', 'user.userDirectory', 'user.userId', 'useStartTime', 'loginAccessType.name'].map((p) => ({ name: p, columnType: 1, definition: p })),
      };
      const timings: number[] = [];
      let rows = 0;
      for (let skip = 0; ; skip += 20_000) {
        const t = performance.now();
        const page = await qrs(sim, 'POST', '/license/loginaccessusage/table', {
          query: { filter: `useStartTime ge '${since}'`, skip, take: 20_000, sortcolumn: 'id', orderascending: true },
          body: definition,
        });
        timings.push(performance.now() - t);
        assert.equal(page.status, 201);
        const n = page.json<{ rows: unknown[] }>().rows.length;
        rows += n;
        if (n < 20_000) {
          break;
        }
      }
      const count = (await qrs(sim, 'GET', '/license/loginaccessusage/count', { query: { filter: `useStartTime ge '${since}'` } })).json<number>();
      assert.equal(rows, count);
      assert.deepEqual(sim.violations, []);
      const [first, ...rest] = timings;
      const later = rest.reduce((s, t) => s + t, 0) / Math.max(1, rest.length);
      console.log(`      ${timings.length} pages of 20,000: first ${Math.round(first ?? 0)} ms (filter + sort), then ${Math.round(later)} ms each`);
    } finally {
      await sim.close();
    }
  });
});
