// A small hand-made plan for tests of what is built on top of one (selection, text): two upgrades
// and a release, as plan() orders them (releases first); SWAP_PLAN adds a swap between them.
import type { Plan, PlannedChange } from '../../../src/core/plan';
import { parsePolicy } from '../../../src/core/policyParse';

export const POLICY = parsePolicy(
  {
    upgrade: [{ when: { loginPassesAtLeast: 10, windowDays: 28 }, assign: 'user' }],
    release: [{ when: { unusedDays: 30 }, revoke: ['user', 'professional'] }],
    swap: [{ when: { kind: 'professional', onlyConsumesDays: 90 }, to: 'analyzer' }],
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

/** A professional who only consumes, swapped for an analyzer access. */
export const SWAP: PlannedChange = {
  action: 'swap',
  user: user('dora', 'Dora Viewer'),
  kind: 'analyzer',
  fromKind: 'professional',
  allocation: {
    id: 'p-7',
    kind: 'professional',
    user: user('dora', 'Dora Viewer'),
    lastUsed: Date.UTC(2026, 1, 20),
    allocatedAt: Date.UTC(2025, 1, 1),
    quarantined: false,
    quarantineEnd: null,
    userDeleted: false,
    excess: false,
  },
  rule: 'swap[0]',
  reason: 'professional access used 2026-02-20, but nothing authored in 90 days (…) → swap for an analyzer access (takes 1 analyzer access, frees the professional access at once)',
  tokens: 0,
  premise: { type: 'onlyConsumes', allocationId: 'p-7', kind: 'analyzer', authoredNothingSince: Date.UTC(2025, 11, 1, 12) },
};

export const SWAP_PLAN: Plan = { ...PLAN, changes: [release, SWAP, ...PLAN.changes.slice(1)] };
