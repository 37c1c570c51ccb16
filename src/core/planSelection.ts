/**
 * Applying part of a plan: the admin keeps some changes and leaves the rest, and confirms the more
 * carefully the larger the run is against the policy's cap.
 */
import type { Plan } from './plan';

/**
 * The plan with only the chosen changes, in the plan's own order (releases before the upgrades
 * they pay for). Skipped candidates, totals and notes still describe the whole plan: `applyPlan`
 * reads only the changes.
 */
export function selectChanges(plan: Plan, chosen: (index: number) => boolean): Plan {
  return { ...plan, changes: plan.changes.filter((_, i) => chosen(i)) };
}

/**
 * Whether the admin must type the connection's name rather than click: a run of more than half
 * the policy's cap is one a slipped click should not start.
 */
export function needsTypedName(count: number, maxChangesPerRun: number): boolean {
  return count > maxChangesPerRun / 2;
}

/** How the admin approves a run: a modal's button, or the connection's name typed out. */
export type Approval =
  | { readonly kind: 'click'; readonly message: string; readonly detail: string; readonly action: string }
  | { readonly kind: 'typeName'; readonly title: string; readonly prompt: string; readonly name: string };

/**
 * The question before applying `changes` (the checked subset) to the connection `name`.
 * @param maxChangesPerRun the policy's cap, which the plan was made under
 */
export function approvalFor(changes: Plan['changes'], name: string, maxChangesPerRun: number): Approval {
  const n = changes.length;
  const what = `${n} license ${n === 1 ? 'change' : 'changes'}`;
  const counted = (action: Plan['changes'][number]['action'], one: string, many: string): string => {
    const k = changes.filter((c) => c.action === action).length;
    return k > 0 ? `${k} ${k === 1 ? one : many}` : '';
  };
  const parts = [counted('assign', 'assignment', 'assignments'), counted('revoke', 'release', 'releases'), counted('swap', 'swap', 'swaps')].filter(Boolean);
  const listed = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1) ?? ''}` : (parts[0] ?? '');
  const how = 'Each is checked against the server first, verified and audited; the run stops at the first failure.';
  if (needsTypedName(n, maxChangesPerRun)) {
    return {
      kind: 'typeName',
      title: `Apply ${what} to "${name}"`,
      prompt: `${listed}: more than half the policy's cap of ${maxChangesPerRun}. Type the connection's name, ${name}, to apply them. ${how}`,
      name,
    };
  }
  return { kind: 'click', message: `Apply ${what} to "${name}"?`, detail: `${listed}. ${how}`, action: 'Apply' };
}

/** What is wrong with the name typed to approve a run, or undefined when it is the connection's. */
export function typedNameProblem(typed: string, name: string): string | undefined {
  return typed.trim() === name ? undefined : `Type the connection's name exactly: ${name}`;
}
