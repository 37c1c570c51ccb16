import { strict as assert } from 'node:assert';
import Ajv from 'ajv';
import { createCloudContract, toJsonSchema, type CloudContract } from '../../../../src/sim/cloud/cloudContract';
import { CLOUD_ERRATA, type CloudErratum } from '../../../../src/sim/cloud/cloudErrata';

const JSON_TYPE = 'application/json; charset=utf-8';
/** The errata the tests below show applied, one test each, titled by id. */
const TESTED = [
  'allotment-name-open',
  'users-me-fields',
  'roles-admin-only',
  'rate-limit-429',
  'unauthenticated-401',
  'json-patch-examples',
  'audits-event-time-pattern',
  'audits-archive-date-pattern',
];

function erratum(id: string): CloudErratum {
  const found = CLOUD_ERRATA.find((e) => e.id === id);
  assert.ok(found, `erratum ${id} is listed`);
  return found;
}

/** The contract without one erratum: what that erratum changes shows as the difference. */
function without(id: string): CloudContract {
  erratum(id);
  return createCloudContract({ errata: CLOUD_ERRATA.filter((e) => e.id !== id) });
}

const OVERVIEW = {
  allotments: [{ name: 'fullUser', units: 100, unitsUsed: 80, overage: 1000, usageClass: 'assigned' }],
  licenseKey: 'k',
  licenseNumber: '1',
  origin: 'Internal',
  updated: '2026-11-01T00:00:00Z',
  parameters: [],
  product: 'Qlik Cloud Analytics Premium',
  status: 'Ok',
  trial: false,
  valid: '2026-01-01/2026-12-31',
  secondaryNumber: '2',
};

describe('cloudContract', () => {
  const contract = createCloudContract();

  describe('operations', () => {
    it('resolves paths across the six specs, literal segments before templates', () => {
      assert.equal(contract.findOperation('GET', '/api/v1/users/me')?.template, '/api/v1/users/me');
      assert.deepEqual(contract.findOperation('GET', '/api/v1/users/abc')?.pathParams, { userId: 'abc' });
      assert.equal(contract.findOperation('GET', '/api/v1/groups/settings')?.template, '/api/v1/groups/settings');
      assert.equal(contract.findOperation('GET', '/api/v1/audits/archive')?.api, 'audits');
      assert.equal(contract.findOperation('POST', '/api/v1/licenses/assignments/actions/add')?.api, 'licenses');
      assert.equal(contract.findOperation('GET', '/api/v1/nothing'), undefined);
      assert.deepEqual(contract.methodsFor('/api/v1/licenses/settings').sort(), ['GET', 'PUT']);
    });
  });

  describe('requests', () => {
    it('accepts what the specs allow', () => {
      assert.deepEqual(contract.validateRequest({ method: 'GET', path: '/api/v1/users', query: { limit: '100', sort: '-name', filter: 'name co "a"', fields: 'id,name', next: 'x' } }), []);
      assert.deepEqual(contract.validateRequest({ method: 'GET', path: '/api/v1/licenses/consumption', query: { limit: '200', page: 'abc' } }), []);
      assert.deepEqual(contract.validateRequest({ method: 'POST', path: '/api/v1/licenses/assignments/actions/add', body: { add: [{ subject: 's', type: 'analyzer' }] } }), []);
    });

    it('refuses limits beyond the spec, unknown parameters, values outside an enum and mistyped ones', () => {
      const problems = contract.validateRequest({ method: 'GET', path: '/api/v1/users', query: { limit: '500', sort: 'lastName', bogus: '1', totalResults: 'maybe' } });
      assert.equal(problems.length, 4, problems.join('\n'));
      assert.ok(problems.some((p) => p.includes("'limit'") && p.includes('<= 100')));
      assert.ok(problems.some((p) => p.includes("unknown query parameter 'bogus'")));
      assert.ok(problems.some((p) => p.includes("'sort'")));
      assert.ok(problems.some((p) => p.includes("'totalResults'") && p.includes('boolean')));
      assert.equal(contract.validateRequest({ method: 'GET', path: '/api/v1/licenses/consumption', query: { limit: '201' } }).length, 1);
      assert.equal(contract.validateRequest({ method: 'GET', path: '/api/v1/licenses/assignments', query: { limit: '0' } }).length, 1);
    });

    it('checks bodies: required, shape, and none where none is taken', () => {
      assert.match(contract.validateRequest({ method: 'POST', path: '/api/v1/licenses/assignments/actions/add' })[0] ?? '', /body is required/);
      assert.match(contract.validateRequest({ method: 'POST', path: '/api/v1/licenses/assignments/actions/add', body: { add: [{ subject: 's' }] } })[0] ?? '', /type/);
      assert.match(contract.validateRequest({ method: 'GET', path: '/api/v1/licenses/overview', body: {} })[0] ?? '', /takes no body/);
      assert.match(contract.validateRequest({ method: 'DELETE', path: '/api/v1/licenses/overview' })[0] ?? '', /only GET/);
    });
  });

  describe('responses', () => {
    it('requires a declared status, or one an erratum adds', () => {
      const problems = contract.validateResponse({ method: 'GET', path: '/api/v1/licenses/overview', status: 418, contentType: JSON_TYPE, body: {} });
      assert.match(problems[0] ?? '', /declares only 200, 400, 401, 404/);
    });

    it('validates bodies through $refs into components, with formats', () => {
      const user = { id: 'u1', tenantId: 't', subject: 's', name: 'n', createdAt: 'yesterday' };
      const problems = contract.validateResponse({ method: 'GET', path: '/api/v1/users/u1', status: 200, contentType: JSON_TYPE, body: user });
      assert.ok(problems.some((p) => p.includes('/createdAt') && p.includes('date-time')), problems.join('\n'));
      assert.deepEqual(contract.validateResponse({ method: 'GET', path: '/api/v1/users/u1', status: 200, contentType: JSON_TYPE, body: { ...user, createdAt: '2026-11-01T00:00:00Z' } }), []);
      const missing = contract.validateResponse({ method: 'GET', path: '/api/v1/licenses/assignments', status: 200, contentType: JSON_TYPE, body: { data: [{ subject: 's', type: 'analyzer', created: 'x' }] } });
      assert.ok(missing.some((p) => p.includes("'excess'")) && missing.some((p) => p.includes("'links'")), missing.join('\n'));
    });

    it('knows empty answers and non-JSON ones', () => {
      assert.deepEqual(contract.validateResponse({ method: 'PATCH', path: '/api/v1/users/u1', status: 204 }), []);
      assert.match(contract.validateResponse({ method: 'PATCH', path: '/api/v1/users/u1', status: 204, contentType: JSON_TYPE, body: {} })[0] ?? '', /declares no body/);
      assert.deepEqual(contract.validateResponse({ method: 'GET', path: '/api/v1/users/me', status: 301, contentType: 'text/html', body: '<a>' }), []);
      assert.match(contract.validateResponse({ method: 'GET', path: '/api/v1/users/me', status: 301, contentType: JSON_TYPE, body: {} })[0] ?? '', /content type/);
      assert.match(contract.validateResponse({ method: 'GET', path: '/api/v1/licenses/status', status: 200 })[0] ?? '', /body .* is required/);
    });

    it('falls back to a default response where a spec has one', () => {
      const body = { errors: [{ code: 1, title: 'x' }] };
      assert.deepEqual(contract.validateResponse({ method: 'POST', path: '/api/v1/users/actions/invite', status: 418, contentType: JSON_TYPE, body }), []);
    });
  });

  describe('toJsonSchema', () => {
    const ajv = new Ajv({ strict: false });

    it('turns nullable into a null type, enum member or alternative', () => {
      const v = ajv.compile(toJsonSchema({ type: 'object', properties: { a: { type: 'string', nullable: true }, b: { enum: ['x'], nullable: true }, c: { oneOf: [{ type: 'integer' }], nullable: true } } }, 'x') as object);
      assert.equal(v({ a: null, b: null, c: null }), true);
      assert.equal(v({ a: 'z', b: 'x', c: 1 }), true);
      assert.equal(v({ a: 1 }), false);
      const strict = ajv.compile(toJsonSchema({ type: 'string' }, 'x') as object);
      assert.equal(strict(null), false);
    });

    it('rebases local refs and leaves examples alone', () => {
      const out = toJsonSchema({ $ref: '#/components/schemas/A', example: { $ref: '#/keep' } }, 'cloud-users') as Record<string, unknown>;
      assert.equal(out['$ref'], 'cloud-users#/components/schemas/A');
      assert.deepEqual(out['example'], { $ref: '#/keep' });
    });
  });

  describe('errata', () => {
    it('has a test below for every erratum it lists', () => {
      assert.deepEqual(CLOUD_ERRATA.map((e) => e.id).sort(), [...TESTED].sort());
    });

    it('documents each: what the spec says, what tenants do, a source and the patch', () => {
      assert.equal(new Set(CLOUD_ERRATA.map((e) => e.id)).size, CLOUD_ERRATA.length);
      for (const e of CLOUD_ERRATA) {
        assert.match(e.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
        for (const text of [e.specSays, e.tenantsDo, e.source, e.contractPatch]) {
          assert.ok(text.trim().length > 20, `${e.id}: ${text}`);
        }
      }
    });

    it('refuses errata that no longer fit the specs', () => {
      const stale: CloudErratum = { ...erratum('users-me-fields'), id: 'stale', patch: { ...erratum('users-me-fields').patch, pointer: '/paths/~1api~1v1~1users/get/parameters' } as CloudErratum['patch'] };
      assert.throws(() => createCloudContract({ errata: [stale] }), /already has/);
      const nowhere: CloudErratum = { ...erratum('roles-admin-only'), id: 'nowhere', patch: { kind: 'status', statuses: [403], appliesTo: () => false, schema: () => ({}) } };
      assert.throws(() => createCloudContract({ errata: [nowhere] }), /fit no operation/);
    });

    it('allotment-name-open: a capacity tenant\'s fullUser allotment', () => {
      const answer = { method: 'GET', path: '/api/v1/licenses/overview', status: 200, contentType: JSON_TYPE, body: OVERVIEW };
      assert.deepEqual(contract.validateResponse(answer), []);
      assert.ok(without('allotment-name-open').validateResponse(answer).some((p) => p.includes('/allotments/0/name')));
    });

    it('users-me-fields: /users/me?fields=assignedRoles', () => {
      const request = { method: 'GET', path: '/api/v1/users/me', query: { fields: 'assignedRoles' } };
      assert.deepEqual(contract.validateRequest(request), []);
      assert.match(without('users-me-fields').validateRequest(request)[0] ?? '', /unknown query parameter 'fields'/);
    });

    it('roles-admin-only: 403 from the roles API', () => {
      const answer = { method: 'GET', path: '/api/v1/roles', status: 403, contentType: JSON_TYPE, body: { errors: [{ code: 'HTTP-403', title: 'Forbidden' }], traceId: 't' } };
      assert.deepEqual(contract.validateResponse(answer), []);
      assert.deepEqual(contract.validateResponse({ ...answer, path: '/api/v1/roles/r1' }), []);
      assert.match(without('roles-admin-only').validateResponse(answer)[0] ?? '', /no erratum adds 403/);
    });

    it('rate-limit-429: the gateway\'s body on any operation, checked', () => {
      const body = { errors: [{ code: 'HTTP-429', title: 'API rate limit reached.', detail: 'You need to wait 1 seconds until limit is lifted.' }] };
      const answer = { method: 'POST', path: '/api/v1/licenses/assignments/actions/add', status: 429, contentType: JSON_TYPE, body };
      assert.deepEqual(contract.validateResponse(answer), []);
      assert.ok(contract.validateResponse({ ...answer, body: { errors: [] } }).length > 0, 'an empty errors list is not the gateway body');
      assert.match(without('rate-limit-429').validateResponse(answer)[0] ?? '', /no erratum adds 429/);
    });

    it('unauthenticated-401: on operations that do not declare it, in the API\'s error shape', () => {
      const body = { errors: [{ code: 'HTTP-401', title: 'Unauthorized', status: 401 }], traceId: 't' };
      const answer = { method: 'GET', path: '/api/v1/users/u1', status: 401, contentType: JSON_TYPE, body };
      assert.deepEqual(contract.validateResponse(answer), []);
      assert.ok(contract.validateResponse({ ...answer, body: { errors: 'no' } }).length > 0);
      assert.match(without('unauthenticated-401').validateResponse(answer)[0] ?? '', /no erratum adds 401/);
    });

    it('json-patch-examples: replace /assignedRoles with role references, remove-value one', () => {
      for (const body of [
        [{ op: 'replace', path: '/assignedRoles', value: [{ id: '60804cf8a77b649c66733f60' }] }],
        [{ op: 'replace', path: '/assignedRoles', value: [{ name: 'TenantAdmin' }] }],
        [{ op: 'remove-value', path: '/assignedRoles', value: { id: '67ac386d2bab6dd4925008e8' } }],
        [{ op: 'add', path: '/assignedRoles/-', value: { name: 'TenantAdmin' } }],
      ]) {
        const request = { method: 'PATCH', path: '/api/v1/users/u1', body };
        assert.deepEqual(contract.validateRequest(request), [], JSON.stringify(body));
        assert.ok(without('json-patch-examples').validateRequest(request).length > 0, JSON.stringify(body));
      }
      assert.deepEqual(contract.validateRequest({ method: 'PATCH', path: '/api/v1/users/u1', body: [{ op: 'replace', path: '/status', value: 'disabled' }] }), []);
    });

    it('audits-event-time-pattern: an ISO 8601 interval', () => {
      const request = { method: 'GET', path: '/api/v1/audits', query: { eventTime: '2021-07-14T18:41:15.00Z/2021-07-14T18:41:15.99Z' } };
      assert.deepEqual(contract.validateRequest(request), []);
      assert.ok(contract.validateRequest({ ...request, query: { eventTime: 'yesterday/today' } }).length > 0);
      assert.ok(without('audits-event-time-pattern').validateRequest(request).length > 0);
    });

    it('audits-archive-date-pattern: an ISO 8601 date', () => {
      const request = { method: 'GET', path: '/api/v1/audits/archive', query: { date: '2020-02-20' } };
      assert.deepEqual(contract.validateRequest(request), []);
      assert.ok(contract.validateRequest({ ...request, query: { date: '20-02-2020' } }).length > 0);
      assert.ok(without('audits-archive-date-pattern').validateRequest(request).length > 0);
    });
  });
});
