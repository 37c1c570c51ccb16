import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { PlanJson } from '../../../src/cli/planOutput';
import { writeSimSecretConnectionFile } from '../../../src/cli/simConnectionFile';
import { DAY_MS } from '../../../src/core/model';
import { startCloudSimulator, type CloudSimulator } from '../../../src/sim/cloud/cloudSimulator';
import { AUTHORING_EVENT_TYPES } from '../../../src/sources/cloud/cloudAuthoring';
import { auditLog, cliHarness } from './cliHarness';

const NOW = Date.UTC(2026, 10, 20, 12);

describe('license-steward plan and apply: swap rules on a Qlik Cloud tenant', function () {
  this.timeout(60_000);
  let sim: CloudSimulator;
  let dir: string;
  const { cli } = cliHarness(() => sim.clock.now());

  before(async () => {
    sim = await startCloudSimulator({ users: 300, seed: 7, now: NOW });
    dir = await mkdtemp(path.join(tmpdir(), 'ls-cli-cloud-swap-'));
  });
  after(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('plans swaps for professionals the audit log shows only consuming, changes each license in place with --yes, audits each, and has nothing left to do after', async () => {
    const files = await writeSimSecretConnectionFile(dir, { name: 'tenant', kind: 'cloud', url: sim.url, auth: { mode: 'apiKey' } }, sim.certificates.ca, sim.apiKey);
    const env = { [files.secretEnv.name]: files.secretEnv.value };
    const policy = path.join(dir, 'swap.policy.json');
    await writeFile(policy, JSON.stringify({ swap: [{ when: { kind: 'professional', onlyConsumesDays: 90 }, to: 'analyzer' }], maxChangesPerRun: 2, neverTouch: { flags: [] } }));
    const dataDir = path.join(dir, 'data');
    const common = ['--config', files.configFile, '--connection', 'tenant', '--policy', policy];

    const planned = await cli(['plan', ...common, '--format', 'json'], { env });
    assert.equal(planned.code, 0, planned.errors.join('\n'));
    const plan = JSON.parse(planned.out) as PlanJson;
    assert.equal(plan.changes.length, 2);
    const since = NOW - 90 * DAY_MS;
    for (const c of plan.changes) {
      assert.deepEqual([c.action, c.fromKind, c.kind, c.rule, c.allocationId], ['swap', 'professional', 'analyzer', 'swap[0]', `professional:${c.userId}`]);
      assert.match(c.reason, /^professional access used \d{4}-\d\d-\d\d, but nothing authored in 90 days \(no app created, published or reloaded with new data since 2026-08-22, as the audit log shows\) → swap for an analyzer access/);
      const user = sim.state.userBySubject(c.userId);
      assert.ok(user && sim.state.assignmentOf(c.userId)?.type === 'professional');
      assert.ok(!sim.state.appEvents.some((e) => e.userId === user.id && AUTHORING_EVENT_TYPES.includes(e.eventType) && e.eventTime >= since), `${c.userId} authored nothing`);
    }
    assert.ok(plan.skipped.some((s) => s.category === 'cap'), 'more professionals only consume than the cap lets go');

    const run = await cli(['apply', ...common, '--data-dir', dataDir, '--yes'], { env });
    assert.equal(run.code, 0, run.errors.join('\n') + run.out);
    assert.match(run.out, /^ {2}1 {2}done {5}swap professional→analyzer {2}\S+: Changed the professional access of \S+ to an analyzer access \(allocation analyzer:\S+\)\./);
    for (const c of plan.changes) {
      assert.deepEqual(sim.state.assignments.filter((a) => a.subject === c.userId).map((a) => a.type), ['analyzer'], `${c.userId} holds one license, an analyzer`);
    }
    assert.equal(sim.requests.filter((r) => r.method === 'POST' && /actions\/(add|delete)$/.test(r.path)).length, 0, 'nothing assigned beside, nothing removed');
    assert.deepEqual(
      (await auditLog(dataDir, 'cli:tenant')).map((e) => [e.phase, e.result ?? null, e.action, e.kind, e.user.userId, e.reason]),
      plan.changes.flatMap((c) => [
        ['intent', null, 'changeKind', 'analyzer', c.userId, { rule: 'swap[0]' }],
        ['outcome', 'applied', 'changeKind', 'analyzer', c.userId, { rule: 'swap[0]' }],
      ]),
    );

    const rerun = JSON.parse((await cli(['apply', ...common, '--data-dir', dataDir, '--format', 'json'], { env })).out) as { plan: PlanJson };
    assert.ok(!rerun.plan.changes.some((c) => plan.changes.some((d) => d.userId === c.userId)), 'the swapped users are not planned again');
    assert.deepEqual(sim.violations, []);
  });
});
