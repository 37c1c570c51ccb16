import { strict as assert } from 'node:assert';
import { DailyAccumulator, daySpanOf, IdleDays, monthLabel, monthOfDay, monthSpan, parseMonthLabel, poolFromOverview, utcDay } from '../../../src/core/history';
import { diffAllocations, snapshotOf } from '../../../src/core/historyEvents';
import { isAuditEntry } from '../../../src/core/historyAudit';
import { DAY_MS } from '../../../src/core/model';
import { allocation, person } from './storeFixtures';

describe('history math (core)', () => {
  it('gives many series over one span the same point for each idle day, and the same values as without', () => {
    const span = { first: 20_000, last: 20_009 };
    const a = new DailyAccumulator(span);
    const b = new DailyAccumulator(span);
    a.add(20_002, 3, 0.3, 0);
    b.add(20_005, 0, 0, 12);
    const idle = new IdleDays();
    const [pa, pb] = [a.points(idle), b.points(idle)];
    assert.deepEqual(pa, a.points());
    assert.deepEqual(pb, b.points());
    assert.equal(pa[0], pb[0], 'one object for an idle day');
    assert.notEqual(pa[2], pb[2], 'a day with use is not the idle point');
    assert.ok(Object.isFrozen(pa[0]));
  });

  it('shares one frozen point among series with the same use on the same day, and keeps different uses apart', () => {
    const span = { first: 20_000, last: 20_003 };
    const [a, b, c] = [new DailyAccumulator(span), new DailyAccumulator(span), new DailyAccumulator(span)];
    a.add(20_001, 2, 0.2, 0);
    b.add(20_001, 2, 0.2, 0);
    c.add(20_001, 5, 0.5, 0);
    const idle = new IdleDays();
    const [pa, pb, pc] = [a.points(idle), b.points(idle), c.points(idle)];
    assert.equal(pa[1], pb[1], 'the same use on the same day: one object');
    assert.ok(Object.isFrozen(pa[1]));
    assert.notEqual(pa[1], pc[1]);
    assert.deepEqual([pa[1]?.loginPasses, pc[1]?.loginPasses], [2, 5]);
    assert.deepEqual(pc, c.points(), 'the same values as without sharing');
  });

  it('cuts windows into UTC days and months', () => {
    const mar1 = Date.UTC(2024, 2, 1);
    assert.deepEqual(daySpanOf({ from: mar1 - 1, to: mar1 + 1 }), { first: utcDay(mar1) - 1, last: utcDay(mar1) });
    assert.equal(daySpanOf({ from: mar1, to: mar1 }), null);
    assert.throws(() => daySpanOf({ from: 0, to: 20_000 * DAY_MS }), RangeError);
    const feb = monthOfDay(utcDay(mar1) - 1);
    assert.equal(monthLabel(feb), '2024-02');
    assert.equal(parseMonthLabel('2024-02'), feb);
    assert.ok(Number.isNaN(parseMonthLabel('2024-13')));
    const span = monthSpan(feb);
    assert.equal(span.last - span.first + 1, 29, 'a leap February');
  });

  it('diffs allocations between syncs', () => {
    const ann = person('ann');
    const prev = snapshotOf([allocation('1', ann), allocation('2', person('bob'), { quarantined: true })]);
    const next = snapshotOf([allocation('2', person('bob')), allocation('3', person('cid'), { quarantined: true })]);
    assert.deepEqual(
      diffAllocations(prev, next, Date.UTC(2026, 0, 2, 15), ['user']).map((e) => [e.allocationId, e.change, e.day]),
      [['2', 'reinstated', Date.UTC(2026, 0, 2)], ['3', 'assigned', Date.UTC(2026, 0, 2)], ['3', 'quarantined', Date.UTC(2026, 0, 2)], ['1', 'revoked', Date.UTC(2026, 0, 2)]],
    );
    assert.deepEqual(diffAllocations(null, next, 0, ['user']), []);
  });

  it('takes pool totals from an overview', () => {
    const tokens = { total: 100, available: 12.5, userPassCost: 1, loginPassCost: 0.1, userAccess: { allocated: 0, used: 0, quarantined: 0 }, loginAccess: { allocated: 0, used: 0, unavailable: 0 } };
    assert.deepEqual(poolFromOverview({ tokens, professional: null, analyzer: null, capacity: null, offeredKinds: [] }), { totalTokens: 100, availableTokens: 12.5, usedTokens: 87.5 });
    assert.equal(poolFromOverview({ tokens: null, professional: null, analyzer: null, capacity: null, offeredKinds: [] }), null);
  });

  it('tells an audit entry from a torn or foreign line', () => {
    const ok = { at: 1, actor: 'a', connection: 'c', action: 'assign', user: person('x'), kind: 'user', reason: { rule: 'heavy' }, outcome: 'done' };
    assert.ok(isAuditEntry(ok));
    assert.ok(!isAuditEntry({ ...ok, action: 'delete' }));
    assert.ok(!isAuditEntry({ ...ok, reason: { rules: 'x' } }));
    assert.ok(!isAuditEntry(null));
  });
});
