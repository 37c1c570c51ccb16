/**
 * Allocation changes between two syncs. Servers only say what is allocated now; comparing with
 * what the previous sync saw is the only way to learn when a pass came or went.
 */
import type { Allocation, PassKind, User } from './model';
import { utcDay, dayStart } from './history';

/** What happened to an allocation between two syncs. */
export type AllocationChange =
  /** A new allocation appeared. */
  | 'assigned'
  /** The allocation is gone (revoked outright, or its quarantine ended). */
  | 'revoked'
  /** The allocation was revoked into quarantine: the token is held until quarantineEnd. */
  | 'quarantined'
  /** A quarantined allocation is in use again. */
  | 'reinstated'
  /** The holder was deleted from the user directory. */
  | 'userDeleted';

/** One allocation change, stamped with the sync that first saw it. */
export interface AllocationEvent {
  /** The sync that saw the change, epoch ms. */
  readonly at: number;
  /** UTC midnight of that sync's day, epoch ms. */
  readonly day: number;
  readonly allocationId: string;
  readonly kind: PassKind;
  readonly change: AllocationChange;
  readonly user: User;
}

/** What the store remembers of one allocation to compare the next sync with. */
export interface AllocationSnapshotEntry {
  readonly id: string;
  readonly kind: PassKind;
  readonly user: User;
  readonly quarantined: boolean;
  readonly userDeleted: boolean;
}

const byId = (a: { readonly id: string }, b: { readonly id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The comparable part of allocations, sorted by id so equal sets compare equal. */
export function snapshotOf(allocations: readonly Allocation[]): AllocationSnapshotEntry[] {
  return allocations
    .map((a) => ({
      id: a.id,
      kind: a.kind,
      user: { id: a.user.id, directory: a.user.directory, userId: a.user.userId, name: a.user.name },
      quarantined: a.quarantined,
      userDeleted: a.userDeleted,
    }))
    .sort(byId);
}

/**
 * The changes from `previous` to `next`, seen at `at`. Without a previous snapshot (the first
 * sync of a store) there are none: every pass would otherwise look assigned that day.
 *
 * `listedKinds` are the kinds whose allocation lists the sync actually read. Only those can
 * lose an allocation: a kind the sync did not list (the server's overview stopped naming it, or
 * answered `{}`) says nothing about its passes, and reading its absence as revocations once
 * wrote 164 false ones.
 */
export function diffAllocations(
  previous: readonly AllocationSnapshotEntry[] | null,
  next: readonly AllocationSnapshotEntry[],
  at: number,
  listedKinds: readonly PassKind[],
): AllocationEvent[] {
  if (!previous) {
    return [];
  }
  const day = dayStart(utcDay(at));
  const events: AllocationEvent[] = [];
  const event = (a: AllocationSnapshotEntry, change: AllocationChange) =>
    events.push({ at, day, allocationId: a.id, kind: a.kind, change, user: a.user });
  const before = new Map(previous.map((a) => [a.id, a]));
  for (const a of next) {
    const p = before.get(a.id);
    before.delete(a.id);
    if (!p) {
      event(a, 'assigned');
      if (a.quarantined) {
        event(a, 'quarantined');
      }
    } else if (!p.quarantined && a.quarantined) {
      event(a, 'quarantined');
    } else if (p.quarantined && !a.quarantined) {
      event(a, 'reinstated');
    }
    if (a.userDeleted && !p?.userDeleted) {
      event(a, 'userDeleted');
    }
  }
  for (const p of before.values()) {
    if (listedKinds.includes(p.kind)) {
      event(p, 'revoked');
    }
  }
  return events;
}

/**
 * The snapshot to keep after a sync: what it saw, plus the previous entries of kinds it did not
 * list, unchanged, so that a later sync listing that kind again is compared with what was last
 * seen of it rather than with nothing.
 */
export function keptSnapshot(
  previous: readonly AllocationSnapshotEntry[] | null,
  next: readonly AllocationSnapshotEntry[],
  listedKinds: readonly PassKind[],
): AllocationSnapshotEntry[] {
  const seen = new Set(next.map((a) => a.id));
  const carried = (previous ?? []).filter((p) => !listedKinds.includes(p.kind) && !seen.has(p.id));
  return carried.length ? [...next, ...carried].sort(byId) : [...next];
}
