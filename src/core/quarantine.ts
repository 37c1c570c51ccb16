import { formatDate } from './format';
import { DAY_MS, PASS_KIND_LABELS, type Allocation } from './model';

/** Qlik's rule: a pass removed within 7 days of its last use is quarantined until 7 days after it. */
export const QUARANTINE_DAYS = 7;

/** What revoking this allocation now is expected to do, for the confirmation an admin reads first. */
export interface RevokePreview {
  readonly quarantineUntil: number | null;
  readonly text: string;
}

/**
 * Predicts the server's answer from `lastUsed`; the server's own `quarantined`/`quarantineEnd`
 * after the DELETE remain the truth that gets reported.
 */
export function previewRevoke(allocation: Allocation, now: number): RevokePreview {
  const label = PASS_KIND_LABELS[allocation.kind];
  const last = allocation.lastUsed;
  if (last !== null && now - last < QUARANTINE_DAYS * DAY_MS) {
    const until = last + QUARANTINE_DAYS * DAY_MS;
    const caveat = allocation.kind === 'user' ? '' : ' (on sites licensed with a serial and control number; signed-key sites free it at once)';
    return {
      quarantineUntil: until,
      text: `The ${label} was used on ${formatDate(last)}, so it will be quarantined until ${formatDate(until)}${caveat}: it is not freed before then, and can be reinstated to this user meanwhile.`,
    };
  }
  return { quarantineUntil: null, text: `The ${label} was ${last === null ? 'never used' : `last used on ${formatDate(last)}`}, so it is freed at once.` };
}
