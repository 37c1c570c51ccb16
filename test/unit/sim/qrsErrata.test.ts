import { strict as assert } from 'node:assert';
import { createQrsContract, type QrsContract } from '../../../src/sim/qrs/qrsContract';
import { QRS_ERRATA, type QrsErratum } from '../../../src/sim/qrs/qrsErrata';
import { startQrsSimulator, type QrsSimulator } from '../../../src/sim/qrs/qrsSimulator';
import { QRS_NO_DATE } from '../../../src/sim/qrs/qrsSimState';
import { qrs } from './qrsTestClient';

const NOW = Date.UTC(2024, 5, 15, 12);
const ID = '457dc0bd-08b9-4c3d-9a66-19d8d400f188';
const COLUMNS = [{ name: 'id', columnType: 1, definition: 'id' }];
const USAGE = 'License.LoginAccessUsage';
/** The errata the tests below show applied, one test (or group) each, titled by id. */
const TESTED = ['table-rows-scalars', 'column-type-names', 'table-entity-key', 'error-answers', 'freed-allocation-404', 'unknown-id-404'];

function erratum(id: string): QrsErratum {
  const found = QRS_ERRATA.find((e) => e.id === id);
  assert.ok(found, `erratum ${id} is listed`);
  return found;
}

/** The contract as it would be without one erratum: what that erratum changes shows here. */
function without(id: string): QrsContract {
  erratum(id);
  return createQrsContract({ errata: QRS_ERRATA.filter((e) => e.id !== id) });
}

describe('qrsErrata', function () {
  this.timeout(20_000);
  const contract = createQrsContract();
  let sim: QrsSimulator;

  before(async () => {
    sim = await startQrsSimulator({ users: 200, seed: 5, now: NOW });
  });

  after(async () => {
    await sim.close();
  });

  afterEach(() => {
    assert.deepEqual(sim.violations, []);
  });

  it('has a test below for every erratum it lists', () => {
    assert.deepEqual(QRS_ERRATA.map((e) => e.id).sort(), [...TESTED].sort());
  });

  it('documents each erratum: what the spec says, what servers do, a source and the patch', () => {
    assert.equal(new Set(QRS_ERRATA.map((e) => e.id)).size, QRS_ERRATA.length, 'ids are unique');
    for (const e of QRS_ERRATA) {
      assert.match(e.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      for (const text of [e.specSays, e.serversDo, e.source, e.contractPatch]) {
        assert.ok(text.trim().length > 20, `${e.id}: ${text}`);
      }
    }
  });

  it('refuses errata that no longer fit the spec', () => {
    const stale: QrsErratum = {
      ...erratum('table-entity-key'),
      patch: { kind: 'property', mode: 'add', definitions: ['TableDefinition'], property: 'type', schema: () => ({ type: 'string' }) },
    };
    assert.throws(() => createQrsContract({ errata: [stale] }), /TableDefinition already has property type/);
    const nowhere: QrsErratum = { ...erratum('freed-allocation-404'), patch: { kind: 'status', statuses: [404], appliesTo: () => false } };
    assert.throws(() => createQrsContract({ errata: [nowhere] }), /freed-allocation-404 fit no operation/);
  });

  it('table-rows-scalars: table cells are strings, numbers, booleans and nulls', () => {
    const table = { id: ID, columnNames: ['a', 'b', 'c', 'd'], rows: [['x', 1, true, null]] };
    const response = { method: 'POST', path: '/license/useraccesstype/table', status: 201, body: table };
    assert.deepEqual(contract.validateResponse(response), []);
    assert.match(without('table-rows-scalars').validateResponse(response).join('\n'), /rows\/0\/0 must be object/);
  });

  it('column-type-names: columnType may be the enum name', () => {
    const request = { method: 'POST', path: '/license/useraccesstype/table', body: { type: 'User', columns: [{ name: 'id', columnType: 'Property', definition: 'id' }] } };
    assert.deepEqual(contract.validateRequest(request), []);
    assert.match(without('column-type-names').validateRequest(request).join('\n'), /columnType must be integer/);
  });

  describe('table-entity-key: a table definition names its entity in type, entity or both', () => {
    const post = (body: Record<string, unknown>) => qrs(sim, 'POST', '/license/loginaccessusage/table', { query: { take: 3 }, body });

    it('types entity as a string in the contract', () => {
      const request = (entity: unknown) => ({ method: 'POST', path: '/license/loginaccessusage/table', body: { entity, columns: COLUMNS } });
      assert.deepEqual(contract.validateRequest(request(USAGE)), []);
      assert.match(contract.validateRequest(request(42)).join('\n'), /body\/entity must be string/);
      assert.deepEqual(without('table-entity-key').validateRequest(request(42)), [], 'unpatched, entity was an unknown property nobody checked');
    });

    it('takes the name from type, entity or both, refuses two different names with 400, and checks the rest as before', async () => {
      for (const body of [{ entity: USAGE }, { type: USAGE }, { type: USAGE, entity: USAGE }, { type: USAGE, entity: USAGE.toLowerCase() }]) {
        const r = await post({ ...body, columns: COLUMNS });
        assert.equal(r.status, 201, `${JSON.stringify(body)}: ${r.text}`);
        assert.equal(r.json<{ rows: unknown[] }>().rows.length, 3);
      }
      const conflict = await post({ type: USAGE, entity: 'License.UserAccessType', columns: COLUMNS });
      assert.equal(conflict.status, 400);
      assert.equal(conflict.text, `The table definition names two entities: type '${USAGE}' and entity 'License.UserAccessType'.`);
      const unknownColumn = await post({ entity: USAGE, columns: [{ name: 'x', columnType: 1, definition: 'color' }] });
      assert.equal(unknownColumn.status, 400);
      assert.match(unknownColumn.text, /'color' is not a property/);
      const noColumns = await post({ entity: USAGE, columns: [] });
      assert.equal(noColumns.status, 400);
      assert.match(noColumns.text, /non-empty columns array/);
    });
  });

  it('error-answers: any operation may refuse with 400, 401, 403, 409 or 5xx, in plain text', async () => {
    const conflict = { method: 'PUT', path: `/license/useraccesstype/${ID}`, status: 409, body: 'Conflict' };
    assert.deepEqual(contract.validateResponse(conflict), []);
    assert.match(without('error-answers').validateResponse(conflict)[0] ?? '', /declares only 200, and no erratum adds 409/);
    // The simulator's own refusals are checked now, and pass.
    const bad = await qrs(sim, 'GET', '/license/useraccesstype/full', { query: { filter: 'nonsense eq 1' } });
    assert.equal(bad.status, 400);
  });

  it('freed-allocation-404: GET of a freed allocation answers 404 and is no contract violation', async () => {
    const freed = sim.state.list('user').find((a) => !a.quarantined && (a.lastUsed === QRS_NO_DATE || NOW - a.lastUsed > 7 * 86_400_000));
    assert.ok(freed, 'a pass not used this week');
    assert.equal((await qrs(sim, 'DELETE', `/license/useraccesstype/${freed.id}`)).status, 204);
    const r = await qrs(sim, 'GET', `/license/useraccesstype/${freed.id}`);
    assert.equal(r.status, 404);
    assert.deepEqual(sim.violations, []);

    for (const kind of ['useraccesstype', 'professionalaccesstype', 'analyzeraccesstype']) {
      const gone = { method: 'GET', path: `/license/${kind}/${ID}`, status: 404 };
      assert.deepEqual(contract.validateResponse(gone), [], kind);
      assert.match(without('freed-allocation-404').validateResponse(gone)[0] ?? '', /declares only 200, and no erratum adds 404/);
    }
    // Only where an erratum says so: a list is never "not found".
    assert.match(contract.validateResponse({ method: 'GET', path: '/license/useraccesstype/full', status: 404 })[0] ?? '', /no erratum adds 404/);
  });

  it('unknown-id-404: other operations on an id the repository does not hold answer 404', async () => {
    const nobody = '00000000-0000-4000-8000-000000000000';
    assert.equal((await qrs(sim, 'DELETE', `/license/useraccesstype/${nobody}`)).status, 404);
    assert.equal((await qrs(sim, 'GET', `/user/${nobody}`)).status, 404);
    const gone = { method: 'DELETE', path: `/license/useraccesstype/${nobody}`, status: 404 };
    assert.deepEqual(contract.validateResponse(gone), []);
    assert.match(without('unknown-id-404').validateResponse(gone)[0] ?? '', /declares only 204, and no erratum adds 404/);
  });
});
