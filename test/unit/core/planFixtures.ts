// A small hand-made plan for tests of what is built on top of one (selection, text): two upgrades
// and a release, as plan() orders them (releases first).
import type { Plan, PlannedChange } from '../../../src/core/plan';
import { parsePolicy } from '../../../src/core/policyParse';

export const POLICY = parsePolicy(
  {
    upgrade: [{ when: { loginPassesAtLeast: 10, windowDays: 28 }, assign: 'user' }],
    release: [{ when: { unusedDays: 30 }, revoke: ['user', 'professional'] }],
    maxChangesPerRun: 6,
  },
  'test policy',
);

function user(id: string, name: string) {
  return { id, directory: 'CORP', userId: id, name };
}

function assign(id: string, name: string, passes: number): PlannedChange {
  return {
    action: 'assign',
    user: user(id, name),
    kind: 'user',
    rule: 'upgrade[0]',
    reason: `${passes} login passes in 28 days ≥ 10 → assign a user access pass`,
    tokens: 1,
    premise: { type: 'holdsNone', kind: 'user' },
  };
}

const release: PlannedChange = {
  action: 'revoke',
  user: user('cleo', 'Cleo Idle'),
  kind: 'user',
  rule: 'release[0]',
  reason: 'user access pass unused for 40 days ≥ 30 days → release (frees 1 token)',
  tokens: -1,
  premise: { type: 'idleAllocation', allocationId: 'a-1', unusedSince: 0 },
};

export const PLAN: Plan = {
  connection: 'Main site',
  at: Date.UTC(2026, 2, 1, 12),
  changes: [release, assign('ann', 'Ann Heavy', 31), assign('bob', 'Bob Busy', 12)],
  skipped: [{ user: user('ceo', 'The CEO'), rule: 'upgrade[0]', reason: 'neverTouch', text: 'CORP\\ceo is on the never-touch list' }],
  totals: {
    tokensConsumed: 2,
    tokensFreed: 1,
    tokensFreedLater: 0,
    tokensAvailableBefore: 10,
    tokensAvailableAfter: 9,
    seats: {},
    loginPools: [],
    capacity: null,
  },
  notes: [],
};
