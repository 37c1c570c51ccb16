import { strict as assert } from 'node:assert';
import { AuthError, NotAppliedError, OutcomeUnknownError } from '../../../../src/core/errors';
import type { RowChange } from '../../../../src/core/licenseSource';
import { DAY_MS, type Allocation, type UsageRecord, type User } from '../../../../src/core/model';
import type { CloudSimulator } from '../../../../src/sim/cloud/cloudSimulator';
import type { CloudUser as SimUser } from '../../../../src/sim/cloud/cloudSimState';
import { API_VERSION_HEADER, QLIK_API_VERSION } from '../../../../src/sources/cloud/cloudApiVersion';
import { CloudRowError, CloudStateError } from '../../../../src/sources/cloud/cloudErrors';
import type { CloudAuth } from '../../../../src/sources/cloud/cloudOptions';
import type { CloudSource } from '../../../../src/sources/cloud/cloudSource';
import { cloudSimHarness } from './cloudSimHarness';
import { recordingLogger } from '../../http/testServer';

const NOW = Date.UTC(2026, 10, 20, 12);

describe('Qlik Cloud source against the simulator', function () {
  this.timeout(60_000);
  const { simulator, source } = cloudSimHarness(NOW);

  const last28Days = (sim: CloudSimulator) => ({ from: sim.clock.now() - 28 * DAY_MS, to: sim.clock.now() });

  async function allUsage(s: CloudSource, window: { from: number; to: number }): Promise<UsageRecord[]> {
    const records: UsageRecord[] = [];
    for await (const page of s.usage(window)) {
      records.push(...page);
    }
    return records;
  }

  /** Active users of the tenant without an assignment, who are not the admin. */
  function unlicensed(sim: CloudSimulator): SimUser[] {
    return sim.state.users.filter((u) => u.status === 'active' && !sim.state.assignmentOf(u.subject) && u.id !== sim.state.adminUserId && u.clientId === undefined);
  }

  const asUser = (u: SimUser): User => ({ id: u.id, directory: '', userId: u.subject, name: u.name });

  describe('reads', () => {
    it('pages through every user at the largest limit, following the next links, and joins assignments by subject', async () => {
      const sim = await simulator();
      const s = source(sim);
      const allocations = await s.allocations();
      const userPages = sim.requests.filter((r) => r.method === 'GET' && r.path === '/api/v1/users');
      assert.equal(userPages.length, Math.ceil(sim.state.users.length / 100));
      assert.ok(userPages.every((r) => r.query['limit'] === '100' || r.query['next'] !== undefined));
      assert.ok(userPages.slice(1).every((r) => r.query['next'] !== undefined), 'later pages come from links.next.href');
      const assignable = sim.state.assignments.filter((a) => a.type === 'professional' || a.type === 'analyzer');
      assert.equal(allocations.length, assignable.length);
      for (const a of allocations.filter((x) => !x.orphaned)) {
        const holder = sim.state.userBySubject(a.user.userId);
        assert.equal(a.user.id, holder?.id);
        assert.equal(a.user.directory, '');
        assert.equal(a.user.name, holder?.name);
      }
      assert.ok(sim.requests.every((r) => r.path === '/oauth/token' || r.headers[API_VERSION_HEADER] === QLIK_API_VERSION));
    });

    it('keeps orphaned assignments, marked, and marks holders the tenant deleted', async () => {
      const sim = await simulator({ orphans: 4, deletedUsers: 2 });
      const allocations = await source(sim).allocations();
      const orphans = allocations.filter((a) => a.orphaned === true);
      assert.equal(orphans.length, 4);
      assert.ok(orphans.every((a) => sim.state.userBySubject(a.user.userId) === undefined && a.user.id === a.user.userId));
      assert.equal(allocations.filter((a) => a.userDeleted).length, 2);
    });

    it('user-based tenant: detected from the overview; usage is each session\'s analyzer capacity minutes', async () => {
      const sim = await simulator();
      const logger = recordingLogger();
      const s = source(sim, { logger });
      const verdict = await s.subscription();
      assert.equal(verdict.kind, 'user-based');
      assert.match(verdict.reason, /allots professional \(\d+\), analyzer \(\d+\) and analyzer capacity/);
      assert.ok(logger.lines.some((l) => l === `info [cloud] ${verdict.sentence}`));
      assert.match(verdict.sentence, /^localhost:\d+ is a user-based tenant: its license overview/);
      const overview = await s.overview();
      assert.deepEqual(overview.offeredKinds, ['professional', 'analyzer']);
      assert.ok(overview.capacity && overview.capacity.allocatedMinutes > 0);
      const window = last28Days(sim);
      const records = await allUsage(s, window);
      const expected = sim.state.consumption.filter((e) => e.endTime <= sim.clock.now() && e.endTime - e.durationMs >= window.from && e.endTime - e.durationMs < window.to);
      assert.equal(records.length, expected.length);
      assert.equal(
        records.reduce((sum, r) => sum + r.amount, 0),
        expected.reduce((sum, e) => sum + e.minutesUsed, 0),
      );
      assert.ok(records.every((r) => r.unit === 'capacityMinutes' && r.stop !== null && r.start >= window.from));
      const consumptionCalls = sim.requests.filter((r) => r.path === '/api/v1/licenses/consumption');
      assert.equal(consumptionCalls[0]?.query['limit'], '200');
    });

    it('capacity tenant: detected, no assignments, usage is session minutes from the audit log', async () => {
      const sim = await simulator({ subscription: 'capacity' });
      const s = source(sim);
      const verdict = await s.subscription();
      assert.equal(verdict.kind, 'capacity');
      assert.match(verdict.reason, /allots no professional or analyzer licenses and no analyzer capacity, only fullUser/);
      const overview = await s.overview();
      assert.deepEqual(overview.offeredKinds, []);
      assert.ok(overview.fullUsers && overview.fullUsers.total > 0);
      assert.deepEqual(await s.allocations(), []);
      const window = last28Days(sim);
      const records = await allUsage(s, window);
      const sessions = sim.state.sessions.filter((x) => x.begin >= window.from && x.begin < window.to && x.end <= window.to);
      const closed = records.filter((r) => r.stop !== null);
      assert.equal(closed.length, sessions.length);
      assert.equal(
        closed.reduce((sum, r) => sum + r.amount, 0),
        sessions.reduce((sum, x) => sum + Math.ceil((x.end - x.begin) / 60_000), 0),
      );
      const audits = sim.requests.filter((r) => r.path === '/api/v1/audits');
      assert.ok(audits.length >= 2 && audits.every((r) => r.query['limit'] === '100' || r.query['next'] !== undefined));
      await assert.rejects(s.assign(asUser(unlicensed(sim)[0] as SimUser), 'professional'), (e: unknown) => e instanceof CloudStateError && e.code === 'CLOUD_NOTHING_TO_ASSIGN' && /capacity tenant/.test(e.message));
      assert.equal(sim.requests.filter((r) => r.method === 'POST').length, 0);
    });

    it('goes by a subscription the connection states, and warns when the tenant looks otherwise', async () => {
      const sim = await simulator();
      const logger = recordingLogger();
      const s = source(sim, { subscription: 'capacity', logger });
      const verdict = await s.subscription();
      assert.equal(verdict.kind, 'capacity');
      assert.equal(verdict.reason, 'the connection states it');
      assert.match(verdict.sentence, /^The connection says localhost:\d+ is a capacity tenant, but its license overview .* which looks user-based; going by the connection\.$/);
      assert.deepEqual(
        logger.lines.filter((l) => l.startsWith('warn')),
        [`warn [cloud] ${verdict.sentence}`],
      );
      const agreeing = await source(sim, { subscription: 'user-based' }).subscription();
      assert.match(agreeing.sentence, /^localhost:\d+ is a user-based tenant: the connection states it\.$/);
    });

    it('finds a user by subject or by email, ignoring the directory and case', async () => {
      const sim = await simulator();
      const s = source(sim);
      const target = sim.state.users.find((u) => u.email !== undefined && u.status === 'active') as SimUser;
      assert.equal((await s.findUser('IGNORED', target.subject.toUpperCase()))?.id, target.id);
      assert.deepEqual(await s.findUser('', target.email ?? ''), asUser(target));
      assert.equal(await s.findUser('', 'nobody@example.invalid'), undefined);
    });

    it('reads flags and groups of users by id', async () => {
      const sim = await simulator();
      const s = source(sim);
      const deleted = sim.state.users.find((u) => u.status === 'deleted') as SimUser;
      const grouped = sim.state.users.find((u) => u.status === 'active' && u.groupIds.length > 0) as SimUser;
      const facts = await s.userFacts([asUser(deleted), asUser(grouped), { id: '000000000000000000000000', directory: '', userId: 'x', name: 'x' }]);
      assert.deepEqual(facts.get(deleted.id)?.flags, ['removedExternally']);
      assert.deepEqual(
        [...(facts.get(grouped.id)?.groups ?? [])].sort(),
        grouped.groupIds.map((id) => sim.state.group(id)?.name).sort(),
      );
      assert.equal(facts.has('000000000000000000000000'), false);
      assert.ok((await s.groups()).length > 0);
    });

    it('waits out 429 answers and still reads everything', async () => {
      const sim = await simulator({ users: 120, rateLimit: { every: 4, retryAfterSeconds: 1 } });
      const allocations = await source(sim).allocations();
      assert.equal(allocations.length, sim.state.assignments.filter((a) => a.type === 'professional' || a.type === 'analyzer').length);
      const keys = sim.requests.map((r) => `${r.method} ${r.path}?${new URLSearchParams(r.query).toString()}`);
      const repeated = keys.filter((k, i) => keys.indexOf(k) !== i);
      assert.ok(repeated.length > 0, 'some reads were answered 429 and sent again');
    });
  });

  describe('role check', () => {
    it('a tenant admin may administer licenses and users; another account may not, and cannot read assignments', async () => {
      const sim = await simulator();
      const admin = await source(sim).roleCheck();
      assert.equal(admin.canAdministerLicenses, true);
      assert.equal(admin.canAdministerUsers, true);
      assert.ok(admin.roles.includes('TenantAdmin'));
      const plain = sim.state.users.find((u) => u.status === 'active' && !sim.state.isTenantAdmin(u)) as SimUser;
      const other = source(sim, { auth: { mode: 'apiKey', apiKey: sim.apiKeyFor(plain.id) } });
      const check = await other.roleCheck();
      assert.equal(check.canAdministerLicenses, false);
      assert.equal(check.canAdministerUsers, false);
      assert.match(check.sentence, /not the Tenant Admin role|holds no role/);
      assert.equal(await other.canAssign('professional'), false);
      await assert.rejects(other.allocations(), (e: unknown) => e instanceof AuthError && e.kind === 'rights');
      const me = sim.requests.filter((r) => r.path === '/api/v1/users/me');
      assert.ok(me.length >= 2 && me.every((r) => (r.query['fields'] ?? '').includes('assignedRoles')));
    });
  });

  describe('writes', () => {
    it('assigns, changes the type in place and revokes, each verified', async () => {
      const sim = await simulator();
      const s = source(sim);
      const target = unlicensed(sim)[0] as SimUser;
      assert.equal(await s.canAssign('professional'), true);
      const assigned = await s.assign(asUser(target), 'professional');
      assert.equal(assigned.unclearAnswer, null);
      assert.equal(assigned.value.kind, 'professional');
      assert.equal(sim.state.assignmentOf(target.subject)?.type, 'professional');
      await assert.rejects(s.assign(asUser(target), 'analyzer'), (e: unknown) => e instanceof CloudStateError && e.code === 'CLOUD_ALREADY_HOLDS' && /change its type/.test(e.message));
      const [held] = await s.allocationsOf(asUser(target));
      assert.ok(held);
      const changed = await s.changeKind(held, 'analyzer');
      assert.equal(changed.value.kind, 'analyzer');
      assert.equal(sim.state.assignmentOf(target.subject)?.type, 'analyzer');
      const revoked = await s.revoke(changed.value);
      assert.deepEqual(revoked.value, { kind: 'freed' });
      assert.equal(sim.state.assignmentOf(target.subject), undefined);
      const writes = sim.requests.filter((r) => r.method === 'POST').map((r) => r.path);
      assert.deepEqual(writes, ['/api/v1/licenses/assignments/actions/add', '/api/v1/licenses/assignments/actions/update', '/api/v1/licenses/assignments/actions/delete']);
    });

    it('releases an orphaned assignment', async () => {
      const sim = await simulator({ orphans: 2 });
      const s = source(sim);
      const orphan = (await s.allocations()).find((a) => a.orphaned) as Allocation;
      assert.deepEqual((await s.revoke(orphan)).value, { kind: 'freed' });
      assert.equal(sim.state.assignmentOf(orphan.user.userId), undefined);
    });

    it('a batch goes in one request per action and reports each row: one failed with LICENSES-011 among successes', async () => {
      const sim = await simulator();
      const s = source(sim);
      sim.state.exhaustPool('professional');
      sim.state.setAllotmentUnits('professional', (sim.state.allotment('professional')?.units ?? 0) + 2);
      const [a, b, c] = unlicensed(sim);
      assert.ok(a && b && c);
      const changes: RowChange[] = [a, b, c].map((u) => ({ action: 'assign', user: asUser(u), kind: 'professional' }));
      const outcomes = await s.applyRows(changes);
      assert.equal(sim.requests.filter((r) => r.method === 'POST').length, 1);
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['applied', 'applied', 'notApplied'],
      );
      const failed = outcomes[2];
      assert.ok(failed?.status === 'notApplied' && failed.error instanceof NotAppliedError);
      assert.ok(failed.error.cause instanceof CloudRowError);
      assert.equal(failed.error.cause.code, 'LICENSES-011');
      assert.match(failed.error.message, /could not assign professional access to .*LICENSES-011/);
      assert.equal(sim.state.assignmentOf(c.subject), undefined);
    });

    it('a batch refuses, without sending, rows whose premise does not hold, and sends the rest', async () => {
      const sim = await simulator();
      const s = source(sim);
      const holderSubject = sim.state.assignments.find((x) => x.type === 'analyzer' && !sim.state.isOrphan(x))?.subject ?? '';
      const holder = sim.state.userBySubject(holderSubject) as SimUser;
      const free = unlicensed(sim)[0] as SimUser;
      const outcomes = await s.applyRows([
        { action: 'assign', user: asUser(holder), kind: 'professional' },
        { action: 'assign', user: asUser(free), kind: 'analyzer' },
      ]);
      assert.equal(outcomes[0]?.status, 'notApplied');
      assert.ok(outcomes[0]?.status === 'notApplied' && outcomes[0].error instanceof CloudStateError);
      assert.equal(outcomes[1]?.status, 'applied');
      const posted = sim.requests.filter((r) => r.method === 'POST');
      assert.deepEqual(posted.map((r) => r.body), [{ add: [{ subject: free.subject, type: 'analyzer' }] }]);
    });

    it('an answer lost after the tenant applied the change: read back, applied', async () => {
      const sim = await simulator();
      const s = source(sim);
      const target = unlicensed(sim)[0] as SimUser;
      sim.fault({ method: 'POST', path: /actions\/add$/, afterHandling: true, drop: true, times: 1 });
      const write = await s.assign(asUser(target), 'analyzer');
      assert.equal(write.value.kind, 'analyzer');
      assert.notEqual(write.unclearAnswer, null);
      assert.equal(sim.requests.filter((r) => r.method === 'POST').length, 1, 'never repeated');
    });

    it('a request the tenant failed without applying: read back, not applied', async () => {
      const sim = await simulator();
      const s = source(sim);
      const target = unlicensed(sim)[0] as SimUser;
      sim.fault({ method: 'POST', path: /actions\/add$/, status: 503, times: 1 });
      await assert.rejects(s.assign(asUser(target), 'analyzer'), (e: unknown) => e instanceof NotAppliedError && e.how === 'readBack' && /503/.test(e.message));
      assert.equal(sim.state.assignmentOf(target.subject), undefined);
      assert.equal(sim.requests.filter((r) => r.method === 'POST').length, 1);
    });

    it('an unclear answer and a read back that fails too: outcome unknown', async () => {
      const sim = await simulator();
      const s = source(sim);
      const target = unlicensed(sim)[0] as SimUser;
      // The answer is held back a moment, long enough to break the reads that follow it.
      sim.fault({ method: 'POST', path: /actions\/add$/, afterHandling: true, status: 500, delayMs: 300, times: 1 });
      const write = s.assign(asUser(target), 'analyzer');
      const until = Date.now() + 5000;
      while (!sim.requests.some((r) => r.method === 'POST') && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      sim.fault({ method: 'GET', path: /licenses\/assignments$/, status: 500 });
      await assert.rejects(write, (e: unknown) => e instanceof OutcomeUnknownError && /may or may not have been applied/.test(e.message));
      assert.equal(sim.state.assignmentOf(target.subject)?.type, 'analyzer', 'it was applied; the client could not tell');
    });

    it('disables a user on a capacity tenant and reads the status back', async () => {
      const sim = await simulator({ subscription: 'capacity' });
      const s = source(sim);
      const target = sim.state.users.find((u) => u.status === 'active' && u.id !== sim.state.adminUserId && u.clientId === undefined) as SimUser;
      const write = await s.disable(asUser(target));
      assert.equal(write.value.id, target.id);
      assert.equal(write.unclearAnswer, null);
      assert.equal(sim.state.user(target.id)?.status, 'disabled');
      const patch = sim.requests.find((r) => r.method === 'PATCH');
      assert.equal(patch?.path, `/api/v1/users/${target.id}`);
      assert.deepEqual(patch?.body, [{ op: 'replace', path: '/status', value: 'disabled' }]);
      assert.deepEqual((await s.userFacts([asUser(target)])).get(target.id)?.flags, ['inactive']);
      await assert.rejects(s.disable(asUser(target)), (e: unknown) => e instanceof CloudStateError && /already disabled/.test(e.message));
    });

    it('a disable whose answer is lost after it was applied is read back as applied', async () => {
      const sim = await simulator({ subscription: 'capacity' });
      const s = source(sim);
      const target = sim.state.users.find((u) => u.status === 'active' && u.id !== sim.state.adminUserId && u.clientId === undefined) as SimUser;
      sim.fault({ method: 'PATCH', path: /\/api\/v1\/users\//, afterHandling: true, status: 504, times: 1 });
      const write = await s.disable(asUser(target));
      assert.match(write.unclearAnswer ?? '', /504/);
      assert.equal(sim.requests.filter((r) => r.method === 'PATCH').length, 1);
    });
  });

  describe('OAuth', () => {
    it('fetches a token with the client credentials and a new one once the old expires in simulator time', async () => {
      const sim = await simulator({ tokenLifetimeSeconds: 600 });
      const auth: CloudAuth = { mode: 'oauth', clientId: sim.oauth.clientId, clientSecret: sim.oauth.clientSecret };
      const s = source(sim, { auth });
      await s.overview();
      await s.roleCheck();
      assert.equal(sim.requests.filter((r) => r.path === '/oauth/token').length, 1);
      sim.clock.advance(590_000);
      await s.overview();
      assert.equal(sim.requests.filter((r) => r.path === '/oauth/token').length, 2);
      const bearers = new Set(sim.requests.filter((r) => r.path.startsWith('/api/')).map((r) => r.headers['authorization']));
      assert.equal(bearers.size, 2);
    });

    it('a wrong client secret is an AuthError that never shows the secret', async () => {
      const sim = await simulator();
      const secret = 'not-the-secret-1234567890';
      const s = source(sim, { auth: { mode: 'oauth', clientId: sim.oauth.clientId, clientSecret: secret } });
      await assert.rejects(s.overview(), (e: unknown) => e instanceof AuthError && e.kind === 'auth' && !e.message.includes(secret));
    });
  });
});
