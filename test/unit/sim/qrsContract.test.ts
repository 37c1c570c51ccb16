import { strict as assert } from 'node:assert';
import { createQrsContract } from '../../../src/sim/qrs/qrsContract';
import { appJson, appObjectCondensedJson, appObjectJson } from '../../../src/sim/qrs/qrsEntityJson';
import { QRS_SPEC_FILES } from '../../../src/sim/qrs/qrsSpec';
import { QRS_NO_DATE, simUser, type SimApp, type SimAppObject } from '../../../src/sim/qrs/qrsSimState';

const USER = { id: '4543be8e-f7d4-477b-83f6-d1a74711017f', userId: 'jdoe', userDirectory: 'CORP', name: 'John Doe' };
const ALLOCATION = {
  id: '457dc0bd-08b9-4c3d-9a66-19d8d400f188',
  createdDate: '2024-01-01T10:00:00.000Z',
  modifiedDate: '2024-01-02T10:00:00.000Z',
  modifiedByUserName: 'CORP\\admin',
  user: USER,
  lastUsed: '2024-01-05T10:00:00.000Z',
  quarantined: false,
  quarantineEnd: '1753-01-01T00:00:00.000Z',
  schemaPath: 'License.UserAccessType',
};

describe('qrsContract', () => {
  const contract = createQrsContract();

  describe('operations', () => {
    it('prefers literal segments over {id}', () => {
      assert.equal(contract.findOperation('GET', '/license/useraccesstype/full')?.template, '/license/useraccesstype/full');
      const byId = contract.findOperation('get', '/license/useraccesstype/abc');
      assert.equal(byId?.template, '/license/useraccesstype/{id}');
      assert.deepEqual(byId?.pathParams, { id: 'abc' });
    });

    it('tolerates a /qrs prefix, a query string and path case', () => {
      assert.ok(contract.findOperation('GET', '/qrs/License/UserAccessType/full?filter=x'));
    });

    it('knows which methods a path has', () => {
      assert.deepEqual(contract.methodsFor('/license/useraccesstype/count'), ['GET']);
      assert.deepEqual(contract.methodsFor('/nope'), []);
    });

    it('reports unknown paths and methods', () => {
      assert.match(contract.validateRequest({ method: 'GET', path: '/nothing/here' })[0] ?? '', /no such path/);
      assert.match(contract.validateRequest({ method: 'PATCH', path: '/about' })[0] ?? '', /no PATCH here \(only GET\)/);
    });
  });

  describe('requests', () => {
    it('accepts a valid allocation body', () => {
      assert.deepEqual(contract.validateRequest({ method: 'POST', path: '/license/useraccesstype', body: { user: USER } }), []);
    });

    it('requires the user id and directory the spec marks required (a bare {user:{id}} is not enough)', () => {
      const problems = contract.validateRequest({ method: 'POST', path: '/license/useraccesstype', body: { user: { id: USER.id } } });
      assert.ok(problems.some((p) => /body\/user must have required property 'userId'/.test(p)), problems.join('\n'));
      assert.ok(problems.some((p) => /userDirectory/.test(p)));
    });

    it('catches wrong types and formats in bodies', () => {
      const problems = contract.validateRequest({
        method: 'PUT',
        path: `/license/useraccesstype/${ALLOCATION.id}`,
        body: { ...ALLOCATION, quarantined: 'no', modifiedDate: 'yesterday', id: 'not-a-guid' },
      });
      assert.ok(problems.some((p) => /body\/quarantined must be boolean/.test(p)), problems.join('\n'));
      assert.ok(problems.some((p) => /body\/modifiedDate must match format "date-time"/.test(p)));
      assert.ok(problems.some((p) => /body\/id must match format "uuid"/.test(p)));
    });

    it('requires a body where the spec does, and refuses one where it takes none', () => {
      assert.match(contract.validateRequest({ method: 'POST', path: '/license/useraccesstype' })[0] ?? '', /body \(item\) is required/);
      assert.match(contract.validateRequest({ method: 'GET', path: '/about', body: {} })[0] ?? '', /takes no body/);
    });

    it('checks query parameter names (without case) and types; xrfkey is always allowed', () => {
      assert.deepEqual(
        contract.validateRequest({
          method: 'POST',
          path: '/license/loginaccessusage/table',
          query: { Xrfkey: 'abcdefghijklmnop', filter: "user.userId eq 'x'", skip: '0', take: '20000', sortColumn: 'id', orderAscending: 'true' },
          body: { type: 'License.LoginAccessUsage', columns: [{ name: 'id', columnType: 1, definition: 'id' }] },
        }),
        [],
      );
      const problems = contract.validateRequest({
        method: 'GET',
        path: '/license/useraccesstype/full',
        query: { top: '5', privileges: 'maybe' },
      });
      assert.ok(problems.some((p) => /unknown query parameter 'top'/.test(p)));
      assert.ok(problems.some((p) => /'privileges' must be true or false/.test(p)));
      assert.match(
        contract.validateRequest({ method: 'POST', path: '/license/useraccesstype/table', query: { take: 'all' }, body: { columns: [] } })[0] ?? '',
        /'take' must be an integer/,
      );
      assert.match(contract.validateRequest({ method: 'GET', path: '/license/useraccesstype/count', query: { orderby: 'id' } })[0] ?? '', /unknown query parameter 'orderby'/);
    });

    it('accepts column types as enum names, as Qlik documents them (patched)', () => {
      const body = { type: 'User', columns: [{ name: 'id', columnType: 'Property', definition: 'id' }] };
      assert.deepEqual(contract.validateRequest({ method: 'POST', path: '/license/useraccesstype/table', body }), []);
      const bad = { type: 'User', columns: [{ name: 'id', columnType: 'Column', definition: 'id' }] };
      assert.notDeepEqual(contract.validateRequest({ method: 'POST', path: '/license/useraccesstype/table', body: bad }), []);
    });
  });

  describe('responses', () => {
    it('accepts a spec-shaped allocation and rejects a broken one', () => {
      assert.deepEqual(contract.validateResponse({ method: 'GET', path: `/license/useraccesstype/${ALLOCATION.id}`, status: 200, body: ALLOCATION }), []);
      const problems = contract.validateResponse({
        method: 'GET',
        path: '/license/useraccesstype/full',
        status: 200,
        body: [{ ...ALLOCATION, privileges: null, user: { id: USER.id } }],
      });
      assert.ok(problems.some((p) => /body\/0\/privileges must be array/.test(p)), problems.join('\n'));
      assert.ok(problems.some((p) => /body\/0\/user must have required property 'userId'/.test(p)));
    });

    it('checks the status is declared for successes and lets errors through', () => {
      assert.match(contract.validateResponse({ method: 'POST', path: '/license/useraccesstype', status: 200, body: ALLOCATION })[0] ?? '', /declares only 201/);
      assert.deepEqual(contract.validateResponse({ method: 'POST', path: '/license/useraccesstype', status: 409, body: 'Conflict' }), []);
    });

    it('requires no body on 204 and a body where a schema is declared', () => {
      assert.deepEqual(contract.validateResponse({ method: 'DELETE', path: `/license/useraccesstype/${ALLOCATION.id}`, status: 204 }), []);
      assert.match(contract.validateResponse({ method: 'DELETE', path: `/license/useraccesstype/${ALLOCATION.id}`, status: 204, body: {} })[0] ?? '', /declares no body/);
      assert.match(contract.validateResponse({ method: 'GET', path: '/about', status: 200 })[0] ?? '', /body is required/);
    });

    it('validates scalars: count is an integer, previewcreateprivilege a boolean', () => {
      assert.deepEqual(contract.validateResponse({ method: 'GET', path: '/license/useraccesstype/count', status: 200, body: 3 }), []);
      assert.notDeepEqual(contract.validateResponse({ method: 'GET', path: '/license/useraccesstype/count', status: 200, body: '3' }), []);
      assert.deepEqual(contract.validateResponse({ method: 'POST', path: '/license/useraccesstype/previewcreateprivilege', status: 201, body: true }), []);
    });

    it('accepts table rows of strings, numbers, booleans and nulls (patched from `object`)', () => {
      const table = { id: ALLOCATION.id, columnNames: ['a', 'b', 'c', 'd'], rows: [['x', 1, true, null]] };
      assert.deepEqual(contract.validateResponse({ method: 'POST', path: '/license/useraccesstype/table', status: 201, body: table }), []);
      const nested = { ...table, rows: [[{ a: 1 }]] };
      assert.notDeepEqual(contract.validateResponse({ method: 'POST', path: '/license/useraccesstype/table', status: 201, body: nested }), []);
    });

    it('ignores formats Ajv does not know (host, int32, float)', () => {
      const overview = {
        totalTokens: 10,
        availableTokens: 5,
        tokensEnabled: true,
        userAccess: { enabled: true, tokenCost: 1, allocatedTokens: 5, usedTokens: 1, quarantinedTokens: 0 },
        loginAccess: { enabled: true, tokenCost: 0.1, allocatedTokens: 0, usedTokens: 0, unavailableTokens: 0 },
      };
      assert.deepEqual(contract.validateResponse({ method: 'GET', path: '/license/accesstypeoverview', status: 200, body: overview }), []);
      const negative = { ...overview, availableTokens: -1 };
      assert.match(contract.validateResponse({ method: 'GET', path: '/license/accesstypeoverview', status: 200, body: negative })[0] ?? '', /availableTokens must be >= 0/);
    });
  });

  describe('app paths (specs/qrs-apps.swagger.json)', () => {
    const owner = simUser({ ...USER, userDirectoryConnectorName: 'CORP', createdDate: 0, modifiedDate: 0, roles: [] });
    const app: SimApp = {
      id: 'a0c7e3c5-3b7c-4a53-9e1c-6a2b9f8a1d11',
      name: 'Sales analysis',
      owner,
      createdDate: Date.UTC(2024, 0, 1),
      modifiedDate: Date.UTC(2024, 2, 1),
      modifiedByUserName: 'CORP\\jdoe',
      stream: null,
      publishTime: QRS_NO_DATE,
      lastReloadTime: Date.UTC(2024, 2, 1),
      fileSize: 1_000,
    };
    const sheet: SimAppObject = {
      id: 'b1d8f4d6-4c8d-4b64-8f2d-7b3c0a9b2e22',
      app,
      owner,
      name: 'Overview',
      objectType: 'sheet',
      engineObjectId: 'pjZxR',
      createdDate: Date.UTC(2024, 0, 2),
      modifiedDate: Date.UTC(2024, 1, 2),
      modifiedByUserName: 'CORP\\jdoe',
      published: false,
      publishTime: QRS_NO_DATE,
      approved: false,
    };

    it('reads apps and app objects by owner and date, as counts, condensed lists and full lists', () => {
      for (const path of ['/app', '/app/count', '/app/full', '/app/object', '/app/object/count', '/app/object/full']) {
        assert.deepEqual(contract.methodsFor(path), ['GET'], path);
        assert.deepEqual(contract.validateRequest({ method: 'GET', path, query: { filter: `owner.id eq ${USER.id} and modifiedDate ge '2024-01-01T00:00:00.000Z'` } }), [], path);
      }
      assert.equal(contract.findOperation('GET', '/qrs/app/object/full')?.template, '/app/object/full');
      assert.match(contract.validateRequest({ method: 'GET', path: '/app/count', query: { orderby: 'name' } })[0] ?? '', /unknown query parameter 'orderby'/);
      // Only the reads were taken from the spec: writes and single apps are not in the contract.
      assert.match(contract.validateRequest({ method: 'POST', path: '/app/object', body: {} })[0] ?? '', /no POST here \(only GET\)/);
      assert.match(contract.validateRequest({ method: 'GET', path: `/app/${app.id}` })[0] ?? '', /no such path/);
    });

    it("accepts the simulator's App and AppObject, and holds answers to the spec's required owner", () => {
      assert.deepEqual(contract.validateResponse({ method: 'GET', path: '/app/full', status: 200, body: [appJson(app)] }), []);
      assert.deepEqual(contract.validateResponse({ method: 'GET', path: '/app/object/full', status: 200, body: [appObjectJson(sheet)] }), []);
      assert.deepEqual(contract.validateResponse({ method: 'GET', path: '/app/object', status: 200, body: [appObjectCondensedJson(sheet)] }), []);
      assert.deepEqual(contract.validateResponse({ method: 'GET', path: '/app/object/count', status: 200, body: 12 }), []);
      const ownerless = { ...appObjectJson(sheet), owner: undefined };
      assert.ok(contract.validateResponse({ method: 'GET', path: '/app/object/full', status: 200, body: [ownerless] }).some((p) => /must have required property 'owner'/.test(p)));
      // Why the simulator leaves an unpublished app's stream out rather than sending QRS's null.
      assert.ok(contract.validateResponse({ method: 'GET', path: '/app/full', status: 200, body: [{ ...appJson(app), stream: null }] }).some((p) => /stream must be object/.test(p)));
    });

    it('loads the spec files as one, refusing a path two files define or a definition they spell differently', () => {
      const [license, apps] = QRS_SPEC_FILES;
      assert.ok(license && apps);
      assert.throws(() => createQrsContract({ files: [license, apps, { file: 'copy.json', spec: apps.spec }] }), /copy\.json and specs\/qrs-apps\.swagger\.json both define the path \/app/);
      const spec = structuredClone(apps.spec) as { paths: Record<string, unknown>; definitions: Record<string, { properties: Record<string, unknown> }> };
      spec.paths = {};
      delete spec.definitions['UserCondensed']?.properties['userId'];
      assert.throws(() => createQrsContract({ files: [license, { file: 'edited.json', spec }] }), /edited\.json and specs\/qrs-license\.swagger\.json define UserCondensed differently/);
    });
  });
});
