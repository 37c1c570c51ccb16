import { strict as assert } from 'node:assert';
import { DAY_MS, type LicenseOverview, type User } from '../../../src/core/model';
import { rankUsers } from '../../../src/core/ranking';
import { UsageTally } from '../../../src/core/usageTally';

const NOW = Date.UTC(2026, 10, 20, 12);
const RULES = { windowDays: 28, inactiveDays: 30, capacityBreakEvenMinutes: null };
const seats = { total: 50, allocated: 3, used: 3, quarantined: 0, excess: 0, available: 47 };
const capacityTenant: LicenseOverview = { tokens: null, professional: null, analyzer: null, capacity: null, fullUsers: seats, offeredKinds: [] };
const mk = (id: string, name: string): User => ({ id, directory: '', userId: `auth0|${id}`, name });

describe('rankUsers with the members of a capacity tenant', () => {
  const busy = mk('busy', 'Bea Busy');
  const lapsed = mk('lapsed', 'Lars Lapsed');
  const never = mk('never', 'Nina Never');
  const recent = mk('recent', 'Rita Recent');

  function ranked() {
    const tally = new UsageTally({ from: NOW - 28 * DAY_MS, to: NOW });
    tally.add([{ id: 's1', user: busy, start: NOW - 3 * DAY_MS, stop: NOW - 3 * DAY_MS + 1_800_000, unit: 'capacityMinutes', amount: 30, pool: null }]);
    const members = [
      { user: busy, lastSignIn: NOW - 3 * DAY_MS },
      { user: lapsed, lastSignIn: NOW - 45 * DAY_MS },
      { user: never, lastSignIn: null },
      // Signed in before the window, within the inactivity threshold: not idle yet.
      { user: recent, lastSignIn: NOW - 29 * DAY_MS },
    ];
    return rankUsers({ overview: capacityTenant, tally, allocations: [], rules: RULES, now: NOW, members });
  }

  it('ranks every member, those without use in the window too, and nobody twice', () => {
    const rows = ranked();
    assert.deepEqual(rows.map((r) => r.user.name), ['Bea Busy', 'Lars Lapsed', 'Nina Never', 'Rita Recent']);
  });

  it('judges each by their last sign-in: idle for the threshold or never seen in the audit log → disable candidate', () => {
    const byName = new Map(ranked().map((r) => [r.user.name, r]));
    assert.equal(byName.get('Bea Busy')?.verdict.kind, 'holds');
    assert.equal(byName.get('Rita Recent')?.verdict.kind, 'holds');
    assert.equal(byName.get('Lars Lapsed')?.verdict.kind, 'inactive');
    assert.match(byName.get('Lars Lapsed')?.verdict.text ?? '', /no sign-in for 45 days \(threshold 30 days\) → disable candidate \(frees 1 Full User\)$/);
    assert.equal(
      byName.get('Nina Never')?.verdict.text,
      'no sign-in the audit log still holds (it keeps 90 days; threshold 30 days) → disable candidate (frees 1 Full User)',
    );
    assert.equal(byName.get('Bea Busy')?.lastUse, NOW - 3 * DAY_MS);
  });
});
