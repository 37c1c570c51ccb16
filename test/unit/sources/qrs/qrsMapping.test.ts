import { strict as assert } from 'node:assert';
import { parseQrsDate, toAllocation, toOverview } from '../../../../src/sources/qrs/qrsMapping';
import { capacityMinutes, UsageRowMapper, UsageUsers } from '../../../../src/sources/qrs/qrsUsageRows';
import { asAccessTypeOverview, asAllocation, asAllocationList, asCount, asTable } from '../../../../src/sources/qrs/qrsWire';
import { QrsProtocolError } from '../../../../src/sources/qrs/qrsErrors';

const USER = { id: '107ac19b-9a9e-4b43-8a3c-2e7e3b0f1a2c', userId: 'jdoe', userDirectory: 'CORP', name: 'Jane Doe', privileges: null };

describe('qrsMapping', () => {
  it('maps an allocation, tolerating privileges: null', () => {
    const wire = asAllocation(
      { id: 'a1', privileges: null, createdDate: '2023-12-01T09:00:00.000Z', user: USER, lastUsed: '2024-01-10T08:00:00.000Z', quarantined: true, quarantineEnd: '2024-01-17T08:00:00.000Z' },
      'GET /qrs/license/useraccesstype/full',
    );
    assert.deepEqual(toAllocation(wire, 'user'), {
      id: 'a1',
      kind: 'user',
      user: { id: USER.id, directory: 'CORP', userId: 'jdoe', name: 'Jane Doe' },
      lastUsed: Date.UTC(2024, 0, 10, 8),
      allocatedAt: Date.UTC(2023, 11, 1, 9),
      quarantined: true,
      quarantineEnd: Date.UTC(2024, 0, 17, 8),
      userDeleted: false,
      excess: false,
    });
  });

  it('builds the holder of a deleted user from the deleted* fields', () => {
    const wire = asAllocation({ id: 'a2', user: null, deletedUserId: 'gone', deletedUserDirectory: 'CORP', quarantined: true, excess: true }, 'GET x');
    const allocation = toAllocation(wire, 'professional');
    assert.deepEqual(allocation.user, { id: 'CORP\\gone', directory: 'CORP', userId: 'gone', name: 'gone' });
    assert.equal(allocation.userDeleted, true);
    assert.equal(allocation.excess, true);
    assert.equal(allocation.lastUsed, null);
  });

  it('refuses an allocation without a holder, naming the call', () => {
    assert.throws(() => asAllocation({ id: 'a3' }, 'GET /qrs/license/useraccesstype/full'), (error: unknown) => {
      assert.ok(error instanceof QrsProtocolError);
      assert.match(error.message, /^The server answered GET \/qrs\/license\/useraccesstype\/full with something that is not a license allocation\. Is this a Qlik Sense repository\?$/);
      return true;
    });
  });

  it('leaves allocations without a holder out of a list and counts them, instead of failing the list', () => {
    const list = asAllocationList(
      [
        { id: 'a1', user: { id: 'u1', userId: 'ann', userDirectory: 'CORP' } },
        { id: 'a2' },
        { id: 'a3', user: null },
      ],
      'GET /qrs/license/useraccesstype/full',
    );
    assert.deepEqual(list.items.map((i) => i.id), ['a1']);
    assert.equal(list.withoutHolder, 2);
    // A malformed item is still a protocol error: only a valid one without a holder is skipped.
    assert.throws(() => asAllocationList([{ id: 'a4', quarantined: 'yes' }], 'GET x'), QrsProtocolError);
  });

  it('refuses an overview with no known section (an empty object would read as "every pass gone")', () => {
    for (const body of [{}, { totalTokens: 5 }, { tokensEnabled: true }]) {
      assert.throws(() => asAccessTypeOverview(body, 'GET /qrs/license/accesstypeoverview'), (error: unknown) => {
        assert.ok(error instanceof QrsProtocolError);
        assert.match(error.message, /^The server answered GET \/qrs\/license\/accesstypeoverview with something that is not an AccessTypeOverview\./);
        return true;
      });
    }
    assert.doesNotThrow(() => asAccessTypeOverview({ userAccess: { enabled: false } }, 'GET x'));
  });

  it('treats missing and placeholder dates as absent', () => {
    assert.equal(parseQrsDate(undefined), null);
    assert.equal(parseQrsDate(''), null);
    assert.equal(parseQrsDate('1753-01-01T00:00:00.000Z'), null);
    assert.equal(parseQrsDate('not a date'), null);
    assert.equal(parseQrsDate('2024-02-03T04:05:06.007Z'), Date.UTC(2024, 1, 3, 4, 5, 6, 7));
  });

  it('reads token costs from the server and offers the kinds that are enabled', () => {
    const overview = toOverview(
      asAccessTypeOverview(
        {
          totalTokens: 100,
          availableTokens: 20,
          tokensEnabled: true,
          userAccess: { enabled: true, tokenCost: 2, allocatedTokens: 50, usedTokens: 40, quarantinedTokens: 3 },
          loginAccess: { enabled: true, tokenCost: 0.2, allocatedTokens: 30, usedTokens: 10, unavailableTokens: 1 },
          professionalAccess: { enabled: false },
          analyzerAccess: { enabled: true, total: 10, allocated: 5, used: 4, quarantined: 0, excess: 0, available: 5 },
          analyzerTimeAccess: { enabled: true, allocatedMinutes: 600, usedMinutes: 60, unavailableMinutes: 0 },
        },
        'GET x',
      ),
    );
    assert.deepEqual(overview.offeredKinds, ['user', 'analyzer']);
    assert.equal(overview.tokens?.userPassCost, 2);
    assert.equal(overview.tokens?.loginPassCost, 0.2);
    assert.deepEqual(overview.tokens?.userAccess, { allocated: 50, used: 40, quarantined: 3 });
    assert.equal(overview.professional, null);
    assert.equal(overview.analyzer?.available, 5);
    assert.deepEqual(overview.capacity, { allocatedMinutes: 600, usedMinutes: 60, unavailableMinutes: 0 });
  });

  it('defaults token costs to 1 and 0.1 only when the server omits them', () => {
    const overview = toOverview({ tokensEnabled: true, userAccess: { enabled: true }, loginAccess: { enabled: true } });
    assert.equal(overview.tokens?.userPassCost, 1);
    assert.equal(overview.tokens?.loginPassCost, 0.1);
  });

  it('rounds capacity up to whole 6-minute units, at least one', () => {
    const start = Date.UTC(2024, 0, 1);
    assert.equal(capacityMinutes(start, start + 26 * 60_000), 30);
    assert.equal(capacityMinutes(start, start + 12 * 60_000), 12);
    assert.equal(capacityMinutes(start, start), 6);
    assert.equal(capacityMinutes(start, null), 6);
  });

  it('maps usage rows by column name, sharing one User per user across pages', () => {
    const mapper = new UsageRowMapper('loginPass', {
      id: 'id',
      userGuid: 'user.id',
      userId: 'user.userId',
      userDirectory: 'user.userDirectory',
      userName: 'user.name',
      start: 'useStartTime',
      stop: 'useStopTime',
      pool: 'loginAccessType.name',
    });
    const names = ['useStartTime', 'id', 'user.userId', 'user.userDirectory', 'user.name', 'user.id', 'useStopTime', 'loginAccessType.name'];
    const row = (id: string) => ['2024-01-01T10:00:00Z', id, 'jdoe', 'CORP', 'Jane', USER.id, null, 'Occasional'];
    const first = mapper.mapPage(names, [row('r1'), row('r2')], 'POST x');
    const second = mapper.mapPage([...names].reverse(), [[...row('r3')].reverse(), ['x', 'r4']], 'POST x');
    assert.deepEqual(first.map((r) => r.id), ['r1', 'r2']);
    assert.deepEqual(second.map((r) => r.id), ['r3']);
    assert.deepEqual([...mapper.dropped], [['without a readable record id', 1]]);
    assert.equal(first[0]?.user, second[0]?.user, 'the same User object');
    assert.equal(first[0]?.start, Date.UTC(2024, 0, 1, 10));
    assert.equal(first[0]?.stop, null);
    assert.equal(first[0]?.amount, 1);
    assert.equal(first[0]?.pool, 'Occasional');
    assert.throws(() => mapper.mapPage(['id'], [], 'POST /qrs/license/loginaccessusage/table'), /column "user.id" is missing/);
  });

  it('folds rows as mapPage maps them: the same records, drops and missing columns, in one reused object', () => {
    const columns = { id: 'id', userGuid: 'user.id', userId: 'user.userId', userDirectory: 'user.userDirectory', userName: 'user.name', start: 'useStartTime', pool: 'loginAccessType.name' };
    const names = ['id', 'user.id', 'user.userId', 'user.userDirectory', 'user.name', 'useStartTime', 'loginAccessType.name'];
    const rows = [
      ['r1', USER.id, 'jdoe', 'CORP', 'Jane', '2024-01-01T10:00:00.000Z', 'Occasional'],
      [null, USER.id, 'jdoe', 'CORP', 'Jane', '2024-01-01T10:00:00.000Z', 'Occasional'],
      ['r2', null, null, 'CORP', 'Nobody', '2024-01-01T10:00:00.000Z', null],
      ['r3', null, 'ann', 'CORP', null, 'last Tuesday', null],
      ['r4', null, 'ann', 'CORP', null, '2024-01-02T11:30:00Z', null],
    ];
    const mapped = new UsageRowMapper('loginPass', columns);
    const folded = new UsageRowMapper('loginPass', columns);
    const records = mapped.mapPage(names, rows, 'POST x');
    const seen: unknown[] = [];
    const objects = new Set<unknown>();
    folded.forEachRecord(names, rows, 'POST x', (r) => {
      objects.add(r);
      seen.push({ ...r });
    });
    assert.deepEqual(seen, records);
    assert.deepEqual(records.map((r) => r.id), ['r1', 'r4']);
    assert.equal(objects.size, 1);
    assert.deepEqual([...folded.dropped], [...mapped.dropped]);
    assert.deepEqual([...folded.dropped].sort(), [['without a readable record id', 1], ['without a readable start time', 1], ['without a readable user', 1]]);
    assert.throws(() => folded.forEachRecord(['id'], [], 'POST /qrs/license/loginaccessusage/table', () => undefined), (e: unknown) => e instanceof QrsProtocolError && /column "user.id" is missing/.test(e.message));
  });

  it('numbers users in order of first appearance, one User and one slot across the feeds of one read', () => {
    const users = new UsageUsers();
    const login = new UsageRowMapper('loginPass', { id: 'id', userGuid: 'user.id', userId: 'user.userId', userDirectory: 'user.userDirectory', userName: 'user.name', start: 'useStartTime', pool: 'loginAccessType.name' }, users);
    const capacity = new UsageRowMapper('capacityMinutes', { id: 'id', userGuid: 'user.id', userId: 'user.userId', userDirectory: 'user.userDirectory', userName: 'user.name', start: 'useStartTime', stop: 'useStopTime', pool: 'pool' }, users);
    const at = '2024-01-01T10:00:00.000Z';
    const logins = login.mapPage(['id', 'user.id', 'user.userId', 'user.userDirectory', 'user.name', 'useStartTime', 'loginAccessType.name'], [
      ['r1', USER.id, 'jdoe', 'CORP', 'Jane', at, null],
      ['r2', null, 'ann', 'CORP', 'Ann', at, null],
      ['r3', USER.id, 'jdoe', 'CORP', 'Jane', at, null],
      // A GUID not in QRS's lowercase form is another key, kept apart as before.
      ['r4', USER.id.toUpperCase(), 'jdoe2', 'CORP', 'Jane 2', at, null],
      ['r5', null, 'ann', 'CORP', 'Ann', at, null],
      ['r6', USER.id.toUpperCase(), 'jdoe2', 'CORP', 'Jane 2', at, null],
    ], 'POST x');
    const sessions = capacity.mapPage(['id', 'user.id', 'user.userId', 'user.userDirectory', 'user.name', 'useStartTime', 'useStopTime', 'pool'], [
      ['s1', 'g-bob', 'bob', 'CORP', 'Bob', at, at, null],
      ['s2', USER.id, 'jdoe', 'CORP', 'Jane', at, at, null],
    ], 'POST y');
    assert.deepEqual(logins.map((r) => [r.user.userId, r.userSlot]), [['jdoe', 0], ['ann', 1], ['jdoe', 0], ['jdoe2', 2], ['ann', 1], ['jdoe2', 2]]);
    assert.deepEqual(sessions.map((r) => [r.user.userId, r.userSlot]), [['bob', 3], ['jdoe', 0]]);
    assert.equal(logins[3]?.user.id, USER.id.toUpperCase());
    assert.equal(sessions[1]?.user, logins[0]?.user, 'one User object for Jane in both feeds');
    assert.equal(users.at(1).id, 'CORP\\ann', 'a user without a GUID is known by DIR\\id');
  });

  it('reads dates in the canonical form by arithmetic, agreeing with Date.parse on every input', () => {
    const asDate = (s: string): number | null => {
      const ms = Date.parse(s);
      return Number.isNaN(ms) || ms < Date.UTC(1990, 0, 1) ? null : ms;
    };
    const two = (n: number) => String(n).padStart(2, '0');
    let checked = 0;
    for (const year of [1989, 1990, 2000, 2023, 2024, 2100, 2400]) {
      for (let month = 0; month <= 13; month++) {
        for (const day of [0, 1, 28, 29, 30, 31, 32]) {
          for (const [hour, minute, second] of [[0, 0, 0], [23, 59, 59], [24, 0, 0], [12, 60, 0], [12, 0, 60]]) {
            const s = `${year}-${two(month)}-${two(day)}T${two(hour ?? 0)}:${two(minute ?? 0)}:${two(second ?? 0)}.${String(checked % 1000).padStart(3, '0')}Z`;
            assert.equal(parseQrsDate(s), asDate(s), s);
            checked++;
          }
        }
      }
    }
    for (const s of ['2024-01-0aT00:00:00.000Z', '2024-01-01T00:00:00.000z', '2024-01-01 00:00:00.000Z', '2024-01-01T00:00:00.000+', '2024-01-01T10:00:00Z', '2024-01-01T10:00:00.000+01:00']) {
      assert.equal(parseQrsDate(s), asDate(s), s);
    }
  });

  it('reads counts as a bare number or as QRS {value}', () => {
    assert.equal(asCount(5, 'x'), 5);
    assert.equal(asCount({ value: 7 }, 'x'), 7);
    assert.throws(() => asCount('5', 'x'), QrsProtocolError);
    assert.throws(() => asTable({ columnNames: ['a'], rows: [1] }, 'x'), QrsProtocolError);
  });
});
