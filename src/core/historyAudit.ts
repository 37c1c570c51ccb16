/**
 * The audit entry of one change License Steward made to a license system. Plain data: user ids,
 * names and outcomes, never credentials.
 */
import type { PassKind, User } from './model';
import { PASS_KINDS } from './model';

/** What License Steward did. */
export type AuditAction = 'assign' | 'revoke' | 'reinstate';

/** Why: an admin acting by hand, or a named policy rule. */
export type AuditReason = 'manual' | { readonly rule: string };

/** One change, as the audit log keeps it. */
export interface AuditEntry {
  /** When the change was made, epoch ms. */
  readonly at: number;
  /** Who made it: the admin's OS or VS Code account, or the scheduler's identity. */
  readonly actor: string;
  /** The connection id the change went through. */
  readonly connection: string;
  readonly action: AuditAction;
  readonly user: User;
  readonly kind: PassKind;
  readonly reason: AuditReason;
  /** What the server answered, in words (e.g. "assigned", "quarantined until 2026-12-01"). */
  readonly outcome: string;
}

const ACTIONS: readonly string[] = ['assign', 'revoke', 'reinstate'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

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
    typeof v.kind === 'string' &&
    (PASS_KINDS as readonly string[]).includes(v.kind) &&
    typeof v.outcome === 'string' &&
    (reason === 'manual' || (isObject(reason) && typeof reason.rule === 'string')) &&
    typeof u.id === 'string' &&
    typeof u.directory === 'string' &&
    typeof u.userId === 'string' &&
    typeof u.name === 'string'
  );
}
