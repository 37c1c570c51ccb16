import { strict as assert } from 'node:assert';
import type { AuditEntry } from '../../../src/core/historyAudit';
import type { AllocationChange, AllocationEvent } from '../../../src/core/historyEvents';
import type { PassKind, User } from '../../../src/core/model';
import { chartEvents } from '../../../src/panels/chartEvents';

const DAY = 86_400_000;
const D0 = Date.UTC(2026, 10, 2);
/** Day `d` after D0 at `hour` UTC. */
const at = (d: number, hour: number): number => D0 + d * DAY + hour * 3_600_000;
const day = (d: number): number => D0 + d * DAY;

const ann: User = { id: 'g-ann', directory: 'CORP', userId: 'ann', name: 'Ann Lee' };
const bob: User = { id: 'g-bob', directory: 'CORP', userId: 'bob', name: 'Bob Roe' };

let changeNo = 0;

/** An applied change as auditedChange writes it: the intent, then the outcome. */
function applied(when: number, action: AuditEntry['action'], outcome: string, more: Partial<AuditEntry> = {}): AuditEntry[] {
  const base = { actor: 'admin', connection: 'c1', action, user: ann, kind: 'user' as PassKind, reason: 'manual' as const, changeId: `c${changeNo++}`, ...more };
  return [
    { ...base, at: when - 1000, phase: 'intent', outcome: 'requested' },
    { ...base, at: when, phase: 'outcome', result: 'applied', outcome },
  ];
}

/** What a sync saw change. */
function seen(when: number, change: AllocationChange, allocationId: string, more: Partial<AllocationEvent> = {}): AllocationEvent {
  return { at: when, day: Math.floor(when / DAY) * DAY, allocationId, kind: 'user', change, user: ann, ...more };
}

type Row = [day: number, kind: string, user: string, source: string];

function markers(events: readonly AllocationEvent[], audit: readonly AuditEntry[]): Row[] {
  return chartEvents(events, audit).map((e) => [e.day, e.kind, e.user, e.source]);
}

describe('chartEvents', () => {
  it('makes one marker of a change and the sync that saw it, keeping the audit day and source', () => {
    assert.deepEqual(
      markers(
        [seen(at(0, 15), 'assigned', 'a9'), seen(at(3, 6), 'quarantined', 'a9')],
        [...applied(at(0, 10), 'assign', 'assigned (allocation a9)'), ...applied(at(2, 23), 'revoke', 'revoked; quarantined until 2026-11-11', { reason: { rule: 'inactive-30-days' } })],
      ),
      [
        [day(0), 'assigned', 'CORP\\ann', 'manual'],
        // Seen by the next morning's sync, a day later: still the same change.
        [day(2), 'quarantined', 'CORP\\ann', 'rule: inactive-30-days'],
      ],
    );
  });

  it('keeps a sighting from before the change: that sync saw something else', () => {
    assert.deepEqual(markers([seen(at(0, 8), 'assigned', 'a1')], applied(at(0, 10), 'assign', 'assigned (allocation a9)')), [
      [day(0), 'assigned', 'CORP\\ann', 'seen by sync'],
      [day(0), 'assigned', 'CORP\\ann', 'manual'],
    ]);
  });

  it('merges only the same user, pass kind, kind of change and named allocation', () => {
    const events = [
      seen(at(1, 6), 'assigned', 'a9', { user: bob }),
      seen(at(1, 6), 'assigned', 'p1', { kind: 'professional' }),
      seen(at(1, 6), 'revoked', 'a9'),
      seen(at(1, 6), 'assigned', 'a7'),
    ];
    assert.deepEqual(markers(events, applied(at(0, 10), 'assign', 'assigned (allocation a9)')), [
      [day(0), 'assigned', 'CORP\\ann', 'manual'],
      [day(1), 'assigned', 'CORP\\bob', 'seen by sync'],
      [day(1), 'assigned', 'CORP\\ann', 'seen by sync'],
      [day(1), 'revoked', 'CORP\\ann', 'seen by sync'],
      [day(1), 'assigned', 'CORP\\ann', 'seen by sync'],
    ]);
  });

  it('matches users case-insensitively, and a revocation whose outcome names no allocation', () => {
    const shouting: User = { ...ann, directory: 'corp', userId: 'ANN' };
    assert.deepEqual(markers([seen(at(1, 6), 'revoked', 'a9', { user: shouting })], applied(at(0, 10), 'revoke', 'revoked; freed')), [[day(0), 'revoked', 'CORP\\ann', 'manual']]);
  });

  it('leaves a later change on the same pass to the sync that saw it, not to an earlier change of ours', () => {
    // Assigned and revoked by License Steward before any sync looked; later assigned in the QMC.
    const audit = [...applied(at(0, 10), 'assign', 'assigned (allocation a1)'), ...applied(at(0, 11), 'revoke', 'revoked; freed')];
    assert.deepEqual(markers([seen(at(5, 6), 'assigned', 'a1')], audit), [
      [day(0), 'assigned', 'CORP\\ann', 'manual'],
      [day(0), 'revoked', 'CORP\\ann', 'manual'],
      [day(5), 'assigned', 'CORP\\ann', 'seen by sync'],
    ]);
  });

  it('marks no intent, refusal or unknown outcome, so their sightings stay the sync’s', () => {
    const base = { actor: 'admin', connection: 'c1', user: ann, kind: 'user', reason: 'manual' } as const;
    const audit: AuditEntry[] = [
      { ...base, at: at(0, 9), changeId: 'x1', phase: 'intent', action: 'revoke', outcome: 'requested' },
      { ...base, at: at(0, 10), changeId: 'x2', phase: 'intent', action: 'assign', outcome: 'requested' },
      { ...base, at: at(0, 10), changeId: 'x2', phase: 'outcome', result: 'notApplied', action: 'assign', outcome: 'not applied', serverAnswer: '409 Conflict' },
      { ...base, at: at(0, 11), changeId: 'x3', phase: 'intent', action: 'reinstate', outcome: 'requested' },
      { ...base, at: at(0, 11), changeId: 'x3', phase: 'outcome', result: 'unknown', action: 'reinstate', outcome: 'outcome unknown', serverAnswer: 'socket hang up' },
    ];
    assert.deepEqual(markers([seen(at(1, 6), 'assigned', 'a2'), seen(at(1, 6), 'reinstated', 'a3')], audit), [
      [day(1), 'assigned', 'CORP\\ann', 'seen by sync'],
      [day(1), 'reinstated', 'CORP\\ann', 'seen by sync'],
    ]);
  });

  it('merges an entry written before intents existed, and keeps the quarantine ending the sync saw', () => {
    const legacy: AuditEntry = { at: at(0, 10), actor: 'admin', connection: 'c1', action: 'revoke', user: ann, kind: 'user', reason: 'manual', outcome: 'revoked; quarantined until 2026-11-09' };
    assert.deepEqual(markers([seen(at(0, 12), 'quarantined', 'a9'), seen(at(7, 6), 'revoked', 'a9'), seen(at(7, 6), 'userDeleted', 'a9')], [legacy]), [
      [day(0), 'quarantined', 'CORP\\ann', 'manual'],
      [day(7), 'revoked', 'CORP\\ann', 'seen by sync'],
      [day(7), 'deleted', 'CORP\\ann', 'seen by sync'],
    ]);
  });

  it('pairs repeated changes in order: each sighting with the change just before it', () => {
    const audit = [...applied(at(0, 10), 'assign', 'assigned (allocation a1)'), ...applied(at(2, 10), 'revoke', 'revoked; freed'), ...applied(at(4, 10), 'assign', 'assigned (allocation a2)')];
    const events = [seen(at(5, 6), 'assigned', 'a2'), seen(at(3, 6), 'revoked', 'a1'), seen(at(1, 6), 'assigned', 'a1')];
    assert.deepEqual(markers(events, audit), [
      [day(0), 'assigned', 'CORP\\ann', 'manual'],
      [day(2), 'revoked', 'CORP\\ann', 'manual'],
      [day(4), 'assigned', 'CORP\\ann', 'manual'],
    ]);
  });
});
