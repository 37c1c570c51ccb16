import { strict as assert } from 'node:assert';
import { applyPlan, type ApplyContext } from '../../../src/core/applyPlan';
import type { AuditEntry } from '../../../src/core/historyAudit';
import { NotAppliedError, SwapIncompleteError } from '../../../src/core/errors';
import { resultDetail, summarizeApply } from '../../../src/core/applyReportText';
import { exitCodeOf } from '../../../src/cli/cliErrors';
import { DAY_MS } from '../../../src/core/model';
import { planSource } from '../../../src/core/planSource';
import { parsePolicy } from '../../../src/core/policyParse';
import { DEFAULT_RULES } from '../../../src/core/sync';
import { startQrsSimulator, type QrsSimulator } from '../../../src/sim/qrs/qrsSimulator';
import { createQrsSource, type QrsSource } from '../../../src/sources/qrs/qrsSource';
import { certificateOptions } from '../sources/qrs/simConnection';
import { recordingContext } from './applyContextFixture';

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
  const ctx = (): ApplyContext => recordingContext(audit, { actor: 'tester (CLI) as INTERNAL\\sa_api', connection: 'sim', now: () => sim.clock.now() });
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

describe('applyPlan: swaps against a user-based simulator', function () {
  this.timeout(60_000);
  let sim: QrsSimulator;
  let source: QrsSource;
  let audit: AuditEntry[];

  const policy = parsePolicy(
    { swap: [{ when: { kind: 'professional', onlyConsumesDays: 90 }, to: 'analyzer' }], maxChangesPerRun: 3, neverTouch: { flags: [] } },
    'swap policy',
  );
  const ctx = (): ApplyContext => recordingContext(audit, { actor: 'tester (CLI) as INTERNAL\\sa_api', connection: 'sim', now: () => sim.clock.now() });
  const makePlan = async () => (await planSource(source, policy, { connection: 'sim', rules: DEFAULT_RULES, now: sim.clock.now() })).plan;
  const holds = (userId: string, kind: 'professional' | 'analyzer') => sim.state.list(kind).filter((a) => a.user.id === userId);
  const writes = () => sim.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/table') && !r.path.endsWith('/previewcreateprivilege')).length;

  beforeEach(async () => {
    sim = await startQrsSimulator({ users: 300, seed: 5, now: NOW, licenseModel: 'userBased' });
    source = createQrsSource(certificateOptions(sim));
    audit = [];
  });
  afterEach(async () => {
    await source.close();
    await sim.close();
  });

  it('assigns the analyzer access first, then releases the professional access, both audited with the rule', async () => {
    const plan = await makePlan();
    assert.equal(plan.changes.length, 3, 'the cap');
    const since = NOW - 90 * DAY_MS;
    for (const c of plan.changes) {
      assert.deepEqual([c.action, c.fromKind, c.kind, c.rule], ['swap', 'professional', 'analyzer', 'swap[0]']);
      assert.ok(![...sim.state.apps, ...sim.state.appObjects].some((x) => x.owner.id === c.user.id && x.modifiedDate >= since), `${c.user.userId} authored nothing`);
    }
    const report = await applyPlan(source, plan, ctx());
    assert.equal(report.failure, null);
    assert.deepEqual(report.results.map((r) => r.status), ['done', 'done', 'done']);
    for (const [i, c] of plan.changes.entries()) {
      assert.equal(holds(c.user.id, 'analyzer').length, 1);
      assert.ok(holds(c.user.id, 'professional').every((a) => a.quarantined), `${c.user.userId}'s professional access is released`);
      const r = report.results[i];
      assert.match(r?.status === 'done' ? r.message : '', /^Assigned an analyzer access to CORP\\\S+ \(allocation [0-9a-f-]+\)\. Revoked the professional access of CORP\\\S+; (the license is freed|it is quarantined until \d{4}-\d\d-\d\d and the license is not freed before then)\.$/);
    }
    assert.deepEqual(
      audit.map((e) => [e.phase, e.result, e.action, e.kind, e.user.userId, e.reason]),
      plan.changes.flatMap((c) => [
        ['intent', undefined, 'assign', 'analyzer', c.user.userId, { rule: 'swap[0]' }],
        ['outcome', 'applied', 'assign', 'analyzer', c.user.userId, { rule: 'swap[0]' }],
        ['intent', undefined, 'revoke', 'professional', c.user.userId, { rule: 'swap[0]' }],
        ['outcome', 'applied', 'revoke', 'professional', c.user.userId, { rule: 'swap[0]' }],
      ]),
    );
  });

  it('is idempotent: a swap already done is skipped, saying it is done, and nothing is written', async () => {
    const plan = await makePlan();
    await applyPlan(source, plan, ctx());
    const before = writes();
    audit = [];
    const again = await applyPlan(source, plan, ctx());
    assert.deepEqual(again.results.map((r) => r.status), ['skipped', 'skipped', 'skipped']);
    for (const r of again.results) {
      assert.match(r.status === 'skipped' ? r.why : '', /^already done: CORP\\\S+ holds the analyzer access and the professional access was released( \(quarantined until \d{4}-\d\d-\d\d\))?$/);
    }
    assert.equal(writes(), before, 'no second write');
    assert.deepEqual(audit, []);
    // Planned afresh, the swapped users are no candidates any more.
    const fresh = await makePlan();
    assert.ok(!fresh.changes.some((c) => plan.changes.some((d) => d.user.id === c.user.id)));
  });

  it('a failed release leaves the user holding both, says which allocation to release by hand, and stops the run', async () => {
    const plan = await makePlan();
    const [first, failing] = plan.changes;
    assert.ok(first && failing?.allocation);
    const old = failing.allocation;
    const who = `CORP\\${failing.user.userId}`;
    sim.fault({ method: 'DELETE', path: new RegExp(`^/qrs/license/professionalaccesstype/${old.id}$`), status: 500, body: 'database unavailable', times: 1 });
    const report = await applyPlan(source, plan, ctx());
    assert.deepEqual(report.results.map((r) => r.status), ['done', 'failed', 'notRun']);
    assert.ok(report.failure?.error instanceof SwapIncompleteError);
    const [analyzer] = holds(failing.user.id, 'analyzer');
    assert.ok(analyzer, 'the new pass stays');
    assert.deepEqual(holds(failing.user.id, 'professional').map((a) => [a.id, a.quarantined]), [[old.id, false]], 'and so does the old one');
    assert.equal(
      resultDetail(report.results[1] ?? { change: failing, status: 'notRun' }),
      `${who} now holds both the professional access and the new analyzer access: the analyzer access was assigned (allocation ${analyzer.id}), but the professional access (allocation ${old.id}) was not released. ` +
        `Not done: could not remove the professional access of ${who}. The server answered DELETE /qrs/license/professionalaccesstype/${old.id}?xrfkey=*** with 500: database unavailable (The server was asked afterwards: the change is not there.) ` +
        `Release it by hand: in the QMC, License management > Professional allocations, select ${who}'s allocation (${old.id}) and deallocate it.`,
    );
    assert.equal(
      summarizeApply(report, 'sim').message,
      `"sim": the change to swap the professional access of ${failing.user.name} (${who}) for an analyzer access was half done: ${resultDetail(report.results[1] ?? { change: failing, status: 'notRun' }) ?? ''} The change after it was not run. 1 done, 0 skipped, 1 failed, 1 not run.`,
    );
    assert.equal(exitCodeOf(report.failure?.error), 3);
    const mine = audit.filter((e) => e.user.userId === failing.user.userId);
    assert.deepEqual(
      mine.map((e) => [e.phase, e.result, e.action, e.kind]),
      [
        ['intent', undefined, 'assign', 'analyzer'],
        ['outcome', 'applied', 'assign', 'analyzer'],
        ['intent', undefined, 'revoke', 'professional'],
        ['outcome', 'notApplied', 'revoke', 'professional'],
      ],
    );
    // Applied again, the half-done swap is not redone: the admin releases the old pass.
    const again = await applyPlan(source, plan, ctx());
    const retry = again.results[1];
    assert.equal(
      retry?.status === 'skipped' ? retry.why : retry?.status,
      `${who} already holds the analyzer access as well as the professional access, which an earlier swap did not release: release it by hand: in the QMC, License management > Professional allocations, select ${who}'s allocation (${old.id}) and deallocate it`,
    );
  });

  it('a failed assignment changes nothing: the user keeps the professional access', async () => {
    const plan = await makePlan();
    const [failing] = plan.changes;
    assert.ok(failing?.allocation);
    sim.fault({ method: 'POST', path: /^\/qrs\/license\/analyzeraccesstype$/, status: 500, body: 'database unavailable', times: 1 });
    const report = await applyPlan(source, plan, ctx());
    assert.deepEqual(report.results.map((r) => r.status), ['failed', 'notRun', 'notRun']);
    assert.ok(report.failure?.error instanceof NotAppliedError);
    assert.deepEqual(holds(failing.user.id, 'analyzer'), []);
    assert.deepEqual(holds(failing.user.id, 'professional').map((a) => a.id), [failing.allocation.id]);
    assert.deepEqual(audit.map((e) => [e.phase, e.result, e.action]), [['intent', undefined, 'assign'], ['outcome', 'notApplied', 'assign']], 'the release was never attempted');
  });

  it('skips a swap whose user authored since planning', async () => {
    const plan = await makePlan();
    const [first] = plan.changes;
    assert.ok(first);
    const user = sim.state.findUser(first.user.id);
    assert.ok(user);
    sim.state.addApp(user, { name: 'Now I author' });
    const report = await applyPlan(source, plan, ctx());
    const r = report.results[0];
    assert.equal(r?.status === 'skipped' ? r.why : r?.status, `CORP\\${first.user.userId} authored meanwhile (owns an app or app object created or modified since 2026-03-03): no longer only consumes`);
    assert.deepEqual(holds(first.user.id, 'analyzer'), []);
  });
});
