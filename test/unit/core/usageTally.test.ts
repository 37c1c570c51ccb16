import { strict as assert } from 'node:assert';
import { DAY_MS, type UsageRecord, type User } from '../../../src/core/model';
import { RecordIdSet } from '../../../src/core/recordIdSet';
import { UsageTally } from '../../../src/core/usageTally';

const NOW = Date.UTC(2026, 10, 23, 12);
const ann: User = { id: 'g-ann', directory: 'CORP', userId: 'ann', name: 'Ann' };
const bob: User = { id: 'g-bob', directory: 'CORP', userId: 'bob', name: 'Bob' };

function login(id: string, user: User, daysAgo = 1): UsageRecord {
  return { id, user, start: NOW - daysAgo * DAY_MS, stop: null, unit: 'loginPass', amount: 1, pool: null };
}
function capacity(id: string, user: User, minutes: number): UsageRecord {
  return { id, user, start: NOW - DAY_MS, stop: null, unit: 'capacityMinutes', amount: minutes, pool: null };
}

describe('UsageTally', () => {
  const window = { from: NOW - 28 * DAY_MS, to: NOW };

  it('counts a record repeated on any later page once, however far apart the pages are', () => {
    const tally = new UsageTally(window);
    const page1 = Array.from({ length: 500 }, (_, i) => login(`r${i}`, i % 2 ? ann : bob));
    const page2 = Array.from({ length: 500 }, (_, i) => login(`r${500 + i}`, ann));
    // The probe's server repeated 499 records of the first page three pages later.
    const page4 = [...page1.slice(1), login('r-last', bob)];
    for (const page of [page1, page2, [], page4]) {
      tally.add(page);
    }
    assert.equal(tally.recordCount, 1001);
    assert.equal(tally.repeatCount, 499);
    assert.equal(tally.users().get('g-ann')?.loginPasses, 250 + 500);
    assert.equal(tally.users().get('g-bob')?.loginPasses, 250 + 1);
  });

  it('keeps the larger amount of a capacity session seen twice, as the store does', () => {
    const tally = new UsageTally(window);
    tally.add([capacity('s1', ann, 12)]);
    tally.add([capacity('s1', ann, 30), capacity('s1', ann, 18)]);
    assert.equal(tally.users().get('g-ann')?.capacityMinutes, 30);
    assert.equal(tally.recordCount, 1);
  });

  it('tells login and capacity records with the same id apart (different server tables)', () => {
    const tally = new UsageTally(window);
    tally.add([login('same', ann), capacity('same', ann, 6)]);
    assert.equal(tally.recordCount, 2);
    assert.equal(tally.users().get('g-ann')?.loginPasses, 1);
    assert.equal(tally.users().get('g-ann')?.capacityMinutes, 6);
  });

  it('finds totals by slot only when the slot holds the very user, whatever slots other reads gave', () => {
    const tally = new UsageTally(window);
    const slotted = (id: string, user: User, userSlot: number): UsageRecord => ({ ...login(id, user), userSlot });
    // Two reads numbered their users apart: slot 0 is Ann in one and Bob in the other.
    tally.add([slotted('a1', ann, 0), slotted('b1', bob, 1), slotted('a2', ann, 0)]);
    tally.add([slotted('b2', bob, 0), slotted('a3', ann, 1), slotted('b3', bob, 0)]);
    // A third read's own object for Ann (same id), and records with no slot at all.
    const annAgain: User = { ...ann };
    tally.add([slotted('a4', annAgain, 0), login('a5', ann), login('b4', bob)]);
    assert.equal(tally.users().get('g-ann')?.loginPasses, 5);
    assert.equal(tally.users().get('g-bob')?.loginPasses, 4);
    assert.equal(tally.users().size, 2);
  });

  it('ignores records outside the window', () => {
    const tally = new UsageTally(window);
    tally.add([login('old', ann, 40), login('new', ann, 1)]);
    assert.equal(tally.recordCount, 1);
  });
});

describe('RecordIdSet', () => {
  it('holds 200,000 ids through its growth and finds each again', () => {
    const set = new RecordIdSet();
    for (let i = 0; i < 200_000; i++) {
      assert.equal(set.add('loginPass', `id-${i}`, 20_000 + (i % 28), 1).fresh, true);
    }
    assert.equal(set.size, 200_000);
    for (let i = 0; i < 200_000; i += 997) {
      assert.deepEqual(set.add('loginPass', `id-${i}`, 20_000 + (i % 28), 1), { fresh: false, more: 0 });
    }
    // The same id on another day is another record (the store keys by day too).
    assert.equal(set.add('loginPass', 'id-0', 19_000, 1).fresh, true);
  });

  it('keeps whole, fractional and very large amounts exactly through its growth, and counts only what a repeat adds', () => {
    const set = new RecordIdSet();
    const amountOf = (i: number) => (i % 3 === 0 ? 0.25 * (i % 7) : i % 3 === 1 ? 6 * (i % 11) : 3e9 + i);
    for (let i = 0; i < 50_000; i++) {
      assert.equal(set.add('hours', `h-${i}`, 20_000, amountOf(i)).fresh, true);
    }
    for (let i = 0; i < 50_000; i += 101) {
      assert.deepEqual(set.add('hours', `h-${i}`, 20_000, amountOf(i)), { fresh: false, more: 0 });
      assert.deepEqual(set.add('hours', `h-${i}`, 20_000, amountOf(i) + 0.1), { fresh: false, more: amountOf(i) + 0.1 - amountOf(i) });
      assert.deepEqual(set.add('hours', `h-${i}`, 20_000, amountOf(i)), { fresh: false, more: 0 }, 'the larger amount was kept');
    }
  });

  describe('ids in rising order (QRS pages sorted by id)', () => {
    // Zero-padded, so their text order is their number order, as sorted GUIDs are.
    const id = (i: number) => `rec-${String(i).padStart(7, '0')}`;

    it('finds every record again after 150,000 rising ids, whichever comes back out of order', () => {
      const set = new RecordIdSet();
      for (let i = 0; i < 150_000; i++) {
        assert.equal(set.add('loginPass', id(i), 20_000 + (i % 28), 1).fresh, true);
      }
      // A page boundary repeating the row before it: the first id that does not rise.
      assert.deepEqual(set.add('loginPass', id(149_999), 20_000 + (149_999 % 28), 1), { fresh: false, more: 0 });
      for (let i = 0; i < 150_000; i += 1009) {
        assert.deepEqual(set.add('loginPass', id(i), 20_000 + (i % 28), 1), { fresh: false, more: 0 }, id(i));
      }
      // Rising again after that, and on another day, records are still new.
      assert.equal(set.add('loginPass', id(150_000), 20_000, 1).fresh, true);
      assert.equal(set.add('loginPass', id(0), 19_000, 1).fresh, true);
      assert.equal(set.size, 150_002);
    });

    it('lets each unit rise on its own, and keeps fractional amounts through the change to a table', () => {
      const set = new RecordIdSet();
      for (let i = 0; i < 1000; i++) {
        assert.equal(set.add('loginPass', id(i), 20_000, 1).fresh, true);
      }
      // The capacity feed starts again from the lowest id: another table, so nothing repeats.
      for (let i = 0; i < 1000; i++) {
        assert.equal(set.add('capacityMinutes', id(i), 20_000, 2.5 + i).fresh, true);
      }
      assert.equal(set.size, 2000);
      assert.deepEqual(set.add('capacityMinutes', id(7), 20_000, 9.5), { fresh: false, more: 0 });
      assert.deepEqual(set.add('capacityMinutes', id(7), 20_000, 12), { fresh: false, more: 2.5 }, 'a session that grew adds only what it grew by');
      assert.deepEqual(set.add('loginPass', id(7), 20_000, 1), { fresh: false, more: 0 });
      assert.equal(set.size, 2000);
    });
  });
});
