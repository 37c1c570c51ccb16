import { strict as assert } from 'node:assert';
import { DAY_MS } from '../../../../src/core/model';
import { startCloudSimulator, type CloudSimulator } from '../../../../src/sim/cloud/cloudSimulator';
import { ASSIGNMENT_ROW_ERRORS, type CloudUser } from '../../../../src/sim/cloud/cloudSimState';
import { cloud, type ListBody } from './cloudTestClient';

const NOW = Date.UTC(2026, 10, 30, 12);
type Json = Record<string, unknown>;
type Row = { subject?: string; type?: string; sourceType?: string; sourceSubject?: string; status: number; code?: string; title?: string };

describe('cloudSimulator: licenses (user-based tenant)', function () {
  this.timeout(60_000);
  let sim: CloudSimulator;

  before(async () => {
    sim = await startCloudSimulator({ users: 300, seed: 11, now: NOW, orphans: 4, deletedUsers: 3 });
  });

  after(async () => {
    await sim.close();
  });

  afterEach(() => {
    assert.deepEqual(sim.violations, []);
  });

  const get = async (path: string): Promise<Json> => {
    const r = await cloud(sim, 'GET', path);
    assert.equal(r.status, 200, r.text);
    return r.json();
  };

  const walk = async (first: string): Promise<{ rows: Json[]; pages: number }> => {
    const rows: Json[] = [];
    let pages = 0;
    let href: string | undefined = first;
    while (href) {
      const page = (await get(href)) as unknown as ListBody;
      rows.push(...page.data);
      pages++;
      href = page.links.next?.href;
    }
    return { rows, pages };
  };

  const action = async (verb: 'add' | 'delete' | 'update', rows: unknown[]): Promise<Row[]> => {
    const r = await cloud(sim, 'POST', `/api/v1/licenses/assignments/actions/${verb}`, { body: { [verb]: rows } });
    assert.equal(r.status, 207, r.text);
    return r.json<{ data: Row[] }>().data;
  };

  /** Active users with no assignment, for adds. */
  const unassigned = (n: number): CloudUser[] => {
    const out = sim.state.users.filter((u) => u.status === 'active' && u.clientId === undefined && !sim.state.assignmentOf(u.subject)).slice(0, n);
    assert.equal(out.length, n);
    return out;
  };

  const free = (type: string, n: number): void => {
    const a = sim.state.allotment(type);
    assert.ok(a);
    a.units = sim.state.unitsUsed(a) + n;
  };

  describe('overview, status, settings', () => {
    it('reports professional, analyzer and analyzer_time allotments with what is used', async () => {
      const overview = await get('/api/v1/licenses/overview');
      const allotments = overview['allotments'] as { name: string; units: number; unitsUsed: number; overage?: number; usageClass: string }[];
      assert.deepEqual(allotments.map((a) => a.name), ['professional', 'analyzer', 'analyzer_time']);
      for (const type of ['professional', 'analyzer']) {
        const a = allotments.find((x) => x.name === type);
        assert.equal(a?.unitsUsed, sim.state.assignments.filter((x) => x.type === type).length, `${type} counts its assignments, orphans included`);
        assert.ok(a && a.units >= a.unitsUsed);
        assert.equal(a?.usageClass, 'assigned');
      }
      const time = allotments.find((a) => a.name === 'analyzer_time');
      assert.equal(time?.usageClass, 'time');
      assert.ok(time && time.unitsUsed > 0 && time.units > 0 && (time.overage ?? 0) > 0);
      assert.equal(overview['product'], 'Qlik Sense Enterprise SaaS');
      assert.match(String(overview['valid']), /^\d{4}-\d{2}-\d{2}\/\d{4}-\d{2}-\d{2}$/);
    });

    it('status says Ok', async () => {
      const status = await get('/api/v1/licenses/status');
      assert.equal(status['status'], 'Ok');
      assert.equal(status['deactivated'], false);
    });

    it('settings are read and stored', async () => {
      assert.deepEqual(await get('/api/v1/licenses/settings'), { autoAssignProfessional: false, autoAssignAnalyzer: false });
      const r = await cloud(sim, 'PUT', '/api/v1/licenses/settings', { body: { autoAssignAnalyzer: true } });
      assert.deepEqual(r.json(), { autoAssignProfessional: false, autoAssignAnalyzer: true });
      const put = await cloud(sim, 'PUT', '/api/v1/licenses/settings', { body: { autoAssignAnalyzer: false } });
      assert.equal(put.status, 200);
    });
  });

  describe('assignments', () => {
    it('pages every assignment exactly once by the page cursor, without name or userId', async () => {
      const { rows, pages } = await walk('/api/v1/licenses/assignments?limit=100');
      assert.ok(pages >= 2);
      assert.equal(rows.length, sim.state.assignments.length);
      assert.equal(new Set(rows.map((a) => a['subject'])).size, rows.length);
      for (const a of rows) {
        assert.deepEqual(Object.keys(a).sort(), ['created', 'excess', 'subject', 'type']);
      }
      const first = (await get('/api/v1/licenses/assignments?limit=100')) as unknown as ListBody;
      assert.match(first.links.next?.href ?? '', new RegExp(`^${sim.url}/api/v1/licenses/assignments\\?limit=100&page=`));
      const second = (await get(first.links.next?.href ?? '')) as unknown as ListBody;
      const back = (await get(second.links.prev?.href ?? '')) as unknown as ListBody;
      assert.deepEqual(back.data, first.data);
    });

    it('filters by subject eq (joining to users is the client\'s job)', async () => {
      const a = sim.state.assignments.find((x) => !sim.state.isOrphan(x));
      assert.ok(a);
      const page = await get(`/api/v1/licenses/assignments?filter=${encodeURIComponent(`subject eq "${a.subject}"`)}`);
      assert.deepEqual((page['data'] as Json[]).map((x) => x['subject']), [a.subject]);
      const user = sim.state.userBySubject(a.subject);
      const byUser = await get(`/api/v1/licenses/assignments?filter=${encodeURIComponent(`userId eq "${user?.id}"`)}`);
      assert.deepEqual((byUser['data'] as Json[]).map((x) => x['subject']), [a.subject], 'userId is still filterable');
      const byType = await walk(`/api/v1/licenses/assignments?limit=100&filter=${encodeURIComponent('type eq "professional"')}`);
      assert.equal(byType.rows.length, sim.state.assignments.filter((x) => x.type === 'professional').length);
    });

    it('orphans=true lists the assignments whose subject is no user of the tenant', async () => {
      const { rows } = await walk('/api/v1/licenses/assignments?limit=100&orphans=true');
      assert.equal(rows.length, 4);
      for (const a of rows) {
        assert.equal(sim.state.userBySubject(String(a['subject'])), undefined);
      }
    });

    it('deleted users still hold assignments', () => {
      const deleted = sim.state.users.filter((u) => u.status === 'deleted');
      assert.equal(deleted.length, 3);
      assert.ok(deleted.every((u) => sim.state.assignmentOf(u.subject) !== undefined));
    });

    it('refuses a non-admin with 403 in the licenses error shape', async () => {
      const u = unassigned(1)[0];
      assert.ok(u);
      const r = await cloud(sim, 'GET', '/api/v1/licenses/assignments', { token: sim.apiKeyFor(u.id) });
      assert.equal(r.status, 403);
      assert.deepEqual(Object.keys(r.json()).sort(), ['error', 'errors', 'message']);
      const write = await cloud(sim, 'POST', '/api/v1/licenses/assignments/actions/add', { token: sim.apiKeyFor(u.id), body: { add: [{ subject: u.subject, type: 'analyzer' }] } });
      assert.equal(write.status, 403);
      assert.equal(sim.state.assignmentOf(u.subject), undefined);
    });
  });

  describe('actions answer 207 with a status per row', () => {
    it('add: applies each valid row and reports every failure', async () => {
      const [a, b, c] = unassigned(3);
      assert.ok(a && b && c);
      const holder = sim.state.assignments.find((x) => !sim.state.isOrphan(x) && sim.state.userBySubject(x.subject)?.status === 'active');
      const deleted = sim.state.users.find((u) => u.status === 'deleted');
      assert.ok(holder && deleted);
      free('professional', 1);
      free('analyzer', 5);
      const rows = await action('add', [
        { subject: a.subject, type: 'professional' },
        { subject: b.subject, type: 'professional' },
        { subject: holder.subject, type: 'analyzer' },
        { subject: 'auth0|nobody-here', type: 'analyzer' },
        { subject: deleted.subject, type: 'analyzer' },
        { subject: c.subject, type: 'analyzer_time' },
        { subject: c.subject, type: 'analyzer' },
      ]);
      assert.deepEqual(rows.slice(1, 6).map((r) => r.status), [403, 409, 404, 404, 400]);
      assert.equal(rows[1]?.code, 'LICENSES-011');
      const failed = (e: (typeof ASSIGNMENT_ROW_ERRORS)[keyof typeof ASSIGNMENT_ROW_ERRORS]) => ({ status: e.status, code: e.code, title: e.title });
      assert.deepEqual(rows, [
        { subject: a.subject, type: 'professional', status: 201 },
        { subject: b.subject, type: 'professional', ...failed(ASSIGNMENT_ROW_ERRORS.noneLeft) },
        { subject: holder.subject, type: 'analyzer', ...failed(ASSIGNMENT_ROW_ERRORS.alreadyAssigned) },
        { subject: 'auth0|nobody-here', type: 'analyzer', ...failed(ASSIGNMENT_ROW_ERRORS.unknownSubject) },
        { subject: deleted.subject, type: 'analyzer', ...failed(ASSIGNMENT_ROW_ERRORS.unknownSubject) },
        { subject: c.subject, type: 'analyzer_time', ...failed(ASSIGNMENT_ROW_ERRORS.unknownType) },
        { subject: c.subject, type: 'analyzer', status: 201 },
      ]);
      assert.equal(sim.state.assignmentOf(a.subject)?.type, 'professional');
      assert.equal(sim.state.assignmentOf(b.subject), undefined);
      assert.equal(sim.state.assignmentOf(c.subject)?.type, 'analyzer');
      const overview = await get('/api/v1/licenses/overview');
      const pro = (overview['allotments'] as { name: string; units: number; unitsUsed: number }[]).find((x) => x.name === 'professional');
      assert.equal(pro?.unitsUsed, pro?.units, 'the professional pool is full now');
    });

    it('add: an exhausted pool answers LICENSES-011 for every row of its type', async () => {
      const [a, b] = unassigned(2);
      assert.ok(a && b);
      sim.state.exhaustPool('analyzer');
      const rows = await action('add', [{ subject: a.subject, type: 'analyzer' }, { subject: b.subject, type: 'analyzer' }]);
      assert.deepEqual(rows.map((r) => [r.status, r.code]), [[403, 'LICENSES-011'], [403, 'LICENSES-011']]);
      assert.equal(rows[0]?.title, 'No available allotment error, No available allotment.');
    });

    it('delete: frees assignments, LICENSES-016 where there is none of that type; orphans can be released', async () => {
      const orphan = sim.state.assignments.find((x) => sim.state.isOrphan(x));
      const held = sim.state.assignments.find((x) => !sim.state.isOrphan(x));
      assert.ok(orphan && held);
      const wrongType = held.type === 'professional' ? 'analyzer' : 'professional';
      const rows = await action('delete', [
        { subject: orphan.subject, type: orphan.type },
        { subject: held.subject, type: wrongType },
        { subject: 'auth0|nobody-here', type: 'analyzer' },
      ]);
      assert.deepEqual(rows, [
        { subject: orphan.subject, type: orphan.type, status: 200 },
        { subject: held.subject, type: wrongType, status: 404, code: 'LICENSES-016', title: 'Assignment not found.' },
        { subject: 'auth0|nobody-here', type: 'analyzer', status: 404, code: 'LICENSES-016', title: 'Assignment not found.' },
      ]);
      assert.equal(sim.state.assignmentOf(orphan.subject), undefined);
      assert.equal(sim.state.assignmentOf(held.subject)?.type, held.type);
    });

    it('update: changes type (200), moves to another subject (201), and reports not found and none left', async () => {
      free('professional', 1);
      free('analyzer', 2);
      const analyzers = sim.state.assignments.filter((x) => x.type === 'analyzer' && !sim.state.isOrphan(x));
      const [x, y, z] = analyzers;
      const [target] = unassigned(1);
      const professional = sim.state.assignments.find((a) => a.type === 'professional' && !sim.state.isOrphan(a));
      assert.ok(x && y && z && target && professional);
      const xSubject = x.subject;
      const ySubject = y.subject;
      const rows = await action('update', [
        { subject: xSubject, sourceType: 'analyzer', type: 'professional' },
        { subject: target.subject, sourceSubject: ySubject, sourceType: 'analyzer', type: 'analyzer' },
        { subject: ySubject, sourceType: 'analyzer', type: 'professional' },
        { subject: z.subject, sourceType: 'analyzer', type: 'professional' },
        { subject: professional.subject, sourceType: 'professional', type: 'analyzer' },
      ]);
      assert.deepEqual(rows, [
        { subject: xSubject, sourceType: 'analyzer', type: 'professional', status: 200 },
        { subject: target.subject, sourceSubject: ySubject, sourceType: 'analyzer', type: 'analyzer', status: 201 },
        { subject: ySubject, sourceType: 'analyzer', type: 'professional', status: 404, code: 'LICENSES-016', title: 'Assignment not found.' },
        { subject: z.subject, sourceType: 'analyzer', type: 'professional', status: 403, code: 'LICENSES-011', title: 'No available allotment error, No available allotment.' },
        { subject: professional.subject, sourceType: 'professional', type: 'analyzer', status: 200 },
      ]);
      assert.equal(sim.state.assignmentOf(z.subject)?.type, 'analyzer');
      assert.equal(sim.state.assignmentOf(xSubject)?.type, 'professional');
      assert.equal(sim.state.assignmentOf(ySubject), undefined);
      assert.equal(sim.state.assignmentOf(target.subject)?.type, 'analyzer');
      assert.equal(sim.state.assignmentOf(professional.subject)?.type, 'analyzer');
    });

    it('refuses a malformed body with 400 and changes nothing', async () => {
      const before = sim.state.assignments.length;
      const r = await cloud(sim, 'POST', '/api/v1/licenses/assignments/actions/add', { body: { add: [{ subject: 'x' }] } });
      assert.equal(r.status, 400);
      assert.equal(sim.state.assignments.length, before);
      assert.equal(sim.takeViolations().length, 1, 'a request the spec forbids is a recorded violation');
    });
  });

  describe('consumption', () => {
    it('pages 60 days of engine sessions at 200 per page by the page cursor', async () => {
      const { rows, pages } = await walk('/api/v1/licenses/consumption?limit=200');
      assert.equal(rows.length, sim.state.consumption.length);
      assert.equal(pages, Math.ceil(rows.length / 200));
      assert.equal(new Set(rows.map((e) => e['id'])).size, rows.length);
      const times = rows.map((e) => Date.parse(String(e['endTime'])));
      assert.deepEqual(times, [...times].sort((a, b) => a - b));
      assert.ok(NOW - (times[0] ?? NOW) <= 60 * DAY_MS && NOW - (times[0] ?? NOW) > 55 * DAY_MS);
    });

    it('filters on endTime ranges', async () => {
      const from = new Date(NOW - 28 * DAY_MS).toISOString();
      const to = new Date(NOW - 7 * DAY_MS).toISOString();
      const { rows } = await walk(`/api/v1/licenses/consumption?limit=200&filter=${encodeURIComponent(`endTime ge "${from}" and endTime lt "${to}"`)}`);
      const expected = sim.state.consumption.filter((e) => e.endTime >= NOW - 28 * DAY_MS && e.endTime < NOW - 7 * DAY_MS);
      assert.equal(rows.length, expected.length);
      assert.ok(rows.length > 100);
      const bad = await cloud(sim, 'GET', `/api/v1/licenses/consumption?filter=${encodeURIComponent('userId eq "x"')}`);
      assert.equal(bad.status, 400);
      assert.match(((bad.json()['errors'] as Json[])[0]?.['detail'] as string) ?? '', /endTime/);
    });

    it('events carry minutesUsed, capacityUsed, userId, endTime and duration; capacity only for the unassigned', async () => {
      const page = await get('/api/v1/licenses/consumption?limit=200');
      const events = page['data'] as Json[];
      for (const e of events) {
        assert.equal(typeof e['userId'], 'string');
        assert.match(String(e['duration']), /^(\d+h)?(\d+m)?\d+s$/);
        assert.equal(e['minutesUsed'], (e['capacityUsed'] as number) * 6, 'capacity is used in 6-minute chunks');
        if (e['licenseUsage'] !== 'analyzer_time') {
          assert.equal(e['minutesUsed'], 0);
        }
      }
      assert.ok(events.some((e) => (e['minutesUsed'] as number) > 0));
      assert.ok(events.some((e) => e['licenseUsage'] === 'professional'));
    });

    it('a session added by a test shows as consumption and in the audits; limit 201 is a violation', async () => {
      const [u] = unassigned(1);
      assert.ok(u);
      const begin = NOW - 3_600_000;
      const session = sim.state.addSession(u.id, begin, begin + 20 * 60_000);
      const page = await get(`/api/v1/licenses/consumption?filter=${encodeURIComponent(`endTime eq "${new Date(session.end).toISOString()}"`)}`);
      const mine = (page['data'] as Json[]).filter((e) => e['userId'] === u.id);
      assert.deepEqual(mine.map((e) => [e['minutesUsed'], e['capacityUsed'], e['duration']]), [[24, 4, '20m0s']]);
      const audits = await get(`/api/v1/audits?userId=${u.id}&eventTime=${new Date(begin).toISOString()}/${new Date(NOW).toISOString()}`);
      assert.deepEqual((audits['data'] as Json[]).map((e) => e['eventType']), ['com.qlik.user-session.end', 'com.qlik.user-session.begin']);
      const event = sim.state.addConsumptionEvent({ userId: u.id, endTime: NOW - 60_000, minutesUsed: 12 });
      assert.equal(event.capacityUsed, 2);
      assert.equal((await cloud(sim, 'GET', '/api/v1/licenses/consumption?limit=201')).status, 400);
      assert.equal(sim.takeViolations().length, 1);
    });

    it('auto-assignment, when switched on, assigns at sign-in', async () => {
      const [u] = unassigned(1);
      assert.ok(u);
      free('analyzer', 1);
      sim.state.license.settings = { autoAssignProfessional: false, autoAssignAnalyzer: true };
      try {
        sim.state.addSession(u.id, NOW - 600_000, NOW - 60_000);
        assert.equal(sim.state.assignmentOf(u.subject)?.type, 'analyzer');
        assert.equal(sim.state.consumption.at(-1)?.minutesUsed, 0);
      } finally {
        sim.state.license.settings = { autoAssignProfessional: false, autoAssignAnalyzer: false };
      }
    });
  });

  describe('state helpers', () => {
    it('removing a user orphans the assignment; excess follows units', async () => {
      const a = sim.state.assignments.find((x) => !sim.state.isOrphan(x) && sim.state.userBySubject(x.subject)?.status === 'active' && sim.state.userBySubject(x.subject)?.id !== sim.state.adminUserId);
      assert.ok(a);
      const before = (await walk('/api/v1/licenses/assignments?limit=100&orphans=true')).rows.length;
      sim.state.removeUser(sim.state.userBySubject(a.subject)?.id ?? '');
      const after = (await walk('/api/v1/licenses/assignments?limit=100&orphans=true')).rows;
      assert.equal(after.length, before + 1);
      assert.ok(after.some((x) => x['subject'] === a.subject));
      sim.state.setAllotmentUnits(a.type, 0);
      const all = (await walk('/api/v1/licenses/assignments?limit=100')).rows.filter((x) => x['type'] === a.type);
      assert.ok(all.length > 0 && all.every((x) => x['excess'] === true));
    });
  });
});
