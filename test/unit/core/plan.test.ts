import { strict as assert } from 'node:assert';
import { DAY_MS, type Allocation, type LicenseOverview, type UsageRecord, type User, type UserFacts } from '../../../src/core/model';
import { authoringQuestions, plan, type AuthoringFacts, type PlanState } from '../../../src/core/plan';
import type { Policy } from '../../../src/core/policy';
import { parsePolicy } from '../../../src/core/policyParse';
import { UsageTally } from '../../../src/core/usageTally';

const NOW = Date.UTC(2026, 10, 30, 12);
const person = (id: string, directory = 'CORP'): User => ({ id: `g-${id}`, directory, userId: id, name: id.charAt(0).toUpperCase() + id.slice(1) });

function overview(available = 10, extra: Partial<LicenseOverview> = {}): LicenseOverview {
  return {
    tokens: {
      total: 100,
      available,
      userPassCost: 1,
      loginPassCost: 0.1,
      userAccess: { allocated: 10, used: 5, quarantined: 0 },
      loginAccess: { allocated: 20, used: 10, unavailable: 0 },
    },
    professional: null,
    analyzer: null,
    capacity: null,
    loginPools: [],
    offeredKinds: ['user'],
    ...extra,
  };
}

let seq = 0;
/** `n` login passes, one a day going back from `daysAgo`. */
function passes(user: User, n: number, daysAgo = 0, pool = 'Occasional'): UsageRecord[] {
  return Array.from({ length: n }, (_, i) => ({ id: `r${seq++}`, user, start: NOW - (daysAgo + (i % 27)) * DAY_MS, stop: null, unit: 'loginPass' as const, amount: 1, pool }));
}

function pass(user: User, opts: { lastUsedDaysAgo?: number | null; allocatedDaysAgo?: number; quarantined?: boolean; kind?: Allocation['kind'] } = {}): Allocation {
  const last = opts.lastUsedDaysAgo === undefined ? 60 : opts.lastUsedDaysAgo;
  return {
    id: `a-${user.userId}-${opts.kind ?? 'user'}`,
    kind: opts.kind ?? 'user',
    user,
    lastUsed: last === null ? null : NOW - last * DAY_MS,
    allocatedAt: NOW - (opts.allocatedDaysAgo ?? 400) * DAY_MS,
    quarantined: opts.quarantined ?? false,
    quarantineEnd: opts.quarantined ? NOW + 3 * DAY_MS : null,
    userDeleted: false,
    excess: false,
  };
}

function state(records: UsageRecord[], allocations: Allocation[], o: LicenseOverview = overview(), facts: Record<string, UserFacts> = {}): PlanState {
  const tally = new UsageTally({ from: NOW - 28 * DAY_MS, to: NOW + 1 }, { byDay: true });
  tally.add(records);
  return { connection: 'prod', now: NOW, overview: o, allocations, tally, facts: new Map(Object.entries(facts)) };
}

function policy(json: Record<string, unknown>): Policy {
  return parsePolicy({ neverTouch: { flags: [] }, ...json }, 'test policy');
}

const UPGRADE = { upgrade: [{ when: { loginPassesAtLeast: 10, windowDays: 28 }, assign: 'user' }] };
const RELEASE = { release: [{ when: { unusedDays: 30 }, revoke: ['user'] }] };
const ids = (p: ReturnType<typeof plan>) => p.changes.map((c) => `${c.action} ${c.user.userId}`);
const skips = (p: ReturnType<typeof plan>) => p.skipped.map((s) => `${s.reason} ${s.user.userId}`);

describe('plan', () => {
  const [ann, bob, cid, dee, eve] = ['ann', 'bob', 'cid', 'dee', 'eve'].map((n) => person(n)) as [User, User, User, User, User];

  it('assigns a pass to users at or over the threshold, highest consumption first, with the arithmetic', () => {
    const p = plan(state([...passes(ann, 12), ...passes(bob, 20), ...passes(cid, 9)], []), policy(UPGRADE));
    assert.deepEqual(ids(p), ['assign bob', 'assign ann']);
    assert.equal(p.changes[0]?.rule, 'upgrade[0]');
    assert.equal(p.changes[0]?.reason, '20 login passes in 28 days ≥ 10 → assign a user access pass: 2 tokens of login passes per 28 days for a pass costing 1 token');
    assert.deepEqual(p.changes[0]?.premise, { type: 'holdsNone', kind: 'user' });
    assert.deepEqual([p.totals.tokensConsumed, p.totals.tokensAvailableBefore, p.totals.tokensAvailableAfter], [2, 10, 8]);
  });

  it("counts each rule's own window: 14 passes in 28 days but 3 in the last 7 do not meet a 7-day rule", () => {
    const recent = passes(ann, 3, 0);
    const older = passes(ann, 11, 10);
    const p = plan(state([...recent, ...older], []), policy({ upgrade: [{ when: { loginPassesAtLeast: 5, windowDays: 7 }, assign: 'user' }] }));
    assert.deepEqual(ids(p), []);
  });

  it('never plans more assignments than the pool holds above the reserve', () => {
    const p = plan(state([...passes(ann, 30), ...passes(bob, 20), ...passes(cid, 10)], [], overview(3)), policy({ ...UPGRADE, keepFreeTokens: 1 }));
    assert.deepEqual(ids(p), ['assign ann', 'assign bob']);
    assert.deepEqual(skips(p), ['poolReserve cid']);
    assert.match(p.skipped[0]?.text ?? '', /the pool has 0 tokens left above the reserve of 1 token/);
    assert.equal(p.totals.tokensAvailableAfter, 1);
  });

  it('stops at the cap; the rest wait for the next run', () => {
    const p = plan(state([...passes(ann, 30), ...passes(bob, 20), ...passes(cid, 10)], []), policy({ ...UPGRADE, maxChangesPerRun: 2 }));
    assert.deepEqual(ids(p), ['assign ann', 'assign bob']);
    assert.deepEqual(skips(p), ['cap cid']);
  });

  it('releases passes idle past the threshold, most idle first; a never-used pass counts from its allocation', () => {
    const allocations = [pass(ann, { lastUsedDaysAgo: 41 }), pass(bob, { lastUsedDaysAgo: 10 }), pass(cid, { lastUsedDaysAgo: null, allocatedDaysAgo: 90 }), pass(dee, { lastUsedDaysAgo: null, allocatedDaysAgo: 5 })];
    const p = plan(state([], allocations), policy(RELEASE));
    assert.deepEqual(ids(p), ['revoke cid', 'revoke ann']);
    assert.equal(p.changes[0]?.reason, 'user access pass never used in the 90 days since it was allocated ≥ 30 days → release (frees 1 token)');
    assert.match(p.changes[1]?.reason ?? '', /^user access pass unused for 41 days \(last used 2026-10-20\) ≥ 30 days → release \(frees 1 token\)$/);
    assert.deepEqual(p.changes[1]?.premise, { type: 'idleAllocation', allocationId: 'a-ann-user', unusedSince: NOW - 41 * DAY_MS });
    assert.deepEqual([p.totals.tokensFreed, p.totals.tokensAvailableAfter], [2, 12]);
  });

  it('spends what the releases free on the upgrades after them', () => {
    const p = plan(state(passes(bob, 15), [pass(ann, { lastUsedDaysAgo: 50 })], overview(0)), policy({ ...UPGRADE, ...RELEASE }));
    assert.deepEqual(ids(p), ['revoke ann', 'assign bob']);
    assert.equal(p.totals.tokensAvailableAfter, 0);
  });

  it('does not release a pass that would only be quarantined, unless the rule says evenIfQuarantined', () => {
    const used4DaysAgo = [pass(ann, { lastUsedDaysAgo: 4 })];
    const rule = (even: boolean) => ({ release: [{ when: { unusedDays: 3, ...(even ? { evenIfQuarantined: true } : {}) }, revoke: ['user'] }] });
    const safe = plan(state([], used4DaysAgo), policy(rule(false)));
    assert.deepEqual(skips(safe), ['quarantine ann']);
    assert.match(safe.skipped[0]?.text ?? '', /quarantined until 2026-12-03.*frees nothing now/);
    const forced = plan(state([], used4DaysAgo), policy(rule(true)));
    assert.deepEqual(ids(forced), ['revoke ann']);
    assert.equal(forced.changes[0]?.tokens, 0);
    assert.equal(forced.changes[0]?.quarantinedUntil, NOW - 4 * DAY_MS + 7 * DAY_MS);
    assert.deepEqual([forced.totals.tokensFreed, forced.totals.tokensFreedLater], [0, 1]);
  });

  it('leaves never-touch users, directories, groups and flagged accounts alone, saying why', () => {
    const svc = person('robot', 'SERVICE');
    const records = [...passes(ann, 20), ...passes(bob, 20), ...passes(cid, 20), ...passes(dee, 20), ...passes(svc, 20), ...passes(eve, 20)];
    const facts: Record<string, UserFacts> = {
      'g-ann': { flags: [], groups: [] },
      'g-cid': { flags: [], groups: ['Board'] },
      'g-dee': { flags: ['blacklisted'], groups: [] },
      'g-robot': { flags: [], groups: [] },
    };
    const p = plan(
      state(records, [], overview(10), facts),
      parsePolicy({ ...UPGRADE, neverTouch: { users: ['corp\\BOB'], userDirectories: ['service'], groups: ['board'], flags: ['blacklisted'] } }, 'p'),
    );
    assert.deepEqual(ids(p), ['assign ann']);
    assert.deepEqual(
      p.skipped.map((s) => [s.user.userId, s.reason, s.text]).sort(),
      [
        ['bob', 'neverTouch', 'CORP\\bob is on the never-touch list'],
        ['cid', 'neverTouch', 'member of Board, on the never-touch list'],
        ['dee', 'neverTouch', 'flagged blacklisted'],
        ['eve', 'neverTouch', "could not read CORP\\eve's flags and groups to check the never-touch list"],
        ['robot', 'neverTouch', 'user directory SERVICE is on the never-touch list'],
      ],
    );
  });

  it('flags are checked by default: a policy without neverTouch leaves flagged accounts alone', () => {
    const p = plan(state(passes(ann, 20), [], overview(), { 'g-ann': { flags: ['inactive'], groups: [] } }), parsePolicy(UPGRADE, 'p'));
    assert.deepEqual(skips(p), ['neverTouch ann']);
  });

  it('skips a heavy user who already holds a pass, and one whose pass is quarantined (reinstate instead)', () => {
    const p = plan(state([...passes(ann, 20), ...passes(bob, 20)], [pass(ann, { kind: 'user', quarantined: true }), pass(bob, { kind: 'user', lastUsedDaysAgo: 1 })]), policy(UPGRADE));
    assert.deepEqual(ids(p), []);
    assert.deepEqual(p.skipped.map((s) => [s.user.userId, s.reason, s.text]), [
      ['ann', 'quarantine', 'holds a quarantined user access pass: reinstate it instead, which costs no new token'],
      ['bob', 'premise', 'already holds a user access pass'],
    ]);
  });

  it('does not release the pass of someone active on login passes meanwhile', () => {
    const p = plan(state(passes(ann, 2, 1), [pass(ann, { lastUsedDaysAgo: 45 })]), policy(RELEASE));
    assert.deepEqual(skips(p), ['premise ann']);
  });

  it('forecasts each login access group before and after: moving heavy users to passes postpones the dry day', () => {
    const pools = [{ name: 'Occasional', assignedTokens: 10, passes: 100, used: 94, remaining: 6 }];
    const o = overview(10, { loginPools: pools });
    // 94 passes in 27 days (3.36 a day), Ann 40 of them; 6 left. Passes drawn 26 to 14 days ago
    // (3 a day) come back before those of the last 13 days (4 a day): 6 - 3.36 + 8 × (3 - 3.36) < 0 on day 9.
    const records = [...passes(ann, 40), ...passes(bob, 27), ...passes(cid, 27)];
    const p = plan(state(records, [], o), policy(UPGRADE));
    const [forecast] = p.totals.loginPools;
    assert.ok(forecast);
    assert.equal(forecast.before.burnPerDay, 3.36);
    assert.equal(forecast.before.daysUntilDry, 9);
    // Ann, Bob and Cid all move to passes: nothing is drawn any more.
    assert.deepEqual(ids(p), ['assign ann', 'assign bob', 'assign cid']);
    assert.equal(forecast.after.burnPerDay, 0);
    assert.equal(forecast.after.daysUntilDry, null);
  });

  it('says which rules it could not evaluate instead of planning nothing silently', () => {
    const p = plan(
      state(passes(ann, 20), []),
      policy({
        upgrade: [
          { when: { loginPassesAtLeast: 10, windowDays: 60 }, assign: 'user' },
          { when: { capacityMinutesAtLeast: 600, windowDays: 28 }, assign: 'analyzer' },
        ],
        swap: [{ when: { kind: 'professional', onlyConsumesDays: 90 }, to: 'analyzer' }],
      }),
    );
    assert.deepEqual(p.changes, []);
    assert.deepEqual(p.notes, [
      'upgrade[0] counts 60 days, more than the 28 days this sync read: it plans nothing.',
      'upgrade[1] assigns analyzer access, which this site does not offer: it plans nothing.',
      'swap[0] swaps professional access for analyzer access, and this site does not offer professional access or analyzer access: it plans nothing.',
    ]);
  });

  it('plans analyzer seats on a user-based site against the seats available', () => {
    const o = overview(0, {
      tokens: null,
      analyzer: { total: 10, allocated: 9, used: 9, quarantined: 0, excess: 0, available: 1 },
      offeredKinds: ['analyzer'],
    });
    const minutes = (user: User, m: number): UsageRecord => ({ id: `c${seq++}`, user, start: NOW - DAY_MS, stop: null, unit: 'capacityMinutes', amount: m, pool: null });
    const p = plan(state([minutes(ann, 900), minutes(bob, 700), minutes(cid, 100)], [], o), policy({ upgrade: [{ when: { capacityMinutesAtLeast: 600, windowDays: 28 }, assign: 'analyzer' }] }));
    assert.deepEqual(ids(p), ['assign ann']);
    assert.deepEqual(skips(p), ['poolReserve bob']);
    assert.deepEqual(p.totals.seats.analyzer, { before: 1, after: 0 });
  });
});

describe('plan: swap rules', () => {
  const [ann, bob, cid, dee, eve, fay] = ['ann', 'bob', 'cid', 'dee', 'eve', 'fay'].map((n) => person(n)) as [User, User, User, User, User, User];
  const SWAP = { swap: [{ when: { kind: 'professional', onlyConsumesDays: 90 }, to: 'analyzer' }] };
  const seats = (available: number) => ({ total: 50, allocated: 50 - available, used: 40, quarantined: 0, excess: 0, available });
  const userBased = (analyzers = 5, professionals = 0): LicenseOverview =>
    overview(0, { tokens: null, professional: seats(professionals), analyzer: seats(analyzers), offeredKinds: ['professional', 'analyzer'] });
  const pro = (user: User, opts: Parameters<typeof pass>[1] = {}) => pass(user, { kind: 'professional', ...opts });
  /** Authoring as planSource reads it: every holder the rules ask about checked, `authors` authored. */
  function swapState(allocations: Allocation[], authors: User[], o = userBased(), p: Policy = policy(SWAP)): PlanState {
    const base = state([], allocations, o);
    const authoring = new Map<number, AuthoringFacts>(
      [...authoringQuestions(base, p)].map(([days, users]) => [days, { checked: new Set(users.map((u) => u.id)), authors: new Set(authors.map((u) => u.id)) }]),
    );
    return { ...base, authoring };
  }

  it('swaps a professional who used the pass but authored nothing in the window, with the arithmetic and what apply re-checks', () => {
    const allocations = [
      pro(ann, { lastUsedDaysAgo: 10, allocatedDaysAgo: 400 }),
      pro(bob, { lastUsedDaysAgo: 3, allocatedDaysAgo: 200 }),
      pro(cid, { lastUsedDaysAgo: 20 }),
      pro(dee, { lastUsedDaysAgo: 120 }),
      pro(eve, { lastUsedDaysAgo: 1, allocatedDaysAgo: 30 }),
      pro(fay, { lastUsedDaysAgo: null }),
    ];
    // Only the holders who used the pass in the window and held it longer are asked about.
    assert.deepEqual([...authoringQuestions(state([], allocations, userBased()), policy(SWAP))].map(([d, users]) => [d, users.map((u) => u.userId)]), [[90, ['ann', 'bob', 'cid']]]);
    const p = plan(swapState(allocations, [cid]), policy(SWAP));
    // Cid authors; Dee's pass is idle (for a release rule), Eve's too new to tell, Fay's never used: none is a candidate.
    assert.deepEqual(ids(p), ['swap ann', 'swap bob']);
    assert.deepEqual(p.skipped, []);
    const [first, second] = p.changes;
    assert.ok(first && second);
    assert.deepEqual([first.action, first.fromKind, first.kind, first.allocation?.id, first.rule, first.tokens], ['swap', 'professional', 'analyzer', 'a-ann-professional', 'swap[0]', 0]);
    assert.equal(
      first.reason,
      'professional access used 2026-11-20, but nothing authored in 90 days (no app, sheet, story or bookmark created or modified since 2026-09-01) → swap for an analyzer access (takes 1 analyzer access, frees the professional access at once)',
    );
    assert.deepEqual(first.premise, { type: 'onlyConsumes', allocationId: 'a-ann-professional', kind: 'analyzer', authoredNothingSince: NOW - 90 * DAY_MS });
    assert.equal(first.quarantinedUntil, undefined);
    // Bob used his pass 3 days ago: it is quarantined after the release, and its seat comes back later.
    assert.equal(second.quarantinedUntil, NOW + 4 * DAY_MS);
    assert.match(second.reason, /frees the professional access when its quarantine ends on 2026-12-04\)$/);
    assert.deepEqual(p.totals.seats, { professional: { before: 0, after: 1 }, analyzer: { before: 5, after: 3 } });
  });

  it('never plans more swaps into a kind than it has seats available, counting seats the releases before them free', () => {
    const allocations = [pro(ann, { lastUsedDaysAgo: 10 }), pro(bob, { lastUsedDaysAgo: 11 }), pro(cid, { lastUsedDaysAgo: 12 })];
    const one = plan(swapState(allocations, [], userBased(1)), policy(SWAP));
    assert.equal(one.changes.length, 1);
    assert.deepEqual(one.skipped.map((s) => [s.reason, s.text]), [
      ['poolReserve', 'no analyzer access is available to swap to'],
      ['poolReserve', 'no analyzer access is available to swap to'],
    ]);
    assert.deepEqual(one.totals.seats.analyzer, { before: 1, after: 0 });
    // An idle analyzer pass released first pays for one more swap.
    const withRelease = policy({ ...SWAP, release: [{ when: { unusedDays: 30 }, revoke: ['analyzer'] }] });
    const idle = pass(dee, { kind: 'analyzer', lastUsedDaysAgo: 45 });
    const two = plan(swapState([...allocations, idle], [], userBased(1), withRelease), withRelease);
    assert.deepEqual(two.changes.map((c) => c.action), ['revoke', 'swap', 'swap']);
    assert.deepEqual(skips(two), ['poolReserve cid']);
  });

  it('leaves an idle pass to the release rules: a pass a release rule gives back is not swapped too', () => {
    const withRelease = policy({ ...SWAP, release: [{ when: { unusedDays: 30 }, revoke: ['professional'] }] });
    const p = plan(swapState([pro(ann, { lastUsedDaysAgo: 40 }), pro(bob, { lastUsedDaysAgo: 10 })], [], userBased(), withRelease), withRelease);
    assert.deepEqual(ids(p), ['revoke ann', 'swap bob']);
  });

  it('skips never-touch users, and counts a swap as one change against the cap', () => {
    const allocations = [pro(ann, { lastUsedDaysAgo: 10, allocatedDaysAgo: 500 }), pro(bob, { lastUsedDaysAgo: 10, allocatedDaysAgo: 400 }), pro(cid, { lastUsedDaysAgo: 10, allocatedDaysAgo: 300 })];
    const never = parsePolicy({ ...SWAP, neverTouch: { users: ['CORP\\ann'], flags: [] }, maxChangesPerRun: 1 }, 'p');
    const p = plan(swapState(allocations, [], userBased(), never), never);
    assert.deepEqual(ids(p), ['swap bob']);
    assert.deepEqual(
      p.skipped.map((s) => [s.user.userId, s.rule, s.reason, s.text]),
      [
        ['ann', 'swap[0]', 'neverTouch', 'CORP\\ann is on the never-touch list'],
        ['cid', 'swap[0]', 'cap', 'over the cap of 1 changes per run: left for the next run'],
      ],
    );
  });

  it('skips a holder who already holds the new kind (live or quarantined), and one whose authoring could not be read', () => {
    const allocations = [
      pro(ann, { lastUsedDaysAgo: 10 }),
      pass(ann, { kind: 'analyzer', lastUsedDaysAgo: 2 }),
      pro(bob, { lastUsedDaysAgo: 10 }),
      pass(bob, { kind: 'analyzer', quarantined: true }),
      pro(cid, { lastUsedDaysAgo: 10 }),
    ];
    const base = state([], allocations, userBased());
    const partial = { ...base, authoring: new Map([[90, { checked: new Set([ann.id, bob.id]), authors: new Set<string>() }]]) };
    const p = plan(partial, policy(SWAP));
    assert.deepEqual(ids(p), []);
    assert.deepEqual(p.skipped.map((s) => [s.user.userId, s.reason, s.text]), [
      ['ann', 'premise', 'already holds an analyzer access too: the professional access is for a release rule or an admin to release'],
      ['bob', 'quarantine', 'holds a quarantined analyzer access: reinstate it, then release the professional access'],
      ['cid', 'premise', 'could not read whether CORP\\cid authored anything in the last 90 days'],
    ]);
  });

  it('plans nothing, saying why, where authoring was not read or the site does not offer the kinds', () => {
    const unread = plan(state([], [pro(ann, { lastUsedDaysAgo: 10 })], userBased()), policy(SWAP));
    assert.deepEqual(unread.changes, []);
    assert.deepEqual(unread.notes, ['swap[0] (professional access → analyzer access) is not evaluated: this connection does not say who owns apps and sheets, so who only consumes cannot be told.']);
    const analyzersOnly = overview(0, { tokens: null, professional: seats(0), analyzer: null, offeredKinds: ['professional'] });
    assert.deepEqual(authoringQuestions(state([], [pro(ann, { lastUsedDaysAgo: 10 })], analyzersOnly), policy(SWAP)).size, 0);
    assert.deepEqual(plan(swapState([pro(ann, { lastUsedDaysAgo: 10 })], [], analyzersOnly), policy(SWAP)).notes, [
      'swap[0] swaps professional access for analyzer access, and this site does not offer analyzer access: it plans nothing.',
    ]);
  });

  it('frees the seats of swapped passes for the upgrades after them', () => {
    const upgradePro = { ...SWAP, upgrade: [{ when: { capacityMinutesAtLeast: 600, windowDays: 28 }, assign: 'professional' }] };
    const minutes: UsageRecord = { id: 'c-dee', user: dee, start: NOW - DAY_MS, stop: null, unit: 'capacityMinutes', amount: 900, pool: null };
    const base = swapState([pro(ann, { lastUsedDaysAgo: 10 })], [], userBased(5, 0), policy(upgradePro));
    const tally = new UsageTally({ from: NOW - 28 * DAY_MS, to: NOW + 1 }, { byDay: true });
    tally.add([minutes]);
    const p = plan({ ...base, tally }, policy(upgradePro));
    assert.deepEqual(ids(p), ['swap ann', 'assign dee']);
    assert.deepEqual(p.totals.seats.professional, { before: 0, after: 0 });
  });

  describe('on Qlik Cloud: no last use per assignment, authoring from the audit log', () => {
    /** A Cloud assignment: no date of its own, the holder's sessions say when it was used. */
    const cloudPro = (user: User): Allocation => ({ ...pro(user, { lastUsedDaysAgo: null }), lastUseUnrecorded: true });
    const session = (user: User, daysAgo: number): UsageRecord => ({ id: `s-${user.userId}-${daysAgo}`, user, start: NOW - daysAgo * DAY_MS, stop: null, unit: 'capacityMinutes', amount: 0, pool: null });
    function cloudState(allocations: Allocation[], sessions: UsageRecord[], facts: (users: readonly User[]) => AuthoringFacts): PlanState {
      const base = state(sessions, allocations, userBased(3, 0));
      return { ...base, authoring: new Map([...authoringQuestions(base, policy(SWAP))].map(([days, users]) => [days, facts(users)])) };
    }

    it("takes the holder's latest session for the pass's use, says the audit log showed no authoring, and frees the professional seat at once", () => {
      const allocations = [cloudPro(ann), cloudPro(bob), cloudPro(cid)];
      // Cid never signed in within the sync's window: nothing shows the pass in use, so no candidate.
      const base = state([session(ann, 3), session(ann, 12), session(bob, 20)], allocations, userBased(3, 0));
      assert.deepEqual([...authoringQuestions(base, policy(SWAP))].map(([d, users]) => [d, users.map((u) => u.userId)]), [[90, ['ann', 'bob']]]);
      const p = plan(
        cloudState(allocations, [session(ann, 3), session(ann, 12), session(bob, 20)], (users) => ({ checked: new Set(users.map((u) => u.id)), authors: new Set([bob.id]), evidence: 'auditEvents' })),
        policy(SWAP),
      );
      assert.deepEqual(ids(p), ['swap ann']);
      assert.equal(
        p.changes[0]?.reason,
        'professional access used 2026-11-27, but nothing authored in 90 days (no app created, published or reloaded with new data since 2026-09-01, as the audit log shows) → swap for an analyzer access (takes 1 analyzer access, frees the professional access at once)',
      );
      assert.equal(p.changes[0]?.quarantinedUntil, undefined);
      assert.deepEqual(p.totals.seats, { professional: { before: 0, after: 1 }, analyzer: { before: 3, after: 2 } });
      assert.equal(p.totals.tokensAvailableBefore, null);
    });

    it('skips every holder of a window the audit log cannot tell about, quoting why, and plans the rest', () => {
      const withRelease = policy({ ...SWAP, release: [{ when: { unusedDays: 30 }, revoke: ['analyzer'] }] });
      const idle = pass(dee, { kind: 'analyzer', lastUsedDaysAgo: 45 });
      const base = state([session(ann, 3), session(bob, 5)], [cloudPro(ann), cloudPro(bob), idle], userBased(3, 0));
      const why = 'the Qlik Cloud audit log keeps 90 days of events, fewer than the 120 days asked about';
      const p = plan({ ...base, authoring: new Map([[90, { checked: new Set<string>(), authors: new Set<string>(), evidence: 'auditEvents', unreadable: why }]]) }, withRelease);
      assert.deepEqual(ids(p), ['revoke dee']);
      assert.deepEqual(p.skipped.map((x) => [x.user.userId, x.reason, x.text]), [
        ['ann', 'premise', `could not read whether CORP\\ann authored anything in the last 90 days: ${why}`],
        ['bob', 'premise', `could not read whether CORP\\bob authored anything in the last 90 days: ${why}`],
      ]);
      assert.deepEqual(p.notes, []);
    });

    it("releases a Cloud license by its holder's last use: used lately stays, no use in the usage read is released in words that say so, a read too short for the rule decides nothing", () => {
      const release = policy({ release: [{ when: { unusedDays: 60 }, revoke: ['professional'] }] });
      const allocations = [cloudPro(ann), cloudPro(bob), cloudPro(cid)];
      // Read back 90 days, as planSource reads for a source whose passes carry no last use.
      const tally = new UsageTally({ from: NOW - 90 * DAY_MS, to: NOW + 1 }, { byDay: true });
      tally.add([session(ann, 40), session(bob, 75)]);
      const p = plan({ ...state([], allocations, userBased(3, 0)), tally }, release);
      assert.deepEqual(ids(p), ['revoke cid', 'revoke bob']);
      assert.deepEqual(
        p.changes.map((c) => c.reason),
        [
          'professional access not used since it was assigned 400 days ago, as far as the 90 days of usage read show (the license records no last use of its own) ≥ 60 days → release (frees 1 professional access)',
          "professional access unused for 75 days (its holder's last use 2026-09-16) ≥ 60 days → release (frees 1 professional access)",
        ],
      );
      // Only 28 days read: Ann's use 40 days ago and Cid's silence look the same, so nothing is released.
      const short = plan(state([session(ann, 40)], allocations, userBased(3, 0)), release);
      assert.deepEqual(ids(short), []);
      assert.deepEqual(
        short.skipped.map((x) => [x.user.userId, x.reason, x.text]),
        ['ann', 'bob', 'cid'].map((id) => [id, 'premise', 'the professional access records no last use, and the usage read covers 28 days, not 60 days: cannot tell whether it was used']),
      );
    });
  });
});

describe('parsePolicy', () => {
  it('names every bad field and refuses unknown keys', () => {
    assert.throws(
      () => parsePolicy({ upgrade: [{ when: { loginPasses: 10, windowDays: 28 }, assign: 'user' }], release: [{ when: { unusedDays: 0 }, revoke: ['usr'] }], extra: true }, 'prod.policy.json'),
      (e: unknown) => {
        assert.equal(
          (e as Error).message,
          'prod.policy.json is not a valid policy: unknown key "extra"; upgrade[0].when: unknown key "loginPasses"; release[0].when.unusedDays must be >= 1; release[0].revoke[0] must be one of "user", "professional", "analyzer".',
        );
        return true;
      },
    );
  });

  it('applies the defaults: a cap of 20, no reserve, flagged accounts untouched', () => {
    const p = parsePolicy({}, 'p');
    assert.deepEqual([p.maxChangesPerRun, p.keepFreeTokens, p.neverTouch.flags], [20, 0, ['blacklisted', 'removedExternally', 'inactive']]);
  });

  it('refuses a threshold-less upgrade and a swap to the same kind', () => {
    assert.throws(() => parsePolicy({ upgrade: [{ when: { windowDays: 28 }, assign: 'user' }] }, 'p'), /upgrade\[0\]\.when needs a threshold/);
    assert.throws(() => parsePolicy({ swap: [{ when: { kind: 'analyzer', onlyConsumesDays: 9 }, to: 'analyzer' }] }, 'p'), /swap\[0\] swaps analyzer for itself/);
  });
});
