import type { ListKey } from './rankingIndex';

/**
 * How many pages of each list (each action group, and the flat ranking) the tree shows per
 * connection. Kept per connection rather than per sync result, so the admin keeps their place
 * when an assignment re-syncs the list they were working down.
 */
export class ListPaging {
  private readonly pages = new Map<string, Map<ListKey, number>>();

  /** Users shown of a list: whole pages, at least one. */
  shown(connectionId: string, key: ListKey, pageSize: number): number {
    return (this.pages.get(connectionId)?.get(key) ?? 1) * pageSize;
  }

  /** Shows one more page of a list. */
  showMore(connectionId: string, key: ListKey): void {
    this.set(connectionId, key, (this.pages.get(connectionId)?.get(key) ?? 1) + 1);
  }

  /** Pages far enough that the first `count` users show; true when that added pages. */
  showAtLeast(connectionId: string, key: ListKey, count: number, pageSize: number): boolean {
    const needed = Math.max(1, Math.ceil(count / pageSize));
    if (needed <= (this.pages.get(connectionId)?.get(key) ?? 1)) {
      return false;
    }
    this.set(connectionId, key, needed);
    return true;
  }

  /** Forgets connections that are gone. */
  retain(connectionIds: ReadonlySet<string>): void {
    for (const id of this.pages.keys()) {
      if (!connectionIds.has(id)) {
        this.pages.delete(id);
      }
    }
  }

  private set(connectionId: string, key: ListKey, pages: number): void {
    let m = this.pages.get(connectionId);
    if (!m) {
      m = new Map();
      this.pages.set(connectionId, m);
    }
    m.set(key, pages);
  }
}
