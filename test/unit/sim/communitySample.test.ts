import { strict as assert } from 'node:assert';
import { communitySample } from '../../../src/sim/qrs/communitySample';
import { startQrsSimulator, type QrsSimulator } from '../../../src/sim/qrs/qrsSimulator';
import posted from '../../fixtures/communitySample.json';
import { qrs } from './qrsTestClient';

/**
 * The JSON array of the Qlik Community answer, copied from the stored thread
 * (shared/seeds/000_54f038eb0a27c3a6.txt, indented there with non-breaking spaces, which the copy
 * turns into spaces). It lives in the repository because a clone has no shared/ beside it.
 */
const POSTED: unknown = posted;

/** The sample as the simulator must serve it: `privileges: null` dropped (the spec types it as an array). */
function withoutNullPrivileges(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(withoutNullPrivileges);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k, v]) => !(k === 'privileges' && v === null))
        .map(([k, v]) => [k, withoutNullPrivileges(v)]),
    );
  }
  return value;
}

describe('community sample', function () {
  this.timeout(20_000);
  let sim: QrsSimulator;

  before(async () => {
    sim = await startQrsSimulator({ sample: 'community' });
  });

  after(async () => {
    await sim.close();
  });

  it('is the array Qlik posted, verbatim', () => {
    assert.deepEqual(communitySample, POSTED);
  });

  it('starts the clock the day after the passes were used, on a token site', async () => {
    assert.equal(new Date(sim.clock.now()).toISOString(), '2018-08-28T00:00:00.000Z');
    const o = (await qrs(sim, 'GET', '/license/accesstypeoverview')).json<Record<string, unknown>>();
    assert.equal(o['tokensEnabled'], true);
    assert.equal(o['totalTokens'], 5);
    assert.deepEqual(o['loginAccess'], { enabled: true, tokenCost: 0.1, allocatedTokens: 1, usedTokens: 1, unavailableTokens: 0 });
    assert.equal(o['availableTokens'], 4);
  });

  it('serves GET /license/loginaccessusage/full exactly as posted, less the null privileges', async () => {
    const r = await qrs(sim, 'GET', '/license/loginaccessusage/full');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), withoutNullPrivileges(POSTED));
    assert.equal(r.text, JSON.stringify(withoutNullPrivileges(POSTED)), 'same property order too');
    assert.deepEqual(sim.violations, []);
  });

  it('knows the two SECURITYRULE users and how many passes each used', async () => {
    const users = (await qrs(sim, 'GET', '/user', { query: { filter: "userDirectory eq 'SECURITYRULE'", orderby: 'userId' } })).json<Record<string, unknown>[]>();
    assert.deepEqual(users.map((u) => u['userId']), ['tokenusage', 'tokenusage2']);
    const count = async (userId: string) =>
      (await qrs(sim, 'GET', '/license/loginaccessusage/count', { query: { filter: `user.userId eq '${userId}' and loginAccessType.name eq 'Temp'` } })).json();
    assert.equal(await count('tokenusage'), 2);
    assert.equal(await count('tokenusage2'), 1);
  });
});
