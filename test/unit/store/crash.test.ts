import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { DAY_MS } from '../../../src/core/model';
import { openHistoryStore } from '../../../src/store/historyStore';
import { crashDayStart, crashSyncAt, crashUser, dayTotal, passesOn } from './fixtures/crashPlan';
import { recordingLogger, tempDirs } from './storeFixtures';

const WRITER = path.join(__dirname, 'fixtures', 'crashWriter.ts');

/** Runs the writer from sync `first` and SIGKILLs it `delayMs` after its first completed sync; returns the last sync it reported done. */
function runAndKill(dir: string, first: number, delayMs: number): Promise<{ lastDone: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'tsx/cjs', WRITER, dir, String(first)], { stdio: ['ignore', 'pipe', 'pipe'], cwd: path.resolve(__dirname, '../../..') });
    let out = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!timer && /done \d+\n/.test(out)) {
        timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const done = [...out.matchAll(/done (\d+)\n/g)].map((m) => Number(m[1]));
      if (signal !== 'SIGKILL') {
        reject(new Error(`writer exited ${code ?? signal} before the kill: ${stderr}`));
      } else {
        resolve({ lastDone: done.at(-1) ?? first - 1, stderr });
      }
    });
  });
}

describe('HistoryStore crash safety', function () {
  this.timeout(30_000);
  const dirs = tempDirs();
  after(() => dirs.cleanup());

  it('keeps every completed sync whole, and nothing half-counted, when the writer is killed mid-write', async () => {
    const dir = await dirs.make();
    let committed = -1; // every sync up to here reported done (a sync after it may be stored too, without its audit entry)
    const kills: string[] = [];
    for (let round = 0; round < 5; round++) {
      const delay = Math.floor(Math.random() * 250);
      const { lastDone } = await runAndKill(dir, committed + 1, delay);
      kills.push(`round ${round}: from sync ${committed + 1}, killed ${delay} ms after the first sync, last done ${lastDone}`);
      const why = kills.join('\n');

      const logger = recordingLogger();
      const store = await openHistoryStore(dir, { now: () => crashSyncAt(lastDone + 1), logger });
      try {
        assert.deepEqual(await store.verify(), [], `a segment is damaged\n${why}`);
        const span = { from: crashDayStart(0), to: crashDayStart(lastDone + 4) };
        const site = await store.siteSeries(span);
        // The sync in flight at the kill is either wholly there or wholly absent.
        const stored = site.findIndex((p) => p.loginPasses === 0 && dayTotal((p.day - crashDayStart(0)) / DAY_MS) > 0);
        const last = (stored === -1 ? site.length : stored) - 1;
        assert.ok(last === lastDone || last === lastDone + 1, `stored through day ${last}, but sync ${lastDone} completed\n${why}`);
        site.forEach((p, d) => assert.equal(p.loginPasses, d <= last ? dayTotal(d) : 0, `day ${d}: ${p.loginPasses} passes\n${why}`));
        assert.equal(site[lastDone]?.pool?.availableTokens, lastDone, `the pool of sync ${lastDone}\n${why}`);
        const user7 = await store.userSeries('CRASH\\u7', span);
        user7.forEach((p, d) => assert.equal(p.loginPasses, d <= last ? passesOn(d, 7) : 0, `user 7, day ${d}\n${why}`));
        assert.equal((await store.userSeries(crashUser(7).id, span)).reduce((s, p) => s + p.tokens, 0).toFixed(6), user7.reduce((s, p) => s + p.tokens, 0).toFixed(6));

        const audit = await store.audit();
        const outcomes = audit.map((e) => e.outcome);
        for (let i = 0; i <= lastDone; i++) {
          assert.ok(outcomes.includes(`sync ${i}`), `audit entry of sync ${i} lost\n${why}`);
        }
        // Only a line torn by the kill may be reported; no segment may be.
        assert.ok(logger.warnings.every((w) => /^audit\.jsonl: /.test(w)), logger.warnings.join('\n'));
        committed = lastDone; // the next writer redoes the sync in flight: its records dedup, its audit entry gets written
      } finally {
        await store.close();
      }
    }
    assert.ok(!(await readdir(dir)).includes('corrupt'), 'nothing was ever set aside');
    assert.ok(committed >= 5, `the writer made progress: ${kills.join('\n')}`);
  });
});
