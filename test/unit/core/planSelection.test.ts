import { strict as assert } from 'node:assert';
import { approvalFor, needsTypedName, selectChanges, typedNameProblem } from '../../../src/core/planSelection';
import { PLAN, SWAP_PLAN } from './planFixtures';

describe('applying part of a plan', () => {
  it('keeps the checked changes in the plan’s order, and the rest of the plan as it is', () => {
    const picked = selectChanges(PLAN, (i) => i !== 1);
    assert.deepEqual(picked.changes.map((c) => c.user.userId), ['cleo', 'bob']);
    assert.equal(picked.changes[0], PLAN.changes[0], 'the same change objects, premises included');
    assert.deepEqual({ ...picked, changes: [] }, { ...PLAN, changes: [] });
    assert.deepEqual(selectChanges(PLAN, () => false).changes, []);
    assert.deepEqual(selectChanges(PLAN, () => true).changes, PLAN.changes);
  });

  it('asks for the typed name above half the cap, a click at or below it', () => {
    assert.equal(needsTypedName(10, 20), false);
    assert.equal(needsTypedName(11, 20), true);
    assert.equal(needsTypedName(1, 3), false);
    assert.equal(needsTypedName(2, 3), true, '2 > 1.5');
    assert.equal(needsTypedName(1, 2), false);
    assert.equal(needsTypedName(2, 2), true);
    assert.equal(needsTypedName(1, 1), true, 'a cap of one: every run is the whole cap');
  });

  it('names the count and the connection in the modal', () => {
    const a = approvalFor(PLAN.changes.slice(0, 3), 'Main site', 6);
    assert.deepEqual(a, {
      kind: 'click',
      message: 'Apply 3 license changes to "Main site"?',
      detail: '2 assignments and 1 release. Each is checked against the server first, verified and audited; the run stops at the first failure.',
      action: 'Apply',
    });
    const one = approvalFor(PLAN.changes.slice(1, 2), 'Main site', 6);
    assert.ok(one.kind === 'click');
    assert.equal(one.message, 'Apply 1 license change to "Main site"?');
    assert.match(one.detail, /^1 assignment\. /);
  });

  it('asks for the connection’s name above half the cap, and accepts only that name', () => {
    const a = approvalFor(PLAN.changes, 'Main site', 4);
    assert.ok(a.kind === 'typeName');
    assert.equal(a.title, 'Apply 3 license changes to "Main site"');
    assert.equal(a.name, 'Main site');
    assert.match(a.prompt, /^2 assignments and 1 release: more than half the policy's cap of 4\. Type the connection's name, Main site, to apply them\./);
    assert.equal(typedNameProblem('Main site', 'Main site'), undefined);
    assert.equal(typedNameProblem('  Main site ', 'Main site'), undefined, 'surrounding spaces are forgiven');
    assert.equal(typedNameProblem('main site', 'Main site'), "Type the connection's name exactly: Main site");
    assert.equal(typedNameProblem('', 'Main site'), "Type the connection's name exactly: Main site");
  });

  it('counts swaps apart from assignments and releases', () => {
    const a = approvalFor(SWAP_PLAN.changes, 'Main site', 20);
    assert.ok(a.kind === 'click');
    assert.equal(a.message, 'Apply 4 license changes to "Main site"?');
    assert.match(a.detail, /^2 assignments, 1 release and 1 swap\. /);
    const swapOnly = approvalFor(SWAP_PLAN.changes.slice(1, 2), 'Main site', 1);
    assert.ok(swapOnly.kind === 'typeName');
    assert.match(swapOnly.prompt, /^1 swap: more than half/);
    assert.deepEqual(selectChanges(SWAP_PLAN, (i) => i === 1).changes, [SWAP_PLAN.changes[1]]);
  });
});
