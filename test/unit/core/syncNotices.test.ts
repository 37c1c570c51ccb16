import { strict as assert } from 'node:assert';
import { AuthError, NetworkError, ServerError, TimeoutError } from '../../../src/core/errors';
import { cancelledSyncNotice, formatSyncTime, midSyncFailure } from '../../../src/core/syncNotices';

const NOW = new Date(2026, 10, 30, 16, 5).getTime();
const TWO_HOURS_AGO = NOW - 2 * 3_600_000;

describe('sync notices', () => {
  it('says which ranking a cancelled sync leaves, with its time and age', () => {
    const at = formatSyncTime(TWO_HOURS_AGO, NOW);
    assert.equal(cancelledSyncNotice([{ name: 'Prod', shownAt: TWO_HOURS_AGO }], NOW, false), `Sync cancelled — showing the ranking from ${at} (2 h ago).`);
    assert.equal(cancelledSyncNotice([{ name: 'Prod', shownAt: undefined }], NOW, false), 'Sync cancelled — nothing is synced yet; run Sync when the server can be reached.');
  });

  it('names each connection a cancelled sync of several did not reach', () => {
    assert.equal(
      cancelledSyncNotice([{ name: 'Prod', shownAt: TWO_HOURS_AGO }, { name: 'Lab', shownAt: undefined }], NOW, true),
      `Sync cancelled — "Prod" shows the ranking from ${formatSyncTime(TWO_HOURS_AGO, NOW)} (2 h ago); "Lab" is not synced yet.`,
    );
  });

  it('gives the time alone today, and the date too before', () => {
    assert.doesNotMatch(formatSyncTime(TWO_HOURS_AGO, NOW), /2026/);
    assert.match(formatSyncTime(NOW - 3 * 86_400_000, NOW), /2026/);
  });

  it('says in plain words that the server went away mid-sync, and what to do', () => {
    const reset = new NetworkError('NET_RESET', 'The connection to qlik:4242 failed during POST /qrs/license/loginaccessusage/table (ECONNRESET): other side closed', 'ECONNRESET');
    const text = midSyncFailure(reset, { step: 'usage', records: 12000 }, TWO_HOURS_AGO, NOW);
    assert.equal(
      text,
      `The server went away in the middle of the sync, after 12,000 usage records. Nothing of this sync was recorded and the tree keeps the ranking from ${formatSyncTime(TWO_HOURS_AGO, NOW)} (2 h ago). Check that the server is up (a restarting Qlik Sense Repository Service drops its connections), then sync again. (The connection to qlik:4242 failed during POST /qrs/license/loginaccessusage/table (ECONNRESET): other side closed.)`,
    );
    const timeout = midSyncFailure(new TimeoutError(30_000, 'qlik:4242', 'GET /qrs/license/useraccesstype/full'), { step: 'allocations', records: 0 }, undefined, NOW);
    assert.match(timeout ?? '', /^The server went away in the middle of the sync\. Nothing of this sync was recorded and nothing is shown until a sync completes\. Sync again once the server answers; if it is only slow, raise the connection's timeoutSeconds\. \(qlik:4242 did not answer/);
  });

  it('counts a server gone when the transport tried again, or a gateway saying so, as going away', () => {
    const refused = midSyncFailure(new NetworkError('NET_REFUSED', 'Nothing listens at qlik:4242', 'ECONNREFUSED'), { step: 'usage', records: 5 }, undefined, NOW);
    assert.match(refused ?? '', /^The server went away in the middle of the sync, after 5 usage records\..* \(Nothing listens at qlik:4242\.\)$/);
    assert.match(midSyncFailure(new ServerError(503, 'POST /qrs/x', 'Service Unavailable'), { step: 'allocations', records: 0 }, undefined, NOW) ?? '', /^The server went away/);
  });

  it('leaves every other failure, and one before the server answered at all, to its own message', () => {
    const reset = new NetworkError('NET_RESET', 'closed right after the TLS handshake', 'ECONNRESET');
    assert.equal(midSyncFailure(reset, { step: 'overview', records: 0 }, undefined, NOW), null);
    assert.equal(midSyncFailure(new NetworkError('NET_REFUSED', 'Nothing listens at qlik:4242', 'ECONNREFUSED'), { step: 'overview', records: 0 }, undefined, NOW), null);
    assert.equal(midSyncFailure(new ServerError(500, 'GET /qrs/about', 'boom'), { step: 'usage', records: 5 }, undefined, NOW), null);
    assert.equal(midSyncFailure(new AuthError('rejected', { what: 'GET /qrs/about' }), { step: 'usage', records: 5 }, undefined, NOW), null);
  });
});
