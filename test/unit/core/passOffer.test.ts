import { strict as assert } from 'node:assert';
import { noSiteOffers, offers } from '../../../src/core/passOffer';

describe('pass offers', () => {
  it('knows whether a synced site offers a kind, and does not guess for an unsynced one', () => {
    assert.equal(offers({ name: 'Prod', offeredKinds: ['user'] }, 'user'), true);
    assert.equal(offers({ name: 'Prod', offeredKinds: ['user'] }, 'professional'), false);
    assert.equal(offers({ name: 'New', offeredKinds: undefined }, 'professional'), undefined);
  });

  it('says plainly that no site offers a kind, and what each offers instead', () => {
    assert.equal(
      noSiteOffers('professional', [
        { name: 'Prod', offeredKinds: ['user'] },
        { name: 'Lab', offeredKinds: ['analyzer'] },
        { name: 'Old', offeredKinds: [] },
      ]),
      'No site offers professional access: "Prod" offers user access passes only; "Lab" offers analyzer access only; "Old" offers no pass to assign.',
    );
    assert.equal(noSiteOffers('analyzer', [{ name: 'Prod', offeredKinds: ['user', 'professional'] }]), 'No site offers analyzer access: "Prod" offers user access passes and professional access only.');
    assert.equal(noSiteOffers('user', []), 'No site offers user access passes: there is no connection yet.');
  });
});
