/**
 * What an admin reads after a change, in the CLI and in VS Code alike, and the outcome line
 * the audit log keeps. A change made despite an unclear answer says so: the admin should know
 * the server misbehaved even though the pass is where it should be.
 */
import type { ChangeDone } from './auditedChange';
import { trimServerMessage } from './errors';
import { formatDate } from './format';
import { PASS_KIND_LABELS, PASS_KIND_WITH_ARTICLE, type Allocation, type PassKind, type RevokeOutcome, type User } from './model';
import type { AppliedWrite } from './verifiedWrite';

/** A change done, with the sentence the admin reads. */
export interface ChangeReport<T> extends ChangeDone<T> {
  /** The CLI's line: names the allocation, which scripts may parse. */
  readonly message: string;
  /**
   * The same sentence without the allocation id, for a notification: a GUID means nothing to
   * the person reading it (the log and the audit keep it).
   */
  readonly shortMessage: string;
}

function unclearNote(w: AppliedWrite<unknown>): string {
  const repeated = w.repeatedAfter === undefined ? '' : ` The server first answered that it did not process it (${trimServerMessage(w.repeatedAfter)}); reading back agreed, so it was sent once more after the wait the server asked for.`;
  const unclear = w.unclearAnswer === null ? '' : ` The server's answer was not clean (${trimServerMessage(w.unclearAnswer)}), but reading back shows the change was made.`;
  return repeated + unclear;
}

/** What the audit keeps of the answers when they were not one clean success. */
function answers(w: AppliedWrite<unknown>): string | null {
  const parts = [w.repeatedAfter === undefined ? null : `first: ${w.repeatedAfter} (not applied; sent again)`, w.unclearAnswer].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(' | ') : null;
}

/** After an assignment; `who` is how the admin names the user. */
export function assignedReport(who: string, kind: PassKind, w: AppliedWrite<Allocation>): ChangeReport<Allocation> {
  const label = PASS_KIND_WITH_ARTICLE[kind];
  const note = unclearNote(w);
  return {
    ...w,
    unclearAnswer: answers(w),
    message: `Assigned ${label} to ${who} (allocation ${w.value.id}).${note}`,
    shortMessage: `Assigned ${label} to ${who}.${note}`,
    outcome: `assigned (allocation ${w.value.id})`,
  };
}

/** After a revocation: freed, or quarantined until when, as the server's state says. */
export function revokedReport(who: string, kind: PassKind, w: AppliedWrite<RevokeOutcome>): ChangeReport<RevokeOutcome> {
  const label = PASS_KIND_LABELS[kind];
  const note = unclearNote(w);
  // Only user access passes cost tokens; a professional or analyzer access frees a seat of its own.
  const freed = kind === 'user' ? 'the token' : 'the license';
  if (w.value.kind === 'freed') {
    const message = `Revoked the ${label} of ${who}; ${freed} is freed.${note}`;
    return { ...w, unclearAnswer: answers(w), message, shortMessage: message, outcome: 'revoked; freed' };
  }
  const until = w.value.until === null ? 'the server frees it' : formatDate(w.value.until);
  const message = `Revoked the ${label} of ${who}; it is quarantined until ${until} and ${freed} is not freed before then.${note}`;
  return {
    ...w,
    unclearAnswer: answers(w),
    message,
    shortMessage: message,
    outcome: `revoked; quarantined until ${until}`,
  };
}

/** After a reinstatement the server's state confirmed. */
export function reinstatedReport(who: string, w: AppliedWrite<Allocation>): ChangeReport<Allocation> {
  const label = PASS_KIND_LABELS[w.value.kind];
  const note = unclearNote(w);
  return {
    ...w,
    unclearAnswer: answers(w),
    message: `Reinstated the ${label} of ${who} (allocation ${w.value.id}).${note}`,
    shortMessage: `Reinstated the ${label} of ${who}.${note}`,
    outcome: `reinstated (allocation ${w.value.id})`,
  };
}

/** After disabling a user the server's state confirmed (Qlik Cloud capacity tenants). */
export function disabledReport(who: string, w: AppliedWrite<User>): ChangeReport<User> {
  const note = unclearNote(w);
  const message = `Disabled ${who}; they no longer count as a Full User, and enabling them again on the tenant's Users page gives their access back.${note}`;
  return { ...w, unclearAnswer: answers(w), message, shortMessage: `Disabled ${who}.${note}`, outcome: 'disabled' };
}

/** After a pass changed kind in place (Qlik Cloud: professional ↔ analyzer), as the server's state confirmed. */
export function changedKindReport(who: string, from: PassKind, w: AppliedWrite<Allocation>): ChangeReport<Allocation> {
  const note = unclearNote(w);
  const what = `Changed the ${PASS_KIND_LABELS[from]} of ${who} to ${PASS_KIND_WITH_ARTICLE[w.value.kind]}`;
  return { ...w, unclearAnswer: answers(w), message: `${what} (allocation ${w.value.id}).${note}`, shortMessage: `${what}.${note}`, outcome: `changed from ${from} to ${w.value.kind} (allocation ${w.value.id})` };
}
