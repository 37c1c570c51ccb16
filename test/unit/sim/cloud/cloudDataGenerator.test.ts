import { strict as assert } from 'node:assert';
import { DAY_MS } from '../../../../src/core/model';
import { generateCloudData, type CloudGeneratorOptions } from '../../../../src/sim/cloud/cloudDataGenerator';
import { startCloudSimulator } from '../../../../src/sim/cloud/cloudSimulator';
import { cloud } from './cloudTestClient';

const NOW = Date.UTC(2026, 10, 30, 12);
const BASE: CloudGeneratorOptions = { users: 300, seed: 1, now: NOW, subscription: 'user-based', orphans: 3, deletedUsers: 2 };

describe('cloudDataGenerator', function () {
  this.timeout(60_000);

  it('is deterministic for a seed and differs across seeds', () => {
    const a = generateCloudData(BASE);
    const b = generateCloudData(BASE);
    assert.deepEqual(a, b);
    const c = generateCloudData({ ...BASE, seed: 2 });
    assert.notDeepEqual(a.users.map((u) => u.subject), c.users.map((u) => u.subject));
  });

  it('makes the users asked for: an admin, the OAuth client, every status, realistic subjects and emails', () => {
    const d = generateCloudData(BASE);
    assert.equal(d.users.length, 300);
    const statuses = new Set(d.users.map((u) => u.status));
    for (const s of ['active', 'disabled', 'invited', 'deleted', 'provisioned']) {
      assert.ok(statuses.has(s as never), s);
    }
    assert.equal(d.users.filter((u) => u.status === 'deleted').length, 2);
    const roleName = (id: string): string | undefined => d.roles.find((r) => r.id === id)?.name;
    assert.ok(d.users.find((u) => u.id === d.adminUserId)?.roleIds.map(roleName).includes('TenantAdmin'));
    assert.equal(d.users.find((u) => u.id === d.oauthClient.userId)?.clientId, d.oauthClient.clientId);
    assert.equal(new Set(d.users.map((u) => u.id)).size, 300);
    assert.equal(new Set(d.users.map((u) => u.subject)).size, 300);
    assert.ok(d.users.every((u) => /^(auth0\|[0-9a-f]{24}|00u[A-Za-z0-9]{17}|qlik-oauth-client\|[0-9a-f]{32})$/.test(u.subject)), 'IdP-shaped subjects');
    assert.ok(d.users.filter((u) => u.email !== undefined).every((u) => /^[a-z.0-9]+@acme-analytics\.example$/.test(u.email ?? '')));
    assert.ok(d.users.every((u) => /^[0-9a-f]{24}$/.test(u.id)));
    assert.ok(d.groups.length >= 8 && d.roles.some((r) => r.type === 'custom'));
  });

  it('user-based: assignments with orphans and deleted holders, pools with room, 60 days of consumption', () => {
    const d = generateCloudData(BASE);
    const subjects = new Set(d.users.map((u) => u.subject));
    assert.equal(d.assignments.filter((a) => !subjects.has(a.subject)).length, 3);
    for (const u of d.users.filter((x) => x.status === 'deleted')) {
      assert.ok(d.assignments.some((a) => a.subject === u.subject), 'a deleted user holds an assignment');
    }
    for (const type of ['professional', 'analyzer']) {
      const allotment = d.license.allotments.find((a) => a.name === type);
      const used = d.assignments.filter((a) => a.type === type).length;
      assert.ok(allotment && allotment.units > used && used > 10, type);
    }
    const oldest = Math.min(...d.consumption.map((e) => e.endTime));
    assert.ok(NOW - oldest <= 60 * DAY_MS && NOW - oldest > 58 * DAY_MS);
    assert.ok(d.consumption.some((e) => e.minutesUsed > 0) && d.consumption.some((e) => e.minutesUsed === 0));
    assert.equal(d.audits.length, d.sessions.length * 2);
  });

  it('capacity: no assignments or consumption; 90 days of sessions; users idle for over 30 days', () => {
    const d = generateCloudData({ ...BASE, subscription: 'capacity' });
    assert.deepEqual(d.assignments, []);
    assert.deepEqual(d.consumption, []);
    assert.deepEqual(d.license.allotments.map((a) => a.name), ['fullUser']);
    assert.equal(d.license.settings, undefined);
    const oldest = Math.min(...d.sessions.map((s) => s.begin));
    assert.ok(NOW - oldest > 80 * DAY_MS && NOW - oldest <= 90 * DAY_MS);
    const last = new Map<string, number>();
    for (const s of d.sessions) {
      last.set(s.userId, Math.max(last.get(s.userId) ?? 0, s.begin));
    }
    const idle = d.users.filter((u) => u.status === 'active' && (last.get(u.id) ?? 0) < NOW - 30 * DAY_MS && last.has(u.id));
    assert.ok(idle.length >= 15, `${idle.length} idle`);
  });

  it('refuses a tenant too small for its fixed users', () => {
    assert.throws(() => generateCloudData({ ...BASE, users: 3 }), RangeError);
  });

  it('two simulators with one seed answer byte for byte alike, cursors and keys included', async () => {
    const [a, b] = await Promise.all([startCloudSimulator({ users: 80, seed: 5, now: NOW }), startCloudSimulator({ users: 80, seed: 5, now: NOW })]);
    try {
      assert.equal(a.apiKey, b.apiKey);
      assert.deepEqual(a.oauth, b.oauth);
      for (const path of ['/api/v1/users?limit=30', '/api/v1/licenses/assignments?limit=10', '/api/v1/licenses/consumption?limit=50', '/api/v1/audits?limit=20', '/api/v1/licenses/overview']) {
        const [ra, rb] = await Promise.all([cloud(a, 'GET', path), cloud(b, 'GET', path)]);
        assert.equal(ra.status, 200);
        assert.equal(ra.text.replaceAll(a.url, 'URL'), rb.text.replaceAll(b.url, 'URL'), path);
      }
      const add = { body: { add: [{ subject: 'auth0|nobody', type: 'analyzer' }] } };
      const [wa, wb] = await Promise.all([cloud(a, 'POST', '/api/v1/licenses/assignments/actions/add', add), cloud(b, 'POST', '/api/v1/licenses/assignments/actions/add', add)]);
      assert.equal(wa.text, wb.text);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
