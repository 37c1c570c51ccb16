import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import * as path from 'node:path';
import type { PlanJson } from '../../../src/cli/planOutput';
import { DAY_MS } from '../../../src/core/model';
import { writeSimConnectionFiles, writeSimSecretConnectionFile, type SimConnectionFiles } from '../../../src/cli/simConnectionFile';
import { startQrsSimulator, type QrsSimulator } from '../../../src/sim/qrs/qrsSimulator';
import { startCloudSimulator, type CloudSimulator } from '../../../src/sim/cloud/cloudSimulator';
import { auditLog, cliHarness, type JsonRow } from './cliHarness';

const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);

describe('license-steward plan and apply', function () {
  this.timeout(60_000);
  let sim: QrsSimulator;
  let files: SimConnectionFiles;
  let dir: string;
  const { cli } = cliHarness(() => sim.clock.now());

  before(async () => {
    sim = await startQrsSimulator({ users: 300, seed: 7, now: NOW });
    dir = await mkdtemp(path.join(tmpdir(), 'ls-cli-plan-'));
    files = await writeSimConnectionFiles(sim, dir);
  });
  after(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function policyFile(name: string, policy: unknown): Promise<string> {
    const file = path.join(dir, name);
    await writeFile(file, JSON.stringify(policy));
    return file;
  }

  async function ranking(): Promise<JsonRow[]> {
    const r = await cli(['rank', '--config', files.configFile, '--connection', 'sim', '--format', 'json']);
    assert.equal(r.code, 0, r.errors.join('\n'));
    return JSON.parse(r.out) as JsonRow[];
  }

  it('plans a pass for the heavy users the ranking names, highest first, against the tokens available, changing nothing', async () => {
    const rows = await ranking();
    const heavy = rows.filter((r) => r.verdict === 'assign' && r.allocation === null);
    assert.ok(heavy.length >= 3, `the site has heavy users: ${heavy.length}`);
    const available = sim.state.overview().availableTokens;
    const before = sim.state.allocations.user.size;
    const file = await policyFile('upgrade.json', { upgrade: [{ when: { loginPassesAtLeast: 10, windowDays: 28 }, assign: 'user' }], maxChangesPerRun: 500, neverTouch: { flags: [] } });
    const r = await cli(['plan', '--config', files.configFile, '--connection', 'sim', '--policy', file, '--format', 'json']);
    assert.equal(r.code, 0, r.errors.join('\n'));
    const plan = JSON.parse(r.out) as PlanJson;
    const expected = heavy.slice(0, Math.floor(available)).map((h) => `${h.userDirectory}\\${h.userId}`);
    assert.deepEqual(plan.changes.map((c) => `${c.userDirectory}\\${c.userId}`), expected);
    assert.ok(plan.changes.every((c) => c.action === 'assign' && c.kind === 'user' && c.rule === 'upgrade[0]' && c.tokens === 1));
    assert.equal(plan.totals.tokensAvailableBefore, available);
    assert.equal(plan.skipped.filter((s) => s.category === 'poolReserve').length, Math.max(0, heavy.length - expected.length));
    assert.equal(sim.state.allocations.user.size, before, 'a plan changes nothing');
    assert.ok(!sim.requests.some((q) => q.method === 'POST' && q.path === '/qrs/license/useraccesstype'));
  });

  it('reads flags and groups for never-touch lists from the repository, only for the users the rules picked', async () => {
    const rows = await ranking();
    const [first, second] = rows.filter((r) => r.verdict === 'assign' && r.allocation === null);
    assert.ok(first && second);
    const board = sim.state.findUserByKey(first.userDirectory, first.userId);
    const flagged = sim.state.findUserByKey(second.userDirectory, second.userId);
    assert.ok(board && flagged);
    board.groups = ['Board'];
    flagged.blacklisted = true;
    try {
      const file = await policyFile('never.json', { upgrade: [{ when: { loginPassesAtLeast: 10, windowDays: 28 }, assign: 'user' }], neverTouch: { groups: ['board'] } });
      const since = sim.requests.length;
      const r = await cli(['plan', '--config', files.configFile, '--connection', 'sim', '--policy', file, '--format', 'json']);
      assert.equal(r.code, 0, r.errors.join('\n'));
      const plan = JSON.parse(r.out) as PlanJson;
      const skipped = new Map(plan.skipped.map((s) => [s.userId, s]));
      assert.equal(skipped.get(first.userId)?.reason, 'member of Board, on the never-touch list');
      assert.equal(skipped.get(second.userId)?.reason, 'flagged blacklisted');
      assert.ok(!plan.changes.some((c) => c.userId === first.userId || c.userId === second.userId));
      const userReads = sim.requests.slice(since).filter((q) => q.path === '/qrs/user/full');
      assert.ok(userReads.length >= 1 && userReads.every((q) => (q.query['filter'] ?? '').includes(' or ') || /^id eq /.test(q.query['filter'] ?? '')), 'users are read by id, in batches');
    } finally {
      board.groups = [];
      flagged.blacklisted = false;
    }
  });

  it('prints the plan as a table with the pool outlook, and says nothing was changed', async () => {
    const file = await policyFile('both.json', {
      upgrade: [{ when: { loginPassesAtLeast: 10, windowDays: 28 }, assign: 'user' }],
      release: [{ when: { unusedDays: 30 }, revoke: ['user'] }],
      maxChangesPerRun: 5,
      keepFreeTokens: 1,
    });
    const r = await cli(['plan', '--config', files.configFile, '--connection', 'sim', '--policy', file]);
    assert.equal(r.code, 0, r.errors.join('\n'));
    assert.match(r.out, /^Plan for "sim", 2026-03-01: 5 changes, \d+ skipped\.\n/);
    assert.match(r.out, /\nTokens: [\d.]+ available → [\d.]+ after the plan \(uses [\d.]+, frees [\d.]+.*\); reserve 1 token\.\n/);
    assert.match(r.out, /\nLogin access group .*login passes left, [\d.]+ a day, /);
    assert.match(r.out, /\n#  action  pass  user +rule +reason\n/);
    assert.match(r.out, /\n {2}\S+\\\S+ {2}(upgrade|release)\[0\] {2}cap: over the cap of 5 changes per run: left for the next run\n/);
    assert.ok(r.out.endsWith('This is a plan: nothing was changed.\n'));
  });

  it('refuses a policy with an unknown key before connecting, naming the field (exit 1)', async () => {
    const file = await policyFile('bad.json', { release: [{ when: { unusedDays: 30, idleDays: 3 }, revoke: ['user'] }] });
    const since = sim.requests.length;
    const r = await cli(['plan', '--config', files.configFile, '--connection', 'sim', '--policy', file]);
    assert.equal(r.code, 1);
    assert.equal(r.errors[0], `${file} is not a valid policy: release[0].when: unknown key "idleDays".`);
    assert.equal(sim.requests.length, since, 'nothing was asked of the server');
  });

  it('apply without --yes only plans; with --yes it makes the changes, audits each with its rule, and a rerun has nothing left to do', async () => {
    const file = await policyFile('apply.json', {
      upgrade: [{ when: { loginPassesAtLeast: 10, windowDays: 28 }, assign: 'user' }],
      release: [{ when: { unusedDays: 30 }, revoke: ['user'] }],
      maxChangesPerRun: 3,
      neverTouch: { flags: [] },
    });
    const dataDir = path.join(dir, 'apply-data');
    const args = ['apply', '--config', files.configFile, '--connection', 'sim', '--policy', file, '--data-dir', dataDir];
    const before = new Set(sim.state.allocations.user.keys());

    const dry = await cli(args);
    assert.equal(dry.code, 0, dry.errors.join('\n'));
    assert.match(dry.out, /This is a plan: nothing was changed\.\nRun again with --yes to carry it out\.\n$/);
    assert.deepEqual(new Set(sim.state.allocations.user.keys()), before);

    const planned = JSON.parse((await cli([...args, '--format', 'json'])).out) as { plan: PlanJson };
    assert.equal(planned.plan.changes.length, 3);
    const run = await cli([...args, '--yes', '--format', 'json']);
    assert.equal(run.code, 0, run.errors.join('\n'));
    const report = JSON.parse(run.out) as { plan: PlanJson; results: { status: string; userId: string; action: string; detail: string }[] };
    assert.deepEqual(report.results.map((r) => [r.status, r.action, r.userId]), planned.plan.changes.map((c) => ['done', c.action, c.userId]));
    for (const c of planned.plan.changes) {
      const user = sim.state.findUserByKey(c.userDirectory ?? '', c.userId);
      const holds = [...sim.state.allocations.user.values()].some((a) => a.user === user);
      assert.equal(holds, c.action === 'assign', `${c.action} ${c.userId}`);
    }
    assert.deepEqual(
      (await auditLog(dataDir, 'cli:sim')).map((e) => [e.phase, e.result ?? null, e.action, e.user.userId, e.reason]),
      planned.plan.changes.flatMap((c) => [
        ['intent', null, c.action, c.userId, { rule: c.rule }],
        ['outcome', 'applied', c.action, c.userId, { rule: c.rule }],
      ]),
    );

    const rerun = await cli([...args, '--yes']);
    assert.equal(rerun.code, 0, rerun.errors.join('\n'));
    assert.ok(!planned.plan.changes.some((c) => rerun.out.includes(`${c.userDirectory}\\${c.userId}:`)), 'the changes made are not planned again');
  });

  it('apply exits non-zero when a change fails, saying what was and was not done', async () => {
    const file = await policyFile('fail.json', { upgrade: [{ when: { loginPassesAtLeast: 10, windowDays: 28 }, assign: 'user' }], maxChangesPerRun: 3, neverTouch: { flags: [] } });
    sim.fault({ method: 'POST', path: /^\/qrs\/license\/useraccesstype$/, status: 500, body: 'database unavailable', times: 1 });
    const r = await cli(['apply', '--config', files.configFile, '--connection', 'sim', '--policy', file, '--yes', '--data-dir', path.join(dir, 'fail-data')]);
    assert.equal(r.code, 3, r.out);
    assert.match(r.out, /^ {2}1 {2}FAILED +assign user {2}\S+: Not done: could not assign a user access pass to \S+\. The server answered POST \S+ with 500: database unavailable/m);
    assert.match(r.out, /\n0 done, 0 skipped, 1 failed, 2 not run\. The run stopped at the failed change; the changes after it were not run\.\n$/);
  });
});

describe('license-steward plan and apply: swaps on a user-based site', function () {
  this.timeout(60_000);
  let sim: QrsSimulator;
  let files: SimConnectionFiles;
  let dir: string;
  const { cli } = cliHarness(() => sim.clock.now());

  before(async () => {
    sim = await startQrsSimulator({ users: 300, seed: 7, now: NOW, licenseModel: 'userBased' });
    dir = await mkdtemp(path.join(tmpdir(), 'ls-cli-swap-'));
    files = await writeSimConnectionFiles(sim, dir);
  });
  after(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('plans swaps for professionals who only consume, applies them (analyzer first, then the release), audits both, and has nothing left to do after', async () => {
    const file = path.join(dir, 'swap.policy.json');
    await writeFile(file, JSON.stringify({ swap: [{ when: { kind: 'professional', onlyConsumesDays: 90 }, to: 'analyzer' }], maxChangesPerRun: 2, neverTouch: { flags: [] } }));
    const dataDir = path.join(dir, 'swap-data');
    const args = ['apply', '--config', files.configFile, '--connection', 'sim', '--policy', file, '--data-dir', dataDir];
    const analyzersBefore = sim.state.overview().analyzer.available;

    const planned = await cli(['plan', '--config', files.configFile, '--connection', 'sim', '--policy', file, '--format', 'json']);
    assert.equal(planned.code, 0, planned.errors.join('\n'));
    const plan = JSON.parse(planned.out) as PlanJson;
    assert.equal(plan.changes.length, 2);
    const since = NOW - 90 * DAY_MS;
    for (const c of plan.changes) {
      assert.deepEqual([c.action, c.fromKind, c.kind, c.rule, c.tokens], ['swap', 'professional', 'analyzer', 'swap[0]', 0]);
      assert.match(c.reason, /^professional access used \d{4}-\d\d-\d\d, but nothing authored in 90 days \(no app, sheet, story or bookmark created or modified since 2025-12-01\) → swap for an analyzer access \(takes 1 analyzer access, frees the professional access (at once|when its quarantine ends on \d{4}-\d\d-\d\d)\)$/);
      const user = sim.state.findUserByKey(c.userDirectory ?? '', c.userId);
      assert.ok(user && c.allocationId && sim.state.allocations.professional.get(c.allocationId)?.user === user);
      assert.ok(![...sim.state.apps, ...sim.state.appObjects].some((x) => x.owner === user && x.modifiedDate >= since), `${c.userId} authored nothing`);
    }
    assert.ok(plan.skipped.some((s) => s.category === 'cap'), 'more professionals only consume than the cap lets go');
    assert.deepEqual(plan.totals.seats.analyzer, { before: analyzersBefore, after: analyzersBefore - 2 });

    const table = await cli(['plan', '--config', files.configFile, '--connection', 'sim', '--policy', file]);
    assert.match(table.out, /\n1 {2}swap {4}professional→analyzer {2}CORP\\\S+ +swap\[0\] {2}professional access used /);
    assert.match(table.out, /\nprofessional access: \d+ available → \d+ after the plan\.\nanalyzer access: \d+ available → \d+ after the plan\.\n/);

    const run = await cli([...args, '--yes']);
    assert.equal(run.code, 0, run.errors.join('\n') + run.out);
    assert.match(run.out, /^ {2}1 {2}done {5}swap professional→analyzer {2}CORP\\\S+: Assigned an analyzer access to CORP\\\S+ \(allocation [0-9a-f-]+\)\. Revoked the professional access of /);
    for (const c of plan.changes) {
      const user = sim.state.findUserByKey(c.userDirectory ?? '', c.userId);
      assert.ok(sim.state.list('analyzer').some((a) => a.user === user && !a.quarantined), `${c.userId} holds an analyzer access`);
      const old = sim.state.allocations.professional.get(c.allocationId ?? '');
      assert.ok(old === undefined || old.quarantined, `${c.userId}'s professional access is released`);
    }
    assert.deepEqual(
      (await auditLog(dataDir, 'cli:sim')).map((e) => [e.phase, e.result ?? null, e.action, e.kind, e.user.userId, e.reason]),
      plan.changes.flatMap((c) => [
        ['intent', null, 'assign', 'analyzer', c.userId, { rule: 'swap[0]' }],
        ['outcome', 'applied', 'assign', 'analyzer', c.userId, { rule: 'swap[0]' }],
        ['intent', null, 'revoke', 'professional', c.userId, { rule: 'swap[0]' }],
        ['outcome', 'applied', 'revoke', 'professional', c.userId, { rule: 'swap[0]' }],
      ]),
    );

    const rerun = JSON.parse((await cli([...args, '--format', 'json'])).out) as { plan: PlanJson };
    assert.ok(!rerun.plan.changes.some((c) => plan.changes.some((d) => d.userId === c.userId)), 'the swapped users are not planned again');
  });
});

describe('license-steward apply on a Qlik Cloud tenant', function () {
  this.timeout(60_000);
  let sim: CloudSimulator;
  let dir: string;
  let config: string;
  let env: Record<string, string>;
  const { cli } = cliHarness(() => sim.clock.now());
  const ADD = /\/api\/v1\/licenses\/assignments\/actions\/add$/;
  const DELETE = /\/api\/v1\/licenses\/assignments\/actions\/delete$/;

  // Each test changes the tenant: a fresh one each time.
  beforeEach(async () => {
    sim = await startCloudSimulator({ users: 200, seed: 5, now: NOW });
    dir = await mkdtemp(path.join(tmpdir(), 'ls-cli-cloud-plan-'));
    const files = await writeSimSecretConnectionFile(dir, { name: 'tenant', kind: 'cloud', url: sim.url, auth: { mode: 'apiKey' } }, sim.certificates.ca, sim.apiKey);
    config = files.configFile;
    env = { [files.secretEnv.name]: files.secretEnv.value };
  });
  afterEach(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Plans releases of long-idle analyzer licenses, then upgrades of heavy capacity users: at least one of each and two upgrades. */
  async function planned(): Promise<{ args: string[]; dataDir: string; plan: PlanJson; releases: number }> {
    const file = path.join(dir, 'policy.json');
    await writeFile(
      file,
      JSON.stringify({
        release: [{ when: { unusedDays: 800 }, revoke: ['analyzer'] }],
        upgrade: [{ when: { capacityMinutesAtLeast: 600, windowDays: 28 }, assign: 'analyzer' }],
        maxChangesPerRun: 6,
        neverTouch: { flags: [] },
      }),
    );
    sim.state.setAllotmentUnits('analyzer', sim.state.assignments.filter((a) => a.type === 'analyzer').length + 5);
    const dataDir = path.join(dir, 'data');
    const args = ['apply', '--config', config, '--connection', 'tenant', '--policy', file, '--data-dir', dataDir];
    const plan = (JSON.parse((await cli([...args, '--format', 'json'], { env })).out) as { plan: PlanJson }).plan;
    const actions = plan.changes.map((c) => c.action);
    const releases = actions.indexOf('assign');
    assert.ok(releases > 0 && actions.length > releases + 1, `releases first, then at least two assigns: ${actions.join(', ')}`);
    assert.deepEqual(actions, [...Array<string>(releases).fill('revoke'), ...Array<string>(actions.length - releases).fill('assign')]);
    return { args, dataDir, plan, releases };
  }

  async function auditOf(dataDir: string): Promise<unknown[][]> {
    return (await auditLog(dataDir, 'cli:tenant')).map((e) => [e.phase, e.result ?? null, e.action, e.user.userId]);
  }

  const writes = (route: RegExp) => sim.requests.filter((r) => r.method === 'POST' && route.test(r.path)).length;

  it('sends the releases in one request and the assignments in another; a row refused there (LICENSES-011) is reported with its code while the others stand', async () => {
    const { args, dataDir, plan, releases } = await planned();
    const before = { add: writes(ADD), delete: writes(DELETE) };
    // Another admin takes a seat while the assignments are on their way: one fewer fits than planned.
    sim.fault({ method: 'POST', path: ADD, delayMs: 300, times: 1 });
    const running = cli([...args, '--yes', '--format', 'json'], { env });
    while (writes(ADD) === before.add) {
      await delay(10);
    }
    const used = sim.state.assignments.filter((a) => a.type === 'analyzer').length;
    sim.state.setAllotmentUnits('analyzer', used + (plan.changes.length - releases) - 1);

    const r = await running;
    assert.equal(r.code, 3, r.errors.join('\n'));
    assert.deepEqual({ add: writes(ADD) - before.add, delete: writes(DELETE) - before.delete }, { add: 1, delete: 1 }, 'one request per batch');
    const report = JSON.parse(r.out) as { plan: PlanJson; results: { status: string; action: string; userId: string; detail: string }[] };
    assert.deepEqual(report.plan.changes, plan.changes, 'apply planned the same changes again');
    const last = plan.changes.length - 1;
    assert.deepEqual(
      report.results.map((x) => x.status),
      plan.changes.map((_, i) => (i === last ? 'failed' : 'done')),
    );
    assert.match(report.results[last]?.detail ?? '', /LICENSES-011/);
    for (const c of plan.changes.slice(0, releases)) {
      assert.equal(sim.state.assignments.some((a) => a.subject === c.userId), false, `${c.userId} was released`);
    }
    plan.changes.slice(releases).forEach((c, i, assigns) => {
      assert.equal(sim.state.assignments.some((a) => a.subject === c.userId && a.type === 'analyzer'), i < assigns.length - 1, `${c.userId}: assigned unless refused`);
    });
    assert.deepEqual(await auditOf(dataDir), [
      ...plan.changes.slice(0, releases).map((c) => ['intent', null, c.action, c.userId]),
      ...plan.changes.slice(0, releases).map((c) => ['outcome', 'applied', c.action, c.userId]),
      ...plan.changes.slice(releases).map((c) => ['intent', null, c.action, c.userId]),
      ...plan.changes.slice(releases).map((c, i) => ['outcome', i === last - releases ? 'notApplied' : 'applied', c.action, c.userId]),
    ]);
  });

  it('stops after a request whose answer was lost: its rows are read back and reported, and the next batch is not sent', async () => {
    const { args, dataDir, plan, releases } = await planned();
    const before = sim.state.assignments.map((a) => `${a.subject}:${a.type}`).sort();
    const adds = writes(ADD);
    // The connection drops before the tenant handled the removals: reading back shows none made.
    sim.fault({ method: 'POST', path: DELETE, drop: true, times: 1 });

    const r = await cli([...args, '--yes', '--format', 'json'], { env });
    // A lost connection is the connection's failure (exit 2), whatever reading back then showed.
    assert.equal(r.code, 2, r.errors.join('\n'));
    const report = JSON.parse(r.out) as { results: { status: string; detail: string | null }[] };
    assert.deepEqual(
      report.results.map((x) => x.status),
      plan.changes.map((_, i) => (i < releases ? 'failed' : 'notRun')),
    );
    assert.equal(writes(ADD), adds, 'no assignment was sent');
    assert.deepEqual(sim.state.assignments.map((a) => `${a.subject}:${a.type}`).sort(), before);
    assert.deepEqual(await auditOf(dataDir), [
      ...plan.changes.slice(0, releases).map((c) => ['intent', null, c.action, c.userId]),
      ...plan.changes.slice(0, releases).map((c) => ['outcome', 'notApplied', c.action, c.userId]),
    ]);
  });
});
