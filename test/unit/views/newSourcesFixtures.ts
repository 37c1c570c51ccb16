// Synced Qlik Cloud and License Statistics connections for the views' plain-Node tests, ranked by
// the real core: a capacity tenant (one active, one idle user), a user-based tenant with an
// orphaned assignment, and a License Statistics server with one denied user.
import type { CloudConnectionConfig, LicstatsConnectionConfig } from '../../../src/core/connectionConfig';
import { DAY_MS, type Allocation, type EstateFacts, type LicenseOverview, type User, type UserDenials } from '../../../src/core/model';
import { rankUsers } from '../../../src/core/ranking';
import type { SyncResult } from '../../../src/core/sync';
import { UsageTally } from '../../../src/core/usageTally';
import type { VerdictRules } from '../../../src/core/verdict';
import type { ConnectionState } from '../../../src/views/usersTreeModel';
import { NOW } from './treeFixtures';

export const RULES: VerdictRules = { windowDays: 90, inactiveDays: 30, capacityBreakEvenMinutes: null };
const seats = (total: number, allocated: number) => ({ total, allocated, used: allocated, quarantined: 0, excess: 0, available: total - allocated });
const mk = (id: string, name: string): User => ({ id, directory: '', userId: `auth0|${id}`, name });

export const active = mk('u-active', 'Ana Active');
export const idle = mk('u-idle', 'Ivo Idle');

/** A capacity tenant: Ana signed in yesterday, Ivo 45 days ago. */
export function capacityResult(): SyncResult {
  const overview: LicenseOverview = { tokens: null, professional: null, analyzer: null, capacity: null, fullUsers: seats(50, 2), offeredKinds: [] };
  const tally = new UsageTally({ from: NOW - 90 * DAY_MS, to: NOW });
  tally.add([
    { id: 's1', user: active, start: NOW - DAY_MS, stop: NOW - DAY_MS + 3_600_000, unit: 'capacityMinutes', amount: 60, pool: null },
    { id: 's2', user: idle, start: NOW - 45 * DAY_MS, stop: null, unit: 'capacityMinutes', amount: 12, pool: null },
  ]);
  return { overview, allocations: [], tally, ranked: rankUsers({ overview, tally, allocations: [], rules: RULES, now: NOW }), at: NOW, dropped: [] };
}

export const orphan: Allocation = {
  id: 'professional:auth0|gone', kind: 'professional', user: { id: 'auth0|gone', directory: '', userId: 'auth0|gone', name: 'auth0|gone' },
  lastUsed: null, quarantined: false, quarantineEnd: null, userDeleted: false, excess: false, orphaned: true,
};

/** A user-based tenant: one professional holder who uses capacity too, one orphaned assignment. */
export function userBasedResult(): SyncResult {
  const overview: LicenseOverview = {
    tokens: null, professional: seats(10, 2), analyzer: seats(20, 0), capacity: { allocatedMinutes: 6000, usedMinutes: 60, unavailableMinutes: 0 }, offeredKinds: ['professional', 'analyzer'],
  };
  const holder: Allocation = { ...orphan, id: 'professional:auth0|u-active', user: active, lastUsed: NOW - DAY_MS, orphaned: false };
  const tally = new UsageTally({ from: NOW - 28 * DAY_MS, to: NOW });
  tally.add([{ id: 'c1', user: idle, start: NOW - DAY_MS, stop: null, unit: 'capacityMinutes', amount: 120, pool: null }]);
  const allocations = [holder, orphan];
  return { overview, allocations, tally, ranked: rankUsers({ overview, tally, allocations, rules: { ...RULES, windowDays: 28 }, now: NOW }), at: NOW, dropped: [] };
}

export const denied = mk('dora', 'dora');
export const busy = mk('ben', 'ben');

/** License Statistics: Ben used 12.5 hours, Dora was denied twice and used nothing. */
export function licstatsResult(): SyncResult {
  const overview: LicenseOverview = { tokens: null, professional: null, analyzer: null, capacity: null, offeredKinds: [] };
  const tally = new UsageTally({ from: NOW - 28 * DAY_MS, to: NOW });
  tally.add([{ id: 'h1', user: busy, start: NOW - 2 * DAY_MS, stop: null, unit: 'hours', amount: 12.5, pool: 'MATLAB', peakLicenses: 2 }]);
  const denials: UserDenials[] = [{ user: denied, count: 2, last: NOW - DAY_MS, features: ['MATLAB'] }];
  const ranked = rankUsers({ overview, tally, allocations: [], rules: { ...RULES, windowDays: 28 }, now: NOW, denials });
  return { overview, allocations: [], tally, ranked, at: NOW, dropped: [], denials };
}

export const estate: EstateFacts = {
  borrowed: 3,
  idleBorrowed: [{ feature: 'acfd', server: 'lic1', user: busy, host: 'ws-17', licenses: 1, since: NOW - 9 * DAY_MS, returnBy: null }],
  idleAfterDays: 7,
  expiring: [{ feature: 'MATLAB', version: '2026a', server: 'lic1', expires: NOW + 10 * DAY_MS, licenses: 25 }],
  expiringWithinDays: 30,
};

export const cloud: CloudConnectionConfig = { name: 'Tenant', kind: 'cloud', url: 'https://acme.eu.qlikcloud.com', auth: { mode: 'apiKey' }, tlsVerify: true };
const licstats: LicstatsConnectionConfig = { name: 'Eng', kind: 'licstats', url: 'https://licstat.example.com', auth: { mode: 'token' }, tlsVerify: true };

/** A synced state of a tenant or a License Statistics server. */
export function stateOf(kind: 'cloud' | 'licstats', result: SyncResult, over: Partial<ConnectionState> = {}): ConnectionState {
  return { entry: { id: kind, config: kind === 'cloud' ? cloud : licstats, demo: false }, status: 'synced', result, ...over };
}
