import { strict as assert } from 'node:assert';
import { applyPlan, type ApplyContext } from '../../../src/core/applyPlan';
import type { AuditEntry } from '../../../src/core/historyAudit';
import { NotAppliedError } from '../../../src/core/errors';
import { DAY_MS } from '../../../src/core/model';
import { planSource } from '../../../src/core/planSource';
import { parsePolicy } from '../../../src/core/policyParse';
import { DEFAULT_RULES } from '../../../src/core/sync';
import { startQrsSimulator, type QrsSimulator } from '../../../src/sim/qrs/qrsSimulator';
import { createQrsSource, type QrsSource } from '../../../src/sources/qrs/qrsSource';
import { certificateOptions } from '../sources/qrs/simConnection';

const NOW = Date.UTC(2026, 5, 1, 12);

describe('applyPlan against the simulator', function () {
  this.timeout(60_000);
  let sim: QrsSimulator;
  let source: QrsSource;
  let audit: AuditEntry[];

  const policy = parsePolicy(
    {
      upgrade: [{ when: { loginPassesAtLeast: 10, windowDays: 28 }, assign: 'user' }],
      release: [{ when: { unusedDays: 30 }, revoke: ['user'] }],
      maxChangesPerRun: 4,
      neverTouch: { flags: [] },
    },
    'test policy',
  );
  const ctx = (): ApplyContext => ({
    actor: 'tester (CLI) as INTERNAL\\sa_api',
    connection: 'sim',
    audit: { append: async (e) => void audit.push(e) },
    now: () => sim.clock.now(),
    onOutcomeNotWritten: () => assert.fail('the audit sink does not fail here'),
  });
  const makePlan = async () => (await planSource(source, policy, { connection: 'sim', rules: DEFAULT_RULES, now: sim.clock.now() })).plan;

  beforeEach(async () => {
    sim = await startQrsSimulator({ users: 200, seed: 5, now: NOW });
    source = createQrsSource(certificateOptions(sim));
    audit = [];
  });
  afterEach(async () => {
    await source.close();
    await sim.close();
  });

  it('makes every planned change in order, audited with its rule, and the simulator holds the result', async () => {
    const plan = await makePlan();
    assert.equal(plan.changes.length, 4, 'the cap');
    const told: [number, string, number][] = [];
    const report = await applyPlan(source, plan, { ...ctx(), onResult: (i, r) => told.push([i, r.status, audit.length]) });
    assert.equal(report.failure, null);
    assert.deepEqual(report.results.map((r) => r.status), ['done', 'done', 'done', 'done']);
    // Each result is told as soon as it is known: after its own audit lines, before the next change's.
    assert.deepEqual(told, [0, 1, 2, 3].map((i) => [i, 'done', 2 * (i + 1)]));
    for (const change of plan.changes) {
      const holds = [...sim.state.allocations.user.values()].some((a) => a.user.id === change.user.id);
      assert.equal(holds, change.action === 'assign', `${change.action} ${change.user.userId}`);
    }
    assert.deepEqual(
      audit.map((e) => [e.phase, e.result, e.action, e.user.userId, e.reason]),
      plan.changes.flatMap((c) => [
        ['intent', undefined, c.action, c.user.userId, { rule: c.rule }],
        ['outcome', 'applied', c.action, c.user.userId, { rule: c.rule }],
      ]),
    );
  });

  it('is idempotent: applying the same plan again changes nothing and says why for each change', async () => {
    const plan = await makePlan();
    await applyPlan(source, plan, ctx());
    const writes = sim.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/table') && !r.path.endsWith('/previewcreateprivilege')).length;
    audit = [];
    const again = await applyPlan(source, plan, ctx());
    assert.deepEqual(
      again.results.map((r) => r.status),
      plan.changes.map(() => 'skipped'),
    );
    for (const r of again.results) {
      assert.ok(r.status === 'skipped');
      assert.match(r.why, r.change.action === 'assign' ? /^already holds a user access pass$/ : /^the user access pass was removed meanwhile$/);
    }
    assert.equal(sim.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/table') && !r.path.endsWith('/previewcreateprivilege')).length, writes, 'no second write');
    assert.deepEqual(audit, [], 'nothing attempted, nothing audited');
  });

  it('skips a change whose premise moved since planning (the pass was used meanwhile)', async () => {
    const plan = await makePlan();
    const revoke = plan.changes.find((c) => c.action === 'revoke');
    assert.ok(revoke?.allocation, 'the plan releases an idle pass');
    sim.state.allocation('user', revoke.allocation.id).lastUsed = sim.clock.now() - DAY_MS;
    const report = await applyPlan(source, plan, ctx());
    const result = report.results.find((r) => r.change === revoke);
    assert.deepEqual(result && result.status === 'skipped' ? result.why : result?.status, 'the user access pass was used meanwhile');
    assert.ok(sim.state.allocations.user.has(revoke.allocation.id), 'still allocated');
  });

  it('stops at the first failure in the middle of a run and reports exactly what was and was not done', async () => {
    const plan = await makePlan();
    const failAt = 1;
    const failing = plan.changes[failAt];
    assert.ok(failing && plan.changes.length > failAt + 1);
    let started = 0;
    const report = await applyPlan(source, plan, {
      ...ctx(),
      onChange: (index) => {
        started++;
        if (index === failAt) {
          // The repository refuses this one change (and does not make it).
          const path = failing.action === 'assign' ? /^\/qrs\/license\/useraccesstype$/ : /^\/qrs\/license\/useraccesstype\/[0-9a-f-]+$/;
          sim.fault({ method: failing.action === 'assign' ? 'POST' : 'DELETE', path, status: 500, body: 'database unavailable', times: 1 });
        }
      },
    });
    assert.ok(report.failure);
    assert.equal(report.failure.change, failing);
    assert.ok(report.failure.error instanceof NotAppliedError);
    assert.deepEqual(
      report.results.map((r) => r.status),
      plan.changes.map((_, i) => (i < failAt ? 'done' : i === failAt ? 'failed' : 'notRun')),
    );
    assert.equal(started, failAt + 1, 'no change after the failure was started');
    const holds = [...sim.state.allocations.user.values()].some((a) => a.user.id === failing.user.id);
    assert.equal(holds, failing.action === 'revoke', 'the refused change was not made');
    const outcomes = audit.filter((e) => e.phase === 'outcome');
    assert.deepEqual(outcomes.map((e) => e.result), ['applied', 'notApplied']);
    assert.match(outcomes[1]?.serverAnswer ?? '', /with 500: database unavailable/);
  });

  it('a cancel stops before the next change, never in the middle of one', async () => {
    const plan = await makePlan();
    const stop = new AbortController();
    const report = await applyPlan(source, plan, { ...ctx(), onChange: (index) => index === 1 && stop.abort() }, { signal: stop.signal });
    assert.equal(report.cancelled, true);
    assert.deepEqual(report.results.map((r) => r.status), ['done', 'done', 'notRun', 'notRun']);
    assert.equal(audit.filter((e) => e.phase === 'outcome').length, 2, 'the change under way when the cancel came was finished and audited');
  });
});
