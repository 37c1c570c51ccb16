import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeSimSecretConnectionFile } from '../../../src/cli/simConnectionFile';
import { startCloudSimulator, type CloudSimulator } from '../../../src/sim/cloud/cloudSimulator';
import { startLicstatsSimulator, type LicstatsSimulator } from '../../../src/sim/licstats/licstatsSimulator';
import { cliHarness } from './cliHarness';

/** A fixed clock, so every run of these tests sees the same tenant and server. */
const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);

/** Every file named `name` under `dir`. */
async function findFiles(dir: string, name: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name === name).map((e) => path.join(e.parentPath, e.name));
}

interface Row {
  readonly rank: number;
  readonly userDirectory: string | null;
  readonly userId: string;
  readonly name: string;
  readonly capacityMinutes: number;
  readonly verdict: string;
  readonly reason: string;
  readonly hoursUsed?: number;
  readonly peakLicenses?: number | null;
  readonly denials?: number;
}

describe('license-steward CLI on Qlik Cloud and License Statistics', function () {
  this.timeout(60_000);
  const { cli, transcript } = cliHarness(() => NOW);
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ls-cli-sources-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('a user-based Qlik Cloud tenant', () => {
    let sim: CloudSimulator;
    let config: string;
    let env: Record<string, string>;

    before(async () => {
      sim = await startCloudSimulator({ users: 120, seed: 5, now: NOW });
      const files = await writeSimSecretConnectionFile(path.join(dir, 'cloud'), { name: 'tenant', kind: 'cloud', url: sim.url, auth: { mode: 'apiKey' } }, sim.certificates.ca, sim.apiKey);
      config = files.configFile;
      env = { [files.secretEnv.name]: files.secretEnv.value };
    });
    after(() => sim.close());

    it('rank --format json: subjects as user ids, no directory, capacity minutes filled, highest first', async () => {
      const r = await cli(['rank', '--config', config, '--connection', 'tenant', '--format', 'json'], { env });
      assert.equal(r.code, 0, r.errors.join('\n'));
      const rows = JSON.parse(r.out) as Row[];
      assert.ok(rows.length > 0);
      const subjects = new Set(sim.state.users.map((u) => u.subject));
      for (const row of rows.slice(0, 20)) {
        assert.equal(row.userDirectory, null);
        assert.ok(subjects.has(row.userId) || sim.state.assignments.some((a) => a.subject === row.userId), `${row.userId} is a subject of the tenant`);
      }
      assert.ok((rows[0]?.capacityMinutes ?? 0) > 0, 'the top user used analyzer capacity');
      for (let i = 1; i < rows.length; i++) {
        assert.ok((rows[i - 1]?.capacityMinutes ?? 0) >= (rows[i]?.capacityMinutes ?? 0), 'ordered by capacity minutes');
      }
      assert.ok(!transcript.some((t) => t.includes(sim.apiKey)), 'the API key appears in no output');
    });

    it('assigns analyzer access to a user named by email, then revokes it by subject; the tenant holds what was said', async () => {
      const target = sim.state.users.find((u) => u.status === 'active' && u.email && !u.clientId && !sim.state.assignments.some((a) => a.subject === u.subject));
      assert.ok(target?.email, 'an active user without a license');
      const assigned = await cli(['assign', '--config', config, '--connection', 'tenant', '--user', target.email, '--kind', 'analyzer', '--yes', '--data-dir', path.join(dir, 'data')], { env });
      assert.equal(assigned.code, 0, assigned.errors.join('\n'));
      assert.equal(sim.state.assignments.find((a) => a.subject === target.subject)?.type, 'analyzer');

      const revoked = await cli(['revoke', '--config', config, '--connection', 'tenant', '--user', target.subject, '--yes', '--data-dir', path.join(dir, 'data')], { env });
      assert.equal(revoked.code, 0, revoked.errors.join('\n'));
      assert.equal(sim.state.assignments.find((a) => a.subject === target.subject), undefined);
    });

    it('rank --feature exits 1 saying only License Statistics has features, before any request', async () => {
      const before = sim.requests.length;
      const r = await cli(['rank', '--config', config, '--connection', 'tenant', '--feature', 'MATLAB'], { env });
      assert.equal(r.code, 1);
      assert.match(r.errors.join('\n'), /--feature applies to License Statistics connections only: only License Statistics has features, and "tenant" is not one\./);
      assert.equal(sim.requests.length, before);
    });

    it('without the API key: exit 2, naming the environment variable to set, before any request', async () => {
      const before = sim.requests.length;
      const r = await cli(['rank', '--config', config, '--connection', 'tenant'], { env: {} });
      assert.equal(r.code, 2);
      assert.match(r.errors.join('\n'), /needs an API key.*LICENSE_STEWARD_SECRET_TENANT/);
      assert.equal(sim.requests.length, before);
    });
  });

  describe('a capacity Qlik Cloud tenant', () => {
    let sim: CloudSimulator;
    let config: string;
    let env: Record<string, string>;

    before(async () => {
      sim = await startCloudSimulator({ users: 120, seed: 8, now: NOW, subscription: 'capacity' });
      const files = await writeSimSecretConnectionFile(path.join(dir, 'capacity'), { name: 'tenant', kind: 'cloud', url: sim.url, auth: { mode: 'apiKey' } }, sim.certificates.ca, sim.apiKey);
      config = files.configFile;
      env = { [files.secretEnv.name]: files.secretEnv.value };
    });
    after(() => sim.close());

    it('rank --format json lists every active user, those without a sign-in for 30 days as inactive', async () => {
      const r = await cli(['rank', '--config', config, '--connection', 'tenant', '--format', 'json'], { env });
      assert.equal(r.code, 0, r.errors.join('\n'));
      const rows = JSON.parse(r.out) as Row[];
      const active = sim.state.users.filter((u) => u.status === 'active');
      assert.deepEqual(new Set(rows.map((row) => row.userId)), new Set(active.map((u) => u.subject)), 'one row per active user');
      const idle = active.filter((u) => {
        const last = sim.state.lastSignIn(u.id);
        return last === undefined || NOW - last >= 30 * 86_400_000;
      });
      assert.ok(idle.length > 0, 'the tenant has idle users');
      const inactive = new Set(rows.filter((row) => row.verdict === 'inactive').map((row) => row.userId));
      assert.deepEqual(inactive, new Set(idle.map((u) => u.subject)));
      for (const row of rows.filter((x) => x.verdict === 'inactive')) {
        assert.match(row.reason, /disable candidate \(frees 1 Full User\)/);
      }
    });

    it('sync sums up the Full Users in the terms of the tenant, not in tokens', async () => {
      const r = await cli(['sync', '--config', config, '--connection', 'tenant', '--data-dir', path.join(dir, 'capacity-sync')], { env });
      assert.equal(r.code, 0, r.errors.join('\n'));
      assert.match(r.out, /^\d+ users are active Full Users; \d+ have not signed in for 30\+ days: disabling them frees as many Full Users\.$/m);
      assert.doesNotMatch(r.out, /token/);
    });

    it('disable --user: confirmed by --yes, read back disabled, audited; a second run has nothing to do', async () => {
      const target = sim.state.users.find((u) => u.status === 'active' && u.email && !u.clientId && u.id !== sim.state.adminUserId);
      assert.ok(target?.email);
      const dataDir = path.join(dir, 'data-capacity');
      const r = await cli(['disable', '--config', config, '--connection', 'tenant', '--user', target.email, '--yes', '--data-dir', dataDir], { env });
      assert.equal(r.code, 0, r.errors.join('\n'));
      assert.match(r.out, /^Disabled .*; they no longer count as a Full User/);
      assert.equal(sim.state.users.find((u) => u.id === target.id)?.status, 'disabled');
      const audit = (await findFiles(dataDir, 'audit.jsonl')).map((f) => readFileSync(f, 'utf8')).join('');
      const entries = audit.trim().split('\n').map((line) => JSON.parse(line) as { action: string; phase?: string; result?: string });
      assert.deepEqual(
        entries.map((e) => [e.action, e.phase, e.result]),
        [['disable', 'intent', undefined], ['disable', 'outcome', 'applied']],
      );
      const again = await cli(['disable', '--config', config, '--connection', 'tenant', '--user', target.subject, '--yes', '--data-dir', dataDir], { env });
      assert.equal(again.code, 0, again.errors.join('\n'));
      assert.match(again.out, /is disabled already; nothing to do/);
    });
  });

  describe('a License Statistics server', () => {
    let sim: LicstatsSimulator;
    let config: string;
    let env: Record<string, string>;

    before(async () => {
      sim = await startLicstatsSimulator({ seed: 3, now: NOW });
      const files = await writeSimSecretConnectionFile(path.join(dir, 'licstats'), { name: 'eng', kind: 'licstats', url: sim.url, auth: { mode: 'token' } }, sim.certificates.ca, sim.apiToken);
      config = files.configFile;
      env = { [files.secretEnv.name]: files.secretEnv.value };
    });
    after(() => sim.close());

    it('rank --format json: users by hours with peaks and denials, no directory', async () => {
      const r = await cli(['rank', '--config', config, '--connection', 'eng', '--format', 'json'], { env });
      assert.equal(r.code, 0, r.errors.join('\n'));
      const rows = JSON.parse(r.out) as Row[];
      assert.ok(rows.length > 0);
      for (const row of rows) {
        assert.equal(row.userDirectory, null);
        assert.equal(typeof row.hoursUsed, 'number');
        assert.equal(typeof row.denials, 'number');
      }
      for (let i = 1; i < rows.length; i++) {
        assert.ok((rows[i - 1]?.hoursUsed ?? 0) >= (rows[i]?.hoursUsed ?? 0), 'ordered by hours');
      }
      const denied = rows.find((row) => (row.denials ?? 0) > 0);
      assert.ok(denied, 'the server has denied users');
      assert.match(denied.reason, /denied (once|\d+ times): needed a license that was not there/);
      assert.ok(!transcript.some((t) => t.includes(sim.apiToken)), 'the token appears in no output');
    });

    it('sync --data-dir keeps the hours in history once, and sums up the denied users', async () => {
      const args = ['sync', '--config', config, '--connection', 'eng', '--data-dir', path.join(dir, 'licstats-data')];
      const first = await cli(args, { env });
      assert.equal(first.code, 0, first.errors.join('\n'));
      const synced = /^Synced "eng": (\d+) usage records, 0 allocations\.$/m.exec(first.out);
      assert.ok(synced, first.out);
      assert.match(first.out, new RegExp(`^History: ${synced[1]} new records, 0 already kept`, 'm'));
      assert.match(first.out, /^\d+ users? (was|were) denied a license in the last 28 days: they needed one that was not there\.$/m);
      const again = await cli(args, { env });
      assert.match(again.out, new RegExp(`^History: 0 new records, ${synced[1]} already kept`, 'm'));
    });

    it('--format csv adds the hours columns', async () => {
      const r = await cli(['rank', '--config', config, '--connection', 'eng', '--format', 'csv'], { env });
      assert.equal(r.code, 0, r.errors.join('\n'));
      assert.match(r.out.split('\r\n')[0] ?? '', /,verdict,reason,hoursUsed,peakLicenses,denials$/);
    });

    /** Hours per user name of one feature in the 28-day window, straight from the simulator's data. */
    function hoursOf(fid: number): Map<string, number> {
      const firstDay = Math.ceil((NOW - 28 * 86_400_000) / 86_400_000);
      const hours = new Map<string, number>();
      for (const u of sim.state.data.usage) {
        if (u.fid === fid && u.day >= firstDay && u.day * 86_400_000 < NOW) {
          const name = sim.state.user(u.uid).un;
          hours.set(name, (hours.get(name) ?? 0) + u.hours);
        }
      }
      return hours;
    }

    it('rank --feature NAME|ID ranks by that feature\'s hours only', async () => {
      const used = (f: { fid: number }): number => [...hoursOf(f.fid).values()].reduce((a, b) => a + b, 0);
      const feature = [...sim.state.data.features].filter((f) => sim.state.data.features.filter((g) => g.fns === f.fns).length === 1).sort((a, b) => used(b) - used(a))[0];
      assert.ok(feature && used(feature) > 0, 'a feature with a name of its own was used');
      const expected = hoursOf(feature.fid);
      for (const asked of [feature.fns.toUpperCase(), String(feature.fid)]) {
        const r = await cli(['rank', '--config', config, '--connection', 'eng', '--format', 'json', '--feature', asked], { env });
        assert.equal(r.code, 0, r.errors.join('\n'));
        const rows = (JSON.parse(r.out) as Row[]).filter((row) => (row.hoursUsed ?? 0) > 0);
        assert.equal(rows.length, expected.size, asked);
        for (const row of rows) {
          assert.ok(Math.abs((row.hoursUsed ?? 0) - (expected.get(row.userId) ?? -1)) < 1e-6, `${asked}: ${row.userId}`);
        }
      }
      const all = JSON.parse((await cli(['rank', '--config', config, '--connection', 'eng', '--format', 'json'], { env })).out) as Row[];
      assert.ok(all.filter((row) => (row.hoursUsed ?? 0) > 0).length > expected.size, 'all features rank more users');
      const table = await cli(['rank', '--config', config, '--connection', 'eng', '--feature', String(feature.fid), '--top', '3'], { env });
      assert.match(table.out, new RegExp(`^Hours of ${feature.fns} \\(id ${feature.fid}\\b.*\\) only\\.$`, 'm'));
    });

    it('rank --feature with a feature the server lacks exits 1 naming its features by id and name', async () => {
      const r = await cli(['rank', '--config', config, '--connection', 'eng', '--feature', 'no-such-feature'], { env });
      assert.equal(r.code, 1);
      const message = r.errors.join('\n');
      assert.match(message, /"eng" has no feature "no-such-feature"\. Its features \(id and name\): /);
      for (const f of sim.state.data.features) {
        assert.ok(message.includes(`${f.fid} (${f.fns}`), `names ${f.fid} ${f.fns}`);
      }
      assert.equal(r.out, '');
    });

    it('sync --feature ranks one feature and still keeps every feature in history', async () => {
      const feature = sim.state.data.features.find((f) => hoursOf(f.fid).size > 0);
      assert.ok(feature);
      const scoped = await cli(['sync', '--config', config, '--connection', 'eng', '--feature', String(feature.fid), '--data-dir', path.join(dir, 'licstats-feature')], { env });
      assert.equal(scoped.code, 0, scoped.errors.join('\n'));
      const all = await cli(['sync', '--config', config, '--connection', 'eng', '--data-dir', path.join(dir, 'licstats-all')], { env });
      const kept = (out: string): string | undefined => /^History: (\d+) new records/m.exec(out)?.[1];
      assert.ok(kept(all.out));
      assert.equal(kept(scoped.out), kept(all.out), 'the history got every feature');
      const synced = new RegExp(`^Synced "eng": (\\d+) usage records of ${feature.fns} \\(id ${feature.fid}\\b.*\\), ranked alone \\(the history keeps every feature\\)`, 'm').exec(scoped.out);
      assert.ok(synced, scoped.out);
      assert.ok(Number(synced[1]) < Number(kept(all.out)));
    });

    it('assign and revoke exit 1 saying the source is read-only, and send nothing', async () => {
      for (const action of ['assign', 'revoke']) {
        const before = sim.requests.length;
        const r = await cli([action, '--config', config, '--connection', 'eng', '--user', 'jdoe', '--yes', '--data-dir', path.join(dir, 'data')], { env });
        assert.equal(r.code, 1, action);
        assert.match(r.errors.join('\n'), /License Statistics connection, which is read-only: licenses there are managed on the license servers/);
        assert.equal(sim.requests.length, before, `${action} sent no request`);
      }
    });
  });

  describe('demo', () => {
    it('--cloud ranks a simulated user-based tenant by capacity minutes', async () => {
      const r = await cli(['demo', '--cloud', '--users', '80', '--top', '3']);
      assert.equal(r.code, 0, r.errors.join('\n'));
      assert.match(r.out, /^Demo tenant \(user-based\): .* connected as .* with an API key\./);
      assert.match(r.out, /#\s+user\s+name\s+minutes\s+license\s+verdict/);
    });

    it('--licstats ranks a simulated License Statistics server by hours and counts the denied users', async () => {
      const r = await cli(['demo', '--licstats', '--top', '3']);
      assert.equal(r.code, 0, r.errors.join('\n'));
      assert.match(r.out, /#\s+user\s+name\s+hours\s+peak\s+denied\s+verdict/);
      assert.match(r.out, /\d+ users? (was|were) denied a license in the last 28 days/);
    });

    it('refuses two demos at once', async () => {
      const r = await cli(['demo', '--cloud', '--licstats']);
      assert.equal(r.code, 1);
      assert.match(r.errors.join('\n'), /Pick one demo: --cloud or --licstats/);
    });
  });
});
