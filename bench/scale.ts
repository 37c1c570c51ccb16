/**
 * bench/scale: License Steward at 20,000 and 100,000 users (15 login-pass records per user:
 * 1.5 million at 100,000), every figure beside a raw baseline measured in the same run and the
 * target it must meet. These machines are noisy: CPU time and medians, not wall clocks, and
 * ratios rather than absolute numbers, except where the target is absolute.
 *
 *   npm run bench:scale [-- --sizes 20000,100000 --rounds 3 --tree-cap 120]
 *
 * Each measurement runs in a child process of its own (its CPU time and peak memory are its own);
 * the simulated site runs in yet another, so its records are not counted either. The bundles
 * measured are the production ones, built beside this file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { historyChild } from './scaleHistory';
import { rankingChild } from './scaleRanking';
import { activationChild, startupRows } from './scaleStartup';
import { ms, printTable, runJson, times, writeReporter, type Row } from './scaleStats';
import { siteRows, startSim, syncChild, type BenchFiles } from './scaleSync';
import { treeChild, type PagedList } from './scaleTree';

const RECORDS_PER_USER = 15;
const RANKED_USERS = 80_000;
const HISTORY_USERS = 20_000;

async function child(mode: string, v: Record<string, string | boolean | undefined>): Promise<void> {
  switch (mode) {
    case 'sync-raw':
    case 'sync-ours':
      return syncChild(mode === 'sync-raw' ? 'raw' : 'ours', String(v['conn']), Number(v['now']));
    case 'ranking':
      return rankingChild(RANKED_USERS, Number(v['rounds']));
    case 'tree':
      return treeChild(RANKED_USERS, Number(v['tree-cap']));
    case 'history':
      return historyChild(HISTORY_USERS, Number(v['rounds']));
    case 'activation':
      return activationChild(String(v['bundle']), v['preload'] === true);
    default:
      throw new Error(`unknown child mode ${mode}`);
  }
}

/** The rows that do not depend on the site's size. */
async function fixedRows(self: string, rounds: number, treeCap: number): Promise<{ rows: Row[]; notes: string[] }> {
  const rows: Row[] = [];
  const notes: string[] = [];
  const calls = Math.max(9, rounds);
  const ranking = await runJson<{ users: number; ours: number; raw: number }>(['--expose-gc', self, '--child', 'ranking', '--rounds', String(calls)]);
  rows.push({ what: `rankUsers, ${ranking.users.toLocaleString('en')} users`, ours: ms(ranking.ours), baseline: `${ms(ranking.raw)} bare collator sort`, ratio: times(ranking.ours / ranking.raw), target: '< 150 ms', met: ranking.ours < 150 });

  notes.push(`rankUsers: median of ${calls} calls in one process after one to warm up, each (ours and the bare sort alike) after a full collection`);

  const lists = await runJson<PagedList[]>([self, '--child', 'tree', '--tree-cap', String(treeCap)]);
  for (const l of lists) {
    rows.push({
      what: `Users tree, Show more (${l.list})`,
      ours: `${Math.round(l.userItemsPerClick).toLocaleString('en')} items/click (median)`,
      baseline: '100 (one page)',
      ratio: times(l.userItemsPerClick / 100),
      target: 'only its page (1.00×)',
      met: l.userItemsPerClick <= 100,
    });
    notes.push(
      `${l.list} of ${l.users.toLocaleString('en')} users: ${l.clicks} clicks ${l.capped ? `(stopped by --tree-cap ${treeCap} s at ${l.shown.toLocaleString('en')} shown)` : `to show all ${l.shown.toLocaleString('en')}`}, ` +
        `${l.totalItems.toLocaleString('en')} user TreeItems built in all (${l.meanItemsPerClick.toFixed(1)} per click on average), ${ms(l.msPerClick)} per click (median; VS Code still asks for every shown item)`,
    );
  }

  const history = await runJson<{ users: number; genMs: number; ours: number; raw: number }>([self, '--child', 'history', '--rounds', String(rounds)]);
  rows.push({
    what: `site history, topUsers of all ${history.users.toLocaleString('en')}`,
    ours: `${ms(history.ours)} (${(history.ours / history.users).toFixed(3)} ms/user)`,
    baseline: `${ms(history.raw)} raw scan`,
    ratio: times(history.ours / history.raw),
    target: '< 2 s',
    met: history.ours < 2000,
  });
  notes.push(`history: ${history.users.toLocaleString('en')} users × a year written by 53 weekly syncs and compaction in ${(history.genMs / 1000).toFixed(1)} s; CPU of one query on a freshly opened store`);
  return { rows, notes };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      conn: { type: 'string' },
      now: { type: 'string' },
      bundle: { type: 'string' },
      preload: { type: 'boolean' },
      sizes: { type: 'string', default: '20000,100000' },
      rounds: { type: 'string', default: '3' },
      'tree-cap': { type: 'string', default: '120' },
    },
  });
  if (values.child) {
    return child(values.child, values);
  }
  const builtDir = path.resolve(__dirname, '..');
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-scale-'));
  const files: BenchFiles = { self: __filename, cli: path.join(builtDir, 'cli.js'), rawRank: path.join(__dirname, 'scaleRawRank.js'), reporter: await writeReporter(dir), dir };
  const rounds = Number(values.rounds);
  const started = performance.now();
  console.log(`bench/scale: Node ${process.version}, ${(await import('node:os')).cpus().length} cores; medians of ${rounds}; CPU is user + system time of the measured process`);
  try {
    for (const users of (values.sizes ?? '').split(',').map(Number).filter((n) => n > 0)) {
      const simDir = await mkdtemp(path.join(dir, `sim-${users}-`));
      const sim = await startSim(files.cli, users, users * RECORDS_PER_USER, simDir);
      try {
        const { rows, note } = await siteRows(files, sim, rounds, users >= 100_000);
        printTable(`== ${users.toLocaleString('en')} users (simulator ready in ${(sim.readyMs / 1000).toFixed(0)} s): ${note}`, rows);
      } finally {
        sim.stop();
      }
    }
    const fixed = await fixedRows(__filename, rounds, Number(values['tree-cap']));
    // Start-up is a fifth of a second, measured by the wall clock: 21 samples keep one busy moment from moving the median.
    const startup = await startupRows(__filename, builtDir, Math.max(21, rounds * 7));
    printTable('== ranking, tree, history, startup', [...fixed.rows, ...startup.rows]);
    for (const note of [...fixed.notes, startup.note]) {
      console.log(`  ${note}`);
    }
    console.log(`\nbench/scale ran ${((performance.now() - started) / 60_000).toFixed(1)} min`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
