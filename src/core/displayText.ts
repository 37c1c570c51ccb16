/**
 * Text a server supplied (user names, directories, versions, pool names) on its way to a human.
 * Anyone who can edit a user in the directory the site syncs from can put bytes in a name, so a
 * name is untrusted input wherever it is shown.
 */

/**
 * C0 controls (U+0000–U+001F), DEL (U+007F) and C1 controls (U+0080–U+009F). ESC and BEL start
 * and end terminal escape sequences; U+009B is CSI on its own for terminals that read 8-bit
 * controls; CR, LF and TAB would let a name forge or misalign rows of a table.
 */
// oxlint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** What a control character becomes: visible, so a tampered name looks tampered. */
export const CONTROL_REPLACEMENT = '\uFFFD';

/**
 * `text` with every C0/C1 control character (and DEL) replaced by U+FFFD, so printing it cannot
 * drive the terminal that shows it. Replaced rather than removed: removing would let
 * `"adm\u0007in"` print exactly as `"admin"`, an impersonation the admin could not see. The
 * bytes of an escape sequence that are not controls (`[31m` after ESC) stay as harmless text.
 * Each control is one UTF-16 unit and so is U+FFFD: column widths stay the same.
 */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, CONTROL_REPLACEMENT);
}

/** Longest name kept whole, in code points. */
export const NAME_LIMIT = 1024;

/** Marks a name that was cut. */
export const ELLIPSIS = '…';

/**
 * `name` when it has at most 1,024 code points; otherwise its first 1,023 code points and "…",
 * so the result never exceeds 1,024 code points. Counted in code points, not UTF-16 units, so a
 * cut never separates the two halves of a surrogate pair (an emoji, a rare CJK ideograph). A
 * server can send names of any length; one megabyte-long name must not become every table's
 * column width or every audit line's size.
 */
export function boundName(name: string): string {
  // A code point takes one or two units: a name this short cannot have too many.
  if (name.length <= NAME_LIMIT) {
    return name;
  }
  let end = 0;
  let count = 0;
  while (end < name.length && count < NAME_LIMIT - 1) {
    end += isPairAt(name, end) ? 2 : 1;
    count++;
  }
  // Only the code point after the kept ones may be the last: then nothing needs cutting.
  const rest = name.length - end;
  if (rest === 1 || (rest === 2 && isPairAt(name, end))) {
    return name;
  }
  return name.slice(0, end) + ELLIPSIS;
}

/** True when a high surrogate at `i` is followed by a low one: one code point in two units. */
function isPairAt(text: string, i: number): boolean {
  const high = text.charCodeAt(i);
  if (high < 0xd800 || high > 0xdbff) {
    return false;
  }
  const low = text.charCodeAt(i + 1);
  return low >= 0xdc00 && low <= 0xdfff;
}
