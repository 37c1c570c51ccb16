import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

const REQUEST_LOG_CAP = 10_000;
/** Trimmed in batches, so a long run does not shift 10,000 entries on every request. */
const TRIM_SLACK = 1_000;

/** Header values as one string each (repeated headers joined with ", "); names stay lower case. */
export function flatHeaders(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers)) {
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** A request's method (upper case), URL and query parameters (the last value wins when one repeats). */
export function requestLine(req: IncomingMessage): { method: string; url: URL; query: Record<string, string> } {
  const url = new URL(req.url ?? '/', 'https://simulator.invalid');
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) {
    query[k] = v;
  }
  return { method: (req.method ?? 'GET').toUpperCase(), url, query };
}

/** The last 10,000 requests a simulator received, for tests to assert on. */
export class SimRequestLog<T> {
  /** Changed in place: a simulator hands out this very array, and tests read it as requests arrive. */
  readonly entries: T[] = [];

  add(entry: T): void {
    this.entries.push(entry);
    if (this.entries.length > REQUEST_LOG_CAP + TRIM_SLACK) {
      this.entries.splice(0, this.entries.length - REQUEST_LOG_CAP);
    }
  }
}
