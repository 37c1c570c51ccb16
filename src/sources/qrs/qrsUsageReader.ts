/**
 * A Qlik Sense site's usage, read through QRS `/table`: login passes, then analyzer capacity
 * where the site has it, page by page with the next pages already requested.
 */
import type { FoldOptions, ReadOptions } from '../../core/licenseSource';
import type { Logger } from '../../core/logger';
import type { UsageRecord, UsageWindow } from '../../core/model';
import { requestLine, type QrsClient } from './qrsClient';
import { qrsAnd, qrsClause, qrsDate } from './qrsFilter';
import { UsageRowMapper, UsageUsers, type UsageColumns } from './qrsUsageRows';
import type { Table, TableDefinition } from './qrsWire';

const DEFAULT_PAGE_SIZE = 20_000;

/** One kind of usage read through `/table`. */
interface UsageFeed {
  readonly path: string;
  /**
   * Table type name: the entity's schema path. Which name QRS expects for license entities is
   * UNVERIFIED (documentation examples only show `App`); the columns carry the meaning.
   */
  readonly type: string;
  readonly unit: 'loginPass' | 'capacityMinutes';
  readonly columns: UsageColumns;
}

const LOGIN_USAGE: UsageFeed = {
  path: 'license/loginaccessusage',
  type: 'License.LoginAccessUsage',
  unit: 'loginPass',
  columns: {
    id: 'id',
    userGuid: 'user.id',
    userId: 'user.userId',
    userDirectory: 'user.userDirectory',
    userName: 'user.name',
    start: 'useStartTime',
    pool: 'loginAccessType.name',
  },
};

const CAPACITY_USAGE: UsageFeed = {
  path: 'license/analyzertimeaccessusage',
  type: 'License.AnalyzerTimeAccessUsage',
  unit: 'capacityMinutes',
  columns: { ...LOGIN_USAGE.columns, stop: 'useStopTime', latestActivity: 'latestActivity', pool: 'analyzerTimeAccessType.name' },
};

function tableDefinition(feed: UsageFeed): TableDefinition {
  const definitions = Object.values(feed.columns).filter((column): column is string => column !== undefined);
  // columnType 1 = Property in the spec's enum; QRS documentation writes the same as "Property".
  return { type: feed.type, entity: feed.type, columns: definitions.map((definition) => ({ name: definition, columnType: 1, definition })) };
}

/** Reads usage for `QrsSource.usage` and `usageInto`. */
export class QrsUsageReader {
  private readonly pageSize: number;

  /** @param pageSize rows per `/table` request */
  constructor(
    private readonly client: QrsClient,
    pageSize: number | undefined,
    private readonly logger: Logger,
  ) {
    this.pageSize = Math.max(1, Math.floor(pageSize ?? DEFAULT_PAGE_SIZE));
  }

  /**
   * Login passes consumed in the window, then analyzer capacity when `hasCapacity` says the site
   * has it, one page of `pageSize` rows at a time.
   */
  async *pages(window: UsageWindow, hasCapacity: () => Promise<boolean>, options?: ReadOptions): AsyncGenerator<readonly UsageRecord[]> {
    const filter = usageFilter(window);
    const users = new UsageUsers();
    yield* this.feedPages(LOGIN_USAGE, filter, users, options);
    if (await hasCapacity()) {
      yield* this.feedPages(CAPACITY_USAGE, filter, users, options);
    }
  }

  /** The records `pages` yields, handed to `visit` one at a time in one object refilled per row. */
  async fold(window: UsageWindow, hasCapacity: () => Promise<boolean>, visit: (record: UsageRecord) => void, options?: FoldOptions): Promise<void> {
    const filter = usageFilter(window);
    const users = new UsageUsers();
    await this.foldFeed(LOGIN_USAGE, filter, users, visit, options);
    if (await hasCapacity()) {
      await this.foldFeed(CAPACITY_USAGE, filter, users, visit, options);
    }
  }

  private async *feedPages(feed: UsageFeed, filter: string, users: UsageUsers, options?: ReadOptions): AsyncGenerator<readonly UsageRecord[]> {
    const mapper = new UsageRowMapper(feed.unit, feed.columns, users);
    const request = requestLine('POST', `${feed.path}/table`);
    for await (const table of this.tables(feed, filter, options)) {
      // A record inserted mid-sync shifts later pages, so rows can repeat: core/usageTally drops
      // repeats by record id across the whole sync, as the history store does.
      const records = mapper.mapPage(table.columnNames, table.rows, request);
      if (records.length > 0) {
        yield records;
      }
    }
    this.reportDropped(feed, mapper, request, options);
  }

  private async foldFeed(feed: UsageFeed, filter: string, users: UsageUsers, visit: (record: UsageRecord) => void, options?: FoldOptions): Promise<void> {
    const mapper = new UsageRowMapper(feed.unit, feed.columns, users);
    const request = requestLine('POST', `${feed.path}/table`);
    for await (const table of this.tables(feed, filter, options)) {
      mapper.forEachRecord(table.columnNames, table.rows, request, visit);
      options?.onPage?.();
    }
    this.reportDropped(feed, mapper, request, options);
  }

  /** One feed's `/table` pages, in order, until a short page. */
  private async *tables(feed: UsageFeed, filter: string, options?: ReadOptions): AsyncGenerator<Table> {
    const definition = tableDefinition(feed);
    const fetchPage = (skip: number) =>
      // Sorted by id so that pages do not overlap or skip rows while the server orders them.
      this.client.table(feed.path, definition, { filter, skip, take: this.pageSize, sortColumn: 'id', orderAscending: true }, options);
    // Two pages are requested ahead of the one being mapped and consumed, so the server always
    // has the next page to work on while this process maps, tallies and collects garbage; at most
    // three pages are in memory at once. The price is one empty request past the last page.
    const AHEAD = 2;
    const queue: Promise<Table>[] = [];
    let skip = 0;
    const requestNext = () => {
      const page = fetchPage(skip);
      // Awaited in order below; a page abandoned after an earlier failure must not go unhandled.
      page.catch(() => undefined);
      queue.push(page);
      skip += this.pageSize;
    };
    for (let i = 0; i < AHEAD; i++) {
      requestNext();
    }
    for (let next = queue.shift(); next; next = queue.shift()) {
      const table: Table = await next;
      if (table.rows.length >= this.pageSize) {
        requestNext();
      } else {
        queue.length = 0;
      }
      yield table;
    }
  }

  private reportDropped(feed: UsageFeed, mapper: UsageRowMapper, request: string, options?: ReadOptions): void {
    for (const [reason, count] of mapper.dropped) {
      this.logger.warn(`${count} ${feed.path} rows ${reason} could not be counted and were left out of the usage.`);
      options?.onDropped?.({ what: 'usage rows', count, reason, request });
    }
  }
}

/** Usage that started inside the window. */
function usageFilter(window: UsageWindow): string {
  return qrsAnd(qrsClause('useStartTime', 'ge', qrsDate(window.from)), qrsClause('useStartTime', 'lt', qrsDate(window.to)));
}
