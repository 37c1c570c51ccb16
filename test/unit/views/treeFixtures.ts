// A small synced connection for the views' plain-Node tests: one user of every verdict, two of
// them named alike.
import { DAY_MS, type Allocation, type LicenseOverview, type UsageRecord, type User } from '../../../src/core/model';
import { rankUsers } from '../../../src/core/ranking';
import type { SyncResult } from '../../../src/core/sync';
import { UsageTally } from '../../../src/core/usageTally';
import type { ConnectionState } from '../../../src/views/usersTreeModel';

export const NOW = Date.UTC(2026, 11, 1, 12);

const overview: LicenseOverview = {
  tokens: {
    total: 100, available: 4.2, userPassCost: 1, loginPassCost: 0.1,
    userAccess: { allocated: 5, used: 3, quarantined: 2 },
    loginAccess: { allocated: 10, used: 3, unavailable: 0 },
  },
  professional: null,
  analyzer: null,
  capacity: null,
  loginPools: [{ name: 'Occasional', assignedTokens: 10, passes: 100, used: 40, remaining: 60 }],
  offeredKinds: ['user'],
};

const mk = (directory: string, userId: string, name: string): User => ({ id: `${directory}/${userId}`, directory, userId, name });
let seq = 0;
const passes = (user: User, n: number): UsageRecord[] =>
  Array.from({ length: n }, () => ({ id: `r${seq++}`, user, start: NOW - DAY_MS, stop: null, unit: 'loginPass' as const, amount: 1, pool: 'Occasional' }));
const pass = (user: User, over: Partial<Allocation>): Allocation => ({
  id: `a-${user.userId}`, kind: 'user', user, lastUsed: NOW - DAY_MS, quarantined: false, quarantineEnd: null, userDeleted: false, excess: false, ...over,
});

/** `count` heavy users "Filler 1"… plus one user per other verdict and two "Pedro Ahmed"s. */
export function syncResult(count = 3): SyncResult {
  const tally = new UsageTally({ from: NOW - 28 * DAY_MS, to: NOW });
  for (let i = 1; i <= count; i++) {
    tally.add(passes(mk('CORP', `filler${i}`, `Filler ${i}`), 12));
  }
  tally.add([...passes(mk('CORP', 'pedro.ahmed', 'Pedro Ahmed'), 3), ...passes(mk('EXT', 'pahmed', 'Pedro Ahmed'), 2)]);
  const allocations = [
    pass(mk('CORP', 'idle', 'Ida Idle'), { lastUsed: NOW - 41 * DAY_MS }),
    pass(mk('CORP', 'busy', 'Bea Busy'), {}),
    pass(mk('CORP', 'wait', 'Quin Wait'), { quarantined: true, quarantineEnd: NOW + 5 * DAY_MS }),
  ];
  const rules = { windowDays: 28, inactiveDays: 30, capacityBreakEvenMinutes: null };
  return { overview, allocations, tally, ranked: rankUsers({ overview, tally, allocations, rules, now: NOW }), at: NOW - 2 * 3_600_000, dropped: [] };
}

/** A synced connection state holding `result`. */
export function syncedState(result: SyncResult, over: Partial<ConnectionState> = {}): ConnectionState {
  return {
    entry: { id: 'c1', demo: false, config: { name: 'Main *site*', kind: 'qrs', url: 'https://qlik.example:4242', auth: { mode: 'header', headerName: 'X-User', headerValue: 'CORP\\admin' }, tlsVerify: true } },
    status: 'synced',
    result,
    ...over,
  };
}
