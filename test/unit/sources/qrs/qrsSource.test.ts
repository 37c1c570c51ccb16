import { strict as assert } from 'node:assert';
import { DAY_MS, windowOfDays, type UsageRecord, type User } from '../../../../src/core/model';
import { AuthError, NotAppliedError, ServerError } from '../../../../src/core/errors';
import { QRS_NO_DATE } from '../../../../src/sim/qrs/qrsSimState';
import { startQrsSimulator, type QrsSimulator } from '../../../../src/sim/qrs/qrsSimulator';
import { QrsClient } from '../../../../src/sources/qrs/qrsClient';
import { QrsStateError } from '../../../../src/sources/qrs/qrsErrors';
import { qrsAnd, qrsClause, qrsDate } from '../../../../src/sources/qrs/qrsFilter';
import { createQrsSource, type QrsSource } from '../../../../src/sources/qrs/qrsSource';
import { certificateOptions, headerOptions, trafficCheck } from './simConnection';

async function collect(pages: AsyncIterable<readonly UsageRecord[]>): Promise<{ records: UsageRecord[]; pageSizes: number[] }> {
  const records: UsageRecord[] = [];
  const pageSizes: number[] = [];
  for await (const page of pages) {
    pageSizes.push(page.length);
    records.push(...page);
  }
  return { records, pageSizes };
}

describe('QrsSource against the simulator', function () {
  this.timeout(60_000);
  let sim: QrsSimulator;
  let source: QrsSource;
  let check: ReturnType<typeof trafficCheck>;
  const extra: { close(): Promise<void> }[] = [];

  before(async () => {
    sim = await startQrsSimulator({ users: 120, seed: 11 });
  });
  after(async () => {
    await sim.close();
  });
  beforeEach(() => {
    check = trafficCheck(sim);
    source = createQrsSource(certificateOptions(sim, 'INTERNAL\\sa_api', { pageSize: 50 }));
  });
  afterEach(async function () {
    await source.close();
    await Promise.all(extra.splice(0).map((thing) => thing.close()));
    if (this.currentTest?.state === 'passed') {
      check.assertClean();
    }
  });

  /** A fresh user in the repository, as the client sees it. */
  async function newUser(userId: string): Promise<User> {
    sim.state.addUser({ userDirectory: 'CORP', userId, name: `Test ${userId}` });
    const user = await source.findUser('CORP', userId);
    assert.ok(user, `${userId} is findable`);
    return user;
  }

  it('maps the access type overview, token costs read from the server', async () => {
    const overview = await source.overview();
    const expected = sim.state.overview();
    assert.deepEqual(overview.offeredKinds, ['user']);
    assert.deepEqual(overview.tokens, {
      total: expected.totalTokens,
      available: expected.availableTokens,
      userPassCost: 1,
      loginPassCost: 0.1,
      userAccess: expected.userAccess,
      loginAccess: expected.loginAccess,
    });
    assert.equal(overview.professional, null);
    assert.equal(overview.capacity, null);
    // Login access groups: which pool users draw from, and how much of it the last 28 days used.
    assert.deepEqual(
      overview.loginPools?.map((p) => [p.name, p.assignedTokens, p.passes]),
      sim.state.loginGroups.map((g) => [g.name, g.assignedTokens, g.assignedTokens * 10]),
    );
    assert.ok((overview.loginPools ?? []).every((p) => p.used >= 0 && p.used + p.remaining === p.passes));
    assert.ok((overview.loginPools ?? []).some((p) => p.used > 0));
  });

  it('pages login usage through /table; the count equals /count with the same filter', async () => {
    const window = windowOfDays(28, sim.clock.now());
    const { records, pageSizes } = await collect(source.usage(window));
    const client = new QrsClient(certificateOptions(sim));
    extra.push(client);
    const filter = qrsAnd(qrsClause('useStartTime', 'ge', qrsDate(window.from)), qrsClause('useStartTime', 'lt', qrsDate(window.to)));
    const expected = await client.count('license/loginaccessusage', filter);
    // Rows of deleted users carry no user and cannot be attributed; the simulator may have a few.
    const store = sim.state.loginUsage;
    let deletedRows = 0;
    for (let i = 0; i < store.size; i++) {
      const start = store.startAt(i);
      if (start >= window.from && start < window.to && sim.state.users[store.userIndexAt(i)]?.deleted) {
        deletedRows++;
      }
    }
    assert.ok(expected > 200, `enough rows to page: ${expected}`);
    assert.equal(records.length, expected - deletedRows);
    assert.equal(new Set(records.map((r) => r.id)).size, records.length, 'no record twice across pages');
    assert.ok(pageSizes.every((n) => n <= 50));
    const tableCalls = sim.requests.slice(check.since).filter((r) => r.path === '/qrs/license/loginaccessusage/table');
    // Every page until a short one, plus the one read ahead past it.
    assert.equal(tableCalls.length, Math.floor(expected / 50) + 2, 'pages until a short page, and one read ahead');
    // Two requests are in flight at a time, so they may reach the server in either order.
    assert.deepEqual(
      tableCalls.map((r) => Number(r.query['skip'])).sort((a, b) => a - b),
      tableCalls.map((_r, i) => i * 50),
    );
    assert.ok(records.every((r) => r.unit === 'loginPass' && r.amount === 1 && r.start >= window.from && r.start < window.to));
    const usersById = new Map<string, User>();
    for (const r of records) {
      const known = usersById.get(r.user.id) ?? r.user;
      usersById.set(r.user.id, known);
      assert.equal(r.user, known, 'one User object per user across pages');
    }
  });

  it('stops reading when the caller stops iterating', async () => {
    const window = windowOfDays(28, sim.clock.now());
    for await (const page of source.usage(window)) {
      assert.equal(page.length, 50);
      break;
    }
    assert.equal(sim.requests.slice(check.since).filter((r) => r.path.endsWith('/table')).length, 1);
  });

  it('lists allocations, quarantined ones and deleted holders included', async () => {
    const allocations = await source.allocations();
    const expected = sim.state.list('user');
    assert.equal(allocations.length, expected.length);
    for (const wire of expected) {
      const mapped = allocations.find((a) => a.id === wire.id);
      assert.ok(mapped, wire.id);
      assert.equal(mapped.kind, 'user');
      assert.equal(mapped.quarantined, wire.quarantined);
      assert.equal(mapped.quarantineEnd, wire.quarantined ? wire.quarantineEnd : null);
      assert.equal(mapped.lastUsed, wire.lastUsed === QRS_NO_DATE ? null : wire.lastUsed);
      assert.equal(mapped.userDeleted, wire.user.deleted);
      assert.equal(mapped.user.userId, wire.user.userId);
      assert.equal(mapped.user.directory, wire.user.userDirectory);
      if (!wire.user.deleted) {
        assert.equal(mapped.user.id, wire.user.id);
      }
    }
    assert.ok(allocations.some((a) => a.quarantined && !a.userDeleted), 'a quarantined pass');
    assert.ok(allocations.some((a) => a.userDeleted), 'a deleted holder');
    assert.equal(sim.requests.slice(check.since).filter((r) => r.path === '/qrs/license/accesstypeoverview').length, 1);
    await source.allocations();
    assert.equal(sim.requests.slice(check.since).filter((r) => r.path === '/qrs/license/accesstypeoverview').length, 1, 'overview cached');
  });

  it("finds a user by directory and id, quotes and case included, and says undefined for nobody", async () => {
    const user = await newUser("o'brien");
    assert.deepEqual(await source.findUser('corp', "O'Brien"), user);
    assert.equal(await source.findUser('CORP', 'nobody-here'), undefined);
  });

  it('assigns, then revoking an unused pass frees the token at once', async () => {
    const user = await newUser('fresh.user');
    assert.equal(await source.canAssign('user'), true);
    const allocation = (await source.assign(user, 'user')).value;
    assert.equal(allocation.kind, 'user');
    assert.deepEqual(allocation.user, user);
    assert.equal(allocation.quarantined, false);
    assert.ok(sim.state.allocations.user.has(allocation.id));
    assert.deepEqual((await source.revoke(allocation)).value, { kind: 'freed' });
    assert.ok(!sim.state.allocations.user.has(allocation.id));
  });

  it('revoking a pass used this week quarantines it; reinstating gives it back', async () => {
    const user = await newUser('weekly.user');
    const allocation = (await source.assign(user, 'user')).value;
    const used = sim.clock.now() - 2 * DAY_MS;
    const wire = sim.state.allocation('user', allocation.id);
    wire.lastUsed = used;

    const outcome = (await source.revoke(allocation)).value;
    assert.equal(outcome.kind, 'quarantined');
    assert.ok(outcome.kind === 'quarantined');
    assert.equal(outcome.until, used + 7 * DAY_MS);
    assert.equal(outcome.allocation.quarantined, true);

    const back = (await source.reinstate(outcome.allocation)).value;
    assert.equal(back.id, allocation.id);
    assert.equal(back.quarantined, false);
    assert.equal(back.quarantineEnd, null);
    assert.equal(back.lastUsed, used);
    assert.equal(sim.state.allocation('user', allocation.id).quarantined, false);

    await assert.rejects(source.reinstate(back), (error: unknown) => error instanceof QrsStateError && error.code === 'QRS_NOT_QUARANTINED');
  });

  it('refuses to reinstate after the quarantine ended, or for a deleted user', async () => {
    const user = await newUser('ending.user');
    const allocation = (await source.assign(user, 'user')).value;
    sim.state.allocation('user', allocation.id).lastUsed = sim.clock.now() - 6 * DAY_MS;
    const outcome = (await source.revoke(allocation)).value;
    assert.ok(outcome.kind === 'quarantined');
    sim.clock.advance(2 * DAY_MS);
    await assert.rejects(source.reinstate(outcome.allocation), (error: unknown) => {
      assert.ok(error instanceof QrsStateError);
      assert.equal(error.code, 'QRS_QUARANTINE_ENDED');
      assert.match(error.message, /Assign a new pass instead/);
      return true;
    });

    const deleted = (await source.allocations()).find((a) => a.userDeleted && a.quarantined);
    assert.ok(deleted);
    await assert.rejects(source.reinstate(deleted), (error: unknown) => error instanceof QrsStateError && error.code === 'QRS_USER_DELETED');
  });

  it('reports a concurrent change (409) as something to sync and retry', async () => {
    const user = await newUser('raced.user');
    const allocation = (await source.assign(user, 'user')).value;
    sim.state.allocation('user', allocation.id).lastUsed = sim.clock.now() - DAY_MS;
    const outcome = (await source.revoke(allocation)).value;
    assert.ok(outcome.kind === 'quarantined');
    // Someone else touches it between our read and our write: the simulator compares modifiedDate.
    sim.fault({ method: 'PUT', path: /useraccesstype\//, status: 409, body: 'Conflict', times: 1 });
    await assert.rejects(source.reinstate(outcome.allocation), (error: unknown) => {
      // Read back after the refusal: still quarantined, so not applied, with the reason.
      assert.ok(error instanceof NotAppliedError, String(error));
      assert.ok(error.cause instanceof QrsStateError);
      assert.equal(error.cause.code, 'QRS_CONFLICT');
      assert.match(error.message, /someone changed the user access pass of CORP\\raced\.user meanwhile; sync and try again/i);
      return true;
    });
    assert.equal(sim.state.allocation('user', allocation.id).quarantined, true);
  });

  it('a non-admin account cannot assign: AuthError naming the account, nothing written', async () => {
    const user = await newUser('wanted.user');
    const plain = createQrsSource(certificateOptions(sim, 'CORP\\wanted.user'));
    extra.push(plain);
    assert.equal(await plain.canAssign('user'), false);
    const before = sim.state.allocations.user.size;
    await assert.rejects(plain.assign(user, 'user'), (error: unknown) => {
      assert.ok(error instanceof AuthError);
      assert.equal(error.code, 'AUTH_FORBIDDEN');
      assert.equal(error.message, 'The account CORP\\wanted.user lacks rights to create user access passes.');
      return true;
    });
    assert.equal(sim.state.allocations.user.size, before);
    assert.ok(!sim.requests.slice(check.since).some((r) => r.method === 'POST' && r.path === '/qrs/license/useraccesstype'));
  });

  it('a non-admin through the header proxy is told it lacks rights to read the overview', async () => {
    const plain = createQrsSource(headerOptions(sim, 'CORP\\someone'));
    extra.push(plain);
    await assert.rejects(plain.overview(), (error: unknown) => error instanceof AuthError && /^The connected account lacks rights to GET \/hdr\/qrs\/license\/accesstypeoverview/.test(error.message) && !error.message.includes('CORP\\someone'));
  });

  it('refuses to assign a pass the user already holds, before sending anything', async () => {
    const user = await newUser('twice.user');
    const first = (await source.assign(user, 'user')).value;
    const posts = () => sim.requests.slice(check.since).filter((r) => r.method === 'POST' && r.path === '/qrs/license/useraccesstype').length;
    const before = posts();
    await assert.rejects(source.assign(user, 'user'), (error: unknown) => {
      assert.ok(error instanceof QrsStateError);
      assert.equal(error.code, 'QRS_ALREADY_HOLDS');
      assert.equal(error.message, `CORP\\twice.user already holds a user access pass (allocation ${first.id}).`);
      return true;
    });
    assert.equal(posts(), before, 'no second POST');
  });

  it("surfaces QRS's own message when it refuses an assignment (400), read back as not applied", async () => {
    const user = await newUser('refused.user');
    sim.fault({ method: 'POST', path: /^\/qrs\/license\/useraccesstype$/, status: 400, body: 'The user access type could not be created: license limit reached.', times: 1 });
    await assert.rejects(source.assign(user, 'user'), (error: unknown) => {
      assert.ok(error instanceof NotAppliedError, String(error));
      assert.ok(error.cause instanceof ServerError);
      assert.equal(error.cause.status, 400);
      assert.equal(error.how, 'readBack');
      assert.match(error.message, /^Not done: could not assign a user access pass to CORP\\refused\.user\. The server answered POST \/qrs\/license\/useraccesstype\?xrfkey=\S+ with 400: The user access type could not be created: license limit reached\./);
      return true;
    });
    assert.ok(![...sim.state.allocations.user.values()].some((a) => a.user.userId === 'refused.user'), 'nothing allocated');
  });
});

describe('QrsSource on a user-based site with analyzer capacity', function () {
  this.timeout(60_000);
  let sim: QrsSimulator;
  let source: QrsSource;

  before(async () => {
    sim = await startQrsSimulator({ users: 80, seed: 5, licenseModel: 'userBased', capacity: true });
    source = createQrsSource(certificateOptions(sim, 'INTERNAL\\sa_api', { pageSize: 40 }));
  });
  after(async () => {
    await source.close();
    await sim.close();
  });

  it('offers professional and analyzer, and reports capacity', async () => {
    const overview = await source.overview();
    assert.deepEqual(overview.offeredKinds, ['professional', 'analyzer']);
    assert.equal(overview.tokens, null);
    assert.deepEqual(overview.professional, sim.state.overview().professional);
    assert.ok(overview.capacity && overview.capacity.allocatedMinutes > 0);
  });

  it('reads capacity usage in whole 6-minute units beside login passes', async () => {
    const check = trafficCheck(sim);
    const window = windowOfDays(28, sim.clock.now());
    const { records } = await collect(source.usage(window));
    const capacity = records.filter((r) => r.unit === 'capacityMinutes');
    const expected = sim.state.capacityUsage.filter((r) => !r.user.deleted && r.start >= window.from && r.start < window.to);
    assert.ok(expected.length > 0);
    assert.equal(capacity.length, expected.length);
    for (const record of capacity) {
      const wire = expected.find((r) => r.id === record.id);
      assert.ok(wire);
      assert.equal(record.amount, Math.max(1, Math.ceil((wire.stop - wire.start) / 360_000)) * 6);
      assert.equal(record.pool, wire.pool.name);
    }
    check.assertClean();
  });

  it('lists professional and analyzer allocations', async () => {
    const allocations = await source.allocations();
    assert.equal(allocations.filter((a) => a.kind === 'professional').length, sim.state.list('professional').length);
    assert.equal(allocations.filter((a) => a.kind === 'analyzer').length, sim.state.list('analyzer').length);
  });
});
