import { QrsQueryError } from './qrsFilter';

/** One sort key of an `orderby`. */
export interface QrsSortKey {
  readonly path: string;
  readonly descending: boolean;
}

/**
 * Parses `orderby` (`name asc`, `useStartTime desc`, or a comma list of them; the direction is
 * optional and defaults to ascending). Throws QrsQueryError on anything else.
 */
export function parseQrsOrderBy(text: string): QrsSortKey[] {
  const keys: QrsSortKey[] = [];
  let offset = 0;
  for (const part of text.split(',')) {
    const pos = offset + 1 + (part.length - part.trimStart().length);
    offset += part.length + 1;
    const words = part.trim().split(/\s+/);
    const [path, direction, extra] = words;
    if (!path || extra !== undefined || !/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(path)) {
      throw new QrsQueryError(`Invalid orderby: expected 'property [asc|desc]' at position ${pos}.`, pos);
    }
    const dir = direction?.toLowerCase();
    if (dir !== undefined && dir !== 'asc' && dir !== 'desc') {
      throw new QrsQueryError(`Invalid orderby: '${direction}' is not asc or desc (position ${pos}).`, pos);
    }
    keys.push({ path, descending: dir === 'desc' });
  }
  return keys;
}
