import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeSimConnectionFiles, type SimConnectionFiles } from '../../../src/cli/simConnectionFile';
import { DAY_MS } from '../../../src/core/model';
import { startQrsSimulator, type QrsSimulator } from '../../../src/sim/qrs/qrsSimulator';
import { HistoryStores } from '../../../src/store/historyStores';
import { cliHarness } from './cliHarness';

const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);

describe('license-steward sync', () => {
  let sim: QrsSimulator;
  let files: SimConnectionFiles;
  let dir: string;
  const { cli } = cliHarness(() => sim.clock.now());

  before(async () => {
    sim = await startQrsSimulator({ users: 120, seed: 4, now: NOW });
    dir = await mkdtemp(path.join(tmpdir(), 'ls-cli-sync-'));
    files = await writeSimConnectionFiles(sim, dir);
  });

  after(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps what each sync saw, and never counts a record twice', async () => {
    const dataDir = path.join(dir, 'data');
    const args = ['sync', '--config', files.configFile, '--connection', 'sim', '--data-dir', dataDir];
    const first = await cli(args);
    assert.equal(first.code, 0, first.errors.join('\n'));
    const added = Number(/History: (\d+) new records, 0 already kept/.exec(first.out)?.[1]);
    assert.ok(added > 100, first.out);

    // A day later: yesterday's records come again, plus a few new ones.
    sim.clock.advance(DAY_MS);
    const user = sim.state.users.find((u) => u.userDirectory === 'CORP' && !u.deleted);
    assert.ok(user);
    for (let i = 0; i < 3; i++) {
      sim.state.addLoginUsage(user, sim.clock.now() - (i + 2) * 3_600_000);
    }
    const second = await cli(args);
    assert.equal(second.code, 0, second.errors.join('\n'));
    assert.match(second.out, /History: 3 new records, \d+ already kept/);

    const stores = new HistoryStores(dataDir);
    try {
      const store = await stores.get('cli:sim');
      const series = await store.userSeries(user.id, { from: NOW - 60 * DAY_MS, to: sim.clock.now() + DAY_MS });
      const total = series.reduce((n, p) => n + p.loginPasses, 0);
      // Both syncs together saw everything since the first window opened.
      const expected = countFor(sim, user.id, NOW - 28 * DAY_MS);
      assert.equal(total, expected, 'the stored series holds each of the user\'s records once');
    } finally {
      await stores.closeAll();
    }
  });

  it('writes an audit entry for every change it makes, into the same store', async () => {
    const dataDir = path.join(dir, 'audit');
    const heavy = sim.state.users.find((u) => u.userDirectory === 'CORP' && !u.deleted && !sim.state.list('user').some((a) => a.user.id === u.id));
    assert.ok(heavy);
    const who = `${heavy.userDirectory}\\${heavy.userId}`;
    const base = ['--config', files.configFile, '--connection', 'sim', '--user', who, '--yes', '--data-dir', dataDir];
    assert.equal((await cli(['assign', ...base])).code, 0);
    assert.equal((await cli(['revoke', ...base])).code, 0);
    const stores = new HistoryStores(dataDir);
    try {
      const audit = await (await stores.get('cli:sim')).audit();
      // Each change: its intent before the request, its outcome after, sharing a change id.
      assert.deepEqual(
        audit.map((a) => [a.phase, a.result, a.action, a.kind, `${a.user.directory}\\${a.user.userId}`, a.reason, a.connection]),
        [
          ['intent', undefined, 'assign', 'user', who, 'manual', 'sim'],
          ['outcome', 'applied', 'assign', 'user', who, 'manual', 'sim'],
          ['intent', undefined, 'revoke', 'user', who, 'manual', 'sim'],
          ['outcome', 'applied', 'revoke', 'user', who, 'manual', 'sim'],
        ],
      );
      assert.equal(audit[0]?.changeId, audit[1]?.changeId);
      assert.notEqual(audit[1]?.changeId, audit[2]?.changeId);
      assert.match(audit[0]?.actor ?? '', / \(CLI\) as INTERNAL\\sa_api$/);
      assert.equal(audit[0]?.outcome, 'requested');
      assert.match(audit[1]?.outcome ?? '', /^assigned \(allocation [0-9a-f-]+\)$/);
      assert.equal(audit[3]?.outcome, 'revoked; freed');
      assert.equal(audit[1]?.serverAnswer, undefined, 'a clean answer needs no quoting');
    } finally {
      await stores.closeAll();
    }
  });

  it('names a missing config before touching the data directory', async () => {
    const r = await cli(['sync', '--connection', 'sim']);
    assert.equal(r.code, 1);
    assert.match(r.errors[0] ?? '', /--config is required/);
  });
});

/** Login passes of one user the simulator holds since `from`. */
function countFor(sim: QrsSimulator, userGuid: string, from: number): number {
  let n = 0;
  const usage = sim.state.loginUsage;
  for (let i = 0; i < usage.size; i++) {
    if (usage.startAt(i) >= from && sim.state.users[usage.userIndexAt(i)]?.id === userGuid) {
      n++;
    }
  }
  return n;
}
