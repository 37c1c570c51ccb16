/**
 * `plan`'s output: a table for the admin, JSON for schedulers. The JSON row names are part of
 * the CLI's contract (README, "Policies").
 */
import { formatDate } from '../core/format';
import { terminalSafe } from '../core/displayText';
import { userKey } from '../core/model';
import type { Plan, PlanTotals } from '../core/plan';
import { changeKinds, describePlanTotals } from '../core/planText';

// The header sentences moved to core (VS Code's Plan view shows them too); still exported here for the CLI's callers.
export { describePlanTotals };

/** One planned change as scripts read it. */
export interface PlanChangeRow {
  readonly order: number;
  /**
   * A swap assigns `kind` first and releases the `fromKind` allocation `allocationId` once the new
   * pass is confirmed; where passes change kind in place (Qlik Cloud), it changes `allocationId` to `kind`.
   */
  readonly action: 'assign' | 'revoke' | 'swap';
  /** The pass assigned or revoked; for a swap, the new one. */
  readonly kind: string;
  /** For a swap, the kind given up. */
  readonly fromKind?: string;
  /** Null where the system has no user directories (Qlik Cloud), as in `rank`. */
  readonly userDirectory: string | null;
  readonly userId: string;
  readonly name: string;
  readonly rule: string;
  readonly reason: string;
  /** Tokens the change takes now (negative: frees now). */
  readonly tokens: number;
  readonly allocationId?: string;
  readonly quarantinedUntil?: string;
}

/** One skipped candidate as scripts read it. */
export interface PlanSkipRow {
  readonly userDirectory: string | null;
  readonly userId: string;
  readonly rule: string;
  /** never-touch, cap, pool reserve, quarantine, premise */
  readonly category: string;
  readonly reason: string;
}

/** The whole JSON document of `plan --format json`. */
export interface PlanJson {
  readonly connection: string;
  readonly at: string;
  readonly changes: readonly PlanChangeRow[];
  readonly skipped: readonly PlanSkipRow[];
  readonly totals: PlanTotals;
  readonly notes: readonly string[];
}

/** The plan as JSON rows. */
export function toPlanJson(p: Plan): PlanJson {
  return {
    connection: p.connection,
    at: new Date(p.at).toISOString(),
    changes: p.changes.map((c, i) => ({
      order: i + 1,
      action: c.action,
      kind: c.kind,
      ...(c.fromKind ? { fromKind: c.fromKind } : {}),
      userDirectory: c.user.directory || null,
      userId: c.user.userId,
      name: c.user.name,
      rule: c.rule,
      reason: c.reason,
      tokens: c.tokens,
      ...(c.allocation ? { allocationId: c.allocation.id } : {}),
      ...(c.quarantinedUntil === undefined ? {} : { quarantinedUntil: new Date(c.quarantinedUntil).toISOString() }),
    })),
    skipped: p.skipped.map((s) => ({ userDirectory: s.user.directory || null, userId: s.user.userId, rule: s.rule, category: s.reason, reason: s.text })),
    totals: p.totals,
    notes: p.notes,
  };
}

/** The plan as an admin reads it on a terminal. */
export function renderPlanTable(p: Plan, keepFreeTokens: number): string {
  const out: string[] = [`Plan for "${p.connection}", ${formatDate(p.at)}: ${p.changes.length} ${p.changes.length === 1 ? 'change' : 'changes'}, ${p.skipped.length} skipped.`];
  out.push(...describePlanTotals(p.totals, keepFreeTokens), '');
  const rows = p.changes.map((c, i) => [String(i + 1), c.action, changeKinds(c), terminalSafe(userKey(c.user)), c.rule, terminalSafe(c.reason)]);
  if (rows.length > 0) {
    const header = ['#', 'action', 'pass', 'user', 'rule', 'reason'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === header.length - 1 ? 0 : (r[i] ?? '').length))));
    const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : i === 0 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ');
    out.push(line(header), ...rows.map(line), '');
  }
  if (p.skipped.length > 0) {
    out.push('Skipped:');
    out.push(...p.skipped.map((s) => `  ${terminalSafe(userKey(s.user))}  ${s.rule}  ${s.reason}: ${terminalSafe(s.text)}`), '');
  }
  out.push(...p.notes.map((n) => `Note: ${n}`));
  out.push('This is a plan: nothing was changed.', '');
  return out.join('\n');
}
