/**
 * What the bench/scale parts share: medians, the figures' formatting, and child processes whose
 * CPU time and peak memory are their own (a preloaded reporter writes them at exit).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

/** The median; the lower middle of an even count. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? NaN;
}

/** Peak resident memory of this process so far (the kernel's high-water mark), bytes. */
export function peakRss(): number {
  // VmHWM cannot miss a peak the way sampling can.
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m?.[1] ? Number(m[1]) * 1024 : process.memoryUsage().rss;
}

/** CPU time this process spent so far, all threads, ms. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export const ms = (x: number): string => (x < 10 ? `${x.toFixed(1)} ms` : `${Math.round(x).toLocaleString('en')} ms`);
export const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MB`;
export const kb = (bytes: number): string => `${Math.round(bytes / 1024).toLocaleString('en')} KB`;
export const times = (x: number): string => `${x.toFixed(2)}×`;

/** One line of a figures table. */
export interface Row {
  readonly what: string;
  readonly ours: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly target: string;
  /** Met, missed, or nothing to judge. */
  readonly met?: boolean;
}

/** Prints rows as an aligned table under a heading. */
export function printTable(heading: string, rows: readonly Row[]): void {
  const head = ['what', 'ours', 'baseline (same run)', 'ratio', 'target', ''];
  const cells = rows.map((r) => [r.what, r.ours, r.baseline, r.ratio, r.target, r.met === undefined ? '' : r.met ? 'met' : 'MISSED']);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]) => `  ${c.map((x, i) => x.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd();
  console.log(`\n${heading}`);
  console.log(line(head));
  cells.forEach((c) => console.log(line(c)));
}

/** What a child process reported about itself at exit. */
export interface ChildCost {
  /** User + system CPU of the whole process, startup included, ms. */
  readonly cpuMs: number;
  /** Peak resident memory of the whole process, bytes. */
  readonly peakBytes: number;
  readonly wallMs: number;
  readonly stdout: string;
}

const REPORTER = `
const fs = require('node:fs');
process.on('exit', () => {
  const u = process.cpuUsage();
  const m = /VmHWM:\\s+(\\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  fs.writeFileSync(process.env.SCALE_COST_FILE, JSON.stringify({ cpuMs: (u.user + u.system) / 1000, peakBytes: m ? Number(m[1]) * 1024 : 0 }));
});
`;

/** Writes the exit reporter a child is started with; returns its path. */
export async function writeReporter(dir: string): Promise<string> {
  const file = path.join(dir, 'cost-reporter.cjs');
  await writeFile(file, REPORTER);
  return file;
}

/**
 * Runs `node --require reporter ...args` to its end and returns its own CPU time and peak memory.
 * stdout is kept only when asked (a 100,000-user ranking is megabytes: it is counted, not kept).
 */
export function runMeasured(reporter: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; keepStdout?: boolean; costFile: string }): Promise<ChildCost> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const p = spawn(process.execPath, ['--require', reporter, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...opts.env, SCALE_COST_FILE: opts.costFile },
    });
    let stdout = '';
    p.stdout.on('data', (d: Buffer) => {
      if (opts.keepStdout) {
        stdout += d.toString();
      }
    });
    p.on('error', reject);
    p.on('exit', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) {
        reject(new Error(`${args.join(' ')} exited ${code}`));
        return;
      }
      readFile(opts.costFile, 'utf8')
        .then((text) => resolve({ ...(JSON.parse(text) as { cpuMs: number; peakBytes: number }), wallMs, stdout }))
        .catch(reject);
    });
  });
}

/** Runs `node ...args` and resolves with its stdout; for children that report JSON themselves. */
export function runJson<T>(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<T> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as T) : reject(new Error(`${args.join(' ')} exited ${code}`))));
  });
}
