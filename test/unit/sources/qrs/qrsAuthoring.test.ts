import { strict as assert } from 'node:assert';
import { DAY_MS, type User } from '../../../../src/core/model';
import type { QrsSimRequest, QrsSimulator } from '../../../../src/sim/qrs/qrsSimulator';
import { startQrsSimulator } from '../../../../src/sim/qrs/qrsSimulator';
import { createQrsSource, type QrsSource } from '../../../../src/sources/qrs/qrsSource';
import { certificateOptions, trafficCheck } from './simConnection';

const NOW = Date.UTC(2026, 2, 1, 12);
const SINCE = NOW - 90 * DAY_MS;

describe('QrsSource.authoredSince against the simulator', function () {
  this.timeout(60_000);
  let sim: QrsSimulator;
  let source: QrsSource;
  let check: ReturnType<typeof trafficCheck>;

  before(async () => {
    // 2,000 users: about 200 professionals, more than one batch of owners.
    sim = await startQrsSimulator({ users: 2_000, seed: 21, now: NOW, licenseModel: 'userBased' });
  });
  after(async () => {
    await sim.close();
  });
  beforeEach(() => {
    check = trafficCheck(sim);
    source = createQrsSource(certificateOptions(sim));
  });
  afterEach(async function () {
    await source.close();
    if (this.currentTest?.state === 'passed') {
      check.assertClean();
    }
  });

  /** The simulator's professionals, as the source maps users. */
  function professionals(): User[] {
    return sim.state
      .list('professional')
      .filter((a) => !a.user.deleted)
      .map((a) => ({ id: a.user.id, directory: a.user.userDirectory, userId: a.user.userId, name: a.user.name }));
  }

  /** Who owns an app or app object changed since `since`, straight from the simulator's state. */
  function authorsInState(users: readonly User[], since: number): Set<string> {
    const ids = new Set(users.map((u) => u.id));
    return new Set([...sim.state.apps, ...sim.state.appObjects].filter((c) => c.modifiedDate >= since && ids.has(c.owner.id)).map((c) => c.owner.id));
  }

  const reads = (since: number): QrsSimRequest[] => sim.requests.slice(since).filter((r) => r.path.startsWith('/qrs/app'));

  it('names exactly the users who own an app or app object created or modified since the date', async () => {
    const users = professionals();
    assert.ok(users.length > 100, `${users.length} professionals`);
    const expected = authorsInState(users, SINCE);
    assert.ok(expected.size > 10 && expected.size < users.length - 10, `${expected.size} of ${users.length} author`);
    const got = await source.authoredSince(users, SINCE);
    assert.deepEqual([...got].sort(), [...expected].sort());
  });

  it('asks about many owners per request, a count first, and a full list only where someone authored', async () => {
    const users = professionals();
    const since = sim.requests.length;
    await source.authoredSince(users, SINCE);
    const asked = reads(since);
    const batches = Math.ceil(users.length / 50);
    // Apps for every batch, app objects only for the owners apps did not settle.
    assert.ok(asked.length <= 4 * batches, `${asked.length} requests for ${users.length} users`);
    for (const r of asked) {
      const filter = r.query['filter'] ?? '';
      assert.match(filter, /^(\(owner\.id eq [0-9a-f-]{36}( or owner\.id eq [0-9a-f-]{36})+\)|owner\.id eq [0-9a-f-]{36}) and modifiedDate ge '2025-12-01T12:00:00\.000Z'$/);
      assert.ok((filter.match(/owner\.id eq/g) ?? []).length <= 50);
    }
    const counts = asked.filter((r) => r.path.endsWith('/count'));
    const lists = asked.filter((r) => r.path.endsWith('/full'));
    assert.equal(counts.length + lists.length, asked.length);
    // A full list follows its count with the same filter.
    for (const l of lists) {
      assert.ok(counts.some((c) => c.path === l.path.replace(/\/full$/, '/count') && c.query['filter'] === l.query['filter']));
    }
  });

  it('settles a batch of consumers with counts alone', async () => {
    const consumers = professionals().filter((u) => !authorsInState([u], SINCE).has(u.id)).slice(0, 50);
    const since = sim.requests.length;
    assert.deepEqual([...(await source.authoredSince(consumers, SINCE))], []);
    assert.deepEqual(reads(since).map((r) => r.path), ['/qrs/app/count', '/qrs/app/object/count']);
  });

  it('sees a new sheet, and an old app saved again, as authoring', async () => {
    const [a, b] = professionals().filter((u) => !authorsInState([u], SINCE).has(u.id) && sim.state.apps.some((x) => x.owner.id === u.id));
    assert.ok(a && b, 'two stale authors');
    const someone = sim.state.apps.find((x) => x.owner.id !== a.id && x.owner.id !== b.id);
    const aUser = sim.state.findUser(a.id);
    assert.ok(someone && aUser);
    sim.state.addAppObject(someone, aUser, { objectType: 'bookmark' });
    const old = sim.state.apps.find((x) => x.owner.id === b.id);
    assert.ok(old);
    sim.state.modifyContent(old);
    assert.deepEqual([...(await source.authoredSince([a, b], SINCE))].sort(), [a.id, b.id].sort());
    // Neither counts for a later date.
    assert.deepEqual([...(await source.authoredSince([a, b], NOW + 1))], []);
  });

  it('counts a user without a repository GUID as an author, without asking', async () => {
    const stranger: User = { id: 'CORP\\ghost', directory: 'CORP', userId: 'ghost', name: 'ghost' };
    const since = sim.requests.length;
    assert.deepEqual([...(await source.authoredSince([stranger], SINCE))], ['CORP\\ghost']);
    assert.deepEqual(reads(since), []);
  });
});
