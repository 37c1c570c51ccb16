import { strict as assert } from 'node:assert';
import { AuthoringUnreadableError } from '../../../../src/core/errors';
import { DAY_MS, type User } from '../../../../src/core/model';
import type { CloudSimulator } from '../../../../src/sim/cloud/cloudSimulator';
import type { CloudSimRequest } from '../../../../src/sim/cloud/cloudSimulator';
import type { CloudUser as SimUser } from '../../../../src/sim/cloud/cloudSimState';
import { AUTHORING_EVENT_TYPES } from '../../../../src/sources/cloud/cloudAuthoring';
import { cloudSimHarness } from './cloudSimHarness';

const NOW = Date.UTC(2026, 10, 20, 12);
const SINCE = NOW - 90 * DAY_MS;
const CURRENT = ['com.qlik.app.created', 'com.qlik.app.data.updated', 'com.qlik.app.published'];
const V1 = ['com.qlik.v1.app.created', 'com.qlik.v1.app.data.updated', 'com.qlik.v1.app.published'];

describe('CloudSource.authoredSince against the simulator', function () {
  this.timeout(60_000);
  const { simulator, source } = cloudSimHarness(NOW);

  const asUser = (u: SimUser): User => ({ id: u.id, directory: '', userId: u.subject, name: u.name });

  /** The tenant's active professionals, as the source maps users. */
  function professionals(sim: CloudSimulator): User[] {
    return sim.state.assignments
      .filter((a) => a.type === 'professional')
      .map((a) => sim.state.userBySubject(a.subject))
      .filter((u): u is SimUser => u !== undefined && u.status === 'active' && u.clientId === undefined)
      .map(asUser);
  }

  /** Who has an authoring event since `since`, straight from the simulator's state. */
  function authorsInState(sim: CloudSimulator, users: readonly User[], since: number): Set<string> {
    const ids = new Set(users.map((u) => u.id));
    return new Set(sim.state.appEvents.filter((e) => AUTHORING_EVENT_TYPES.includes(e.eventType) && e.eventTime >= since && ids.has(e.userId)).map((e) => e.userId));
  }

  const auditReads = (sim: CloudSimulator, from: number): CloudSimRequest[] => sim.requests.slice(from).filter((r) => r.path === '/api/v1/audits');

  it('names exactly the professionals with an app created, reloaded or published in the window; opening apps, or authoring before it, is not authoring', async () => {
    const sim = await simulator();
    const users = professionals(sim);
    const expected = authorsInState(sim, users, SINCE);
    assert.ok(users.length > 40 && expected.size > 10 && expected.size < users.length - 10, `${expected.size} of ${users.length} author`);
    const openers = new Set(sim.state.appEvents.filter((e) => e.eventType === 'com.qlik.v1.app.opened').map((e) => e.userId));
    const archived = new Set(sim.state.appEvents.filter((e) => e.eventType === 'com.qlik.app.created' && e.eventTime < SINCE).map((e) => e.userId));
    assert.ok(users.some((u) => openers.has(u.id) && !expected.has(u.id)), 'some consumers open apps');
    assert.ok(users.some((u) => archived.has(u.id) && !expected.has(u.id)), 'some consumers authored only before the window');
    const got = await source(sim).authoredSince(users, SINCE);
    assert.deepEqual([...got].sort(), [...expected].sort());
  });

  it('asks /audits/types first and then reads only the authoring types the tenant lists, one listing each for many users', async () => {
    const sim = await simulator();
    const from = sim.requests.length;
    await source(sim).authoredSince(professionals(sim), SINCE);
    const asked = sim.requests.slice(from).filter((r) => r.path.startsWith('/api/v1/audits'));
    assert.equal(asked[0]?.path, '/api/v1/audits/types');
    assert.deepEqual(
      asked.slice(1).map((r) => r.query['eventType']),
      CURRENT,
    );
    for (const r of asked.slice(1)) {
      assert.deepEqual(r.query, { eventType: r.query['eventType'], eventTime: '2026-08-22T12:00:00.000Z/2026-11-20T12:00:00.000Z', limit: '100' });
    }
  });

  it('follows the next links of a long log to its end', async () => {
    const sim = await simulator();
    const users = professionals(sim);
    const [busy] = [...authorsInState(sim, users, SINCE)];
    const quiet = users.find((u) => !authorsInState(sim, users, SINCE).has(u.id));
    assert.ok(busy && quiet);
    // A busy author's scheduled reloads fill pages; the quiet one's single reload is the oldest in the window.
    for (let i = 0; i < 250; i++) {
      sim.state.addAppEvent(busy, 'com.qlik.app.data.updated', NOW - (i + 1) * 3_600_000);
    }
    sim.state.addAppEvent(quiet.id, 'com.qlik.app.data.updated', SINCE + DAY_MS);
    const from = sim.requests.length;
    const got = await source(sim).authoredSince(users, SINCE);
    assert.ok(got.has(quiet.id), 'found on a later page');
    // Newest first: the quiet user's reload is on the third page of 100 or later, reached by next links.
    const later = auditReads(sim, from).filter((r) => r.query['next'] !== undefined);
    assert.ok(later.length >= 2 && later.every((r) => r.query['eventType'] === 'com.qlik.app.data.updated'), `${later.length} later pages of reloads`);
  });

  it('asks about a few users one filtered request each, and stops at the first authoring event', async () => {
    const sim = await simulator();
    const users = professionals(sim);
    const authors = authorsInState(sim, users, SINCE);
    const author = users.find((u) => authors.has(u.id) && sim.state.appEvents.some((e) => e.userId === u.id && e.eventType === 'com.qlik.app.created' && e.eventTime >= SINCE));
    const consumer = users.find((u) => !authors.has(u.id));
    assert.ok(author && consumer);
    const from = sim.requests.length;
    assert.deepEqual([...(await source(sim).authoredSince([author, consumer], SINCE))], [author.id]);
    const reads = auditReads(sim, from);
    assert.deepEqual(
      reads.filter((r) => r.query['userId'] === author.id).map((r) => r.query['eventType']),
      ['com.qlik.app.created'],
    );
    assert.deepEqual(
      reads.filter((r) => r.query['userId'] === consumer.id).map((r) => r.query['eventType']),
      CURRENT,
    );
    assert.ok(reads.every((r) => r.query['eventTime'] === '2026-08-22T12:00:00.000Z/2026-11-20T12:00:00.000Z'));
  });

  it('reads the com.qlik.v1 names on a tenant that still writes them, and both on a log that spans the rename', async () => {
    const legacy = await simulator({ appEvents: 'v1' });
    const users = professionals(legacy);
    const expected = authorsInState(legacy, users, SINCE);
    assert.ok(expected.size > 10);
    const from = legacy.requests.length;
    assert.deepEqual([...(await source(legacy).authoredSince(users, SINCE))].sort(), [...expected].sort());
    assert.deepEqual(
      auditReads(legacy, from).map((r) => r.query['eventType']),
      V1,
    );

    const current = await simulator();
    const consumer = professionals(current).find((u) => !authorsInState(current, professionals(current), SINCE).has(u.id));
    assert.ok(consumer);
    current.state.addAppEvent(consumer.id, 'com.qlik.v1.app.published', NOW - 80 * DAY_MS);
    assert.ok((await source(current).authoredSince([consumer], SINCE)).has(consumer.id));
  });

  it('counts users the tenant does not list as authors, without reading their events', async () => {
    const sim = await simulator();
    const ghost: User = { id: '0123456789abcdef01234567', directory: '', userId: 'auth0|ghost', name: 'ghost' };
    const from = sim.requests.length;
    assert.deepEqual([...(await source(sim).authoredSince([ghost], SINCE))], [ghost.id]);
    assert.ok(!auditReads(sim, from).some((r) => r.query['userId'] === ghost.id));
  });

  it('cannot tell on a tenant whose log records no authoring events, for a window longer than the log keeps, or for an account that sees only its own events', async () => {
    const none = await simulator({ appEvents: 'none' });
    const users = professionals(none);
    await assert.rejects(source(none).authoredSince(users, SINCE), (e: unknown) => {
      assert.ok(e instanceof AuthoringUnreadableError);
      assert.equal(
        e.reason,
        "the tenant's audit log records none of the app events that show authoring (/api/v1/audits/types lists no com.qlik.app.created, .data.updated or .published, nor their com.qlik.v1 names)",
      );
      return true;
    });
    assert.ok(!none.requests.some((r) => r.path === '/api/v1/audits'), 'no events read');

    const sim = await simulator();
    const before = sim.requests.length;
    await assert.rejects(source(sim).authoredSince(professionals(sim), NOW - 120 * DAY_MS), (e: unknown) => {
      assert.ok(e instanceof AuthoringUnreadableError);
      assert.equal(
        e.reason,
        'the Qlik Cloud audit log keeps 90 days of events, fewer than the 120 days asked about, so authoring before then cannot be ruled out; set onlyConsumesDays to 90 or less',
      );
      return true;
    });
    assert.equal(sim.requests.length, before, 'nothing asked');

    const someone = sim.state.users.find((u) => u.status === 'active' && u.clientId === undefined && !sim.state.isTenantAdmin(u));
    assert.ok(someone);
    await assert.rejects(source(sim, { auth: { mode: 'apiKey', apiKey: sim.apiKeyFor(someone.id) } }).authoredSince(professionals(sim), SINCE), /not a Tenant Admin/);
  });
});
