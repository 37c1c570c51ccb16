import { strict as assert } from 'node:assert';
import { diffAllocations, keptSnapshot, snapshotOf } from '../../../src/core/historyEvents';
import type { Allocation, PassKind, User } from '../../../src/core/model';

const person = (id: string): User => ({ id, directory: 'CORP', userId: id, name: id.toUpperCase() });
const allocation = (id: string, holder: string, kind: PassKind = 'user'): Allocation => ({
  id,
  kind,
  user: person(holder),
  lastUsed: null,
  quarantined: false,
  quarantineEnd: null,
  userDeleted: false,
  excess: false,
});

const AT = Date.UTC(2026, 0, 2, 15);

describe('allocation changes (core)', () => {
  const previous = snapshotOf([allocation('U1', 'ann'), allocation('U2', 'bob'), allocation('P1', 'cid', 'professional'), allocation('Z1', 'dee', 'analyzer')]);

  it('revokes only allocations of the kinds the sync listed', () => {
    const next = snapshotOf([allocation('U1', 'ann'), allocation('U3', 'eve')]);
    assert.deepEqual(
      diffAllocations(previous, next, AT, ['user']).map((e) => [e.allocationId, e.change]),
      [['U3', 'assigned'], ['U2', 'revoked']],
    );
  });

  it('sees no change at all in a sync that listed no kind (an overview answered as {})', () => {
    assert.deepEqual(diffAllocations(previous, [], AT, []), []);
  });

  it('still reports an allocation of an unlisted kind that the sync did see', () => {
    const next = snapshotOf([allocation('P2', 'eve', 'professional')]);
    assert.deepEqual(
      diffAllocations(previous, next, AT, []).map((e) => [e.allocationId, e.change]),
      [['P2', 'assigned']],
    );
  });

  it('keeps the last-seen allocations of unlisted kinds, sorted with what the sync saw', () => {
    const next = snapshotOf([allocation('U1', 'ann'), allocation('Q1', 'fay', 'professional')]);
    assert.deepEqual(
      keptSnapshot(previous, next, ['user']).map((a) => a.id),
      ['P1', 'Q1', 'U1', 'Z1'],
    );
    assert.deepEqual(keptSnapshot(previous, [], []), previous, 'nothing listed: everything kept as it was');
    assert.deepEqual(keptSnapshot(previous, [], ['user', 'professional', 'analyzer']), [], 'everything listed: only what was seen');
    assert.deepEqual(keptSnapshot(null, next, []), next, 'the first sync keeps what it saw');
  });
});
