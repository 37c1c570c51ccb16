/**
 * When the transport tries again, and how long it waits. Pure functions: the transport owns
 * the loop and the clock.
 */

/** Statuses after which a read is worth repeating: the server or a proxy had a bad moment. */
const RETRYABLE_READ_STATUSES = new Set([429, 500, 502, 503, 504]);

/**
 * Statuses whose `Retry-After` means "not processed, send it again later". The transport waits
 * it out for reads only; for a write it is reported, and the write is repeated once only after
 * reading back shows it was not applied.
 */
const NOT_PROCESSED_STATUSES = new Set([429, 503]);

/**
 * Network failures where the request most likely never reached the application. Refused
 * connections and unknown hosts are left out on purpose: they are configuration mistakes, and
 * the admin should hear so at once instead of after a round of back-off.
 */
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENETRESET',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** Longest back-off between attempts, whatever the attempt number. */
const MAX_BACKOFF_MS = 10_000;

/** Only reads may be repeated blindly; a repeated POST could allocate a second pass. POSTs that only read say so per request. */
export function isIdempotent(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

/** Whether a read that got `status` should be tried again. */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_READ_STATUSES.has(status);
}

/** Whether `status` with a Retry-After header allows repeating any method. */
export function isNotProcessedStatus(status: number): boolean {
  return NOT_PROCESSED_STATUSES.has(status);
}

/** Whether a network failure with this Node/undici code is worth another read. */
export function isRetryableNetworkCode(code: string | undefined): boolean {
  return code !== undefined && RETRYABLE_NETWORK_CODES.has(code);
}

/**
 * Exponential back-off with jitter, so many clients that failed together do not return together.
 * @param attempt 0 for the first retry
 * @param baseMs the first delay before jitter
 * @param random a number in [0, 1)
 */
export function backoffMs(attempt: number, baseMs: number, random: number): number {
  const exponential = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** attempt);
  return Math.round(exponential / 2 + (exponential / 2) * random);
}

/**
 * Milliseconds a `Retry-After` value asks for: delta-seconds or an HTTP date.
 * @returns undefined when the header is absent or unreadable
 */
export function parseRetryAfter(value: string | readonly string[] | undefined, now: number): number | undefined {
  const text = typeof value === 'string' ? value.trim() : value?.[0]?.trim();
  if (!text) {
    return undefined;
  }
  if (/^\d+$/.test(text)) {
    return Number(text) * 1000;
  }
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
