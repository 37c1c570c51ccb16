/** A query parameter value; undefined leaves the parameter out. */
export type QueryValue = string | number | boolean | undefined;

/**
 * `?a=1&b=two%20words`, or '' when nothing is left. Spaces become `%20`, not `+`: QRS filters
 * are full of spaces and quotes, and `%20` means a space to every server, `+` only to some.
 */
export function encodeQuery(query: Readonly<Record<string, QueryValue>> | undefined): string {
  if (!query) {
    return '';
  }
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) {
      pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
    }
  }
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
}
