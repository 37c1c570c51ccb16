import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { RankRow } from '../../src/cli/rankOutput';
import { DAY_MS } from '../../src/core/model';
import { cliHistoryKey, HistoryStores } from '../../src/store/historyStores';
import { CLI_PATH } from './builtCli';
import { useBuiltCli } from './useBuiltCli';
import { pipeCli, runCliProcess, type CliResult } from './cliProcess';
import { startFaultSite, type FaultSite } from './faultSite';
import { slowJsonReader, type JsonReaderReport, type PipeReader } from './pipeReaders';
import type { FaultRewriteContext } from './faultProxy';

/**
 * Reads arrive whole or fail loudly: the built CLI, run as users run it, against a simulated
 * site behind the fault proxy. Each test names what the CLI before this issue (9813bb7) did.
 */

const OVERVIEW = /\/qrs\/license\/accesstypeoverview$/;
const USAGE_TABLE = /\/qrs\/license\/loginaccessusage\/table$/;
const USER_PASSES = /\/qrs\/license\/useraccesstype\/full$/;

/**
 * The site's login passes go back 60 days from the simulator's clock (taken at start): a
 * ten-year window holds every one of them, so no record sits near the window's edge and runs
 * minutes apart rank the same. The history store keeps the last 90 days, so it holds them all too.
 */
const ALL_TIME = ['--window-days', '3650'];

interface Table {
  columnNames: string[];
  rows: unknown[][];
}

function totalPasses(rows: readonly RankRow[]): number {
  return rows.reduce((sum, r) => sum + r.loginPasses, 0);
}

function expectExit(r: Pick<CliResult, 'code' | 'signal' | 'err' | 'out'>, code: number): void {
  assert.equal(r.code, code, `exit ${r.code} (signal ${r.signal}), expected ${code}\n--- stderr ---\n${r.err}\n--- stdout (head) ---\n${r.out.slice(0, 2_000)}`);
}

interface FileRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly err: string;
  /** The head of what the file got, for failure messages. */
  readonly out: string;
  readonly bytes: number;
  rows(): RankRow[];
}

/** `license-steward rank --connection sim --format json --window-days 3650 > FILE`, as a shell runs it. */
async function rankIntoFile(site: FaultSite, name: string): Promise<FileRun> {
  const file = path.join(site.dir, name);
  const env: NodeJS.ProcessEnv = { ...site.env };
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('LICENSE_STEWARD_') && k !== 'NODE_OPTIONS' && env[k] === undefined) {
      env[k] = v;
    }
  }
  const args = site.cliArgs('rank', 'sim', '--format', 'json', ...ALL_TIME);
  const child = spawn('/bin/sh', ['-c', 'f=$1; shift; exec "$@" > "$f"', 'sh', file, process.execPath, CLI_PATH, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const err: Buffer[] = [];
  child.stderr.on('data', (c: Buffer) => err.push(c));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  const text = await readFile(file, 'utf8');
  return {
    code,
    signal,
    err: Buffer.concat(err).toString('utf8'),
    out: text.slice(0, 2_000),
    bytes: Buffer.byteLength(text),
    rows: () => JSON.parse(text) as RankRow[],
  };
}

describe('fault suite: reads arrive whole or fail loudly', function () {
  this.timeout(120_000);
  useBuiltCli();

  describe('on a 20,000-user site', () => {
    let site: FaultSite;
    let baseline: Promise<{ bytes: number; rows: RankRow[] }> | undefined;

    /**
     * `rank --format json` over all time without a fault, written to a file as `> ranking.json`
     * does (a file takes every byte however the CLI exits, so the comparisons below measure the
     * ranking, not the pipe). Taken once, by the first test that needs it.
     */
    const unfaulted = (): Promise<{ bytes: number; rows: RankRow[] }> => {
      baseline ??= rankIntoFile(site, 'unfaulted.json').then((r) => {
        expectExit(r, 0);
        return { bytes: r.bytes, rows: r.rows() };
      });
      return baseline;
    };

    before(async function () {
      this.timeout(120_000);
      site = await startFaultSite({ users: 20_000, seed: 3 });
    });
    after(async () => {
      await site?.close();
    });
    afterEach(() => {
      site.proxy.clearRules();
    });

    // Before: the CLI called process.exit() right after writing, so a pipe got what fitted in
    // its buffer (128 KiB of a multi-MB ranking) and `| jq` failed on truncated JSON.
    it('rank --format json piped into a reader arrives whole: multi-MB, parses, as many rows as unpiped', async () => {
      const plain = await unfaulted();
      assert.ok(plain.bytes > 2_000_000, `a multi-MB ranking (${plain.bytes} bytes)`);
      const { cli, reader } = await pipeCli(site.cliArgs('rank', 'sim', '--format', 'json', ...ALL_TIME), { env: site.env, timeoutMs: 60_000 }).done;
      expectExit(cli, 0);
      const report = reader.json<JsonReaderReport>();
      assert.equal(report.parsed, true, `the reader could not parse what arrived (${report.bytes} of ${plain.bytes} bytes): ${report.error}`);
      assert.equal(report.bytes, plain.bytes);
      assert.equal(report.items, plain.rows.length);
    });

    // Before: the same truncation, only worse: a slow reader drains the 64 KiB pipe buffer later.
    it('arrives whole through a slow reader too', async () => {
      const plain = await unfaulted();
      const { cli, reader } = await pipeCli(site.cliArgs('rank', 'sim', '--format', 'json', ...ALL_TIME), {
        env: site.env,
        timeoutMs: 60_000,
        reader: slowJsonReader(3),
      }).done;
      expectExit(cli, 0);
      const report = reader.json<JsonReaderReport>();
      assert.equal(report.parsed, true, `the slow reader could not parse what arrived (${report.bytes} of ${plain.bytes} bytes): ${report.error}`);
      assert.deepEqual([report.bytes, report.items], [plain.bytes, plain.rows.length]);
    });

    // Before: the CLI exited 0 as soon as it had handed the ranking to the pipe (cutting it off),
    // so a SIGTERM found nothing to stop and the scheduler saw "success".
    // Now (bug): after the command finished, main() waits for stdout to drain and a first signal
    // only aborts the (finished) command: the CLI stays blocked on the full pipe until a second
    // signal or SIGKILL. A scheduler's SIGTERM must end it: exit 143 within 2 s.
    it('SIGTERM while the ranking waits for a reader that stopped reading: exits 143 within 2 s', async () => {
      const stalled: PipeReader = {
        script: String.raw`
process.stdin.once('data', (c) => {
  process.stdin.pause();
  process.stdout.write(JSON.stringify({ stalledAfter: c.length }) + '\n');
});
setInterval(() => undefined, 60_000);`,
      };
      const run = pipeCli(site.cliArgs('rank', 'sim', '--format', 'json', ...ALL_TIME), { env: site.env, timeoutMs: 60_000, reader: stalled });
      try {
        await run.reader.waitForOutput('stalledAfter', { stream: 'stdout', timeoutMs: 45_000 });
        // The CLI has written what the pipe holds and waits for room that never comes.
        await new Promise((resolve) => setTimeout(resolve, 500));
        const sent = performance.now();
        run.cli.kill('SIGTERM');
        const ended = await Promise.race([run.cli.done, new Promise<undefined>((resolve) => setTimeout(resolve, 5_000, undefined))]);
        const afterSignalMs = Math.round(performance.now() - sent);
        assert.ok(ended, `still running ${afterSignalMs} ms after SIGTERM, blocked on the full pipe\n--- stderr ---\n${run.cli.stderr.toString('utf8')}`);
        assert.equal(ended.code, 143, `exit ${ended.code} (signal ${ended.signal})\n${ended.err}`);
        assert.ok(afterSignalMs < 2_000, `exited ${afterSignalMs} ms after SIGTERM`);
      } finally {
        run.cli.kill('SIGKILL');
        run.reader.kill('SIGKILL');
        await run.done.catch(() => undefined);
      }
    });

    // Before: only rows repeated on the next page were recognised, so the first page's rows sent
    // again on the third page were counted twice: users gained login passes they never used.
    it('usage rows repeated on a later /table page count once: rank, the sync summary and the history store agree', async () => {
      const plainRows = (await unfaulted()).rows;
      let firstPage: unknown[][] | undefined;
      let repeated = 0;
      const repeatFirstPageOnThird = (json: unknown, ctx: FaultRewriteContext): unknown => {
        const table = json as Table;
        if (ctx.request.query['skip'] === '0') {
          firstPage = table.rows;
        } else if (ctx.request.query['skip'] === String(2 * table.rows.length) && firstPage) {
          // Only a full third page: the site must have more than three pages for this to bite.
          repeated = firstPage.length;
          return { ...table, rows: [...table.rows, ...firstPage] };
        }
        return table;
      };
      const fault = () =>
        site.proxy.rule({ method: 'POST', path: USAGE_TABLE, times: Infinity, label: 'repeat page 1 on page 3', rewriteJson: repeatFirstPageOnThird });

      fault();
      const ranked = await rankIntoFile(site, 'faulted.json');
      expectExit(ranked, 0);
      assert.ok(repeated > 10_000, `the third page carried the first page's rows again (${repeated})`);
      const rows = ranked.rows();
      assert.equal(totalPasses(rows), totalPasses(plainRows), 'no login pass counted twice');
      assert.deepEqual(rows, plainRows, 'the same ranking as without the fault');

      site.proxy.clearRules();
      firstPage = undefined;
      repeated = 0;
      fault();
      const dataDir = await mkdtemp(path.join(site.dir, 'data-'));
      const synced = await runCliProcess(site.cliArgs('sync', 'sim', '--data-dir', dataDir, ...ALL_TIME), { env: site.env, timeoutMs: 60_000 });
      expectExit(synced, 0);
      assert.ok(repeated > 10_000);
      assert.match(synced.out, new RegExp(`The server sent ${repeated} usage records more than once; each was counted once\\.`));
      assert.match(synced.out, new RegExp(`: ${totalPasses(plainRows)} usage records,`), 'the summary counts each record once');

      const stores = new HistoryStores(dataDir);
      try {
        const store = await stores.get(cliHistoryKey('sim'));
        const range = { from: site.sim.clock.now() - 100 * DAY_MS, to: site.sim.clock.now() + DAY_MS };
        const days = await store.siteSeries(range);
        assert.equal(
          days.reduce((sum, d) => sum + d.loginPasses, 0),
          totalPasses(plainRows),
          "the store's site totals equal the ranking's",
        );
        const top = await store.topUsers(range, 20);
        const byUser = new Map(plainRows.map((r) => [`${r.userDirectory}\\${r.userId}`, r.loginPasses]));
        assert.equal(top.length, 20);
        for (const u of top) {
          assert.equal(u.total.loginPasses, byUser.get(`${u.user.directory}\\${u.user.userId}`), `${u.user.directory}\\${u.user.userId} in the store and in the ranking`);
        }
      } finally {
        await stores.closeAll();
      }
    });
  });

  describe('on a 300-user site', () => {
    let site: FaultSite;

    before(async () => {
      site = await startFaultSite({ users: 300, seed: 11 });
    });
    after(async () => {
      await site?.close();
    });
    afterEach(() => {
      site.proxy.clearRules();
    });

    const newDataDir = () => mkdtemp(path.join(site.dir, 'data-'));
    const sync = (dataDir: string) => runCliProcess(site.cliArgs('sync', 'sim', '--data-dir', dataDir), { env: site.env });

    // Before: `{}` read as "a site with no license model": rank exited 0 with an empty ranking.
    it('an overview answered as {} makes rank exit 3 with a protocol error naming the call', async () => {
      site.proxy.rule({ method: 'GET', path: OVERVIEW, rewriteJson: () => ({}) });
      const r = await runCliProcess(site.cliArgs('rank', 'sim'), { env: site.env });
      expectExit(r, 3);
      assert.match(r.err, /GET \/qrs\/license\/accesstypeoverview/);
      assert.match(r.err, /not an AccessTypeOverview/);
      assert.equal(r.out, '', 'no ranking printed');
    });

    // Before: the sync with `{}` listed no pass kinds, found no allocations and recorded every
    // pass held as revoked (the "164 false revocations").
    it('a sync whose overview is {} fails and records no allocation events, and the good sync after it records none either', async () => {
      const dataDir = await newDataDir();
      const first = await sync(dataDir);
      expectExit(first, 0);
      assert.match(first.out, /, \d+ allocations\./);
      assert.ok(site.sim.state.list('user').length > 0, 'the site has passes that could be falsely revoked');

      site.proxy.rule({ method: 'GET', path: OVERVIEW, rewriteJson: () => ({}) });
      const bad = await sync(dataDir);
      expectExit(bad, 3);
      assert.match(bad.err, /GET \/qrs\/license\/accesstypeoverview/);

      const after = await sync(dataDir);
      expectExit(after, 0);
      assert.match(after.out, / 0 allocation changes /);

      const stores = new HistoryStores(dataDir);
      try {
        const store = await stores.get(cliHistoryKey('sim'));
        const events = await store.events({ from: site.sim.clock.now() - 400 * DAY_MS, to: Date.now() + DAY_MS });
        assert.deepEqual(events, [], 'no allocation came or went');
      } finally {
        await stores.closeAll();
      }
    });

    // Before: rows without a record id or with an unreadable start time were silently left out,
    // so the ranking shrank and nobody was told.
    it('usage rows with null ids or unreadable start cells: rank and sync exit 0, warnings count them, sync says "Left out as unreadable: N usage rows"', async () => {
      const seen = { rows: 0, nullId: 0, badStart: 0 };
      site.proxy.rule({
        method: 'POST',
        path: USAGE_TABLE,
        times: Infinity,
        rewriteJson: (json) => {
          const table = json as Table;
          const id = table.columnNames.indexOf('id');
          const start = table.columnNames.indexOf('useStartTime');
          assert.ok(id >= 0 && start >= 0, 'the table has id and useStartTime columns');
          seen.rows += table.rows.length;
          return {
            ...table,
            rows: table.rows.map((row, i) => {
              if (i % 2 === 1) {
                seen.nullId++;
                return row.map((cell, c) => (c === id ? null : cell));
              }
              if (i % 10 === 0) {
                seen.badStart++;
                return row.map((cell, c) => (c === start ? 'last Tuesday' : cell));
              }
              return row;
            }),
          };
        },
      });
      const warned = (err: string): void => {
        assert.match(err, new RegExp(`warning: .*\\b${seen.nullId}\\b.*rows without a readable record id`));
        assert.match(err, new RegExp(`warning: .*\\b${seen.badStart}\\b.*rows without a readable start time`));
      };
      const ranked = await runCliProcess(site.cliArgs('rank', 'sim', '--format', 'json'), { env: site.env });
      expectExit(ranked, 0);
      assert.ok(seen.nullId > 100 && seen.badStart > 20, `rows spoilt: ${JSON.stringify(seen)}`);
      warned(ranked.err);
      const counted = seen.rows - seen.nullId - seen.badStart;
      assert.equal(totalPasses(ranked.json<RankRow[]>()), counted, 'the ranking counts the readable rows, each once');

      const inRank = { ...seen };
      Object.assign(seen, { rows: 0, nullId: 0, badStart: 0 });
      const synced = await sync(await newDataDir());
      expectExit(synced, 0);
      assert.deepEqual(seen, inRank, 'the same rows both times');
      warned(synced.err);
      const line = synced.out.split('\n').find((l) => l.startsWith('Left out as unreadable: '));
      assert.ok(line, `the summary says what was left out:\n${synced.out}`);
      assert.ok(line.includes(`${seen.nullId} usage rows without a readable record id (POST /qrs/license/loginaccessusage/table)`), line);
      assert.ok(line.includes(`${seen.badStart} usage rows without a readable start time (POST /qrs/license/loginaccessusage/table)`), line);
      assert.match(synced.out, new RegExp(`^Synced "sim": ${counted} usage records`, 'm'));
    });

    // Before: one spec-valid allocation without a holder failed the whole read: exit 3.
    it('an allocation without user or deletedUser* fields: rank exits 0 with a warning', async () => {
      site.proxy.rule({
        method: 'GET',
        path: USER_PASSES,
        rewriteJson: (json) => {
          const [first, ...rest] = json as Record<string, unknown>[];
          assert.ok(first);
          const { user: _user, deletedUserId: _id, deletedUserDirectory: _dir, ...holderless } = first;
          return [holderless, ...rest];
        },
      });
      const r = await runCliProcess(site.cliArgs('rank', 'sim'), { env: site.env });
      expectExit(r, 0);
      assert.match(r.err, /warning: .*1 user access pass allocations name no holder/);
    });

    // Before: a /table POST was treated as a write and never repeated: one 502 failed the sync.
    it('one transient 502 on the usage /table POST: sync retries it like a GET and succeeds', async () => {
      const since = site.proxy.seen.length;
      const rule = site.proxy.rule({ method: 'POST', path: USAGE_TABLE, answer: { status: 502 }, label: 'one 502' });
      const r = await sync(await newDataDir());
      expectExit(r, 0);
      assert.equal(rule.fired, 1);
      const tables = site.proxy.seen.slice(since).filter((s) => USAGE_TABLE.test(s.path));
      const failed = tables.find((s) => s.rule === 'one 502');
      assert.ok(
        failed && tables.some((s) => s.seq > failed.seq && s.query['skip'] === failed.query['skip'] && s.forwarded && s.status === s.upstreamStatus),
        `the same page asked again: ${tables.map((s) => `#${s.seq} skip=${s.query['skip']} ${s.status}`).join(', ')}`,
      );
      assert.match(r.out, /^Synced "sim": [1-9]\d* usage records/m);
    });

    // Before: a gateway's 502/503/504 was "the server refused" (exit 3), not "could not reach" (2).
    it('persistent 502, 503 and 504 on the overview exit 2 (connection), after retrying', async () => {
      for (const status of [502, 503, 504]) {
        const since = site.proxy.seen.length;
        site.proxy.clearRules();
        site.proxy.rule({ method: 'GET', path: OVERVIEW, answer: { status }, times: Infinity });
        const r = await runCliProcess(site.cliArgs('rank', 'sim'), { env: site.env });
        expectExit(r, 2);
        assert.match(r.err, new RegExp(`GET /qrs/license/accesstypeoverview\\S* with ${status}`));
        const tries = site.proxy.seen.slice(since).filter((s) => OVERVIEW.test(s.path)).length;
        assert.ok(tries > 1, `${status} was retried (${tries} tries)`);
      }
    });

    // Before: a 503 asking for an hour's pause exited 3 without saying when to come back.
    it('a 503 with Retry-After: 3600 exits 2 at once and says when to try again', async () => {
      site.proxy.rule({ method: 'GET', path: OVERVIEW, answer: { status: 503, headers: { 'Retry-After': '3600' } }, times: Infinity });
      const before = Date.now();
      const r = await runCliProcess(site.cliArgs('rank', 'sim'), { env: site.env });
      expectExit(r, 2);
      assert.ok(r.durationMs < 15_000, `did not wait the hour out (${r.durationMs} ms)`);
      const when = /tried again after (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)/.exec(r.err);
      assert.ok(when?.[1], `the message says when: ${r.err}`);
      const at = Date.parse(when[1]);
      assert.ok(Math.abs(at - (before + 3_600_000)) < 60_000, `about an hour from now: ${when[1]}`);
    });
  });
});
