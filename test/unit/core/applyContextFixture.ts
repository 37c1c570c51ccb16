import { strict as assert } from 'node:assert';
import type { ApplyContext } from '../../../src/core/applyPlan';
import type { AuditEntry } from '../../../src/core/historyAudit';

/** An apply context whose audit sink appends to `audit` and never fails; `over` replaces fields. */
export function recordingContext(audit: AuditEntry[], fields: Pick<ApplyContext, 'actor' | 'connection' | 'now'>, over: Partial<ApplyContext> = {}): ApplyContext {
  return {
    ...fields,
    audit: { append: async (e) => void audit.push(e) },
    onOutcomeNotWritten: () => assert.fail('the audit sink does not fail here'),
    ...over,
  };
}
