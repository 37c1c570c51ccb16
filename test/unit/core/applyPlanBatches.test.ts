import { strict as assert } from 'node:assert';
import { applyPlan, type ApplyContext } from '../../../src/core/applyPlan';
import { OutcomeUnknownError } from '../../../src/core/errors';
import type { AuditEntry } from '../../../src/core/historyAudit';
import type { LicenseSource, RowChange } from '../../../src/core/licenseSource';
import type { Plan } from '../../../src/core/plan';
import { planSource } from '../../../src/core/planSource';
import { parsePolicy } from '../../../src/core/policyParse';
import { DEFAULT_RULES } from '../../../src/core/sync';
import { startCloudSimulator, type CloudSimulator } from '../../../src/sim/cloud/cloudSimulator';
import { createCloudSource, type CloudSource } from '../../../src/sources/cloud/cloudSource';
import { recordingContext } from './applyContextFixture';

const NOW = Date.UTC(2026, 2, 1, 12);
const ADD = /\/api\/v1\/licenses\/assignments\/actions\/add$/;
const DELETE = /\/api\/v1\/licenses\/assignments\/actions\/delete$/;

/**
 * A policy run on a source that takes batches (Qlik Cloud): runs of assignments and of removals
 * go in one request per batch, each row audited on its own, and the run stops after the first
 * request with a row that failed.
 */
describe('applyPlan in batches (Qlik Cloud simulator)', function () {
  this.timeout(60_000);
  let sim: CloudSimulator;
  let cloud: CloudSource;
  let audit: AuditEntry[];
  /** Each applyRows call's rows, as the source was handed them. */
  let calls: RowChange[][];

  const policy = parsePolicy(
    {
      release: [{ when: { unusedDays: 800 }, revoke: ['analyzer'] }],
      upgrade: [{ when: { capacityMinutesAtLeast: 600, windowDays: 28 }, assign: 'analyzer' }],
      maxChangesPerRun: 6,
      neverTouch: { flags: [] },
    },
    'test policy',
  );
  const ctx = (over: Partial<ApplyContext> = {}): ApplyContext => recordingContext(audit, { actor: 'tester (CLI)', connection: 'tenant', now: () => sim.clock.now() }, over);

  /** The Cloud source, batching `rowsPerRequest` rows a request, its applyRows calls counted. */
  function batching(rowsPerRequest: number): LicenseSource {
    const source = Object.create(cloud, { rowsPerRequest: { value: rowsPerRequest } }) as CloudSource;
    source.applyRows = async (changes, options) => {
      calls.push([...changes]);
      return cloud.applyRows(changes, options);
    };
    return source;
  }

  /** One release, then four or five upgrades, on a tenant with five analyzer seats free. */
  async function makePlan(): Promise<Plan> {
    sim.state.setAllotmentUnits('analyzer', sim.state.assignments.filter((a) => a.type === 'analyzer').length + 5);
    const { plan } = await planSource(cloud, policy, { connection: 'tenant', rules: DEFAULT_RULES, now: sim.clock.now() });
    assert.deepEqual(
      plan.changes.map((c) => c.action),
      ['revoke', 'assign', 'assign', 'assign', 'assign', 'assign'],
    );
    return plan;
  }

  const writes = (route: RegExp) => sim.requests.filter((r) => r.method === 'POST' && route.test(r.path)).length;
  const analyzerHolders = () => new Set(sim.state.assignments.filter((a) => a.type === 'analyzer').map((a) => a.subject));

  beforeEach(async () => {
    sim = await startCloudSimulator({ users: 200, seed: 5, now: NOW });
    cloud = createCloudSource({ baseUrl: sim.url, ca: sim.certificates.ca, auth: { mode: 'apiKey', apiKey: sim.apiKey }, now: () => sim.clock.now() });
    audit = [];
    calls = [];
  });
  afterEach(async () => {
    assert.deepEqual(sim.violations, [], 'requests and answers keep to the specs');
    await cloud.close();
    await sim.close();
  });

  it('sends the release in one request and the assignments in one more; every row is audited, intents before the request, and told in order', async () => {
    const plan = await makePlan();
    const told: [number, string][] = [];
    const addsSeenByIntents: number[] = [];
    const report = await applyPlan(
      batching(100),
      plan,
      ctx({
        onResult: (i, r) => told.push([i, r.status]),
        audit: {
          append: async (e) => {
            if (e.phase === 'intent' && e.action === 'assign') {
              addsSeenByIntents.push(writes(ADD));
            }
            audit.push(e);
          },
        },
      }),
    );
    assert.deepEqual(addsSeenByIntents, [0, 0, 0, 0, 0], 'every intent is written before the request goes');
    assert.equal(report.failure, null);
    assert.deepEqual(report.results.map((r) => r.status), plan.changes.map(() => 'done'));
    assert.deepEqual(told, plan.changes.map((_, i) => [i, 'done']));
    assert.deepEqual(calls.map((c) => c.map((r) => r.action)), [['assign', 'assign', 'assign', 'assign', 'assign']], 'the single release goes on its own; the assignments in one batch');
    assert.equal(writes(DELETE), 1);
    assert.equal(writes(ADD), 1);
    const holders = analyzerHolders();
    for (const c of plan.changes) {
      assert.equal(holders.has(c.user.userId), c.action === 'assign', c.user.userId);
    }
    const assigns = plan.changes.filter((c) => c.action === 'assign').map((c) => c.user.userId);
    assert.deepEqual(
      audit.map((e) => [e.phase, e.result ?? null, e.action, e.user.userId, typeof e.reason === 'object' ? e.reason.rule : e.reason]),
      [
        ['intent', null, 'revoke', plan.changes[0]?.user.userId, 'release[0]'],
        ['outcome', 'applied', 'revoke', plan.changes[0]?.user.userId, 'release[0]'],
        ...assigns.map((u) => ['intent', null, 'assign', u, 'upgrade[0]']),
        ...assigns.map((u) => ['outcome', 'applied', 'assign', u, 'upgrade[0]']),
      ],
    );
  });
  it('stops after the first request with a refused row: the other rows of that request stand, the next request is not sent', async () => {
    const plan = await makePlan();
    // Seats went meanwhile: after the release, three of the five assignments fit.
    sim.state.setAllotmentUnits('analyzer', sim.state.assignments.filter((a) => a.type === 'analyzer').length - 1 + 3);
    const report = await applyPlan(batching(2), plan, ctx());
    assert.deepEqual(
      report.results.map((r) => r.status),
      ['done', 'done', 'done', 'done', 'failed', 'notRun'],
    );
    assert.deepEqual(calls.map((c) => c.length), [2, 2], 'two requests of two; the fifth assignment was never sent');
    assert.equal(report.failure?.change, plan.changes[4]);
    assert.match(String(report.failure?.error), /LICENSES-011/);
    assert.equal(report.cancelled, false);
    const holders = analyzerHolders();
    assert.deepEqual(plan.changes.slice(1).map((c) => holders.has(c.user.userId)), [true, true, true, false, false]);
    assert.deepEqual(
      audit.filter((e) => e.phase === 'outcome').map((e) => e.result),
      ['applied', 'applied', 'applied', 'applied', 'notApplied'],
      'no line for the change not run',
    );
  });

  it('names the row whose outcome is unknown when one request has both a refusal and an unknown', async () => {
    const plan = await makePlan();
    const source = batching(100);
    const real = source.applyRows?.bind(source);
    source.applyRows = async (changes, options) => {
      const outcomes = (await real?.(changes, options)) ?? [];
      // The tenant's answer for the first row said no; the third row's outcome could not be established.
      return outcomes.map((o, i) =>
        i === 0 ? { change: o.change, status: 'notApplied' as const, error: new Error('refused') } : i === 2 ? { change: o.change, status: 'unknown' as const, error: new OutcomeUnknownError('assign', 'HTTP 500', 'HTTP 500', 'Check it.') } : o,
      );
    };
    const report = await applyPlan(source, plan, ctx());
    assert.deepEqual(report.results.map((r) => r.status), ['done', 'failed', 'done', 'failed', 'done', 'done']);
    assert.equal(report.failure?.change, plan.changes[3], 'the unknown one is the one to check by hand');
    assert.ok(report.failure?.error instanceof OutcomeUnknownError);
    assert.deepEqual(
      audit.filter((e) => e.phase === 'outcome').map((e) => e.result),
      ['applied', 'notApplied', 'applied', 'unknown', 'applied', 'applied'],
    );
  });

  it('a cancel during a batch lets that batch go whole and stops before the next', async () => {
    const plan = await makePlan();
    const stop = new AbortController();
    const report = await applyPlan(batching(2), plan, ctx({ onChange: (index) => index === 2 && stop.abort() }), { signal: stop.signal });
    assert.deepEqual(report.results.map((r) => r.status), ['done', 'done', 'done', 'notRun', 'notRun', 'notRun']);
    assert.equal(report.cancelled, true);
    assert.equal(report.failure, null);
    assert.deepEqual(calls.map((c) => c.length), [2]);
  });

  it('a row whose premise moved is skipped and the rest of its batch still goes', async () => {
    const plan = await makePlan();
    const moved = plan.changes[2]?.user.userId as string;
    // Someone assigned that user a license by hand since the plan was made.
    sim.state.assignments.push({ subject: moved, type: 'analyzer', created: sim.clock.now() });
    const report = await applyPlan(batching(100), plan, ctx());
    assert.deepEqual(report.results.map((r) => r.status), ['done', 'done', 'skipped', 'done', 'done', 'done']);
    assert.match(report.results[2]?.status === 'skipped' ? report.results[2].why : '', /already holds/);
    assert.deepEqual(calls.map((c) => c.length), [4]);
    assert.equal(audit.filter((e) => e.user.userId === moved).length, 0, 'nothing sent, nothing audited');
  });

  it('an intent that cannot be written: the rows before it go, it fails, and the rest are not run', async () => {
    const plan = await makePlan();
    const refusedAt = plan.changes[3]?.user.userId;
    const report = await applyPlan(
      batching(100),
      plan,
      ctx({
        audit: {
          append: async (e) => {
            if (e.phase === 'intent' && e.user.userId === refusedAt) {
              throw new Error('disk full');
            }
            audit.push(e);
          },
        },
      }),
    );
    assert.deepEqual(report.results.map((r) => r.status), ['done', 'done', 'done', 'failed', 'notRun', 'notRun']);
    assert.match(String(report.failure?.error), /Nothing was changed: the audit entry/);
    assert.deepEqual(calls.map((c) => c.length), [2]);
    const holders = analyzerHolders();
    assert.deepEqual(plan.changes.slice(1).map((c) => holders.has(c.user.userId)), [true, true, false, false, false]);
  });
});
