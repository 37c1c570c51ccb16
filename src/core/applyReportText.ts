/**
 * What an admin reads after a plan ran, in the CLI and in VS Code alike: each change's outcome in
 * a line, and the run in one sentence that names what stopped it.
 */
import type { ApplyReport, ChangeResult } from './applyPlan';
import { OutcomeUnknownError, SwapIncompleteError } from './errors';
import { describeChange } from './planText';

/** What happened to one change, in words: the change's report, why it was skipped or failed; null when not run. */
export function resultDetail(r: ChangeResult): string | null {
  switch (r.status) {
    case 'done':
      return r.message;
    case 'skipped':
      return r.why;
    case 'failed':
      return r.error instanceof Error ? r.error.message : String(r.error);
    case 'notRun':
      return null;
  }
}

/** "2 done, 1 skipped, 0 failed, 0 not run." */
export function describeResultCounts(report: Pick<ApplyReport, 'results'>): string {
  const n = (status: ChangeResult['status']) => report.results.filter((r) => r.status === status).length;
  return `${n('done')} done, ${n('skipped')} skipped, ${n('failed')} failed, ${n('notRun')} not run.`;
}

/** The run in one message, and how loud it must be. */
export interface ApplySummary {
  /** `error`: a change failed or its outcome is unknown; `warning`: cancelled, or changes skipped. */
  readonly severity: 'info' | 'warning' | 'error';
  readonly message: string;
}

/** Sums up a run on the connection `name`, naming the change that stopped it. */
export function summarizeApply(report: ApplyReport, name: string): ApplySummary {
  const counts = describeResultCounts(report);
  const notRun = report.results.filter((r) => r.status === 'notRun').length;
  const after = notRun === 0 ? '' : ` The ${notRun === 1 ? 'change' : `${notRun} changes`} after it ${notRun === 1 ? 'was' : 'were'} not run.`;
  if (report.failure) {
    const what = describeChange(report.failure.change);
    const why = report.failure.error instanceof Error ? report.failure.error.message : String(report.failure.error);
    const error = report.failure.error;
    const message =
      error instanceof SwapIncompleteError
        ? `"${name}": the change to ${what} was half done: ${why}${after} ${counts}`
        : error instanceof OutcomeUnknownError
          ? `"${name}": the run stopped at the change to ${what}. ${why}${after} ${counts}`
          : `"${name}": the change to ${what} failed: ${why}${after} ${counts}`;
    return { severity: 'error', message };
  }
  if (report.cancelled) {
    return { severity: 'warning', message: `"${name}": cancelled before the next change. ${counts}` };
  }
  const skipped = report.results.filter((r) => r.status === 'skipped').length;
  if (skipped > 0) {
    return { severity: 'warning', message: `"${name}": the plan ran; ${skipped === 1 ? 'a change was' : `${skipped} changes were`} skipped because the server's state moved since planning. ${counts}` };
  }
  return { severity: 'info', message: `"${name}": the plan ran. ${counts}` };
}
