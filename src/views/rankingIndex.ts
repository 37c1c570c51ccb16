import { actionGroupOf, groupByAction, type ActionGroup, type ActionGroupKind } from '../core/actionGroups';
import type { RankedUser } from '../core/ranking';
import { summarize, type SiteSummary } from '../core/siteSummary';
import type { SyncResult } from '../core/sync';
import { UserLabels } from '../core/userLabels';
import type { UserElement } from './treeElements';

/** Which list a page belongs to: one action group, or the flat ranking. */
export type ListKey = ActionGroupKind | 'flat';

/**
 * What the tree derives from one sync result, each part computed at most once and only when first
 * asked for: the action groups, the labels that tell same-named users apart, the summary, and the
 * user elements (made as their page is first shown, then reused so VS Code and `reveal` see the
 * same objects). A new sync result gets a new index; nothing here is recomputed per render.
 */
export class RankingIndex {
  private groupList: readonly ActionGroup[] | undefined;
  private byKind: ReadonlyMap<ActionGroupKind, ActionGroup> | undefined;
  private positions: ReadonlyMap<RankedUser, number> | undefined;
  private userLabels: UserLabels | undefined;
  private siteSummary: SiteSummary | undefined;
  private readonly elements = new Map<RankedUser, UserElement>();

  constructor(
    private readonly connectionId: string,
    private readonly result: SyncResult,
  ) {}

  /** The non-empty action groups, the two jobs first. */
  groups(): readonly ActionGroup[] {
    if (!this.groupList) {
      this.groupList = groupByAction(this.result.ranked);
      this.byKind = new Map(this.groupList.map((g) => [g.kind, g]));
      const positions = new Map<RankedUser, number>();
      for (const g of this.groupList) {
        g.users.forEach((r, i) => positions.set(r, i));
      }
      this.positions = positions;
    }
    return this.groupList;
  }

  /** One group, or undefined when the ranking has nobody in it. */
  group(kind: ActionGroupKind): ActionGroup | undefined {
    this.groups();
    return this.byKind?.get(kind);
  }

  /** The users of a list, in rank order. */
  list(key: ListKey): readonly RankedUser[] {
    return key === 'flat' ? this.result.ranked : (this.group(key)?.users ?? []);
  }

  /** The list a user is in, for the given layout. */
  listOf(r: RankedUser, flat: boolean): ListKey {
    return flat ? 'flat' : actionGroupOf(r);
  }

  /** A user's 0-based position in its list (rank order), or -1 when it is not in this result. */
  positionIn(key: ListKey, r: RankedUser): number {
    if (key === 'flat') {
      return this.result.ranked[r.rank - 1] === r ? r.rank - 1 : -1;
    }
    this.groups();
    return this.positions?.get(r) ?? -1;
  }

  /**
   * The row of this result that shows the same person as `r` (which may come from an earlier
   * result): same user id, or for a deleted user the same allocation.
   */
  find(r: RankedUser): RankedUser | undefined {
    if (this.result.ranked[r.rank - 1] === r) {
      return r;
    }
    const key = rowKey(r);
    return this.result.ranked.find((x) => rowKey(x) === key);
  }

  /** Labels that add `DIR\id` to names shared within the connection. */
  labels(): UserLabels {
    this.userLabels ??= new UserLabels(this.result.ranked.map((r) => r.user));
    return this.userLabels;
  }

  /** The sums the CLI prints. */
  summary(): SiteSummary {
    this.siteSummary ??= summarize(this.result.ranked);
    return this.siteSummary;
  }

  /** The one element for a user of this result. */
  element(r: RankedUser): UserElement {
    let e = this.elements.get(r);
    if (!e) {
      e = { type: 'user', connectionId: this.connectionId, ranked: r };
      this.elements.set(r, e);
    }
    return e;
  }
}

/**
 * What tells ranking rows apart across syncs, and the tail of a user node's id: the user, or for
 * a deleted user (whose id the server no longer has) the allocation it left behind.
 */
export function rowKey(r: RankedUser): string {
  return r.allocation?.userDeleted ? `deleted:${r.allocation.id}` : r.user.id;
}
