/**
 * bench/scale's raw baseline for `rank`: fetch the window's login-pass pages with undici, parse
 * them, count passes per user and print the counts as JSON. What any ranking must at least do,
 * with nothing else: no dedup, no verdicts, no checks.
 *
 *   node dist/bench/scaleRawRank.js --conn FILE --now EPOCH_MS
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { rawPages, type SimConnection } from './scaleRawPages';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { conn: { type: 'string' }, now: { type: 'string' } } });
  const conn = JSON.parse(await readFile(values.conn ?? '', 'utf8')) as SimConnection;
  const counts = new Map<string, number>();
  await rawPages(conn, Number(values.now), (rows, columns) => {
    const user = columns.indexOf('user.id');
    for (const row of rows) {
      const id = String(row[user]);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  });
  process.stdout.write(`${JSON.stringify([...counts].sort((a, b) => b[1] - a[1]).map(([id, passes]) => ({ id, passes })), null, 2)}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
