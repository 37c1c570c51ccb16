import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import type { SimUser } from '../../src/sim/qrs/qrsSimState';
import { useBuiltCli } from './useBuiltCli';
import { pipeCli, runCliProcess, startCli } from './cliProcess';
import { startFaultSite, type FaultSite } from './faultSite';
import { headReader, slowJsonReader, type HeadReaderReport, type JsonReaderReport } from './pipeReaders';
import { rawQrsCall } from './rawQrsCall';

/**
 * Self-tests of the fault suite's machinery: the proxy is transparent when it has no rules, each
 * rule does what it says to the client and to the simulator, and the CLI process helpers run the
 * real binary. Product behaviour under faults is tested elsewhere, on top of this.
 */

const ALLOCATE = /^\/qrs\/license\/useraccesstype$/;
const YEAR_MS = 365 * 86_400_000;

/**
 * The CLI ranks by its own clock, so two runs seconds apart can differ when a login pass crosses
 * the window's edge meanwhile. The site's data ends a year ago and the window spans ten years:
 * no record is near an edge, and every run of the same data ranks the same.
 */
const STABLE_WINDOW = ['--format', 'json', '--window-days', '3650'];

/** A CORP user holding no user access pass, not chosen before in this run. */
function freeUser(site: FaultSite, taken: Set<string>): SimUser {
  const holders = new Set(site.sim.state.list('user').map((a) => a.user.id));
  const u = site.sim.state.users.find((x) => x.userDirectory === 'CORP' && !x.deleted && !holders.has(x.id) && !taken.has(x.id));
  assert.ok(u, 'a CORP user without a user access pass');
  taken.add(u.id);
  return u;
}

function allocationBody(u: SimUser): unknown {
  return { user: { id: u.id, userId: u.userId, userDirectory: u.userDirectory, name: u.name } };
}

function holdsUserPass(site: FaultSite, u: SimUser): boolean {
  return site.sim.state.list('user').some((a) => a.user.id === u.id);
}

describe('fault proxy machinery (self-test)', function () {
  this.timeout(60_000);
  useBuiltCli();

  describe('on a 300-user site', () => {
    let site: FaultSite;
    const taken = new Set<string>();

    before(async () => {
      site = await startFaultSite({ users: 300, seed: 7, now: Date.now() - YEAR_MS });
    });
    after(async () => {
      await site?.close();
    });
    afterEach(() => {
      site.proxy.clearRules();
      site.proxy.closeAfterHandshake = false;
    });

    it('passes the CLI through untouched: rank gives the same ranking as straight to the simulator, in all three auth modes', async () => {
      const direct = await runCliProcess(['rank', '--config', site.directConfigFile, '--connection', 'sim', ...STABLE_WINDOW], { env: site.env });
      assert.equal(direct.code, 0, direct.err);
      const before = site.proxy.seen.length;
      for (const connection of ['sim', 'sim-header', 'sim-jwt'] as const) {
        const viaProxy = await runCliProcess(site.cliArgs('rank', connection, ...STABLE_WINDOW), { env: site.env });
        assert.equal(viaProxy.code, 0, `${connection}: ${viaProxy.err}`);
        assert.deepEqual(viaProxy.json(), direct.json(), connection);
        assert.ok(viaProxy.json<unknown[]>().length > 100, 'a real ranking, not an empty one');
      }
      const mine = site.proxy.seen.slice(before);
      assert.ok(mine.some((r) => r.path.startsWith('/hdr/qrs/')) && mine.some((r) => r.path.startsWith('/jwt/qrs/')), 'the virtual proxy prefixes reached the proxy');
      assert.ok(
        mine.every((r) => r.forwarded && r.status === r.upstreamStatus && r.rule === undefined),
        'every request forwarded and answered as the simulator did',
      );
      assert.deepEqual(site.sim.violations, []);
    });

    it('afterUpstream: the simulator applies the write, the client sees 502', async () => {
      const u = freeUser(site, taken);
      const rule = site.proxy.rule({ method: 'POST', path: ALLOCATE, afterUpstream: { status: 502, body: 'Bad Gateway' } });
      const r = await rawQrsCall(site.proxy, 'POST', '/qrs/license/useraccesstype', { body: allocationBody(u) });
      assert.equal(r.status, 502);
      assert.equal(r.text, 'Bad Gateway');
      assert.ok(holdsUserPass(site, u), 'the allocation was made');
      assert.equal(rule.fired, 1);
      assert.equal(rule.spent, true, 'times defaults to 1');
      const rec = site.proxy.seen[site.proxy.seen.length - 1];
      assert.ok(rec);
      assert.deepEqual([rec.forwarded, rec.upstreamStatus, rec.status], [true, 201, 502]);
    });

    it('answer: 503 with Retry-After never reaches the simulator', async () => {
      const u = freeUser(site, taken);
      const simSaw = site.sim.requests.length;
      site.proxy.rule({ method: 'POST', path: ALLOCATE, answer: { status: 503, headers: { 'Retry-After': '2' } } });
      const r = await rawQrsCall(site.proxy, 'POST', '/qrs/license/useraccesstype', { body: allocationBody(u) });
      assert.equal(r.status, 503);
      assert.equal(r.headers['retry-after'], '2');
      assert.equal(r.text, 'Service Unavailable');
      assert.equal(holdsUserPass(site, u), false, 'no allocation');
      assert.equal(site.sim.requests.length, simSaw, 'the simulator saw nothing');
      assert.equal(site.proxy.seen[site.proxy.seen.length - 1]?.forwarded, false);
    });

    it('resetAfterUpstream: the write is applied, the client gets a socket error and no answer', async () => {
      const u = freeUser(site, taken);
      site.proxy.rule({ method: 'POST', path: ALLOCATE, resetAfterUpstream: true });
      await assert.rejects(rawQrsCall(site.proxy, 'POST', '/qrs/license/useraccesstype', { body: allocationBody(u) }), (e: NodeJS.ErrnoException) => {
        assert.match(`${e.code} ${e.message}`, /ECONNRESET|socket hang up/);
        return true;
      });
      assert.ok(holdsUserPass(site, u), 'the allocation was made');
      const rec = site.proxy.seen[site.proxy.seen.length - 1];
      assert.deepEqual([rec?.forwarded, rec?.status], [true, 'reset']);
    });

    it('resetBeforeUpstream: a socket error, and the simulator never sees the write', async () => {
      const u = freeUser(site, taken);
      site.proxy.rule({ method: 'POST', path: ALLOCATE, resetBeforeUpstream: true });
      await assert.rejects(rawQrsCall(site.proxy, 'POST', '/qrs/license/useraccesstype', { body: allocationBody(u) }));
      assert.equal(holdsUserPass(site, u), false);
      const rec = site.proxy.seen[site.proxy.seen.length - 1];
      assert.deepEqual([rec?.forwarded, rec?.status], [false, 'reset']);
    });

    it('closeAfterHandshake: a client with a certificate gets a socket error and no response; off again, it gets answers', async () => {
      const simSaw = site.sim.requests.length;
      const seen = site.proxy.seen.length;
      const refused = site.proxy.connections.refused;
      site.proxy.closeAfterHandshake = true;
      await assert.rejects(rawQrsCall(site.proxy, 'GET', '/qrs/about'), (e: NodeJS.ErrnoException) => {
        assert.match(`${e.code} ${e.message}`, /ECONNRESET|socket hang up|EPIPE/);
        return true;
      });
      assert.equal(site.proxy.connections.refused, refused + 1);
      assert.equal(site.proxy.seen.length, seen, 'no request was read');
      assert.equal(site.sim.requests.length, simSaw);
      site.proxy.closeAfterHandshake = false;
      assert.equal((await rawQrsCall(site.proxy, 'GET', '/qrs/about')).status, 200);
    });

    it('rewriteJson: answers the rewritten body with the simulator status, and sees which match it is', async () => {
      site.proxy.rule({ method: 'GET', path: /^\/qrs\/license\/accesstypeoverview$/, rewriteJson: () => ({}) });
      const empty = await rawQrsCall(site.proxy, 'GET', '/qrs/license/accesstypeoverview');
      assert.equal(empty.status, 200);
      assert.deepEqual(empty.json(), {});
      assert.equal(empty.headers['content-length'], '2');

      const matches: number[] = [];
      site.proxy.rule({
        method: 'GET',
        path: /^\/qrs\/license\/useraccesstype\/full$/,
        times: Infinity,
        rewriteJson: (json, ctx) => {
          matches.push(ctx.match);
          const rows = json as { id: string | null }[];
          return ctx.match === 2 ? rows.map((row) => ({ ...row, id: null })) : rows;
        },
      });
      const first = (await rawQrsCall(site.proxy, 'GET', '/qrs/license/useraccesstype/full')).json<{ id: string | null }[]>();
      const second = (await rawQrsCall(site.proxy, 'GET', '/qrs/license/useraccesstype/full')).json<{ id: string | null }[]>();
      assert.deepEqual(matches, [1, 2]);
      assert.ok(first.length > 0 && first.every((row) => typeof row.id === 'string'));
      assert.equal(second.length, first.length);
      assert.ok(second.every((row) => row.id === null));
    });

    it('skip and times: "fail the 2nd and 3rd matching request", then pass again', async () => {
      const rule = site.proxy.rule({ method: 'GET', path: /^\/qrs\/about$/, skip: 1, times: 2, answer: { status: 429, headers: { 'Retry-After': '1' } } });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        statuses.push((await rawQrsCall(site.proxy, 'GET', '/qrs/about')).status);
      }
      assert.deepEqual(statuses, [200, 429, 429, 200]);
      assert.deepEqual([rule.matched, rule.fired, rule.spent], [3, 2, true]);
    });

    it('hangAfterUpstream and delayMs: the client times out; a hung request was applied, a delayed one never forwarded', async () => {
      const since = site.proxy.seen.length;
      site.proxy.rule({ method: 'GET', path: /^\/qrs\/about$/, hangAfterUpstream: true, label: 'hang' });
      await assert.rejects(rawQrsCall(site.proxy, 'GET', '/qrs/about', { timeoutMs: 300 }), /no complete answer within 300 ms/);
      const hung = await site.proxy.waitFor((r) => r.rule === 'hang', { since });
      assert.deepEqual([hung.forwarded, hung.upstreamStatus, hung.status], [true, 200, 'hang']);

      site.proxy.rule({ method: 'GET', path: /^\/qrs\/about$/, delayMs: 1_000, label: 'slow' });
      await assert.rejects(rawQrsCall(site.proxy, 'GET', '/qrs/about', { timeoutMs: 200 }));
      const slow = await site.proxy.waitFor((r) => r.rule === 'slow' && r.status === 'aborted', { since });
      assert.equal(slow.forwarded, false);
    });

    it('runs the CLI into a real pipe: the reader gets every byte the CLI printed', async () => {
      const plain = await runCliProcess(site.cliArgs('rank', 'sim', ...STABLE_WINDOW), { env: site.env });
      assert.equal(plain.code, 0, plain.err);
      const { cli, reader } = await pipeCli(site.cliArgs('rank', 'sim', ...STABLE_WINDOW), { env: site.env }).done;
      assert.equal(cli.code, 0, cli.err);
      assert.equal(cli.stdout.length, 0, 'stdout went into the pipe');
      const report = reader.json<JsonReaderReport>();
      assert.equal(report.parsed, true, report.error);
      assert.equal(report.bytes, plain.stdout.length);
      assert.equal(report.sha256, createHash('sha256').update(plain.stdout).digest('hex'));
    });

    it('offers readers for the pipe: a slow one that still gets it all, and one that leaves early like head -c', async () => {
      const plain = await runCliProcess(site.cliArgs('rank', 'sim', ...STABLE_WINDOW), { env: site.env });
      const slow = await pipeCli(site.cliArgs('rank', 'sim', ...STABLE_WINDOW), { env: site.env, reader: slowJsonReader(2) }).done;
      const slowReport = slow.reader.json<JsonReaderReport>();
      assert.deepEqual([slowReport.bytes, slowReport.parsed], [plain.stdout.length, true]);
      const head = await pipeCli(site.cliArgs('rank', 'sim', ...STABLE_WINDOW), { env: site.env, reader: headReader(1_000) }).done;
      assert.deepEqual(head.reader.json<HeadReaderReport>(), { bytes: 1_000 });
      assert.ok(head.cli.code !== null || head.cli.signal !== null, 'the CLI ended');
    });

    it('signals a running CLI, and a run past its timeout is killed and fails with its output', async () => {
      site.proxy.rule({ method: 'GET', path: /\/qrs\/license\/accesstypeoverview$/, hangAfterUpstream: true, times: Infinity });
      const since = site.proxy.seen.length;
      const run = startCli(site.cliArgs('rank', 'sim', '--verbose'), { env: site.env });
      await site.proxy.waitFor((r) => r.status === 'hang', { since });
      run.kill('SIGINT');
      const stopped = await run.done;
      assert.ok(stopped.code !== 0, `SIGINT ended it (code ${stopped.code}, signal ${stopped.signal})`);

      const stuck = startCli(site.cliArgs('rank', 'sim'), { env: site.env, timeoutMs: 1_500 });
      await assert.rejects(stuck.done, /still running after 1500 ms, killed with SIGKILL/);
    });
  });

  describe('on a 20,000-user site', () => {
    let site: FaultSite;

    before(async function () {
      this.timeout(60_000);
      site = await startFaultSite({ users: 20_000, seed: 3 });
    });
    after(async () => {
      await site?.close();
    });

    it('streams a 9 MB list through whole', async () => {
      const direct = await rawQrsCall(site.sim, 'GET', '/qrs/user/full', { timeoutMs: 30_000 });
      const proxied = await rawQrsCall(site.proxy, 'GET', '/qrs/user/full', { timeoutMs: 30_000 });
      assert.equal(proxied.status, 200);
      assert.ok(proxied.body.length > 6_000_000, `${proxied.body.length} bytes`);
      assert.ok(proxied.body.equals(direct.body), 'byte for byte what the simulator sends');
      assert.equal(proxied.json<unknown[]>().length, site.sim.state.users.filter((u) => !u.deleted).length);
      const rec = site.proxy.seen[site.proxy.seen.length - 1];
      assert.deepEqual([rec?.status, rec?.bytes, rec?.note], [200, proxied.body.length, undefined]);
    });
  });
});
