import { strict as assert } from 'node:assert';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { AuditEntry, AuditResult } from '../../src/core/historyAudit';
import { DAY_MS } from '../../src/core/model';
import type { SimAllocation, SimUser } from '../../src/sim/qrs/qrsSimState';
import { readCliAudit } from './auditFile';
import { runCliProcess, startCli, type CliResult } from './cliProcess';
import type { ProxyRecord } from './faultProxy';
import { startFaultSite, type FaultSite, type SiteConfigJson } from './faultSite';
import { rawQrsCall } from './rawQrsCall';
import { useBuiltCli } from './useBuiltCli';

/**
 * "Truthful writes", as users meet it: the built CLI assigns, revokes and reinstates through a
 * fault-injecting proxy in front of the QRS simulator. A write is sent once; after any answer
 * but a clean 2xx (or none) the CLI reads the user's allocations back and says applied (exit 0,
 * saying the answer was not clean), not applied (exit by cause) or outcome unknown (exit 4);
 * only a "not processed, retry after" answer earns one repeat, after waiting and reading back.
 * The audit log gets an intent line before the request and an outcome line after it.
 *
 * Each test checks the exit code and wording, the simulator's real state, how many write
 * requests reached the proxy (a blind repeat would show as a second one) and the audit lines.
 */

/** The allocation endpoint: POST creates; the previewcreateprivilege POST is not this path. */
const ALLOCATE = /^\/qrs\/license\/useraccesstype$/;
/** One allocation: DELETE revokes, PUT reinstates, GET reads it back. */
const ONE_ALLOCATION = /^\/qrs\/license\/useraccesstype\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The list an assignment is read back from (filtered by the user). */
const ALLOCATION_LIST = /^\/qrs\/license\/useraccesstype\/full$/;
const WRITE_METHODS = new Set(['POST', 'PUT', 'DELETE']);
const QMC_PAGE = 'License management > User allocations';

/** Writes to the user access allocations (what a blind repeat would double). */
function writesSince(site: FaultSite, since: number): ProxyRecord[] {
  return site.proxy.seen.slice(since).filter((r) => WRITE_METHODS.has(r.method) && (ALLOCATE.test(r.path) || ONE_ALLOCATION.test(r.path)));
}

/** GETs of the user's allocations that came after `write`: the read-back. */
function assignReadBacks(site: FaultSite, after: ProxyRecord, user: SimUser): ProxyRecord[] {
  return site.proxy.seen.filter((r) => r.seq > after.seq && r.method === 'GET' && ALLOCATION_LIST.test(r.path) && (r.query['filter'] ?? '').includes(user.userId));
}

/** GETs of one allocation that came after `write`: the read-back of a revoke or reinstate. */
function allocationReadBacks(site: FaultSite, after: ProxyRecord): ProxyRecord[] {
  return site.proxy.seen.filter((r) => r.seq > after.seq && r.method === 'GET' && r.path === after.path);
}

function passesOf(site: FaultSite, user: SimUser): SimAllocation[] {
  return site.sim.state.list('user').filter((a) => a.user.id === user.id);
}

/** The one allocation the user holds; fails when there are none or two. */
function onlyPassOf(site: FaultSite, user: SimUser): SimAllocation {
  const held = passesOf(site, user);
  assert.equal(held.length, 1, `exactly one user access pass for ${user.userId}, not ${held.length}`);
  return held[0]!;
}

function show(r: CliResult): string {
  return `exit ${r.code} (signal ${r.signal})\n--- stdout ---\n${r.out}\n--- stderr ---\n${r.err}`;
}

/** `DIR\id` as a regular expression, for messages that quote it. */
function keyPattern(u: SimUser): string {
  return `${u.userDirectory}\\\\${u.userId}`;
}

interface Audited {
  readonly intent: AuditEntry;
  readonly outcome: AuditEntry;
}

/**
 * The test's data directory holds exactly one change: an intent before `write` reached the proxy
 * and an outcome after the last request, sharing a changeId.
 */
async function assertAuditedOnce(
  dataDir: string,
  expected: { readonly action: AuditEntry['action']; readonly user: SimUser; readonly result: AuditResult; readonly write: ProxyRecord; readonly last: ProxyRecord },
): Promise<Audited> {
  const lines = await readCliAudit(dataDir);
  assert.equal(lines.length, 2, `an intent and an outcome line:\n${JSON.stringify(lines, null, 2)}`);
  const [intent, outcome] = lines as [AuditEntry, AuditEntry];
  for (const line of [intent, outcome]) {
    assert.equal(line.action, expected.action);
    assert.equal(line.kind, 'user');
    assert.equal(line.connection, 'sim');
    assert.equal(line.reason, 'manual');
    assert.deepEqual([line.user.directory, line.user.userId, line.user.id], [expected.user.userDirectory, expected.user.userId, expected.user.id]);
  }
  assert.equal(intent.phase, 'intent');
  assert.equal(intent.outcome, 'requested');
  assert.equal(intent.result, undefined);
  assert.equal(typeof intent.changeId, 'string');
  assert.ok(intent.changeId!.length > 0);
  assert.equal(outcome.phase, 'outcome');
  assert.equal(outcome.changeId, intent.changeId, 'the outcome answers the intent');
  assert.equal(outcome.result, expected.result);
  assert.ok(intent.at <= expected.write.at, `the intent (${intent.at}) was written before the request reached the server (${expected.write.at})`);
  assert.ok(outcome.at >= expected.last.at, `the outcome (${outcome.at}) was written after the last request (${expected.last.at})`);
  return { intent, outcome };
}

describe('truthful writes: the CLI through a fault proxy', function () {
  this.timeout(60_000);
  useBuiltCli();

  let site: FaultSite;
  /** The same connections with a 1 s timeout, for answers that never come. */
  let shortTimeoutConfig: string;
  const taken = new Set<string>();
  let runs = 0;

  before(async () => {
    site = await startFaultSite({ users: 300, seed: 11 });
    const config = JSON.parse(await readFile(site.configFile, 'utf8')) as SiteConfigJson;
    for (const c of config.connections) {
      c['timeoutSeconds'] = 1;
    }
    // Next to license-steward.json, so the PEM paths in it resolve the same way.
    shortTimeoutConfig = path.join(path.dirname(site.configFile), 'short-timeout.json');
    await writeFile(shortTimeoutConfig, JSON.stringify(config, null, 2) + '\n');
  });
  after(async () => {
    await site?.close();
  });
  afterEach(() => {
    site.proxy.clearRules();
    assert.deepEqual(site.sim.violations, [], 'every request and answer kept to the QRS contract');
  });

  /** A CORP user holding no user access pass and not used by another test, and a fresh data directory. */
  async function arrange(): Promise<{ user: SimUser; key: string; dataDir: string; since: number }> {
    const holders = new Set(site.sim.state.list('user').map((a) => a.user.id));
    const user = site.sim.state.users.find((u) => u.userDirectory === 'CORP' && !u.deleted && !holders.has(u.id) && !taken.has(u.id) && u.userId !== 'admin' && u.name !== u.userId);
    assert.ok(user, 'a CORP user without a user access pass');
    taken.add(user.id);
    // One data directory per test: its audit log holds this test's lines only.
    const dataDir = path.join(site.dir, `data-${++runs}`);
    await mkdir(dataDir, { recursive: true });
    return { user, key: `${user.userDirectory}\\${user.userId}`, dataDir, since: site.proxy.seen.length };
  }

  function passArgs(action: 'assign' | 'revoke' | 'reinstate', key: string, dataDir: string, configFile = site.configFile): string[] {
    return [action, '--config', configFile, '--connection', 'sim', '--user', key, '--yes', '--data-dir', dataDir];
  }

  /** Gives the user a pass straight in the simulator's state, as if assigned long ago. */
  function givePass(user: SimUser): SimAllocation {
    return site.sim.state.allocate('user', user.id, 'INTERNAL\\sa_repository');
  }

  describe('assign', () => {
    it('a POST applied and then answered 502 is reported applied (exit 0), never sent twice, and audited as applied with the answer', async () => {
      const { user, key, dataDir, since } = await arrange();
      site.proxy.rule({ method: 'POST', path: ALLOCATE, afterUpstream: { status: 502, body: 'Bad Gateway' } });

      const r = await runCliProcess(passArgs('assign', key, dataDir), { env: site.env });

      assert.equal(r.code, 0, show(r));
      const held = onlyPassOf(site, user);
      assert.match(
        r.out,
        new RegExp(
          `^Assigned a user access pass to .*\\(${keyPattern(user)}\\) \\(allocation ${held.id}\\)\\. The server's answer was not clean \\(The server answered POST /qrs/license/useraccesstype\\S* with 502: Bad Gateway\\), but reading back shows the change was made\\.\\n$`,
        ),
        show(r),
      );
      assert.doesNotMatch(r.err, /error:/, show(r));
      const writes = writesSince(site, since);
      assert.equal(writes.length, 1, 'one POST, never repeated');
      const [post] = writes as [ProxyRecord];
      assert.deepEqual([post.method, post.forwarded, post.upstreamStatus, post.status], ['POST', true, 201, 502]);
      const readBacks = assignReadBacks(site, post, user);
      assert.ok(readBacks.length >= 1, 'the allocations were read back after the 502');
      const { outcome } = await assertAuditedOnce(dataDir, { action: 'assign', user, result: 'applied', write: post, last: readBacks[readBacks.length - 1]! });
      assert.equal(outcome.outcome, `assigned (allocation ${held.id})`);
      assert.match(outcome.serverAnswer ?? '', /with 502: Bad Gateway/);
    });

    it('a POST applied and then cut off by a connection reset is reported applied', async () => {
      const { user, key, dataDir, since } = await arrange();
      site.proxy.rule({ method: 'POST', path: ALLOCATE, resetAfterUpstream: true });

      const r = await runCliProcess(passArgs('assign', key, dataDir), { env: site.env });

      assert.equal(r.code, 0, show(r));
      const held = onlyPassOf(site, user);
      assert.match(r.out, new RegExp(`^Assigned a user access pass to .*\\(allocation ${held.id}\\)\\. The server's answer was not clean \\(.+\\), but reading back shows the change was made\\.\\n$`), show(r));
      assert.match(r.out, /not clean \(The connection to localhost:\d+ failed during POST \/qrs\/license\/useraccesstype/, show(r));
      const writes = writesSince(site, since);
      assert.equal(writes.length, 1, 'one POST, never repeated');
      const [post] = writes as [ProxyRecord];
      assert.deepEqual([post.forwarded, post.upstreamStatus, post.status], [true, 201, 'reset']);
      const readBacks = assignReadBacks(site, post, user);
      assert.ok(readBacks.length >= 1, 'the allocations were read back after the reset');
      const { outcome } = await assertAuditedOnce(dataDir, { action: 'assign', user, result: 'applied', write: post, last: readBacks[readBacks.length - 1]! });
      assert.equal(outcome.outcome, `assigned (allocation ${held.id})`);
      assert.match(outcome.serverAnswer ?? '', /failed during POST \/qrs\/license\/useraccesstype/);
    });

    it('a POST applied and then never answered (timeout) is reported applied', async () => {
      const { user, key, dataDir, since } = await arrange();
      site.proxy.rule({ method: 'POST', path: ALLOCATE, hangAfterUpstream: true });

      const r = await runCliProcess(passArgs('assign', key, dataDir, shortTimeoutConfig), { env: site.env });

      assert.equal(r.code, 0, show(r));
      const held = onlyPassOf(site, user);
      assert.match(
        r.out,
        new RegExp(
          `^Assigned a user access pass to .*\\(allocation ${held.id}\\)\\. The server's answer was not clean \\(localhost:\\d+ did not answer POST /qrs/license/useraccesstype\\S* within 1000 ms\\..*\\), but reading back shows the change was made\\.\\n$`,
        ),
        show(r),
      );
      const writes = writesSince(site, since);
      assert.equal(writes.length, 1, 'one POST, never repeated');
      const [post] = writes as [ProxyRecord];
      assert.equal(post.forwarded, true);
      assert.equal(post.upstreamStatus, 201);
      assert.ok(post.status === 'hang' || post.status === 'aborted', `left unanswered (${post.status})`);
      const readBacks = assignReadBacks(site, post, user);
      assert.ok(readBacks.length >= 1, 'the allocations were read back after the timeout');
      const { outcome } = await assertAuditedOnce(dataDir, { action: 'assign', user, result: 'applied', write: post, last: readBacks[readBacks.length - 1]! });
      assert.match(outcome.serverAnswer ?? '', /did not answer POST \/qrs\/license\/useraccesstype\S* within 1000 ms/);
    });

    it('a 503 "not processed" with Retry-After: 1 is read back, waited out and sent exactly once more', async () => {
      const { user, key, dataDir, since } = await arrange();
      site.proxy.rule({ method: 'POST', path: ALLOCATE, answer: { status: 503, headers: { 'Retry-After': '1' } } });

      const r = await runCliProcess(passArgs('assign', key, dataDir), { env: site.env });

      assert.equal(r.code, 0, show(r));
      const held = onlyPassOf(site, user);
      assert.match(r.out, new RegExp(`^Assigned a user access pass to .*\\(${keyPattern(user)}\\) \\(allocation ${held.id}\\)\\.`), show(r));
      const writes = writesSince(site, since);
      assert.equal(writes.length, 2, 'the refused POST and its one repeat');
      const [first, second] = writes as [ProxyRecord, ProxyRecord];
      assert.deepEqual([first.forwarded, first.status], [false, 503], 'the first never reached the simulator');
      assert.deepEqual([second.forwarded, second.upstreamStatus, second.status], [true, 201, 201]);
      const gap = second.at - first.at;
      assert.ok(gap >= 900 && gap < 5_000, `the repeat waited out Retry-After: 1 (${gap} ms between the POSTs)`);
      // Not blind: the state was read between the two, so a 503 that had been applied is not doubled.
      const between = assignReadBacks(site, first, user).filter((g) => g.seq < second.seq);
      assert.ok(between.length >= 1, 'the allocations were read back before repeating');
      const readBacks = assignReadBacks(site, first, user);
      const { outcome } = await assertAuditedOnce(dataDir, { action: 'assign', user, result: 'applied', write: first, last: readBacks[readBacks.length - 1] ?? second });
      assert.equal(outcome.outcome, `assigned (allocation ${held.id})`);
      // The admin and the auditor learn that the server refused once and the change was repeated.
      assert.match(r.out, /The server first answered that it did not process it \(The server answered POST \S+ with 503 \(the server asks to be tried again after [^)]+\)[^)]*\); reading back agreed, so it was sent once more after the wait the server asked for\./, show(r));
      assert.match(outcome.serverAnswer ?? '', /^first: The server answered POST \S+ with 503 .*\(not applied; sent again\)$/);
    });

    it('a 429 with Retry-After twice is not applied after exactly one repeat (exit 3)', async () => {
      const { user, key, dataDir, since } = await arrange();
      site.proxy.rule({ method: 'POST', path: ALLOCATE, times: 2, answer: { status: 429, body: 'Too Many Requests', headers: { 'Retry-After': '1' } } });

      const r = await runCliProcess(passArgs('assign', key, dataDir), { env: site.env });

      // Exit 3, not 2: a 429 becomes a ServerError of kind 'server' (only 502/503/504 count as
      // the connection failing, core/errors), NotAppliedError takes its cause's kind, and
      // cliErrors maps 'server' to EXIT.refused = 3: the server answered and turned it down.
      assert.equal(r.code, 3, show(r));
      assert.equal(r.out, '', show(r));
      assert.match(
        r.err,
        new RegExp(
          `error: Not done: could not assign a user access pass to ${keyPattern(user)}\\. The server answered POST /qrs/license/useraccesstype\\S* with 429 \\(the server asks to be tried again after [^)]+\\): Too Many Requests \\(The server was asked afterwards: the change is not there\\.\\)`,
        ),
        show(r),
      );
      assert.equal(passesOf(site, user).length, 0, 'no allocation');
      const writes = writesSince(site, since);
      assert.equal(writes.length, 2, 'the POST and exactly one repeat, no third');
      const [first, second] = writes as [ProxyRecord, ProxyRecord];
      assert.deepEqual([first.forwarded, first.status, second.forwarded, second.status], [false, 429, false, 429]);
      assert.ok(second.at - first.at >= 900, `the repeat waited out Retry-After: 1 (${second.at - first.at} ms)`);
      assert.ok(assignReadBacks(site, first, user).some((g) => g.seq < second.seq), 'read back before the repeat');
      const after = assignReadBacks(site, second, user);
      assert.ok(after.length >= 1, 'read back after the repeat');
      const { outcome } = await assertAuditedOnce(dataDir, { action: 'assign', user, result: 'notApplied', write: first, last: after[after.length - 1]! });
      assert.equal(outcome.outcome, 'not applied');
      assert.match(outcome.serverAnswer ?? '', /with 429 .*Too Many Requests/);
    });

    it('a 500 answered without forwarding is not applied (exit 3), audited notApplied with the answer', async () => {
      const { user, key, dataDir, since } = await arrange();
      site.proxy.rule({ method: 'POST', path: ALLOCATE, answer: { status: 500, body: 'Repository error: deadlock victim' } });

      const r = await runCliProcess(passArgs('assign', key, dataDir), { env: site.env });

      assert.equal(r.code, 3, show(r));
      assert.equal(r.out, '', show(r));
      assert.match(
        r.err,
        new RegExp(
          `error: Not done: could not assign a user access pass to ${keyPattern(user)}\\. The server answered POST /qrs/license/useraccesstype\\S* with 500: Repository error: deadlock victim \\(The server was asked afterwards: the change is not there\\.\\)`,
        ),
        show(r),
      );
      assert.equal(passesOf(site, user).length, 0, 'no allocation');
      const writes = writesSince(site, since);
      assert.equal(writes.length, 1, 'one POST: a 500 without Retry-After is never repeated');
      const [post] = writes as [ProxyRecord];
      assert.deepEqual([post.forwarded, post.status], [false, 500]);
      const readBacks = assignReadBacks(site, post, user);
      assert.ok(readBacks.length >= 1, 'the allocations were read back after the 500');
      const { outcome } = await assertAuditedOnce(dataDir, { action: 'assign', user, result: 'notApplied', write: post, last: readBacks[readBacks.length - 1]! });
      assert.equal(outcome.outcome, 'not applied');
      assert.match(outcome.serverAnswer ?? '', /with 500: Repository error: deadlock victim/);
    });

    it('applied, reset, and every read-back failing: outcome unknown (exit 4) says what to check; rank then shows the pass', async () => {
      const { user, key, dataDir, since } = await arrange();
      const postSeen = (): boolean => site.proxy.seen.some((r) => r.seq > since && r.method === 'POST' && ALLOCATE.test(r.path));
      site.proxy.rule({ method: 'POST', path: ALLOCATE, resetAfterUpstream: true });
      // Only reads after the POST: the CLI's own look before it (does the user hold one?) must pass.
      const reads = site.proxy.rule({
        method: 'GET',
        path: ALLOCATION_LIST,
        when: postSeen,
        times: Infinity,
        answer: { status: 500, body: 'read-back refused by the fault proxy' },
        label: 'read-back 500',
      });

      const r = await runCliProcess(passArgs('assign', key, dataDir), { env: site.env });

      assert.equal(r.code, 4, show(r));
      assert.equal(r.out, '', show(r));
      assert.match(
        r.err,
        new RegExp(
          `error: Outcome unknown: the request to assign a user access pass to ${keyPattern(user)} may or may not have been applied\\. ` +
            // The quoted answers carry no full stop of their own; tolerate one being added between them.
            `The request got: The connection to localhost:\\d+ failed during POST /qrs/license/useraccesstype.*?\\.? ` +
            `Reading the state back failed too: The server answered GET /qrs/license/useraccesstype/full\\?filter=.* with 500: read-back refused by the fault proxy\\.? ` +
            `Check in the QMC \\(${QMC_PAGE}\\) whether ${keyPattern(user)} holds a user access pass, or sync, before trying again: repeating it blindly could allocate a second pass\\.`,
        ),
        show(r),
      );
      const held = onlyPassOf(site, user);
      const writes = writesSince(site, since);
      assert.equal(writes.length, 1, 'one POST, never repeated');
      const [post] = writes as [ProxyRecord];
      assert.deepEqual([post.forwarded, post.upstreamStatus, post.status], [true, 201, 'reset']);
      const readBacks = assignReadBacks(site, post, user);
      assert.ok(readBacks.length >= 1 && reads.fired === readBacks.length, `every read-back hit the 500 rule (${reads.fired} of ${readBacks.length})`);
      assert.ok(readBacks.every((g) => g.status === 500 && !g.forwarded));
      const { outcome } = await assertAuditedOnce(dataDir, { action: 'assign', user, result: 'unknown', write: post, last: readBacks[readBacks.length - 1]! });
      assert.equal(outcome.outcome, 'outcome unknown');
      assert.match(outcome.serverAnswer ?? '', /failed during POST \/qrs\/license\/useraccesstype/);

      // What the message tells the admin to do, done: the pass is there after all.
      site.proxy.clearRules();
      const rank = await runCliProcess(site.cliArgs('rank', 'sim', '--format', 'json', '--window-days', '3650'), { env: site.env });
      assert.equal(rank.code, 0, show(rank));
      const row = rank.json<{ userDirectory: string; userId: string; allocation: { kind: string; id: string; quarantined: boolean } | null }[]>().find(
        (x) => x.userDirectory === user.userDirectory && x.userId === user.userId,
      );
      assert.ok(row, `${key} is in the ranking`);
      assert.deepEqual(row.allocation && [row.allocation.kind, row.allocation.id, row.allocation.quarantined], ['user', held.id, false]);
    });
  });

  describe('revoke', () => {
    it('a DELETE applied and then answered 502 is reported applied (the token freed), exit 0, audited applied', async () => {
      const { user, key, dataDir, since } = await arrange();
      const pass = givePass(user);
      site.proxy.rule({ method: 'DELETE', path: ONE_ALLOCATION, afterUpstream: { status: 502, body: 'Bad Gateway' } });

      const r = await runCliProcess(passArgs('revoke', key, dataDir), { env: site.env });

      assert.equal(r.code, 0, show(r));
      assert.match(
        r.out,
        new RegExp(
          `^Revoked the user access pass of .*\\(${keyPattern(user)}\\); the token is freed\\. The server's answer was not clean \\(The server answered DELETE /qrs/license/useraccesstype/${pass.id}\\S* with 502: Bad Gateway\\), but reading back shows the change was made\\.\\n$`,
        ),
        show(r),
      );
      assert.equal(passesOf(site, user).length, 0, 'the pass is gone');
      const writes = writesSince(site, since);
      assert.equal(writes.length, 1, 'one DELETE, never repeated');
      const [del] = writes as [ProxyRecord];
      assert.deepEqual([del.method, del.path, del.forwarded, del.upstreamStatus, del.status], ['DELETE', `/qrs/license/useraccesstype/${pass.id}`, true, 204, 502]);
      const readBacks = allocationReadBacks(site, del);
      assert.ok(readBacks.length >= 1 && readBacks.every((g) => g.status === 404), 'read back: the allocation is gone (404)');
      const { outcome } = await assertAuditedOnce(dataDir, { action: 'revoke', user, result: 'applied', write: del, last: readBacks[readBacks.length - 1]! });
      assert.equal(outcome.outcome, 'revoked; freed');
      assert.match(outcome.serverAnswer ?? '', /with 502: Bad Gateway/);
    });
  });

  describe('reinstate', () => {
    it('a PUT answered 200 that the server did not carry out: exit 3, "this server did not reinstate it", the QMC way, audited notApplied', async () => {
      const { user, key, dataDir, since } = await arrange();
      // A pass used a day ago and then revoked: quarantined for six more days.
      const pass = givePass(user);
      pass.lastUsed = site.sim.state.now() - DAY_MS;
      assert.equal(site.sim.state.revoke('user', pass.id, 'INTERNAL\\sa_repository'), 'quarantined');
      // What a server that reinstated it would answer: the allocation, no longer quarantined.
      const current = (await rawQrsCall(site.sim, 'GET', `/qrs/license/useraccesstype/${pass.id}`)).json<Record<string, unknown>>();
      const plausible = { ...current, quarantined: false, quarantineEnd: '1753-01-01T00:00:00.000Z', modifiedDate: new Date().toISOString() };
      site.proxy.rule({ method: 'PUT', path: ONE_ALLOCATION, answer: { status: 200, body: plausible } });

      const r = await runCliProcess(passArgs('reinstate', key, dataDir), { env: site.env });

      assert.equal(r.code, 3, show(r));
      assert.equal(r.out, '', show(r));
      assert.match(
        r.err,
        new RegExp(
          `error: This server accepted the request to reinstate the user access pass of ${keyPattern(user)} but the pass is still quarantined: it did not reinstate it\\. ` +
            `Reinstate it in the QMC instead: ${QMC_PAGE}, select the pass, then Reinstate\\.`,
        ),
        show(r),
      );
      const still = onlyPassOf(site, user);
      assert.deepEqual([still.id, still.quarantined], [pass.id, true], 'still quarantined');
      const writes = writesSince(site, since);
      assert.equal(writes.length, 1, 'one PUT, never repeated');
      const [put] = writes as [ProxyRecord];
      assert.deepEqual([put.method, put.path, put.forwarded, put.status], ['PUT', `/qrs/license/useraccesstype/${pass.id}`, false, 200]);
      const readBacks = allocationReadBacks(site, put);
      assert.ok(readBacks.length >= 1 && readBacks.every((g) => g.status === 200), 'the pass was read back after the 200');
      const { outcome } = await assertAuditedOnce(dataDir, { action: 'reinstate', user, result: 'notApplied', write: put, last: readBacks[readBacks.length - 1]! });
      assert.equal(outcome.outcome, 'not applied');
    });
  });

  describe('interrupted mid-write', () => {
    it('a crash (SIGKILL) between intent and outcome leaves the intent in the audit log, with no outcome', async () => {
      const { user, key, dataDir, since } = await arrange();
      site.proxy.rule({ method: 'POST', path: ALLOCATE, hangAfterUpstream: true });

      // The default 30 s timeout: the CLI is still waiting for the answer when it dies.
      const run = startCli(passArgs('assign', key, dataDir), { env: site.env });
      const post = await site.proxy.waitFor((x) => x.method === 'POST' && ALLOCATE.test(x.path) && x.status === 'hang', { since, timeoutMs: 20_000 });
      run.kill('SIGKILL');
      const r = await run.done;

      assert.deepEqual([r.code, r.signal], [null, 'SIGKILL'], show(r));
      assert.doesNotMatch(r.out, /Assigned/);
      // The change was made: exactly what the dangling intent tells an auditor to go and check.
      onlyPassOf(site, user);
      assert.equal(writesSince(site, since).length, 1);
      const lines = await readCliAudit(dataDir);
      assert.equal(lines.length, 1, `only the intent:\n${JSON.stringify(lines, null, 2)}`);
      const [intent] = lines as [AuditEntry];
      assert.deepEqual([intent.phase, intent.action, intent.outcome, intent.user.userId], ['intent', 'assign', 'requested', user.userId]);
      assert.equal(typeof intent.changeId, 'string');
      assert.ok(intent.at <= post.at, 'written before the request');
      assert.ok(!lines.some((l) => l.phase === 'outcome' && l.changeId === intent.changeId), 'no outcome for it');
    });

    it('Ctrl+C (SIGINT) while an applied write hangs: reads back anyway, prints the outcome, exits 130, audits both lines', async () => {
      const { user, key, dataDir, since } = await arrange();
      site.proxy.rule({ method: 'POST', path: ALLOCATE, hangAfterUpstream: true });

      const run = startCli(passArgs('assign', key, dataDir), { env: site.env });
      const post = await site.proxy.waitFor((x) => x.method === 'POST' && ALLOCATE.test(x.path) && x.status === 'hang', { since, timeoutMs: 20_000 });
      run.kill('SIGINT');
      const r = await run.done;

      // The outcome is known (applied), so the exit says "interrupted" as shells expect; had the
      // read-back failed it would be 4 (runCli keeps "outcome unknown" over the signal).
      assert.equal(r.code, 130, show(r));
      const held = onlyPassOf(site, user);
      assert.match(
        r.out,
        new RegExp(
          `^Assigned a user access pass to .*\\(allocation ${held.id}\\)\\. The server's answer was not clean \\(Cancelled: POST /qrs/license/useraccesstype\\S*\\.\\), but reading back shows the change was made\\.\\n$`,
        ),
        show(r),
      );
      assert.match(r.err, /stopped by Ctrl\+C \(SIGINT\)\./, show(r));
      assert.equal(writesSince(site, since).length, 1, 'one POST, never repeated');
      // Read back without the aborted signal: the GET went out after the Ctrl+C and was answered.
      const readBacks = assignReadBacks(site, post, user);
      assert.ok(readBacks.length >= 1 && readBacks.every((g) => g.status === 200), 'read back after the Ctrl+C');
      const { outcome } = await assertAuditedOnce(dataDir, { action: 'assign', user, result: 'applied', write: post, last: readBacks[readBacks.length - 1]! });
      assert.equal(outcome.outcome, `assigned (allocation ${held.id})`);
      assert.match(outcome.serverAnswer ?? '', /^Cancelled: POST \/qrs\/license\/useraccesstype/);
    });
  });
});
