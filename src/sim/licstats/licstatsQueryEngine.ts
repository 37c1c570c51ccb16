/**
 * `filter`, `order`, `offset` and `limit` as the reference describes them (§3): filters narrow,
 * order is applied next, then offset and limit; `totalCount` counts the rows before paging.
 */
import type { FilterClause, OrderClause } from './licstatsContract';

/** A report row as the simulator answers it. */
export type SimRow = Readonly<Record<string, string | number | boolean>>;

/** One page and the count of every matching row. */
export interface QueryResult {
  readonly rows: readonly SimRow[];
  readonly totalCount: number;
}

function matches(row: SimRow, clause: FilterClause): boolean {
  const cell = row[clause.property];
  const { value, operator } = clause;
  switch (clause.kind) {
    case 'string':
      // "contains substring … case-insensitive"
      return typeof cell === 'string' && typeof value === 'string' && cell.toLowerCase().includes(value.toLowerCase());
    case 'number':
      return typeof cell === 'number' && typeof value === 'number' && compare(cell, value, operator);
    case 'date':
    case 'dateTime':
      // eq: during the day; lt: before it began; gt: after it ended. Day strings order as days do.
      return typeof cell === 'string' && typeof value === 'string' && compare(cell.slice(0, 10), value, operator);
    case 'enum':
      return Array.isArray(value) ? value.includes(cell as string | number) : cell === value;
  }
}

function compare<T extends string | number>(cell: T, value: T, operator: FilterClause['operator']): boolean {
  return operator === 'eq' ? cell === value : operator === 'lt' ? cell < value : cell > value;
}

function byOrder(clauses: readonly OrderClause[]): (a: SimRow, b: SimRow) => number {
  return (a, b) => {
    for (const { property, direction } of clauses) {
      const x = a[property];
      const y = b[property];
      if (x === y) {
        continue;
      }
      // Rows without the column sort last, whatever the direction.
      if (x === undefined || y === undefined) {
        return x === undefined ? 1 : -1;
      }
      const c = x < y ? -1 : 1;
      return direction === 'ASC' ? c : -c;
    }
    return 0;
  };
}

/**
 * Filters, orders (stably: rows keep the report's own order where the clauses tie) and pages.
 * @param limit undefined for every row from `offset`
 */
export function runQuery(rows: readonly SimRow[], filter: readonly FilterClause[], order: readonly OrderClause[], offset: number, limit: number | undefined): QueryResult {
  const kept = filter.length === 0 ? [...rows] : rows.filter((row) => filter.every((clause) => matches(row, clause)));
  if (order.length > 0) {
    kept.sort(byOrder(order));
  }
  return { rows: kept.slice(offset, limit === undefined ? undefined : offset + limit), totalCount: kept.length };
}
