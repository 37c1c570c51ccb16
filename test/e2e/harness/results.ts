import { readFileSync, writeFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import type Mocha from 'mocha';

/** Environment variable naming the JSON file the extension-host run writes its {@link TestResults} to. */
export const RESULTS_FILE_ENV = 'LICENSE_STEWARD_E2E_RESULTS_FILE';

/** One finished test. */
export interface TestOutcome {
  /** Suite titles and the test title, joined by spaces. */
  readonly title: string;
  readonly state: 'passed' | 'failed' | 'pending';
  /** Message and the first stack lines, for failures only. */
  readonly error?: string;
}

/** A mocha run's outcome: the extension host writes it as JSON, the runners print it. */
export interface TestResults {
  passed: number;
  failed: number;
  pending: number;
  readonly tests: TestOutcome[];
}

/** Tallies a mocha run as it goes (hook failures count as failed tests, as mocha does). */
export function collectResults(runner: Mocha.Runner): TestResults {
  const results: TestResults = { passed: 0, failed: 0, pending: 0, tests: [] };
  runner.on('pass', (test) => {
    results.passed++;
    results.tests.push({ title: test.fullTitle(), state: 'passed' });
  });
  runner.on('pending', (test) => {
    results.pending++;
    results.tests.push({ title: test.fullTitle(), state: 'pending' });
  });
  runner.on('fail', (test, error: unknown) => {
    results.failed++;
    results.tests.push({ title: test.fullTitle(), state: 'failed', error: describeError(error) });
  });
  return results;
}

/** Writes results where the runner (another process, maybe another Node) will read them. */
export function writeResults(file: string, results: TestResults): void {
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}

/** Reads a results file; undefined when it is missing or not a results object (the run never finished). */
export function readResults(file: string): TestResults | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  return isResults(parsed) ? parsed : undefined;
}

/** The report: one line per test, failures with their error, then the closing line CI looks for. */
export function formatResults(label: string, results: TestResults): string {
  const marks = { passed: '✓', failed: '✗', pending: '-' } as const;
  const lines = results.tests.map((t) => `  ${marks[t.state]} ${t.title}`);
  const failures = results.tests.filter((t) => t.state === 'failed');
  failures.forEach((t, i) => lines.push('', `${i + 1}) ${t.title}`, indent(t.error ?? '')));
  lines.push('', `${label}: ${results.passed} passed, ${results.failed} failed`);
  return lines.join('\n');
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // The stack repeats a multi-line message (Playwright's call log); keep the message once, then frames.
  const frames = (error.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 4);
  // Playwright colours its call log; these lines end up in plain CI logs.
  return stripVTControlCharacters([error.message, ...frames].join('\n'));
}

function indent(text: string): string {
  return text.split('\n').map((l) => `   ${l}`).join('\n');
}

function isResults(value: unknown): value is TestResults {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.passed === 'number' && typeof v.failed === 'number' && typeof v.pending === 'number' && Array.isArray(v.tests);
}
