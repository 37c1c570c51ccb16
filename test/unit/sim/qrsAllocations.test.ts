import { strict as assert } from 'node:assert';
import { DAY_MS, type PassKind } from '../../../src/core/model';
import { startQrsSimulator, type QrsSimulator } from '../../../src/sim/qrs/qrsSimulator';
import { QRS_NO_DATE, type SimUser } from '../../../src/sim/qrs/qrsSimState';
import { qrs } from './qrsTestClient';

type Json = Record<string, unknown>;
const NOW = Date.UTC(2024, 5, 15, 12);

interface Overview {
  totalTokens: number;
  availableTokens: number;
  tokensEnabled: boolean;
  userAccess: { allocatedTokens: number; usedTokens: number; quarantinedTokens: number; tokenCost: number };
  loginAccess: { allocatedTokens: number; usedTokens: number; unavailableTokens: number; tokenCost: number };
  professionalAccess: { enabled: boolean; total: number; allocated: number; used: number; quarantined: number; excess: number; available: number };
  analyzerAccess: { enabled: boolean; total: number; allocated: number; available: number };
  analyzerTimeAccess: { enabled: boolean; allocatedMinutes: number; usedMinutes: number };
}

function item(user: SimUser): Json {
  return { user: { id: user.id, userId: user.userId, userDirectory: user.userDirectory, name: user.name } };
}

async function overview(sim: QrsSimulator): Promise<Overview> {
  const r = await qrs(sim, 'GET', '/license/accesstypeoverview');
  assert.equal(r.status, 200);
  return r.json<Overview>();
}

function freeUser(sim: QrsSimulator, kind: PassKind): SimUser {
  const holders = new Set(sim.state.list(kind).map((a) => a.user));
  const free = sim.state.users.filter((u) => u.userDirectory === 'CORP' && !u.deleted && !holders.has(u));
  const u = free[0];
  assert.ok(u, 'a user without that pass');
  return u;
}

describe('qrsSimulator allocations', function () {
  this.timeout(20_000);

  describe('token model', () => {
    let sim: QrsSimulator;
    let totalTokens = 0;

    before(async () => {
      sim = await startQrsSimulator({ users: 200, seed: 11, now: NOW });
      totalTokens = sim.state.license.totalTokens;
    });

    after(async () => {
      await sim.close();
    });

    // One site for all these tests (starting one costs a CA key); put back what a test bends.
    afterEach(() => {
      assert.deepEqual(sim.violations, []);
      sim.clock.set(NOW);
      sim.state.license.totalTokens = totalTokens;
    });

    it('reports the overview from the live data', async () => {
      const o = await overview(sim);
      const uaps = sim.state.list('user');
      const lapsUsed = Array.from({ length: sim.state.loginUsage.size }, (_, i) => sim.state.loginUsage.startAt(i)).filter((s) => s >= NOW - 28 * DAY_MS).length;
      const groupTokens = sim.state.loginGroups.reduce((s, g) => s + g.assignedTokens, 0);
      assert.equal(o.tokensEnabled, true);
      assert.equal(o.totalTokens, 400, 'twice the users');
      assert.equal(o.userAccess.tokenCost, 1);
      assert.equal(o.loginAccess.tokenCost, 0.1);
      assert.equal(o.userAccess.allocatedTokens, uaps.length);
      assert.equal(o.userAccess.quarantinedTokens, uaps.filter((a) => a.quarantined).length);
      assert.equal(o.userAccess.usedTokens, uaps.filter((a) => !a.quarantined && a.lastUsed !== QRS_NO_DATE).length);
      assert.equal(o.loginAccess.allocatedTokens, groupTokens);
      assert.equal(o.loginAccess.usedTokens, Math.ceil(lapsUsed / 10));
      assert.equal(o.availableTokens, o.totalTokens - uaps.length - groupTokens);
      assert.equal(o.professionalAccess.enabled, false);
      assert.equal(o.analyzerTimeAccess.enabled, false);
      const groups = (await qrs(sim, 'GET', '/license/loginaccesstype/full')).json<Json[]>();
      assert.equal(groups.length, 2);
      for (const g of groups) {
        assert.equal(g['assignedAccessTypes'], Number(g['assignedTokens']) * 10);
        assert.equal(g['remainingAccessTypes'], Number(g['assignedAccessTypes']) - Number(g['usedAccessTypes']));
      }
      assert.equal(groups.reduce((s, g) => s + Number(g['usedAccessTypes']), 0), lapsUsed);
    });

    it('assigns (201), then quarantines a pass used this week, reinstates it, and purges it after quarantineEnd', async () => {
      const before = await overview(sim);
      const user = freeUser(sim, 'user');
      const created = await qrs(sim, 'POST', '/license/useraccesstype', { body: item(user), as: 'INTERNAL\\sa_api' });
      assert.equal(created.status, 201);
      const a = created.json<Json>();
      assert.equal((a['user'] as Json)['id'], user.id);
      assert.equal(a['quarantined'], false);
      assert.equal(a['lastUsed'], '1753-01-01T00:00:00.000Z');
      assert.equal(a['modifiedByUserName'], 'INTERNAL\\sa_api');
      const id = String(a['id']);
      let o = await overview(sim);
      assert.equal(o.userAccess.allocatedTokens, before.userAccess.allocatedTokens + 1);
      assert.equal(o.availableTokens, before.availableTokens - 1);

      const lastUsed = NOW - 2 * DAY_MS;
      const stored = sim.state.allocations.user.get(id);
      assert.ok(stored);
      stored.lastUsed = lastUsed;
      assert.equal((await qrs(sim, 'DELETE', `/license/useraccesstype/${id}`)).status, 204);
      const quarantined = (await qrs(sim, 'GET', `/license/useraccesstype/${id}`)).json<Json>();
      assert.equal(quarantined['quarantined'], true);
      assert.equal(quarantined['quarantineEnd'], new Date(lastUsed + 7 * DAY_MS).toISOString());
      o = await overview(sim);
      assert.equal(o.userAccess.quarantinedTokens, before.userAccess.quarantinedTokens + 1);
      assert.equal(o.availableTokens, before.availableTokens - 1, 'a quarantined pass keeps its token');

      const stale = await qrs(sim, 'PUT', `/license/useraccesstype/${id}`, { body: { ...a, quarantined: false } });
      assert.equal(stale.status, 409);
      const reinstated = await qrs(sim, 'PUT', `/license/useraccesstype/${id}`, { body: { ...quarantined, quarantined: false } });
      assert.equal(reinstated.status, 200);
      const r = reinstated.json<Json>();
      assert.equal(r['quarantined'], false);
      assert.equal((r['user'] as Json)['id'], user.id);
      assert.ok(Date.parse(String(r['modifiedDate'])) > Date.parse(String(quarantined['modifiedDate'])));

      assert.equal((await qrs(sim, 'DELETE', `/license/useraccesstype/${id}`)).status, 204);
      sim.clock.set(lastUsed + 7 * DAY_MS - 1);
      assert.equal((await qrs(sim, 'GET', `/license/useraccesstype/${id}`)).status, 200);
      sim.clock.set(lastUsed + 7 * DAY_MS);
      assert.equal((await qrs(sim, 'GET', `/license/useraccesstype/${id}`)).status, 404);
      assert.equal(sim.state.allocations.user.has(id), false);
    });

    it('frees the token at once when the pass was not used in the last 7 days', async () => {
      const before = await overview(sim);
      const old = sim.state.list('user').find((a) => !a.quarantined && (a.lastUsed === QRS_NO_DATE || NOW - a.lastUsed > 7 * DAY_MS));
      assert.ok(old);
      assert.equal((await qrs(sim, 'DELETE', `/license/useraccesstype/${old.id}`)).status, 204);
      assert.equal((await qrs(sim, 'GET', `/license/useraccesstype/${old.id}`)).status, 404);
      const after = await overview(sim);
      assert.equal(after.userAccess.allocatedTokens, before.userAccess.allocatedTokens - 1);
      assert.equal(after.availableTokens, before.availableTokens + 1);
    });

    it('refuses to reinstate after the quarantine ended or when the user was deleted', async () => {
      const user = freeUser(sim, 'user');
      const a = (await qrs(sim, 'POST', '/license/useraccesstype', { body: item(user) })).json<Json>();
      const id = String(a['id']);
      const stored = sim.state.allocations.user.get(id);
      assert.ok(stored);
      stored.lastUsed = NOW - DAY_MS;
      assert.equal((await qrs(sim, 'DELETE', `/user/${user.id}`)).status, 204);
      const shown = (await qrs(sim, 'GET', `/license/useraccesstype/${id}`)).json<Json>();
      assert.equal('user' in shown, false);
      assert.equal(shown['deletedUserId'], user.userId);
      assert.equal(shown['deletedUserDirectory'], 'CORP');
      assert.equal(shown['quarantined'], true);
      const refused = await qrs(sim, 'PUT', `/license/useraccesstype/${id}`, { body: { ...shown, quarantined: false } });
      assert.equal(refused.status, 400);
      assert.match(refused.text, /user has been deleted/);
      assert.equal((await qrs(sim, 'GET', `/user/${user.id}`)).status, 404);

      // A pass whose quarantine has ended but that the lazy purge has not reached yet cannot come back either.
      const other = freeUser(sim, 'user');
      const b = (await qrs(sim, 'POST', '/license/useraccesstype', { body: item(other) })).json<Json>();
      const bs = sim.state.allocations.user.get(String(b['id']));
      assert.ok(bs);
      bs.lastUsed = NOW - DAY_MS;
      sim.state.revoke('user', bs.id, 'test');
      sim.clock.advance(7 * DAY_MS);
      assert.throws(() => sim.state.update('user', bs.id, { modifiedDate: bs.modifiedDate, quarantined: false }, 'test'), /quarantine has ended/);
    });

    it('refuses duplicates, unknown users and allocations beyond the tokens', async () => {
      const holder = sim.state.list('user').find((a) => !a.quarantined && !a.user.deleted)?.user;
      assert.ok(holder);
      const dup = await qrs(sim, 'POST', '/license/useraccesstype', { body: item(holder) });
      assert.equal(dup.status, 400);
      assert.match(dup.text, new RegExp(`CORP\\\\${holder.userId} already has a user access pass`));
      const ghost = await qrs(sim, 'POST', '/license/useraccesstype', {
        body: { user: { id: '00000000-0000-4000-8000-000000000000', userId: 'ghost', userDirectory: 'CORP' } },
      });
      assert.equal(ghost.status, 400);
      assert.match(ghost.text, /no user with id/);
      const o = await overview(sim);
      sim.state.license.totalTokens = o.totalTokens - o.availableTokens;
      const broke = await qrs(sim, 'POST', '/license/useraccesstype', { body: item(freeUser(sim, 'user')) });
      assert.equal(broke.status, 400);
      assert.match(broke.text, /no tokens are available/);
      assert.equal((await overview(sim)).availableTokens, 0);
      const pro = await qrs(sim, 'POST', '/license/professionalaccesstype', { body: item(freeUser(sim, 'professional')) });
      assert.equal(pro.status, 400);
      assert.match(pro.text, /license does not include it/);
    });

    it('insists on modifiedDate and keeps passes with their user', async () => {
      const a = sim.state.list('user').find((x) => !x.user.deleted);
      assert.ok(a);
      const full = (await qrs(sim, 'GET', `/license/useraccesstype/${a.id}`)).json<Json>();
      const { modifiedDate: _ignored, ...noDate } = full;
      assert.match((await qrs(sim, 'PUT', `/license/useraccesstype/${a.id}`, { body: noDate })).text, /modifiedDate is required/);
      const other = freeUser(sim, 'user');
      const moved = await qrs(sim, 'PUT', `/license/useraccesstype/${a.id}`, { body: { ...full, ...item(other) } });
      assert.equal(moved.status, 400);
      const touched = await qrs(sim, 'PUT', `/license/useraccesstype/${a.id}`, { body: full });
      assert.equal(touched.status, 200);
      assert.equal((await qrs(sim, 'PUT', `/license/useraccesstype/${a.id}`, { body: full })).status, 409, 'the first PUT moved modifiedDate on');
      assert.equal((await qrs(sim, 'PUT', '/license/useraccesstype/00000000-0000-4000-8000-000000000000', { body: full })).status, 404);
      assert.equal((await qrs(sim, 'DELETE', '/license/useraccesstype/00000000-0000-4000-8000-000000000000')).status, 404);
    });

    it('counts login passes of the last 28 days in the overview, and lets them age out', async () => {
      const user = sim.state.addUser({ userDirectory: 'CORP', userId: 'new.heavy.user', name: 'New Heavy User' });
      const group = sim.state.loginGroups[0];
      assert.ok(group);
      const passesSince = (since: number): number =>
        Array.from({ length: sim.state.loginUsage.size }, (_, i) => sim.state.loginUsage.startAt(i)).filter((s) => s >= since).length;
      const usedBefore = Number((await qrs(sim, 'GET', `/license/loginaccesstype/${group.id}`)).json<Json>()['usedAccessTypes']);
      for (let k = 1; k <= 10; k++) {
        sim.state.addLoginUsage(user, NOW - k * 3_600_000);
      }
      const during = await overview(sim);
      assert.equal(during.loginAccess.usedTokens, Math.ceil(passesSince(NOW - 28 * DAY_MS) / 10));
      const usedNow = Number((await qrs(sim, 'GET', `/license/loginaccesstype/${group.id}`)).json<Json>()['usedAccessTypes']);
      assert.equal(usedNow, usedBefore + 10);
      const mine = await qrs(sim, 'GET', '/license/loginaccessusage/count', { query: { filter: `user.id eq ${user.id}` } });
      assert.equal(mine.json(), 10);
      sim.clock.advance(28 * DAY_MS);
      const later = await overview(sim);
      assert.equal(later.loginAccess.usedTokens, Math.ceil(passesSince(NOW) / 10), 'passes return to the pool 28 days after use');
    });
  });

  describe('user-based model with analyzer capacity', () => {
    let sim: QrsSimulator;

    before(async () => {
      sim = await startQrsSimulator({ users: 200, seed: 5, now: NOW, licenseModel: 'userBased', capacity: true });
    });

    after(async () => {
      await sim.close();
    });

    afterEach(() => {
      assert.deepEqual(sim.violations, []);
    });

    it('reports seats and capacity instead of tokens', async () => {
      const o = await overview(sim);
      assert.equal(o.tokensEnabled, false);
      assert.equal(o.totalTokens, 0);
      const pros = sim.state.list('professional');
      assert.equal(o.professionalAccess.enabled, true);
      assert.equal(o.professionalAccess.allocated, pros.length);
      assert.equal(o.professionalAccess.quarantined, pros.filter((a) => a.quarantined).length);
      assert.equal(o.professionalAccess.available, o.professionalAccess.total - pros.length);
      assert.equal(o.professionalAccess.excess, 0);
      assert.equal(o.analyzerAccess.allocated, sim.state.list('analyzer').length);
      assert.equal(o.analyzerTimeAccess.enabled, true);
      const pools = (await qrs(sim, 'GET', '/license/analyzertimeaccesstype/full')).json<Json[]>();
      assert.equal(o.analyzerTimeAccess.allocatedMinutes, pools.reduce((s, p) => s + Number(p['assignedMinutes']), 0));
      assert.equal(o.analyzerTimeAccess.usedMinutes, pools.reduce((s, p) => s + Number(p['usedMinutes']), 0));
      assert.ok(o.analyzerTimeAccess.usedMinutes > 0 && o.analyzerTimeAccess.usedMinutes % 6 === 0);
      assert.equal((await qrs(sim, 'GET', '/license/loginaccessusage/count')).json(), 0);
    });

    it('allocates and revokes professional and analyzer access, refusing user passes', async () => {
      for (const kind of ['professional', 'analyzer'] as const) {
        const before = await overview(sim);
        const key = kind === 'professional' ? 'professionalAccess' : 'analyzerAccess';
        const r = await qrs(sim, 'POST', `/license/${kind}accesstype`, { body: item(freeUser(sim, kind)) });
        assert.equal(r.status, 201);
        const a = r.json<Json>();
        assert.equal(a['excess'], false);
        assert.equal((await overview(sim))[key].allocated, before[key].allocated + 1);
        assert.equal((await qrs(sim, 'DELETE', `/license/${kind}accesstype/${String(a['id'])}`)).status, 204);
        assert.equal((await overview(sim))[key].allocated, before[key].allocated);
      }
      const uap = await qrs(sim, 'POST', '/license/useraccesstype', { body: item(freeUser(sim, 'user')) });
      assert.equal(uap.status, 400);
    });

    it('refuses analyzer access once the seats are gone', async () => {
      const o = await overview(sim);
      sim.state.license.analyzerSeats = o.analyzerAccess.allocated;
      const r = await qrs(sim, 'POST', '/license/analyzeraccesstype', { body: item(freeUser(sim, 'analyzer')) });
      assert.equal(r.status, 400);
      assert.match(r.text, /no allocations are available/);
      sim.state.license.analyzerSeats = o.analyzerAccess.total;
    });
  });

  describe('every simulated endpoint answers within the contract', () => {
    const sims: QrsSimulator[] = [];

    before(async () => {
      sims.push(
        await startQrsSimulator({ users: 120, seed: 2, now: NOW }),
        await startQrsSimulator({ users: 120, seed: 2, now: NOW, licenseModel: 'userBased', capacity: true }),
      );
    });

    after(async () => {
      await Promise.all(sims.map((s) => s.close()));
    });

    // The spec has no POST /user/table, so the enforcing simulator answers it 405; /user is driven without it.
    const types: [string, string][] = [
      ['user', 'userId'],
      ['license/useraccesstype', 'user.userId'],
      ['license/professionalaccesstype', 'user.userId'],
      ['license/analyzeraccesstype', 'user.userId'],
      ['license/loginaccesstype', 'name'],
      ['license/loginaccessusage', 'user.userId'],
      ['license/analyzertimeaccesstype', 'name'],
      ['license/analyzertimeaccessusage', 'user.userId'],
    ];

    it('drives list, full, count, {id}, table and previewcreateprivilege on both license models', async () => {
      let nonEmpty = 0;
      for (const sim of sims) {
        assert.equal((await qrs(sim, 'GET', '/about')).status, 200);
        assert.equal((await qrs(sim, 'GET', '/license/accesstypeoverview')).status, 200);
        for (const [type, column] of types) {
          const list = await qrs(sim, 'GET', `/${type}`, { query: { privileges: true } });
          assert.equal(list.status, 200, `${type}: ${list.text}`);
          const full = (await qrs(sim, 'GET', `/${type}/full`, { query: { orderby: 'id desc', privileges: false } })).json<Json[]>();
          const count = (await qrs(sim, 'GET', `/${type}/count`)).json<number>();
          assert.equal(full.length, count, type);
          assert.equal(list.json<Json[]>().length, count, type);
          if (type === 'user') {
            continue;
          }
          const table = await qrs(sim, 'POST', `/${type}/table`, {
            query: { skip: 0, take: 50, sortcolumn: 'key', orderascending: true },
            body: { type, columns: [{ name: 'key', columnType: 1, definition: column }, { name: 'id', columnType: 'Property', definition: 'id' }] },
          });
          assert.equal(table.status, 201, `${type}: ${table.text}`);
          assert.equal(table.json<{ rows: unknown[] }>().rows.length, Math.min(50, count));
        }
        for (const [type] of types) {
          const full = (await qrs(sim, 'GET', `/${type}/full`)).json<Json[]>();
          const first = full[0];
          if (first) {
            nonEmpty++;
            const one = await qrs(sim, 'GET', `/${type}/${String(first['id'])}`, { query: { privileges: true } });
            assert.equal(one.status, 200);
            assert.deepEqual({ ...one.json<Json>(), privileges: undefined }, { ...first, privileges: undefined });
          }
        }
        for (const type of ['useraccesstype', 'professionalaccesstype', 'analyzeraccesstype', 'loginaccesstype', 'analyzertimeaccesstype']) {
          const body = type.startsWith('login') ? { name: 'x', assignedTokens: 1 } : type.startsWith('analyzertime') ? { name: 'x', assignedUnits: 1 } : {};
          const r = await qrs(sim, 'POST', `/license/${type}/previewcreateprivilege`, { body });
          assert.equal(r.status, 201);
          assert.equal(r.json(), true);
        }
        assert.deepEqual(sim.violations, []);
      }
      assert.ok(nonEmpty >= 8, 'most types had data to fetch by id');
    });
  });
});
