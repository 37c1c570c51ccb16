import { strict as assert } from 'node:assert';
import { ListPaging } from '../../../src/views/listPaging';
import { RankingIndex, rowKey } from '../../../src/views/rankingIndex';
import { syncResult } from './treeFixtures';

describe('RankingIndex', () => {
  it('groups once and finds each user in its list', () => {
    const result = syncResult(5);
    const index = new RankingIndex('c1', result);
    assert.equal(index.groups(), index.groups(), 'computed once');
    assert.deepEqual(index.groups().map((g) => g.kind), ['assign', 'revoke', 'quarantined', 'holds', 'keep']);
    const assign = index.list('assign');
    assert.deepEqual(assign.map((r) => r.user.name), ['Filler 1', 'Filler 2', 'Filler 3', 'Filler 4', 'Filler 5']);
    assert.equal(index.positionIn('assign', assign[3]!), 3);
    const pedro = result.ranked.find((r) => r.user.directory === 'EXT');
    assert.ok(pedro);
    assert.equal(index.listOf(pedro, false), 'keep');
    assert.equal(index.positionIn('keep', pedro), 1);
    assert.equal(index.positionIn('flat', pedro), pedro.rank - 1);
  });

  it('labels same-named users apart', () => {
    const index = new RankingIndex('c1', syncResult());
    const labels = index.list('keep').map((r) => index.labels().label(r.user));
    assert.deepEqual(labels, ['Pedro Ahmed (CORP\\pedro.ahmed)', 'Pedro Ahmed (EXT\\pahmed)']);
    assert.equal(index.labels().label(index.list('revoke')[0]!.user), 'Ida Idle');
  });

  it('gives one element per user, and finds a user of an earlier sync in a later one', () => {
    const first = new RankingIndex('c1', syncResult());
    const r = first.list('assign')[1]!;
    assert.equal(first.element(r), first.element(r));
    assert.deepEqual(first.element(r), { type: 'user', connectionId: 'c1', ranked: r });
    const later = new RankingIndex('c1', syncResult());
    const found = later.find(r);
    assert.ok(found && found !== r);
    assert.equal(rowKey(found), rowKey(r));
    assert.equal(later.find({ ...r, rank: 999, user: { ...r.user, id: 'gone' } }), undefined);
  });
});

describe('ListPaging', () => {
  it('pages each list of each connection on its own', () => {
    const p = new ListPaging();
    assert.equal(p.shown('c1', 'assign', 10), 10);
    p.showMore('c1', 'assign');
    assert.equal(p.shown('c1', 'assign', 10), 20);
    assert.equal(p.shown('c1', 'revoke', 10), 10);
    assert.equal(p.shown('c2', 'assign', 10), 10);
  });

  it('pages far enough for a position, in whole pages, and says when it did', () => {
    const p = new ListPaging();
    assert.equal(p.showAtLeast('c1', 'keep', 10, 10), false, 'the first page shows 10');
    assert.equal(p.showAtLeast('c1', 'keep', 35, 10), true);
    assert.equal(p.shown('c1', 'keep', 10), 40);
    assert.equal(p.showAtLeast('c1', 'keep', 12, 10), false, 'never pages back');
  });

  it('forgets connections that are gone', () => {
    const p = new ListPaging();
    p.showMore('c1', 'flat');
    p.showMore('c2', 'flat');
    p.retain(new Set(['c2']));
    assert.equal(p.shown('c1', 'flat', 10), 10);
    assert.equal(p.shown('c2', 'flat', 10), 20);
  });
});
