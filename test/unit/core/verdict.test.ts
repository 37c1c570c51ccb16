import { strict as assert } from 'node:assert';
import { DAY_MS, type Allocation, type TokenTotals } from '../../../src/core/model';
import { decideVerdict, primaryAllocation, type VerdictInput, type VerdictRules } from '../../../src/core/verdict';

const NOW = Date.UTC(2026, 10, 23, 12);
const tokens: TokenTotals = {
  total: 100,
  available: 10,
  userPassCost: 1,
  loginPassCost: 0.1,
  userAccess: { allocated: 50, used: 40, quarantined: 2 },
  loginAccess: { allocated: 40, used: 20, unavailable: 0 },
};
const rules: VerdictRules = { windowDays: 28, inactiveDays: 30, capacityBreakEvenMinutes: null };
const user = { id: 'u1', directory: 'CORP', userId: 'jdoe', name: 'Jane Doe' };

function input(over: Partial<VerdictInput>): VerdictInput {
  return { loginPasses: 0, capacityMinutes: 0, lastUse: null, allocation: null, tokens, capacityOffered: false, now: NOW, ...over };
}
function alloc(over: Partial<Allocation>): Allocation {
  return { id: 'a1', kind: 'user', user, lastUsed: NOW - DAY_MS, quarantined: false, quarantineEnd: null, userDeleted: false, excess: false, ...over };
}

describe('decideVerdict', () => {
  it("judges a Qlik Cloud license by its holder's use, saying how far the read went instead of \"never used\"", () => {
    const cloud = (over: Partial<Allocation>) => alloc({ kind: 'professional', lastUsed: null, lastUseUnrecorded: true, allocatedAt: Date.UTC(2025, 0, 10), ...over });
    const cloudInput = (over: Partial<VerdictInput>) => input({ tokens: null, capacityOffered: true, allocation: cloud({}), ...over });
    assert.deepEqual(decideVerdict(cloudInput({ lastUse: NOW - 3 * DAY_MS }), rules), { kind: 'holds', text: 'holds a professional access, last used 2026-11-20' });
    assert.deepEqual(decideVerdict(cloudInput({ lastUse: NOW - 40 * DAY_MS }), { ...rules, windowDays: 60 }), {
      kind: 'inactive',
      text: "holds a professional access unused for 40 days (its holder's last use 2026-10-14; threshold 30 days) → revoke candidate (frees 1 professional access)",
    });
    assert.deepEqual(decideVerdict(cloudInput({}), rules), {
      kind: 'inactive',
      text: 'holds a professional access, assigned 2025-01-10, not used by its holder as far as the 28 days read show (the license records no last use of its own) → revoke candidate (frees 1 professional access)',
    });
    assert.deepEqual(decideVerdict(cloudInput({ allocation: cloud({ allocatedAt: NOW - 2 * DAY_MS }) }), rules), { kind: 'holds', text: 'holds a professional access, assigned 2026-11-21, not used yet' });
    // Use before the assignment was made without it.
    assert.deepEqual(decideVerdict(cloudInput({ lastUse: NOW - 5 * DAY_MS, allocation: cloud({ allocatedAt: NOW - 2 * DAY_MS }) }), rules), {
      kind: 'holds',
      text: 'holds a professional access, assigned 2026-11-21, not used yet',
    });
    assert.deepEqual(decideVerdict(cloudInput({ allocation: cloud({ userDeleted: true }) }), rules), {
      kind: 'deleted',
      text: 'user deleted; the professional access is still assigned and takes a license until it is released',
    });
  });

  it('shows the break-even arithmetic for a heavy login-pass user', () => {
    const v = decideVerdict(input({ loginPasses: 14 }), rules);
    assert.equal(v.kind, 'assign');
    assert.equal(v.suggestedKind, 'user');
    assert.equal(v.tokensSaved, 0.4);
    assert.equal(
      v.text,
      '14 login passes in 28 days = 1.4 tokens; a user access pass costs 1 token → assign (saves 0.4 tokens per 28 days)',
    );
  });

  it('treats exactly 10 passes as break-even: assign, saving nothing', () => {
    const v = decideVerdict(input({ loginPasses: 10 }), rules);
    assert.equal(v.kind, 'assign');
    assert.equal(v.tokensSaved, 0);
    assert.match(v.text, /= 1 token; .*\(saves 0 tokens per 28 days\)$/);
  });

  it('keeps a light user on login passes and says how far from break-even', () => {
    const v = decideVerdict(input({ loginPasses: 6 }), rules);
    assert.equal(v.kind, 'keep');
    assert.equal(v.text, '6 login passes in 28 days = 0.6 tokens; a user access pass costs 1 token → keep on login passes (4 login passes more to break even)');
  });

  it('says 1 more pass for 9 passes', () => {
    assert.match(decideVerdict(input({ loginPasses: 9 }), rules).text, /\(1 login pass more to break even\)$/);
  });

  it('normalises a longer window to the 28-day recycle period', () => {
    const v = decideVerdict(input({ loginPasses: 30 }), { ...rules, windowDays: 90 });
    assert.equal(v.kind, 'keep');
    assert.match(v.text, /^30 login passes in 90 days ≈ 9.33 per 28 days = 0.93 tokens;/);
    assert.match(v.text, /\(3 login passes more to break even\)$/);
    assert.equal(decideVerdict(input({ loginPasses: 33 }), { ...rules, windowDays: 90 }).kind, 'assign');
  });

  it('uses the token costs the server reports', () => {
    const v = decideVerdict(input({ loginPasses: 10, tokens: { ...tokens, loginPassCost: 0.05 } }), rules);
    assert.equal(v.kind, 'keep');
    assert.match(v.text, /= 0.5 tokens/);
  });

  it('reports a held, used pass as held', () => {
    const v = decideVerdict(input({ allocation: alloc({ lastUsed: NOW - 3 * DAY_MS }) }), rules);
    assert.equal(v.kind, 'holds');
    assert.equal(v.text, 'holds a user access pass, last used 2026-11-20');
  });

  it('flags a pass unused past the threshold as a revoke candidate', () => {
    const v = decideVerdict(input({ allocation: alloc({ lastUsed: NOW - 45 * DAY_MS }) }), rules);
    assert.equal(v.kind, 'inactive');
    assert.equal(v.tokensSaved, 1);
    assert.equal(v.text, 'holds a user access pass unused for 45 days (threshold 30 days) → revoke candidate (frees 1 token)');
    assert.equal(decideVerdict(input({ allocation: alloc({ lastUsed: null }) }), rules).kind, 'inactive');
  });

  it('does not call a pass holder idle who used login passes within the threshold', () => {
    const idlePass = alloc({ lastUsed: NOW - 64 * DAY_MS });
    const v = decideVerdict(input({ allocation: idlePass, loginPasses: 62, lastUse: NOW - 3 * DAY_MS }), rules);
    assert.equal(v.kind, 'holds');
    assert.equal(v.text, 'holds a user access pass (last used 2026-09-20) and used login passes until 2026-11-20: active, not a revoke candidate');
    assert.equal(v.tokensSaved, undefined);
    // Login passes older than the threshold do not make an idle pass active.
    assert.equal(decideVerdict(input({ allocation: idlePass, loginPasses: 2, lastUse: NOW - 40 * DAY_MS }), rules).kind, 'inactive');
    // Nor do passes from before the pass's own last use.
    const used = alloc({ lastUsed: NOW - 2 * DAY_MS });
    assert.equal(decideVerdict(input({ allocation: used, loginPasses: 2, lastUse: NOW - 5 * DAY_MS }), rules).text, 'holds a user access pass, last used 2026-11-21');
  });

  it('counts a never-used pass as idle from its allocation, so a new pass is not a revoke candidate', () => {
    const fresh = decideVerdict(input({ allocation: alloc({ lastUsed: null, allocatedAt: NOW - 2 * DAY_MS }) }), rules);
    assert.equal(fresh.kind, 'holds');
    assert.equal(fresh.text, 'holds a user access pass, allocated 2026-11-21, not used yet');
    const stale = decideVerdict(input({ allocation: alloc({ lastUsed: null, allocatedAt: NOW - 40 * DAY_MS }) }), rules);
    assert.equal(stale.kind, 'inactive');
    assert.match(stale.text, /never used in the 40 days since it was allocated \(threshold 30 days\)/);
  });

  it('reads quarantine from the server fields rather than dates', () => {
    const end = NOW + 4 * DAY_MS;
    const v = decideVerdict(input({ allocation: alloc({ quarantined: true, quarantineEnd: end, lastUsed: NOW - 3 * DAY_MS }) }), rules);
    assert.equal(v.kind, 'quarantined');
    assert.equal(v.text, 'user access pass quarantined until 2026-11-27 (last used 2026-11-20); it can be reinstated to this user until then at no extra cost');
  });

  it('shows a deleted user as such', () => {
    const v = decideVerdict(input({ allocation: alloc({ userDeleted: true, quarantined: true, quarantineEnd: NOW + DAY_MS }) }), rules);
    assert.equal(v.kind, 'deleted');
    assert.match(v.text, /^user deleted; the user access pass stays quarantined until 2026-11-24/);
  });

  it('gives no capacity verdict without a break-even, and one with it', () => {
    const noTokens = input({ tokens: null, capacityOffered: true, capacityMinutes: 600 });
    assert.equal(decideVerdict(noTokens, rules).kind, 'keep');
    assert.match(decideVerdict(noTokens, rules).text, /no capacity break-even set/);
    const v = decideVerdict(noTokens, { ...rules, capacityBreakEvenMinutes: 480 });
    assert.equal(v.kind, 'assign');
    assert.equal(v.suggestedKind, 'analyzer');
    assert.equal(decideVerdict(noTokens, { ...rules, capacityBreakEvenMinutes: 601 }).kind, 'keep');
  });
});

describe('primaryAllocation', () => {
  it('prefers a live pass over a quarantined one, then user over professional over analyzer', () => {
    const q = alloc({ id: 'q', quarantined: true });
    const an = alloc({ id: 'an', kind: 'analyzer' });
    const pro = alloc({ id: 'pro', kind: 'professional' });
    assert.equal(primaryAllocation([q, an, pro])?.id, 'pro');
    assert.equal(primaryAllocation([q])?.id, 'q');
    assert.equal(primaryAllocation([]), null);
  });
});
