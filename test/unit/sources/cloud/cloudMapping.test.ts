import { strict as assert } from 'node:assert';
import type { User } from '../../../../src/core/model';
import { userKey } from '../../../../src/core/model';
import {
  consumptionRecord,
  holderOf,
  parseDurationMs,
  roleCheckOf,
  subscriptionOf,
  toAllocation,
  toOverview,
  toUser,
  toUserFacts,
} from '../../../../src/sources/cloud/cloudMapping';
import { pairSessions, SESSION_BEGIN, SESSION_END } from '../../../../src/sources/cloud/cloudSessions';
import type { CloudAuditEvent, CloudOverview, CloudUser } from '../../../../src/sources/cloud/cloudWire';
import { asActionRows, asOverview, asToken, asUser } from '../../../../src/sources/cloud/cloudWire';
import { CloudProtocolError } from '../../../../src/sources/cloud/cloudErrors';

const kalle: CloudUser = { id: 'u1', subject: 'qlik\\kalle', name: 'Kalle Anka', email: 'kalle@example.com', status: 'active' };

function overview(allotments: CloudOverview['allotments'], product = 'Qlik Sense Enterprise SaaS'): CloudOverview {
  return { product, status: 'Ok', allotments };
}

describe('Qlik Cloud mapping', () => {
  describe('users', () => {
    it('keeps the Cloud id, takes the subject as user id and shows it without a directory', () => {
      const user = toUser(kalle);
      assert.deepEqual(user, { id: 'u1', directory: '', userId: 'qlik\\kalle', name: 'Kalle Anka' });
      assert.equal(userKey(user), 'qlik\\kalle');
      assert.equal(userKey({ directory: '', userId: 'auth0|abc' }), 'auth0|abc');
      assert.equal(userKey({ directory: 'CORP', userId: 'jdoe' }), 'CORP\\jdoe', 'client-managed keys are unchanged');
    });

    it('names a user by name, else email, else subject', () => {
      assert.equal(toUser({ id: 'a', subject: 's' , email: 'e@x.org' }).name, 'e@x.org');
      assert.equal(toUser({ id: 'a', subject: 's', name: '' }).name, 's');
    });

    it('maps disabled and deleted to the flags never-touch lists know, and lists groups by name', () => {
      assert.deepEqual(toUserFacts({ ...kalle, status: 'disabled', assignedGroups: [{ name: 'Finance' }, { name: 'Sales' }] }), { flags: ['inactive'], groups: ['Finance', 'Sales'] });
      assert.deepEqual(toUserFacts({ ...kalle, status: 'deleted' }), { flags: ['removedExternally'], groups: [] });
      assert.deepEqual(toUserFacts(kalle), { flags: [], groups: [] });
    });
  });

  describe('assignments', () => {
    it('joins by subject; an assignment without a user is kept and marked orphaned', () => {
      const held = toAllocation({ subject: 'qlik\\kalle', type: 'professional', excess: true, created: '2026-10-01T00:00:00.000Z' }, holderOf(kalle));
      assert.deepEqual(held, {
        id: 'professional:qlik\\kalle',
        kind: 'professional',
        user: toUser(kalle),
        lastUsed: null,
        lastUseUnrecorded: true,
        allocatedAt: Date.UTC(2026, 9, 1),
        quarantined: false,
        quarantineEnd: null,
        userDeleted: false,
        excess: true,
      });
      const orphan = toAllocation({ subject: 'auth0|gone', type: 'analyzer' }, undefined);
      assert.equal(orphan?.orphaned, true);
      assert.deepEqual(orphan?.user, { id: 'auth0|gone', directory: '', userId: 'auth0|gone', name: 'auth0|gone' });
      assert.equal(orphan?.allocatedAt, null);
    });

    it('marks a deleted holder, and leaves types that are no pass kind to the caller', () => {
      assert.equal(toAllocation({ subject: 'qlik\\kalle', type: 'analyzer' }, holderOf({ ...kalle, status: 'deleted' }))?.userDeleted, true);
      assert.equal(toAllocation({ subject: 'qlik\\kalle', type: 'fullUser' }, holderOf(kalle)), undefined);
    });
  });

  describe('overview and subscription', () => {
    it('maps seats, analyzer capacity and no tokens for a user-based tenant', () => {
      const wire = overview([
        { name: 'professional', units: 200, unitsUsed: 15, usageClass: 'assigned' },
        { name: 'analyzer', units: 50, unitsUsed: 52, usageClass: 'assigned' },
        { name: 'analyzer_time', units: 300, unitsUsed: 242, overage: 100, usageClass: 'time' },
      ]);
      const mapped = toOverview(wire);
      assert.equal(mapped.tokens, null);
      assert.deepEqual(mapped.professional, { total: 200, allocated: 15, used: 15, quarantined: 0, excess: 0, available: 185 });
      assert.deepEqual(mapped.analyzer, { total: 50, allocated: 52, used: 52, quarantined: 0, excess: 2, available: 0 });
      assert.deepEqual(mapped.capacity, { allocatedMinutes: 300, usedMinutes: 242, unavailableMinutes: 0 });
      assert.equal(mapped.fullUsers, null);
      assert.deepEqual(mapped.offeredKinds, ['professional', 'analyzer']);
      assert.deepEqual(subscriptionOf(wire), {
        kind: 'user-based',
        reason: 'its license overview (Qlik Sense Enterprise SaaS) allots professional (200), analyzer (50) and analyzer capacity (300 minutes)',
      });
    });

    it('reads a tenant without professional, analyzer or capacity allotments as capacity-based, with its Full Users', () => {
      const wire = overview([{ name: 'fullUser', units: 100, unitsUsed: 64, usageClass: 'assigned' }], 'Qlik Cloud Analytics Standard');
      const mapped = toOverview(wire);
      assert.deepEqual(mapped.offeredKinds, []);
      assert.equal(mapped.professional, null);
      assert.deepEqual(mapped.fullUsers, { total: 100, allocated: 64, used: 64, quarantined: 0, excess: 0, available: 36 });
      assert.deepEqual(subscriptionOf(wire), {
        kind: 'capacity',
        reason: 'its license overview (Qlik Cloud Analytics Standard) allots no professional or analyzer licenses and no analyzer capacity, only fullUser (100)',
      });
    });
  });

  describe('role check', () => {
    it('a Tenant Admin, directly or through a group, may administer licenses and users', () => {
      const direct = roleCheckOf({ ...kalle, assignedRoles: [{ name: 'TenantAdmin', level: 'admin' }] });
      assert.equal(direct.canAdministerLicenses, true);
      assert.equal(direct.canAdministerUsers, true);
      assert.equal(direct.sentence, 'Kalle Anka holds the Tenant Admin role: License Steward can assign licenses and disable users.');
      const viaGroup = roleCheckOf({ ...kalle, assignedRoles: [{ name: 'AnalyticsAdmin' }], assignedGroups: [{ name: 'Admins', assignedRoles: [{ name: 'TenantAdmin' }] }] });
      assert.equal(viaGroup.canAdministerLicenses, true);
      assert.deepEqual(viaGroup.roles, ['AnalyticsAdmin', 'TenantAdmin']);
    });

    it('anyone else may not, and hears which roles they hold', () => {
      const check = roleCheckOf({ ...kalle, assignedRoles: [{ name: 'SharedSpaceCreator' }, { name: 'AnalyticsAdmin' }] });
      assert.equal(check.canAdministerLicenses, false);
      assert.equal(check.canAdministerUsers, false);
      assert.equal(
        check.sentence,
        "Kalle Anka holds AnalyticsAdmin and SharedSpaceCreator but not the Tenant Admin role: License Steward can read what the account may read, but assigning licenses and disabling users need a tenant admin's API key or an OAuth client.",
      );
      assert.match(roleCheckOf(kalle).sentence, /^Kalle Anka holds no role:/);
    });
  });

  describe('durations', () => {
    it('reads Go, ISO 8601 and clock durations', () => {
      assert.equal(parseDurationMs('1h2m3s'), 3_723_000);
      assert.equal(parseDurationMs('45m0s'), 2_700_000);
      assert.equal(parseDurationMs('12.5s'), 12_500);
      assert.equal(parseDurationMs('350ms'), 350);
      assert.equal(parseDurationMs('PT1H2M3S'), 3_723_000);
      assert.equal(parseDurationMs('P1DT1M'), 86_460_000);
      assert.equal(parseDurationMs('01:02:03'), 3_723_000);
    });

    it('refuses what is none of them', () => {
      for (const text of ['', '12', 'PT', 'P', '1x', 'h1', '1h 2m', 'soon']) {
        assert.equal(parseDurationMs(text), undefined, text);
      }
    });
  });

  describe('consumption', () => {
    const users = new Map<string, User>([['u1', toUser(kalle)]]);
    const end = '2026-11-20T10:30:00.000Z';

    it('starts a session its duration before its end and counts the minutes used', () => {
      const record = consumptionRecord({ id: 'e1', userId: 'u1', endTime: end, duration: '30m0s', minutesUsed: 30 }, users);
      assert.deepEqual(record, { id: 'e1', user: toUser(kalle), start: Date.parse(end) - 1_800_000, stop: Date.parse(end), unit: 'capacityMinutes', amount: 30, pool: null });
      const chunks = consumptionRecord({ id: 'e2', userId: 'u1', endTime: end, duration: '5m', capacityUsed: 2 }, users);
      assert.equal(typeof chunks === 'string' ? chunks : chunks.amount, 12);
    });

    it('says why an event cannot be counted', () => {
      assert.equal(consumptionRecord({ userId: 'u1', endTime: end, duration: '1m' }, users), 'without an id');
      assert.equal(consumptionRecord({ id: 'e', userId: 'u1', duration: '1m' }, users), 'without a readable end time');
      assert.equal(consumptionRecord({ id: 'e', userId: 'u1', endTime: end, duration: 'a while' }, users), 'with an unreadable duration');
      assert.equal(consumptionRecord({ id: 'e', userId: 'gone', endTime: end, duration: '1m' }, users), 'of a user the tenant does not list');
    });
  });

  describe('sessions from the audit log', () => {
    const users = { byId: new Map<string, User>([['u1', toUser(kalle)]]), bySubject: new Map<string, User>([['qlik\\kalle', toUser(kalle)]]) };
    const at = (minute: number): string => new Date(Date.UTC(2026, 10, 20, 9, minute)).toISOString();
    const event = (id: string, type: string, minute: number, extra: Partial<CloudAuditEvent> = {}): CloudAuditEvent => ({ id, eventType: type, eventTime: at(minute), userId: 'u1', ...extra });

    it('pairs begin and end by session id, whatever their order', () => {
      const begins = [event('b1', SESSION_BEGIN, 0, { data: { sessionId: 's1' } }), event('b2', SESSION_BEGIN, 5, { data: { sessionId: 's2' } })];
      const ends = [event('e2', SESSION_END, 20, { data: { sessionId: 's2' } }), event('e1', SESSION_END, 50, { data: { sessionId: 's1' } })];
      const { records, dropped } = pairSessions(begins, ends, users);
      assert.deepEqual(
        records.map((r) => [r.id, r.amount, r.stop === null ? null : new Date(r.stop).toISOString()]),
        [
          ['b1', 50, at(50)],
          ['b2', 15, at(20)],
        ],
      );
      assert.equal(dropped.size, 0);
    });

    it('without session ids pairs each begin with the user\'s next end; an open session is a sign-in of 0 minutes', () => {
      const begins = [event('b1', SESSION_BEGIN, 0), event('b2', SESSION_BEGIN, 30)];
      const ends = [event('e1', SESSION_END, 10)];
      const { records } = pairSessions(begins, ends, users);
      assert.deepEqual(
        records.map((r) => [r.id, r.amount, r.stop]),
        [
          ['b1', 10, Date.parse(at(10))],
          ['b2', 0, null],
        ],
      );
    });

    it('finds the user by the subject in the data when the user id is missing, and counts what it cannot place', () => {
      const { records, dropped } = pairSessions(
        [event('b1', SESSION_BEGIN, 0, { userId: undefined, data: { subject: 'QLIK\\kalle' } }), event('b2', SESSION_BEGIN, 1, { userId: 'nobody' }), { eventType: SESSION_BEGIN, eventTime: at(2), userId: 'u1' }],
        [],
        users,
      );
      assert.deepEqual(
        records.map((r) => r.id),
        ['b1'],
      );
      assert.deepEqual([...dropped], [
        ['of a user the tenant does not list', 1],
        ['without an id', 1],
      ]);
    });
  });

  describe('narrowing', () => {
    it('names the request when an answer is not the contract', () => {
      assert.throws(
        () => asOverview({ allotments: [{ name: 'professional', units: '200' }], product: 'x', status: 'Ok' }, 'GET /api/v1/licenses/overview'),
        (e: unknown) => e instanceof CloudProtocolError && e.message.startsWith('The server answered GET /api/v1/licenses/overview with something that is not a license overview'),
      );
      assert.throws(() => asUser({ id: 'u1' }, 'GET /api/v1/users/me'), CloudProtocolError);
      assert.throws(() => asActionRows({ data: [{ subject: 'x' }] }, 'POST /api/v1/licenses/assignments/actions/add'), (e: unknown) => e instanceof CloudProtocolError && /row 0 has no status/.test(e.message));
    });

    it('takes an overview allotment name outside the enum, and a token lifetime from expires_at', () => {
      assert.equal(asOverview(overview([{ name: 'fullUser', units: 1, unitsUsed: 0 }]), 'GET x').allotments[0]?.name, 'fullUser');
      const now = Date.UTC(2026, 10, 1);
      assert.deepEqual(asToken({ access_token: 'abc', expires_at: new Date(now + 60_000).toISOString() }, 'POST /oauth/token', now), { accessToken: 'abc', lifetimeMs: 60_000 });
      assert.throws(() => asToken({ access_token: 'abc', token_type: 'mac', expires_in: 60 }, 'POST /oauth/token', now), CloudProtocolError);
    });
  });
});
