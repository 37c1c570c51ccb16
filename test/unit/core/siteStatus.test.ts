import { strict as assert } from 'node:assert';
import type { LicenseOverview, SeatTotals, TokenTotals } from '../../../src/core/model';
import { siteStatusText } from '../../../src/core/siteStatus';

const tokens: TokenTotals = {
  total: 40,
  available: 12.5,
  userPassCost: 1,
  loginPassCost: 0.1,
  userAccess: { allocated: 20, used: 18, quarantined: 1 },
  loginAccess: { allocated: 7.5, used: 3, unavailable: 0 },
};
const none: LicenseOverview = { tokens: null, professional: null, analyzer: null, capacity: null, offeredKinds: [] };

describe('siteStatusText', () => {
  it('names the site and its available and total tokens', () => {
    assert.equal(siteStatusText('Prod', { ...none, tokens, offeredKinds: ['user'] }), 'Prod: 12.5 / 40 tokens');
  });

  it('counts free professional and analyzer seats on a site without tokens', () => {
    const seats = (available: number): SeatTotals => ({ total: 10, allocated: 10 - available, used: 0, quarantined: 0, excess: 0, available });
    assert.equal(siteStatusText('Lab', { ...none, professional: seats(3), analyzer: seats(2) }), 'Lab: 3 professional, 2 analyzer free');
    assert.equal(siteStatusText('Lab', { ...none, analyzer: seats(0) }), 'Lab: 0 analyzer free');
    assert.equal(siteStatusText('Lab', none), 'Lab: no license model enabled');
  });

  it('cuts a long name so the bar keeps room for the numbers', () => {
    const text = siteStatusText('Production site of the northern region', { ...none, tokens });
    assert.equal(text, 'Production site of the …: 12.5 / 40 tokens');
    assert.equal([...(text.split(':')[0] ?? '')].length, 24);
  });
});
