/**
 * The allocation-change markers of a history chart, from the two places that know of changes:
 * the audit log (what License Steward changed, and why) and the syncs (what changed on the
 * server, whoever did it). A change License Steward made is seen by the next sync too; it gets
 * one marker, not two.
 */
import { isAppliedChange, type AuditEntry } from '../core/historyAudit';
import type { AllocationEvent } from '../core/historyEvents';
import { DAY_MS, userKey, type PassKind } from '../core/model';
import type { ChartEvent } from '../protocol/historyMessages';

/** A change on its way to becoming a marker, with what matching needs to know about it. */
interface Change {
  readonly at: number;
  readonly kind: ChartEvent['kind'];
  readonly user: string;
  /** Null for a change about the user rather than a pass (disable). */
  readonly passKind: PassKind | null;
  /** The allocation the change was about, where its record names it. */
  readonly allocationId: string | undefined;
  readonly source: string;
}

// A kind changed in place is the new kind assigned; a disabled user gave their seat back.
const AUDIT_CHANGE: Readonly<Record<AuditEntry['action'], ChartEvent['kind']>> = { assign: 'assigned', revoke: 'revoked', reinstate: 'reinstated', changeKind: 'assigned', disable: 'revoked' };

/** `assigned (allocation a9)` and `reinstated (allocation a9)` name it; a revocation does not. */
const NAMED_ALLOCATION = /\(allocation ([^)]+)\)/;

function fromAudit(a: AuditEntry): Change {
  return {
    at: a.at,
    // The audit says what the server's state showed after the revocation: freed or quarantined.
    kind: a.action === 'revoke' && /quarantined/.test(a.outcome) ? 'quarantined' : AUDIT_CHANGE[a.action],
    user: userKey(a.user),
    passKind: a.kind,
    allocationId: NAMED_ALLOCATION.exec(a.outcome)?.[1],
    source: a.reason === 'manual' ? 'manual' : `rule: ${a.reason.rule}`,
  };
}

function fromSync(e: AllocationEvent): Change {
  return {
    at: e.at,
    kind: e.change === 'userDeleted' ? 'deleted' : e.change,
    user: userKey(e.user),
    passKind: e.kind,
    allocationId: e.allocationId,
    source: 'seen by sync',
  };
}

/** Which pass of which user: names in `DIR\id` are case-insensitive on every known system. */
function passOf(c: Change): string {
  return `${c.user.toLowerCase()}\u0000${c.passKind}`;
}

/**
 * The markers for `seen` (changes syncs saw) and `audit` (the log's lines), oldest first.
 *
 * Of the audit log only applied changes count: an intent, a refused write or one of unknown
 * outcome did not change any allocation, and a marker for it would tell the admin otherwise.
 *
 * An applied change and a sync sighting are one change when they are about the same user's pass
 * of the same kind (and the same allocation, where the audit names it), are the same kind of
 * change, and the sync ran at or after the audit line: a sync can only see a change after it is
 * made, on the same day or a later one. The sighting must also come before License Steward's next
 * change to that pass, or it may be that change's (or a later change made in the QMC). The marker
 * keeps the audit's day and source, which say who changed it and why; a sync's sighting says
 * neither.
 */
export function chartEvents(seen: readonly AllocationEvent[], audit: readonly AuditEntry[]): ChartEvent[] {
  const ours = audit.filter(isAppliedChange).map(fromAudit);
  const sightings = seen.map(fromSync);
  const merged = new Set<Change>();
  const sightingsOf = groupByPass(sightings);
  for (const [pass, changes] of groupByPass(ours)) {
    const candidates = sightingsOf.get(pass) ?? [];
    changes.forEach((change, i) => {
      const next = changes[i + 1];
      const sighting = candidates.find(
        (s) =>
          !merged.has(s) &&
          s.kind === change.kind &&
          s.at >= change.at &&
          (next === undefined || s.at < next.at) &&
          (change.allocationId === undefined || change.allocationId === s.allocationId),
      );
      if (sighting) {
        merged.add(sighting);
      }
    });
  }
  // Stable: on a tie the audit's line comes first, as it was written before the sync ran.
  return [...ours, ...sightings.filter((s) => !merged.has(s))]
    .sort((a, b) => a.at - b.at)
    .map((c) => ({ day: Math.floor(c.at / DAY_MS) * DAY_MS, kind: c.kind, user: c.user, source: c.source }));
}

/** Changes per pass, each list oldest first. */
function groupByPass(changes: readonly Change[]): Map<string, Change[]> {
  const out = new Map<string, Change[]>();
  for (const c of [...changes].sort((a, b) => a.at - b.at)) {
    const pass = passOf(c);
    const list = out.get(pass);
    if (list) {
      list.push(c);
    } else {
      out.set(pass, [c]);
    }
  }
  return out;
}
