import { strict as assert } from 'node:assert';
import type { User } from '../../../src/core/model';
import { shownName, UserLabels } from '../../../src/core/userLabels';

const u = (directory: string, userId: string, name: string): User => ({ id: `${directory}/${userId}`, directory, userId, name });

describe('UserLabels', () => {
  const pedroCorp = u('CORP', 'pedro.ahmed', 'Pedro Ahmed');
  const pedroExt = u('EXT', 'pahmed', 'Pedro Ahmed');
  const ann = u('CORP', 'ann', 'Ann Lee');

  it('adds DIR\\id only to names another user of the connection shows too', () => {
    const labels = new UserLabels([pedroCorp, ann, pedroExt]);
    assert.equal(labels.label(ann), 'Ann Lee');
    assert.equal(labels.label(pedroCorp), 'Pedro Ahmed (CORP\\pedro.ahmed)');
    assert.equal(labels.label(pedroExt), 'Pedro Ahmed (EXT\\pahmed)');
    assert.equal(labels.isShared(ann), false);
    assert.equal(labels.isShared(pedroExt), true);
  });

  it('counts names a reader cannot tell apart as the same', () => {
    const labels = new UserLabels([u('A', 'x', 'José Ruiz'), u('B', 'y', ' jose\u0301 ruiz')]);
    assert.equal(labels.label(u('A', 'x', 'José Ruiz')), 'José Ruiz (A\\x)');
  });

  it('falls back to the user id for a nameless user', () => {
    const nameless = u('INTERNAL', 'sa_api', '');
    assert.equal(shownName(nameless), 'sa_api');
    assert.equal(new UserLabels([nameless, u('CORP', 'sa_api', '')]).label(nameless), 'sa_api (INTERNAL\\sa_api)');
  });
});
