/**
 * The audit entry of one change License Steward made to a license system. Plain data: user ids,
 * names and outcomes, never credentials.
 */
import type { PassKind, User } from './model';
import { PASS_KINDS } from './model';

/** What License Steward did. */
/**
 * What a change did. `changeKind` turns a pass into another kind in place (Qlik Cloud: professional
 * ↔ analyzer); `disable` disables the user (Qlik Cloud capacity tenants, where that releases a
 * Full User).
 */
export type AuditAction = 'assign' | 'revoke' | 'reinstate' | 'changeKind' | 'disable';

/** Why: an admin acting by hand, or a named policy rule. */
export type AuditReason = 'manual' | { readonly rule: string };

/**
 * What became of a change: `applied` (the server's state shows it), `notApplied` (it does not,
 * or the request never left), `unknown` (the answer was unclear and the state could not be read).
 */
export type AuditResult = 'applied' | 'notApplied' | 'unknown';

/** Every result, for validation. */
export const AUDIT_RESULTS: readonly AuditResult[] = ['applied', 'notApplied', 'unknown'];

/**
 * One line of the audit log. A change writes two: its `intent` before the request and its
 * `outcome` after, sharing a `changeId`, so a crash between them leaves the intent visible with
 * no outcome. Entries written before intents existed carry neither field and are outcomes of
 * applied changes.
 */
export interface AuditEntry {
  /** When the line was written, epoch ms. */
  readonly at: number;
  /** Who made it: the admin's OS or VS Code account, or the scheduler's identity. */
  readonly actor: string;
  /** The connection id the change went through. */
  readonly connection: string;
  readonly action: AuditAction;
  readonly user: User;
  /** The pass kind the change is about (the new kind for `changeKind`); null for `disable`, which is about the user. */
  readonly kind: PassKind | null;
  readonly reason: AuditReason;
  /** The change's outcome in words ("assigned (allocation …)", "quarantined until 2026-12-01"); "requested" for an intent. */
  readonly outcome: string;
  /** Links an intent to its outcome. */
  readonly changeId?: string;
  /** `intent` before the request, `outcome` after it; absent on entries of older versions (outcomes). */
  readonly phase?: 'intent' | 'outcome';
  /** What became of the change (outcomes only). */
  readonly result?: AuditResult;
  /** What the server answered when it did not answer cleanly (status and message, redacted). */
  readonly serverAnswer?: string;
}

/** Whether an entry records a change the server's state shows as made (what charts mark). */
export function isAppliedChange(entry: AuditEntry): boolean {
  return entry.phase !== 'intent' && (entry.result === undefined || entry.result === 'applied');
}

const ACTIONS: readonly string[] = ['assign', 'revoke', 'reinstate', 'changeKind', 'disable'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const optionalString = (v: unknown): boolean => v === undefined || typeof v === 'string';

/** Whether a parsed JSON value is an audit entry (a log line may be torn or hand-edited). */
export function isAuditEntry(v: unknown): v is AuditEntry {
  if (!isObject(v) || !isObject(v.user)) {
    return false;
  }
  const u = v.user;
  const reason = v.reason;
  return (
    typeof v.at === 'number' &&
    Number.isFinite(v.at) &&
    typeof v.actor === 'string' &&
    typeof v.connection === 'string' &&
    typeof v.action === 'string' &&
    ACTIONS.includes(v.action) &&
    ((typeof v.kind === 'string' && (PASS_KINDS as readonly string[]).includes(v.kind)) || (v.kind === null && v.action === 'disable')) &&
    typeof v.outcome === 'string' &&
    (reason === 'manual' || (isObject(reason) && typeof reason.rule === 'string')) &&
    typeof u.id === 'string' &&
    typeof u.directory === 'string' &&
    typeof u.userId === 'string' &&
    typeof u.name === 'string' &&
    optionalString(v.changeId) &&
    (v.phase === undefined || v.phase === 'intent' || v.phase === 'outcome') &&
    (v.result === undefined || (typeof v.result === 'string' && (AUDIT_RESULTS as readonly string[]).includes(v.result))) &&
    optionalString(v.serverAnswer)
  );
}
