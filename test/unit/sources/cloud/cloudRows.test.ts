import { strict as assert } from 'node:assert';
import type { ServerResponse } from 'node:http';
import { NotAppliedError, OutcomeUnknownError } from '../../../../src/core/errors';
import type { User } from '../../../../src/core/model';
import { createSimCertificates, type SimCertificates } from '../../../../src/sim/certificates';
import { CloudRowError } from '../../../../src/sources/cloud/cloudErrors';
import { createCloudSource, type CloudSource } from '../../../../src/sources/cloud/cloudSource';
import { sendJson, startTestServer, type SeenRequest, type TestServer } from '../../http/testServer';

/**
 * The per-row reading of 207 answers against a scripted tenant: exact answers (a row that says
 * 403, a row missing, an answer lost after the change was made) that a faithful simulator would
 * not give on demand.
 */
describe('Qlik Cloud batched assignments (scripted tenant)', function () {
  this.timeout(20_000);
  let certs: SimCertificates;
  let server: TestServer | undefined;
  let source: CloudSource | undefined;

  before(async () => {
    certs = await createSimCertificates({ serverNames: ['127.0.0.1'] });
  });
  afterEach(async () => {
    await source?.close();
    await server?.close();
    source = undefined;
    server = undefined;
  });

  const person = (subject: string): User => ({ id: `id-${subject}`, directory: '', userId: subject, name: subject });

  /**
   * A user-based tenant with `held` assignments by subject. `onAction` answers the batched POSTs
   * (and may change `held`); reads of assignments filter by the subject in the filter.
   */
  async function tenant(held: Map<string, string>, onAction: (req: SeenRequest, res: ServerResponse) => void): Promise<CloudSource> {
    server = await startTestServer(
      (req, res) => {
        const url = new URL(req.url, 'https://x');
        if (url.pathname === '/api/v1/licenses/overview') {
          sendJson(res, 200, { product: 'Qlik Sense Enterprise SaaS', status: 'Ok', allotments: [{ name: 'professional', units: 1, unitsUsed: 0 }] });
        } else if (url.pathname === '/api/v1/licenses/assignments') {
          // The filter's string is a JSON string literal (SCIM), backslashes escaped.
          const literal = /subject eq (".*")/.exec(url.searchParams.get('filter') ?? '')?.[1];
          const subject = literal === undefined ? undefined : (JSON.parse(literal) as string);
          const data = [...held].filter(([s]) => subject === undefined || s === subject).map(([s, type]) => ({ subject: s, type, excess: false, created: '2026-11-01T00:00:00.000Z' }));
          sendJson(res, 200, { data, links: {} });
        } else {
          onAction(req, res);
        }
      },
      { cert: certs.serverCert, key: certs.serverKey },
    );
    source = createCloudSource({ baseUrl: server.url, ca: certs.ca, auth: { mode: 'apiKey', apiKey: 'key-for-rows-test' } });
    return source;
  }

  const posts = (): SeenRequest[] => (server?.requests ?? []).filter((r) => r.method === 'POST');

  it('reads a 207 row by row: one applied, one refused with its code and title', async () => {
    const held = new Map<string, string>();
    const s = await tenant(held, (req, res) => {
      const body = JSON.parse(req.body) as { add: { subject: string; type: string }[] };
      held.set('qlik\\kalle', 'professional');
      sendJson(res, 207, {
        data: [
          { subject: 'qlik\\nalle', type: 'professional', status: 403, code: 'LICENSES-011', title: 'No available allotment error, No available allotment.' },
          { subject: body.add[0]?.subject, type: 'professional', status: 201 },
        ],
      });
    });
    const outcomes = await s.applyRows([
      { action: 'assign', user: person('qlik\\kalle'), kind: 'professional' },
      { action: 'assign', user: person('qlik\\nalle'), kind: 'professional' },
    ]);
    assert.equal(posts().length, 1, 'both rows in one request');
    assert.deepEqual(JSON.parse(posts()[0]?.body ?? '{}'), {
      add: [
        { subject: 'qlik\\kalle', type: 'professional' },
        { subject: 'qlik\\nalle', type: 'professional' },
      ],
    });
    const [kalle, nalle] = outcomes;
    assert.equal(kalle?.status, 'applied');
    assert.equal(kalle?.status === 'applied' && kalle.write.unclearAnswer, null);
    assert.equal(nalle?.status, 'notApplied');
    const error = nalle?.status === 'notApplied' ? nalle.error : undefined;
    assert.ok(error instanceof NotAppliedError, String(error));
    assert.ok(error.cause instanceof CloudRowError);
    assert.equal(error.cause.code, 'LICENSES-011');
    assert.equal(error.cause.title, 'No available allotment error, No available allotment.');
    assert.match(error.message, /^Not done: could not assign professional access to qlik\\nalle\. Qlik Cloud refused it \(LICENSES-011, status 403\): No available allotment/);
    assert.equal(error.kind, 'server');
  });

  it('splits a large batch at 100 rows, removals first, reading the premises in one listing', async () => {
    const held = new Map<string, string>([['leaver', 'professional']]);
    const s = await tenant(held, (req, res) => {
      const body = JSON.parse(req.body) as Record<string, { subject: string; type: string }[]>;
      const [[action, rows] = ['', []]] = Object.entries(body);
      sendJson(res, 207, { data: rows.map((r) => ({ subject: r.subject, type: r.type, status: action === 'add' ? 201 : 200 })) });
    });
    const joiners = Array.from({ length: 101 }, (_, i) => person(`joiner-${i}`));
    const leaver = { id: 'professional:leaver', kind: 'professional' as const, user: person('leaver'), lastUsed: null, quarantined: false, quarantineEnd: null, userDeleted: false, excess: false };
    const outcomes = await s.applyRows([...joiners.map((user) => ({ action: 'assign' as const, user, kind: 'professional' as const })), { action: 'revoke', allocation: leaver }]);
    assert.ok(outcomes.every((o) => o.status === 'applied'));
    assert.equal(outcomes.at(-1)?.change.action, 'revoke', 'outcomes in the order of the changes');
    assert.deepEqual(
      posts().map((p) => {
        const [[action, rows] = ['', []]] = Object.entries(JSON.parse(p.body) as Record<string, unknown[]>);
        return `${action} ${rows.length}`;
      }),
      ['delete 1', 'add 100', 'add 1'],
    );
    const reads = (server?.requests ?? []).filter((r) => r.method === 'GET' && r.url.startsWith('/api/v1/licenses/assignments'));
    assert.equal(reads.length, 1, 'one listing, not 102 filtered reads');
  });

  it('an answer lost after the change was made is settled by reading back: applied', async () => {
    const held = new Map<string, string>();
    const s = await tenant(held, (_req, res) => {
      held.set('qlik\\kalle', 'professional');
      sendJson(res, 502, 'bad gateway');
    });
    const write = await s.assign(person('qlik\\kalle'), 'professional');
    assert.equal(write.value.kind, 'professional');
    assert.match(write.unclearAnswer ?? '', /502/);
    assert.equal(posts().length, 1, 'never repeated');
  });

  it('a 207 without a row for the change is unclear: the state read back decides', async () => {
    const held = new Map<string, string>([['qlik\\kalle', 'professional']]);
    const s = await tenant(held, (_req, res) => sendJson(res, 207, { data: [] }));
    const allocation = { id: 'professional:qlik\\kalle', kind: 'professional' as const, user: person('qlik\\kalle'), lastUsed: null, quarantined: false, quarantineEnd: null, userDeleted: false, excess: false };
    const [outcome] = await s.applyRows([{ action: 'revoke', allocation }]);
    assert.equal(outcome?.status, 'notApplied', 'still held: the removal was not made');
    const error = outcome?.status === 'notApplied' ? outcome.error : undefined;
    assert.ok(error instanceof NotAppliedError && error.how === 'readBack', String(error));
    assert.match(error.message, /no row for it/);
    assert.equal(posts().length, 1);
  });

  it('a failed read back after an unclear answer makes the row unknown', async () => {
    const held = new Map<string, string>();
    let posted = false;
    server = await startTestServer(
      (req, res) => {
        const url = new URL(req.url, 'https://x');
        if (url.pathname === '/api/v1/licenses/overview') {
          sendJson(res, 200, { product: 'Qlik Sense Enterprise SaaS', status: 'Ok', allotments: [{ name: 'analyzer', units: 5, unitsUsed: 0 }] });
        } else if (req.method === 'POST') {
          posted = true;
          sendJson(res, 500, 'boom');
        } else if (posted) {
          sendJson(res, 404, { errors: [{ code: 'X', title: 'gone' }] });
        } else {
          sendJson(res, 200, { data: [...held].map(([subject, type]) => ({ subject, type, excess: false, created: '2026-11-01T00:00:00Z' })), links: {} });
        }
      },
      { cert: certs.serverCert, key: certs.serverKey },
    );
    source = createCloudSource({ baseUrl: server.url, ca: certs.ca, auth: { mode: 'apiKey', apiKey: 'key-for-rows-test' } });
    const [outcome] = await source.applyRows([{ action: 'assign', user: person('qlik\\kalle'), kind: 'analyzer' }]);
    assert.equal(outcome?.status, 'unknown');
    assert.ok(outcome?.status === 'unknown' && outcome.error instanceof OutcomeUnknownError);
    assert.match(outcome.error.message, /may or may not have been applied/);
  });
});
