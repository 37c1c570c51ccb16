import type { RankedUser } from '../core/ranking';
import type { ListKey } from './rankingIndex';

/** One built item, and until when it reads as it would if built afresh. */
export interface BuiltItem<T> {
  readonly item: T;
  /** Epoch ms; Infinity for an item nothing in it ages. */
  readonly validUntil: number;
}

interface Page<T> {
  readonly items: readonly T[];
  readonly builtAt: number;
  readonly validUntil: number;
}

/**
 * The TreeItems of one sync result's lists, built a page at a time. VS Code asks again for every
 * item of a list each time the list changes, and a "Show more" is such a change: without this,
 * seeing 80,000 users 100 at a time built 32 million TreeItems. Now a page is built when the
 * first of its items is asked for, and kept until one of its items would read differently (an
 * age in a description moved on), so each "Show more" builds the new page only.
 *
 * Each list (the flat ranking, and each action group of the grouped tree) has pages of its own.
 */
export class PagedTreeItems<T> {
  private readonly lists = new Map<ListKey, Map<number, Page<T>>>();
  private count = 0;

  /**
   * @param pageSize users per page, as the tree pages its lists
   * @param list the users of a list, in the order the tree shows them
   * @param build one user's item, and until when it holds
   */
  constructor(
    readonly pageSize: number,
    private readonly list: (key: ListKey) => readonly RankedUser[],
    private readonly build: (r: RankedUser, now: number) => BuiltItem<T>,
  ) {}

  /** Items built so far. */
  get built(): number {
    return this.count;
  }

  /** The item of the user at `position` (0-based) of list `key`, as at `now`. */
  item(key: ListKey, position: number, now: number): T {
    const number = Math.floor(position / this.pageSize);
    let pages = this.lists.get(key);
    if (!pages) {
      pages = new Map();
      this.lists.set(key, pages);
    }
    let page = pages.get(number);
    // A clock set back would show ages from the future: build again then too.
    if (!page || now >= page.validUntil || now < page.builtAt) {
      page = this.buildPage(key, number, now);
      pages.set(number, page);
    }
    const item = page.items[position - number * this.pageSize];
    if (item === undefined) {
      throw new RangeError(`No user at position ${position} of list ${key}.`);
    }
    return item;
  }

  private buildPage(key: ListKey, number: number, now: number): Page<T> {
    const users = this.list(key).slice(number * this.pageSize, (number + 1) * this.pageSize);
    let validUntil = Infinity;
    const items = users.map((r) => {
      const built = this.build(r, now);
      validUntil = Math.min(validUntil, built.validUntil);
      return built.item;
    });
    this.count += items.length;
    return { items, builtAt: now, validUntil };
  }
}
