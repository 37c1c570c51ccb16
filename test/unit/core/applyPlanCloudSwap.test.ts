import { strict as assert } from 'node:assert';
import { resultDetail } from '../../../src/core/applyReportText';
import { applyPlan, type ApplyContext } from '../../../src/core/applyPlan';
import { NotAppliedError } from '../../../src/core/errors';
import type { AuditEntry } from '../../../src/core/historyAudit';
import type { CallOptions, ReadOptions } from '../../../src/core/licenseSource';
import { DAY_MS, type Allocation, type User } from '../../../src/core/model';
import type { Plan } from '../../../src/core/plan';
import { planSource } from '../../../src/core/planSource';
import { parsePolicy } from '../../../src/core/policyParse';
import { DEFAULT_RULES } from '../../../src/core/sync';
import { startCloudSimulator, type CloudSimulator } from '../../../src/sim/cloud/cloudSimulator';
import type { CloudClientOptions } from '../../../src/sources/cloud/cloudOptions';
import { CloudSource, createCloudSource } from '../../../src/sources/cloud/cloudSource';
import { recordingContext } from './applyContextFixture';

const NOW = Date.UTC(2026, 10, 20, 12);
const UPDATE = '/api/v1/licenses/assignments/actions/update';

describe('applyPlan: swaps on a Qlik Cloud tenant', function () {
  this.timeout(60_000);
  let sim: CloudSimulator;
  let source: CloudSource;
  let audit: AuditEntry[];

  const policy = parsePolicy({ swap: [{ when: { kind: 'professional', onlyConsumesDays: 90 }, to: 'analyzer' }], maxChangesPerRun: 3, neverTouch: { flags: [] } }, 'test policy');
  const ctx = (): ApplyContext => recordingContext(audit, { actor: 'tester (CLI)', connection: 'tenant', now: () => sim.clock.now() });
  const options = (): CloudClientOptions => ({ baseUrl: sim.url, ca: sim.certificates.ca, auth: { mode: 'apiKey', apiKey: sim.apiKey }, now: () => sim.clock.now() });
  const makePlan = async (s: CloudSource = source): Promise<Plan> => (await planSource(s, policy, { connection: 'tenant', rules: DEFAULT_RULES, now: sim.clock.now() })).plan;
  const typeOf = (user: User): string | undefined => sim.state.assignmentOf(user.userId)?.type;
  const writes = (): string[] => sim.requests.filter((r) => r.method === 'POST').map((r) => r.path);

  beforeEach(async () => {
    sim = await startCloudSimulator({ users: 300, seed: 7, now: NOW });
    source = createCloudSource(options());
    audit = [];
  });
  afterEach(async function () {
    await source.close();
    await sim.close();
    if (this.currentTest?.state === 'passed') {
      assert.deepEqual(sim.violations, []);
    }
  });

  it('changes each professional license to an analyzer in place, one update request and one audited changeKind per swap', async () => {
    const plan = await makePlan();
    assert.equal(plan.changes.length, 3, 'the cap');
    for (const c of plan.changes) {
      assert.deepEqual([c.action, c.fromKind, c.kind, c.rule], ['swap', 'professional', 'analyzer', 'swap[0]']);
      assert.equal(typeOf(c.user), 'professional');
    }
    const before = writes().length;
    const report = await applyPlan(source, plan, ctx());
    assert.equal(report.failure, null);
    assert.deepEqual(report.results.map((r) => r.status), ['done', 'done', 'done']);
    assert.deepEqual(writes().slice(before), [UPDATE, UPDATE, UPDATE], 'no assignment beside the old one, no removal');
    for (const [i, c] of plan.changes.entries()) {
      assert.equal(typeOf(c.user), 'analyzer');
      assert.equal(sim.state.assignments.filter((a) => a.subject === c.user.userId).length, 1, 'one license, never two');
      const r = report.results[i];
      assert.equal(r?.status === 'done' ? r.message : r?.status, `Changed the professional access of ${c.user.userId} to an analyzer access (allocation analyzer:${c.user.userId}).`);
    }
    assert.deepEqual(
      audit.map((e) => [e.phase, e.result, e.action, e.kind, e.user.userId, e.reason, e.outcome]),
      plan.changes.flatMap((c) => [
        ['intent', undefined, 'changeKind', 'analyzer', c.user.userId, { rule: 'swap[0]' }, 'requested'],
        ['outcome', 'applied', 'changeKind', 'analyzer', c.user.userId, { rule: 'swap[0]' }, `changed from professional to analyzer (allocation analyzer:${c.user.userId})`],
      ]),
    );
  });

  it('is idempotent: applied again, each swap is already done, nothing is written or audited, and a fresh plan leaves them be', async () => {
    const plan = await makePlan();
    await applyPlan(source, plan, ctx());
    const before = writes().length;
    audit = [];
    const again = await applyPlan(source, plan, ctx());
    assert.deepEqual(
      again.results.map((r) => (r.status === 'skipped' ? r.why : r.status)),
      plan.changes.map((c) => `already done: ${c.user.userId} holds the analyzer access in place of the professional access`),
    );
    assert.equal(writes().length, before, 'no second write');
    assert.deepEqual(audit, []);
    const fresh = await makePlan();
    assert.ok(!fresh.changes.some((c) => plan.changes.some((d) => d.user.id === c.user.id)));
  });

  it('is idempotent where a changed assignment keeps its id: already done, not "holds both"', async () => {
    // A source whose allocation ids do not carry the kind: after the change, the same id names the analyzer.
    const byHolder = (a: Allocation): Allocation => ({ ...a, id: `held-by:${a.user.userId}` });
    class StableIds extends CloudSource {
      override async allocations(o?: ReadOptions): Promise<readonly Allocation[]> {
        return (await super.allocations(o)).map(byHolder);
      }
      override async allocationsOf(user: User, o?: CallOptions): Promise<readonly Allocation[]> {
        return (await super.allocationsOf(user, o)).map(byHolder);
      }
    }
    const stable = new StableIds(options());
    try {
      const plan = await makePlan(stable);
      assert.ok(plan.changes.length > 0 && plan.changes.every((c) => c.allocation?.id === `held-by:${c.user.userId}`));
      assert.deepEqual((await applyPlan(stable, plan, ctx())).results.map((r) => r.status), plan.changes.map(() => 'done'));
      const again = await applyPlan(stable, plan, ctx());
      assert.deepEqual(
        again.results.map((r) => (r.status === 'skipped' ? r.why : r.status)),
        plan.changes.map((c) => `already done: ${c.user.userId} holds the analyzer access in place of the professional access`),
      );
    } finally {
      await stable.close();
    }
  });

  it('a change the tenant refuses (a 207 row with LICENSES-011) changes nothing, is audited as not applied, and stops the run', async () => {
    const plan = await makePlan();
    const [failing] = plan.changes;
    assert.ok(failing);
    // Another admin took the last analyzer licenses meanwhile.
    sim.state.exhaustPool('analyzer');
    const report = await applyPlan(source, plan, ctx());
    assert.deepEqual(report.results.map((r) => r.status), ['failed', 'notRun', 'notRun']);
    assert.ok(report.failure?.error instanceof NotAppliedError);
    assert.match(resultDetail(report.results[0] ?? { change: failing, status: 'notRun' }) ?? '', /LICENSES-011/);
    assert.equal(typeOf(failing.user), 'professional', 'the user keeps the professional license');
    assert.deepEqual(writes().filter((p) => p === UPDATE).length, 1, 'nothing after the refusal');
    assert.deepEqual(audit.map((e) => [e.phase, e.result, e.action, e.kind, e.user.userId]), [
      ['intent', undefined, 'changeKind', 'analyzer', failing.user.userId],
      ['outcome', 'notApplied', 'changeKind', 'analyzer', failing.user.userId],
    ]);
  });

  it('skips a swap whose user authored since planning, as the audit log shows', async () => {
    const plan = await makePlan();
    const [first] = plan.changes;
    assert.ok(first);
    sim.state.addAppEvent(first.user.id, 'com.qlik.app.created', NOW - DAY_MS);
    const report = await applyPlan(source, plan, ctx());
    const r = report.results[0];
    assert.equal(r?.status === 'skipped' ? r.why : r?.status, `${first.user.userId} authored meanwhile (created, published or reloaded an app with new data since 2026-08-22, as the audit log shows): no longer only consumes`);
    assert.equal(typeOf(first.user), 'professional');
  });
});
