import { strict as assert } from 'node:assert';
import type { ApplyReport } from '../../../src/core/applyPlan';
import { describeResultCounts, resultDetail, summarizeApply } from '../../../src/core/applyReportText';
import { failureKindOf, NotAppliedError, OutcomeUnknownError, ServerError, SwapIncompleteError } from '../../../src/core/errors';
import { PLAN, SWAP } from './planFixtures';

const [release, ann, bob] = PLAN.changes;
if (!release || !ann || !bob) throw new Error('fixture');

describe('the report after a plan ran', () => {
  it('says what happened to each change', () => {
    assert.equal(resultDetail({ change: ann, status: 'done', message: 'Assigned a user access pass to Ann Heavy (allocation a-9).' }), 'Assigned a user access pass to Ann Heavy (allocation a-9).');
    assert.equal(resultDetail({ change: ann, status: 'skipped', why: 'already holds a user access pass' }), 'already holds a user access pass');
    assert.equal(resultDetail({ change: ann, status: 'failed', error: new Error('refused') }), 'refused');
    assert.equal(resultDetail({ change: ann, status: 'notRun' }), null);
  });

  it('sums up a clean run', () => {
    const report: ApplyReport = {
      results: [
        { change: release, status: 'done', message: 'Revoked' },
        { change: ann, status: 'done', message: 'Assigned' },
      ],
      failure: null,
      cancelled: false,
    };
    assert.equal(describeResultCounts(report), '2 done, 0 skipped, 0 failed, 0 not run.');
    assert.deepEqual(summarizeApply(report, 'Main site'), { severity: 'info', message: '"Main site": the plan ran. 2 done, 0 skipped, 0 failed, 0 not run.' });
  });

  it('warns when changes were skipped because the state moved', () => {
    const report: ApplyReport = { results: [{ change: ann, status: 'skipped', why: 'already holds a user access pass' }, { change: bob, status: 'done', message: 'x' }], failure: null, cancelled: false };
    assert.deepEqual(summarizeApply(report, 'Main site'), {
      severity: 'warning',
      message: `"Main site": the plan ran; a change was skipped because the server's state moved since planning. 1 done, 1 skipped, 0 failed, 0 not run.`,
    });
  });

  it('warns of a cancel, which stops before the next change', () => {
    const report: ApplyReport = { results: [{ change: release, status: 'done', message: 'x' }, { change: ann, status: 'notRun' }, { change: bob, status: 'notRun' }], failure: null, cancelled: true };
    assert.deepEqual(summarizeApply(report, 'Main site'), { severity: 'warning', message: '"Main site": cancelled before the next change. 1 done, 0 skipped, 0 failed, 2 not run.' });
  });

  it('names the change that failed and what was not run after it', () => {
    const error = new NotAppliedError('assign a user access pass to CORP\\ann', new ServerError(409, 'POST /qrs/license/useraccesstype', 'no tokens'), 'readBack');
    const report: ApplyReport = {
      results: [{ change: release, status: 'done', message: 'x' }, { change: ann, status: 'failed', error }, { change: bob, status: 'notRun' }],
      failure: { change: ann, error },
      cancelled: false,
    };
    const s = summarizeApply(report, 'Main site');
    assert.equal(s.severity, 'error');
    assert.equal(
      s.message,
      `"Main site": the change to assign a user access pass to Ann Heavy (CORP\\ann) failed: ${error.message} The change after it was not run. 1 done, 0 skipped, 1 failed, 1 not run.`,
    );
  });

  it('names a change whose outcome is unknown as the one to check', () => {
    const error = new OutcomeUnknownError('revoke the user access pass of CORP\\cleo', 'socket hang up', 'timeout', 'Check CORP\\cleo in the QMC.');
    const report: ApplyReport = {
      results: [{ change: release, status: 'failed', error }, { change: ann, status: 'notRun' }, { change: bob, status: 'notRun' }],
      failure: { change: release, error },
      cancelled: false,
    };
    const s = summarizeApply(report, 'Main site');
    assert.equal(s.severity, 'error');
    assert.match(s.message, /^"Main site": the run stopped at the change to revoke the user access pass of Cleo Idle \(CORP\\cleo\)\. Outcome unknown: .* Check CORP\\cleo in the QMC\. The 2 changes after it were not run\. 0 done, 0 skipped, 1 failed, 2 not run\.$/);
  });

  it('says a swap whose release has an unknown outcome may have left both passes, and where to release the old one', () => {
    const cause = new OutcomeUnknownError('remove the professional access of CORP\\dora', 'socket hang up', 'timeout', 'Check CORP\\dora in the QMC.');
    const error = new SwapIncompleteError('CORP\\dora', { label: 'analyzer access', allocationId: 'a-1' }, { label: 'professional access', allocationId: 'p-7' }, cause, 'in the QMC, deallocate p-7');
    assert.equal(
      error.message,
      `CORP\\dora holds the new analyzer access (allocation a-1) and may still hold the professional access (allocation p-7): whether it was released is unknown. ${cause.message} If it is still there, release it by hand: in the QMC, deallocate p-7.`,
    );
    assert.equal(failureKindOf(error), 'outcomeUnknown', 'exits as an unknown outcome');
    const report: ApplyReport = { results: [{ change: SWAP, status: 'failed', error }, { change: ann, status: 'notRun' }], failure: { change: SWAP, error }, cancelled: false };
    assert.deepEqual(summarizeApply(report, 'Main site'), {
      severity: 'error',
      message: `"Main site": the change to swap the professional access of Dora Viewer (CORP\\dora) for an analyzer access was half done: ${error.message} The change after it was not run. 0 done, 0 skipped, 1 failed, 1 not run.`,
    });
  });
});
