import { strict as assert } from 'node:assert';
import { changeKinds, changesByRule, describeChange, describePlanTotals, describeRule, planHeadline } from '../../../src/core/planText';
import { PLAN, POLICY, SWAP, SWAP_PLAN } from './planFixtures';

describe('a plan in words', () => {
  it('heads the plan with its counts and says each change as a sentence', () => {
    assert.equal(planHeadline(PLAN), '3 changes, 1 skipped');
    assert.equal(planHeadline({ changes: PLAN.changes.slice(0, 1), skipped: [] }), '1 change, 0 skipped');
    assert.equal(describeChange(PLAN.changes[0] ?? assert.fail()), 'revoke the user access pass of Cleo Idle (CORP\\cleo)');
    assert.equal(describeChange(PLAN.changes[1] ?? assert.fail()), 'assign a user access pass to Ann Heavy (CORP\\ann)');
  });

  it('groups the changes by rule in run order, and says what each rule does', () => {
    assert.deepEqual(changesByRule(PLAN), [
      { rule: 'release[0]', indexes: [0] },
      { rule: 'upgrade[0]', indexes: [1, 2] },
    ]);
    assert.equal(describeRule(POLICY, 'upgrade[0]'), 'assign a user access pass to heavy users');
    assert.equal(describeRule(POLICY, 'release[0]'), 'release passes unused for 30 days (user access pass, professional access)');
    assert.equal(describeRule(POLICY, 'upgrade[7]'), 'upgrade[7]');
  });

  it('gives the totals the CLI prints in its header', () => {
    assert.deepEqual(describePlanTotals(PLAN.totals, 2), ['Tokens: 10 available → 9 after the plan (uses 2, frees 1); reserve 2 tokens.']);
  });

  it('says a swap as one change from one kind to the other', () => {
    assert.equal(describeChange(SWAP), 'swap the professional access of Dora Viewer (CORP\\dora) for an analyzer access');
    assert.equal(describeChange({ ...SWAP, action: 'assign' }), 'assign an analyzer access to Dora Viewer (CORP\\dora)');
    assert.deepEqual(SWAP_PLAN.changes.map(changeKinds), ['user', 'professional→analyzer', 'user', 'user']);
    assert.equal(describeRule(POLICY, 'swap[0]'), 'swap professional access for analyzer access');
    assert.deepEqual(changesByRule(SWAP_PLAN).map((r) => r.rule), ['release[0]', 'swap[0]', 'upgrade[0]']);
  });
});
