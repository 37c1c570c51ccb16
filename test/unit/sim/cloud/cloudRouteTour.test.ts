import { strict as assert } from 'node:assert';
import { startCloudSimulator, type CloudSimulator, type CloudSimulatorOptions } from '../../../../src/sim/cloud/cloudSimulator';
import { cloud, type CloudTestCall } from './cloudTestClient';

const NOW = Date.UTC(2026, 10, 30, 12);

interface Stop {
  readonly method: string;
  readonly path: string;
  readonly call?: CloudTestCall;
  readonly status: number;
}

/** Every route the simulator serves, with answers good and bad, for one tenant. */
function tour(sim: CloudSimulator): Stop[] {
  const s = sim.state;
  const admin = s.adminUserId;
  const someone = s.users.find((u) => u.status === 'active' && !s.isTenantAdmin(u));
  assert.ok(someone);
  const user = sim.apiKeyFor(someone.id);
  const held = s.assignments.find((a) => !s.isOrphan(a));
  const free = s.users.find((u) => u.status === 'active' && u.clientId === undefined && !s.assignmentOf(u.subject) && u.id !== someone.id);
  assert.ok(free);
  const audit = s.audits.at(-1);
  assert.ok(audit);
  const group = s.groups[0];
  const role = s.roles[0];
  assert.ok(group && role);
  const subject = held?.subject ?? someone.subject;
  const type = held?.type ?? 'professional';
  const old = new Date(NOW - 120 * 86_400_000).toISOString().slice(0, 10);
  const stops: Stop[] = [
    { method: 'GET', path: '/api/v1/users?limit=100&totalResults=true&sort=-email', status: 200 },
    { method: 'GET', path: '/api/v1/users?fields=id,name,assignedRoles,links', status: 200 },
    { method: 'GET', path: `/api/v1/users?filter=${encodeURIComponent('(name co "a" or email co "a") and (status eq "active" or status eq "disabled")')}`, status: 200 },
    { method: 'GET', path: '/api/v1/users?filter=nonsense', status: 400 },
    { method: 'GET', path: '/api/v1/users?next=garbage', status: 400 },
    { method: 'GET', path: '/api/v1/users', call: { token: null }, status: 401 },
    { method: 'GET', path: '/api/v1/users/me', status: 301 },
    { method: 'GET', path: '/api/v1/users/me?fields=assignedRoles', call: { token: user }, status: 301 },
    { method: 'GET', path: '/api/v1/users/me', call: { token: 'x.y.z' }, status: 401 },
    { method: 'GET', path: `/api/v1/users/${admin}?fields=assignedRoles`, status: 200 },
    { method: 'GET', path: `/api/v1/users/${admin}`, call: { token: user }, status: 200 },
    { method: 'GET', path: '/api/v1/users/000000000000000000000000', status: 404 },
    { method: 'GET', path: '/api/v1/users/actions/count', status: 200 },
    { method: 'POST', path: '/api/v1/users/actions/filter?limit=5', call: { body: { filter: 'status eq "disabled"' } }, status: 200 },
    { method: 'POST', path: '/api/v1/users/actions/filter', call: { body: { filter: 'status eq' } }, status: 400 },
    { method: 'POST', path: '/api/v1/users', call: { body: { subject: 'auth0|tour', name: 'Tour Guide', email: 'tour@acme-analytics.example' } }, status: 201 },
    { method: 'POST', path: '/api/v1/users', call: { body: { subject: 'auth0|tour' } }, status: 409 },
    { method: 'PATCH', path: `/api/v1/users/${someone.id}`, call: { body: [{ op: 'replace', path: '/assignedRoles', value: [{ name: 'License Viewer' }] }] }, status: 204 },
    { method: 'PATCH', path: `/api/v1/users/${someone.id}`, call: { body: [{ op: 'replace', path: '/assignedRoles', value: [] }] }, status: 204 },
    { method: 'PATCH', path: `/api/v1/users/${someone.id}`, call: { body: [{ op: 'replace', path: '/status', value: 'invited' }] }, status: 400 },
    { method: 'PATCH', path: `/api/v1/users/${admin}`, call: { token: user, body: [{ op: 'replace', path: '/status', value: 'disabled' }] }, status: 403 },
    { method: 'PATCH', path: '/api/v1/users/000000000000000000000000', call: { body: [{ op: 'replace', path: '/status', value: 'disabled' }] }, status: 404 },
    { method: 'DELETE', path: '/api/v1/users/000000000000000000000000', status: 404 },
    { method: 'GET', path: '/api/v1/groups?limit=3&totalResults=true', status: 200 },
    { method: 'GET', path: '/api/v1/groups?systemGroups=true', status: 200 },
    { method: 'GET', path: `/api/v1/groups/${group.id}`, status: 200 },
    { method: 'GET', path: '/api/v1/groups/000000000000000000000001', status: 200 },
    { method: 'GET', path: '/api/v1/groups/nope', status: 404 },
    { method: 'GET', path: '/api/v1/groups/settings', status: 200 },
    { method: 'GET', path: '/api/v1/groups/settings', call: { token: user }, status: 403 },
    { method: 'GET', path: '/api/v1/groups', call: { token: null }, status: 401 },
    { method: 'GET', path: '/api/v1/roles?limit=4', status: 200 },
    { method: 'GET', path: `/api/v1/roles?filter=${encodeURIComponent('level eq "admin"')}`, status: 200 },
    { method: 'GET', path: '/api/v1/roles', call: { token: user }, status: 403 },
    { method: 'GET', path: `/api/v1/roles/${role.id}`, status: 200 },
    { method: 'GET', path: `/api/v1/roles/${role.id}`, call: { token: user }, status: 403 },
    { method: 'GET', path: '/api/v1/roles/000000000000000000000000', status: 404 },
    { method: 'GET', path: '/api/v1/roles', call: { token: null }, status: 401 },
    { method: 'GET', path: '/api/v1/licenses/overview', status: 200 },
    { method: 'GET', path: '/api/v1/licenses/overview', call: { token: user }, status: 200 },
    { method: 'GET', path: '/api/v1/licenses/overview', call: { token: null }, status: 401 },
    { method: 'GET', path: '/api/v1/licenses/status', status: 200 },
    { method: 'GET', path: '/api/v1/licenses/settings', status: 200 },
    { method: 'GET', path: '/api/v1/licenses/settings', call: { token: user }, status: 403 },
    { method: 'PUT', path: '/api/v1/licenses/settings', call: { body: { autoAssignProfessional: false } }, status: s.subscription === 'capacity' ? 400 : 200 },
    { method: 'GET', path: '/api/v1/licenses/assignments?limit=100&sort=-subject', status: 200 },
    { method: 'GET', path: '/api/v1/licenses/assignments?orphans=true', status: 200 },
    { method: 'GET', path: `/api/v1/licenses/assignments?filter=${encodeURIComponent(`subject eq "${subject}"`)}`, status: 200 },
    { method: 'GET', path: '/api/v1/licenses/assignments?page=garbage', status: 400 },
    { method: 'GET', path: '/api/v1/licenses/assignments?sort=name', status: 400 },
    { method: 'GET', path: '/api/v1/licenses/assignments', call: { token: user }, status: 403 },
    { method: 'POST', path: '/api/v1/licenses/assignments/actions/add', call: { body: { add: [{ subject: free.subject, type: 'analyzer' }, { subject, type }] } }, status: 207 },
    { method: 'POST', path: '/api/v1/licenses/assignments/actions/update', call: { body: { update: [{ subject: free.subject, sourceType: 'analyzer', type: 'professional' }] } }, status: 207 },
    { method: 'POST', path: '/api/v1/licenses/assignments/actions/delete', call: { body: { delete: [{ subject: free.subject, type: 'professional' }, { subject: free.subject, type: 'analyzer' }] } }, status: 207 },
    { method: 'POST', path: '/api/v1/licenses/assignments/actions/delete', call: { token: user, body: { delete: [{ subject, type }] } }, status: 403 },
    { method: 'GET', path: '/api/v1/licenses/consumption?limit=200&sort=-endTime', status: 200 },
    { method: 'GET', path: `/api/v1/licenses/consumption?filter=${encodeURIComponent(`endTime ge "${new Date(NOW - 86_400_000).toISOString()}"`)}`, status: 200 },
    { method: 'GET', path: `/api/v1/licenses/consumption?filter=${encodeURIComponent('endTime ne "x"')}`, status: 400 },
    { method: 'GET', path: '/api/v1/licenses/consumption', call: { token: user }, status: 403 },
    { method: 'GET', path: '/api/v1/audits?limit=100', status: 200 },
    { method: 'GET', path: `/api/v1/audits?eventType=com.qlik.user-session.end&userId=${audit.userId}&sort=%2BeventTime`, status: 200 },
    { method: 'GET', path: '/api/v1/audits?limit=5', call: { token: user }, status: 200 },
    { method: 'GET', path: '/api/v1/audits?eventTime=2026-11-30T00:00:00Z/2026-11-01T00:00:00Z', status: 400 },
    { method: 'GET', path: '/api/v1/audits', call: { token: null }, status: 401 },
    { method: 'GET', path: `/api/v1/audits/${audit.id}`, status: 200 },
    { method: 'GET', path: '/api/v1/audits/000000000000000000000000', status: 404 },
    { method: 'GET', path: '/api/v1/audits/types', status: 200 },
    { method: 'GET', path: '/api/v1/audits/sources', status: 200 },
    { method: 'GET', path: '/api/v1/audits/settings', status: 200 },
    { method: 'GET', path: `/api/v1/audits/archive?date=${old}`, status: 200 },
    { method: 'GET', path: `/api/v1/audits/archive?date=${new Date(NOW).toISOString().slice(0, 10)}`, status: 404 },
  ];
  return stops;
}

for (const subscription of ['user-based', 'capacity'] as const) {
  describe(`cloudSimulator: every route of a ${subscription} tenant`, function () {
    this.timeout(60_000);
    let sim: CloudSimulator;
    const options: CloudSimulatorOptions = { users: 120, seed: 31, now: NOW, subscription };

    before(async () => {
      sim = await startCloudSimulator(options);
    });

    after(async () => {
      await sim.close();
    });

    it('answers as the specs declare (no contract violation in any answer)', async () => {
      const seen: string[] = [];
      for (const stop of tour(sim)) {
        const r = await cloud(sim, stop.method, stop.path, stop.call ?? {});
        seen.push(`${stop.method} ${stop.path} -> ${r.status}`);
        assert.equal(r.status, stop.status, `${stop.method} ${stop.path}: ${r.text}`);
        if (r.status !== 204 && r.status !== 301) {
          assert.match(String(r.headers['content-type']), /^application\/json/, `${stop.method} ${stop.path}`);
        }
      }
      assert.deepEqual(sim.violations, [], seen.join('\n'));
      assert.ok(seen.length > 60);
    });

    it('answers 404 off the API, 501 for operations it does not simulate, 405 (a recorded violation) for methods the spec lacks', async () => {
      assert.equal((await cloud(sim, 'GET', '/api/v2/users')).status, 404);
      assert.equal((await cloud(sim, 'GET', '/api/v1/consumption/executions')).status, 501);
      assert.equal((await cloud(sim, 'DELETE', '/api/v1/licenses/overview')).status, 405);
      assert.deepEqual(sim.takeViolations(), ['request: DELETE /api/v1/licenses/overview: not in the contract']);
    });

    it('with the contract off, still routes and refuses what it cannot read', async () => {
      const loose = await startCloudSimulator({ ...options, contract: 'off' });
      try {
        assert.equal((await cloud(loose, 'GET', '/api/v1/users?limit=500')).status, 400, 'its own limit check');
        assert.equal((await cloud(loose, 'GET', '/api/v1/users?bogus=1')).status, 200, 'unknown parameters pass');
        assert.equal((await cloud(loose, 'POST', '/api/v1/licenses/assignments/actions/add', { body: { add: 'x' } })).status, 400);
        assert.deepEqual(loose.violations, []);
      } finally {
        await loose.close();
      }
    });
  });
}
