/** Replaces secrets in text bound for logs and error messages. */
export interface Redactor {
  /** The text with every known secret and every credential-looking value replaced by `***`. */
  redact(text: string): string;
  /** Learns a secret met at run time, such as a session cookie the server set. */
  add(secret: string): void;
}

/**
 * Shorter values are not treated as secrets: replacing every `ab` in a message would make it
 * unreadable, and a credential that short protects nothing anyway.
 */
const MIN_SECRET_LENGTH = 4;

// Credentials can reach a message through header dumps and URLs quoted by Node or undici, not
// only through our own text, so the patterns catch them wherever they appear.
const PATTERNS: readonly [RegExp, string][] = [
  [/\b(authorization|proxy-authorization|cookie|set-cookie)(["']?\s*[:=]\s*["']?)[^\r\n"']+/gi, '$1$2***'],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]+/g, 'Bearer ***'],
  [/\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '***'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '***'],
  [/\b(xrfkey=)[A-Za-z0-9]+/gi, '$1***'],
  [/\b(passphrase|password)(["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi, '$1$2***'],
];

/** A redactor that knows `secrets` up front and any added later. */
export function createRedactor(secrets: readonly (string | undefined)[] = []): Redactor {
  const known = new Set<string>();
  const add = (secret: string | undefined): void => {
    if (secret && secret.length >= MIN_SECRET_LENGTH) {
      known.add(secret);
    }
  };
  secrets.forEach(add);
  return {
    add,
    redact(text) {
      let out = text;
      // Longest first, so a secret that contains another is not left half-replaced.
      for (const secret of [...known].sort((a, b) => b.length - a.length)) {
        out = out.split(secret).join('***');
      }
      for (const [pattern, replacement] of PATTERNS) {
        out = out.replace(pattern, replacement);
      }
      return out;
    },
  };
}
