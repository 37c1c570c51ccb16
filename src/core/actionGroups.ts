import { formatTokens } from './format';
import type { RankedUser } from './ranking';
import { summarize } from './siteSummary';
import { LOGIN_PASS_RECYCLE_DAYS, type VerdictKind } from './verdict';

/**
 * What the admin does about a user: the tree groups a connection's users by it. `orphaned` holds
 * Qlik Cloud assignments whose subject is no user of the tenant (release them); `denied` holds
 * License Statistics users refused a license in the window (they need one that was not there).
 */
export type ActionGroupKind = 'assign' | 'revoke' | 'orphaned' | 'denied' | 'quarantined' | 'deleted' | 'holds' | 'keep';

/**
 * The admin's two jobs first (passes to give, passes to take back), then passes that wait out a
 * quarantine and need nothing but patience, then what is fine as it is.
 */
export const ACTION_GROUP_ORDER: readonly ActionGroupKind[] = ['assign', 'revoke', 'orphaned', 'denied', 'quarantined', 'deleted', 'holds', 'keep'];

const GROUP_OF_VERDICT: Readonly<Record<VerdictKind, ActionGroupKind>> = {
  assign: 'assign',
  inactive: 'revoke',
  quarantined: 'quarantined',
  deleted: 'deleted',
  holds: 'holds',
  keep: 'keep',
};

/** Group titles as the admin reads them (the label adds the count and the token effect). */
export const ACTION_GROUP_TITLES: Readonly<Record<ActionGroupKind, string>> = {
  assign: 'Should get a pass',
  revoke: 'Unused passes',
  orphaned: 'Orphaned assignments',
  denied: 'Denied a license',
  quarantined: 'Quarantined',
  deleted: 'Deleted users holding passes',
  holds: 'Uses its pass',
  keep: 'Fine on login passes',
};

/** The users of one group, in rank order, and the line the tree shows for them. */
export interface ActionGroup {
  readonly kind: ActionGroupKind;
  readonly users: readonly RankedUser[];
  /** E.g. `Should get a pass`. */
  readonly title: string;
  /** E.g. `Should get a pass (35 · saves 44.3 tokens / 28 days)`. */
  readonly label: string;
}

/**
 * The group a ranked user belongs in: an orphaned assignment or a denied user by that fact (it is
 * what the admin acts on), everyone else by their verdict.
 */
export function actionGroupOf(r: RankedUser): ActionGroupKind {
  if (r.allocation?.orphaned) {
    return 'orphaned';
  }
  if ((r.denials ?? 0) > 0) {
    return 'denied';
  }
  return GROUP_OF_VERDICT[r.verdict.kind];
}

/** Splits a ranking into its non-empty groups, in {@link ACTION_GROUP_ORDER}, each in rank order. */
export function groupByAction(ranked: readonly RankedUser[]): ActionGroup[] {
  const users = new Map<ActionGroupKind, RankedUser[]>(ACTION_GROUP_ORDER.map((k) => [k, []]));
  for (const r of ranked) {
    users.get(actionGroupOf(r))?.push(r);
  }
  return ACTION_GROUP_ORDER.flatMap((kind) => {
    const members = users.get(kind) ?? [];
    return members.length === 0 ? [] : [{ kind, users: members, title: actionGroupTitle(kind, members), label: actionGroupLabel(kind, members) }];
  });
}

/**
 * `Should get a pass (35 · saves 44.3 tokens / 28 days)`, `Unused passes (9 · frees 9 tokens)`,
 * `Quarantined (4)`, `Inactive users (12)`. The token effect comes from the same sums the CLI prints (`summarize`), and
 * is left out where no verdict of the group counts tokens (an analyzer-capacity site, unused
 * professional or analyzer access): "saves 0 tokens" would read as "not worth it".
 */
export function actionGroupLabel(kind: ActionGroupKind, users: readonly RankedUser[]): string {
  const counted = users.some((r) => r.verdict.tokensSaved !== undefined);
  const s = summarize(users);
  const parts = [String(users.length)];
  if (kind === 'assign' && counted) {
    parts.push(`saves ${formatTokens(s.tokensSaved)} / ${LOGIN_PASS_RECYCLE_DAYS} days`);
  } else if (kind === 'revoke' && counted) {
    parts.push(`frees ${formatTokens(s.tokensFreed)}`);
  }
  return `${actionGroupTitle(kind, users)} (${parts.join(' · ')})`;
}

/**
 * A group's title: {@link ACTION_GROUP_TITLES}, except that users kept without a pass may ride on
 * analyzer capacity rather than login passes (`Fine on analyzer capacity`), or on either
 * (`Fine without a pass`).
 */
export function actionGroupTitle(kind: ActionGroupKind, users: readonly RankedUser[]): string {
  // A capacity tenant's Full Users, judged by sign-ins.
  const fullUsers = users.length > 0 && users.every((r) => r.verdict.fullUser);
  if (kind === 'revoke' && fullUsers) {
    return 'Inactive users';
  }
  if (kind === 'holds' && fullUsers) {
    return 'Active users';
  }
  if (kind === 'keep' && users.length > 0 && users.every((r) => r.hoursUsed !== undefined)) {
    return 'Never denied';
  }
  if (kind !== 'keep' || !users.some((r) => r.capacityMinutes > 0 && r.loginPasses === 0)) {
    return ACTION_GROUP_TITLES[kind];
  }
  return users.some((r) => r.loginPasses > 0) ? 'Fine without a pass' : 'Fine on analyzer capacity';
}
