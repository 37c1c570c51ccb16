/**
 * Programs for the reading end of `pipeCli` (run as `node -e SCRIPT`). Each prints one JSON line,
 * its report, when it is done.
 */

/** A program to read the pipe: `node -e script ...args`. */
export interface PipeReader {
  readonly script: string;
  readonly args?: readonly string[];
}

/** What `jsonReader` and `slowJsonReader` print. */
export interface JsonReaderReport {
  /** Bytes read until end of file. */
  readonly bytes: number;
  /** Hex SHA-256 of those bytes, to compare with an unpiped run's stdout. */
  readonly sha256: string;
  /** The bytes parsed as JSON. */
  readonly parsed: boolean;
  /** JSON.parse's message when they did not. */
  readonly error?: string;
  /** The array's length when the JSON is an array. */
  readonly items?: number;
}

/** What `headReader` prints. */
export interface HeadReaderReport {
  /** Bytes read before it stopped (at most the limit). */
  readonly bytes: number;
}

const REPORT_JSON = String.raw`
const report = (buf) => {
  const sha256 = require('node:crypto').createHash('sha256').update(buf).digest('hex');
  const r = { bytes: buf.length, sha256, parsed: false };
  try {
    const v = JSON.parse(buf.toString('utf8'));
    r.parsed = true;
    if (Array.isArray(v)) r.items = v.length;
  } catch (e) {
    r.error = e.message;
  }
  process.stdout.write(JSON.stringify(r) + '\n');
};
`;

/** Reads all of stdin like `jq .` would, then reports its size, hash and whether it parsed. */
export function jsonReader(): PipeReader {
  return {
    script: String.raw`${REPORT_JSON}
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => report(Buffer.concat(chunks)));`,
  };
}

/**
 * Like `jsonReader`, but pauses `pauseMs` after every chunk: a slow consumer, so the writer
 * meets a full pipe buffer (64 KiB on Linux) and has to wait for it to drain.
 */
export function slowJsonReader(pauseMs: number): PipeReader {
  return {
    script: String.raw`${REPORT_JSON}
const pause = Number(process.argv[1]);
const chunks = [];
process.stdin.on('data', (c) => {
  chunks.push(c);
  process.stdin.pause();
  setTimeout(() => process.stdin.resume(), pause);
});
process.stdin.on('end', () => report(Buffer.concat(chunks)));`,
    args: [String(pauseMs)],
  };
}

/**
 * Reads `limit` bytes and exits, closing the pipe, as `| head -c N` does: the writer's next
 * write fails with EPIPE.
 */
export function headReader(limit: number): PipeReader {
  return {
    script: String.raw`
const limit = Number(process.argv[1]);
let bytes = 0;
process.stdin.on('data', (c) => {
  bytes += c.length;
  if (bytes >= limit) {
    process.stdout.write(JSON.stringify({ bytes: limit }) + '\n', () => process.exit(0));
  }
});
process.stdin.on('end', () => process.stdout.write(JSON.stringify({ bytes }) + '\n'));`,
    args: [String(limit)],
  };
}
