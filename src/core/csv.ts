/** CSV for spreadsheets, shared by the CLI's ranking export and the history panel's export. */

/** RFC 4180 line ends: what spreadsheet programs expect on every platform. */
export const CSV_EOL = '\r\n';

/**
 * One cell. Quoted when it holds a separator, quote or line break; text starting with `=`, `+`,
 * `-` or `@` gets a leading apostrophe, because user names come from a directory and a
 * spreadsheet would run them as formulas. Numbers and booleans are written as they are.
 */
export function csvCell(v: string | number | boolean): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) {
    s = `'${s}`;
  }
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
