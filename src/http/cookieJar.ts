import { parseCookie } from 'undici';

/**
 * Session cookies for one origin. The Qlik proxy answers the first authenticated call with a
 * session cookie; sending it back spares a fresh login (and a license check) on every call.
 * One transport talks to one origin, so domain and path scoping are not needed.
 */
export class CookieJar {
  private readonly cookies = new Map<string, { value: string; expires: number | null }>();

  /** @param now the clock, so expiry can be tested */
  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Stores the cookies of one response's `Set-Cookie` headers.
   * @returns the values stored, so the caller can teach its redactor about them
   */
  store(setCookie: string | readonly string[] | undefined): string[] {
    const lines = setCookie === undefined ? [] : typeof setCookie === 'string' ? [setCookie] : setCookie;
    const stored: string[] = [];
    for (const line of lines) {
      const cookie = parseCookie(line);
      if (!cookie) {
        continue;
      }
      const expires =
        cookie.maxAge !== undefined
          ? this.now() + cookie.maxAge * 1000
          : cookie.expires !== undefined
            ? new Date(cookie.expires).getTime()
            : null;
      if (expires !== null && expires <= this.now()) {
        this.cookies.delete(cookie.name);
      } else {
        this.cookies.set(cookie.name, { value: cookie.value, expires });
        stored.push(cookie.value);
      }
    }
    return stored;
  }

  /** The `Cookie` header value to send, or undefined when there is nothing to send. */
  header(): string | undefined {
    const now = this.now();
    const pairs: string[] = [];
    for (const [name, { value, expires }] of this.cookies) {
      if (expires !== null && expires <= now) {
        this.cookies.delete(name);
      } else {
        pairs.push(`${name}=${value}`);
      }
    }
    return pairs.length > 0 ? pairs.join('; ') : undefined;
  }
}
