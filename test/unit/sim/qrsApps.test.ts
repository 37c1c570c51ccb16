import { strict as assert } from 'node:assert';
import { DAY_MS } from '../../../src/core/model';
import { generateQrsData, type QrsGeneratorOptions } from '../../../src/sim/qrs/qrsDataGenerator';
import { startQrsSimulator, type QrsSimulator } from '../../../src/sim/qrs/qrsSimulator';
import type { QrsSimData, SimApp, SimAppObject } from '../../../src/sim/qrs/qrsSimState';
import { callSim, qrs } from './qrsTestClient';

type Json = Record<string, unknown>;
const NOW = Date.UTC(2026, 2, 1, 12);
const BASE: QrsGeneratorOptions = { users: 300, seed: 7, usageRecords: 2_000, now: NOW, licenseModel: 'userBased', capacity: false };

/** Who owns something changed since `since`. */
function authorsSince(all: readonly (SimApp | SimAppObject)[], since: number): Set<string> {
  return new Set(all.filter((c) => c.modifiedDate >= since).map((c) => c.owner.id));
}

function content(d: Pick<QrsSimData, 'apps' | 'appObjects'>): (SimApp | SimAppObject)[] {
  return [...(d.apps ?? []), ...(d.appObjects ?? [])];
}

describe('simulated apps and app objects', function () {
  this.timeout(20_000);

  describe('generated', () => {
    it('are deterministic: same seed, same apps; another seed, others', () => {
      const digest = (d: QrsSimData) => content(d).map((c) => [c.id, c.owner.id, c.createdDate, c.modifiedDate, 'objectType' in c ? c.objectType : 'app']);
      const a = generateQrsData(BASE);
      assert.ok(content(a).length > 50);
      assert.deepEqual(digest(a), digest(generateQrsData(BASE)));
      assert.notDeepEqual(digest(a), digest(generateQrsData({ ...BASE, seed: 8 })));
    });

    it('make some professionals authors and leave others only consuming, with dates that make sense', () => {
      const d = generateQrsData(BASE);
      const since = NOW - 90 * DAY_MS;
      const authors = authorsSince(content(d), since);
      const professionals = d.allocations.filter((a) => a.kind === 'professional' && !a.user.deleted && !a.quarantined).map((a) => a.user);
      const authoring = professionals.filter((u) => authors.has(u.id)).length;
      assert.ok(authoring >= 5 && professionals.length - authoring >= 5, `${authoring} of ${professionals.length} professionals author`);
      // Some only used to author: they own content, all of it older than the window.
      const owners = new Set(content(d).map((c) => c.owner.id));
      assert.ok(professionals.some((u) => owners.has(u.id) && !authors.has(u.id)), 'a stale author');
      for (const c of content(d)) {
        assert.ok(c.createdDate <= c.modifiedDate && c.modifiedDate <= NOW, c.id);
      }
      for (const o of d.appObjects ?? []) {
        assert.ok(o.createdDate >= o.app.createdDate, `${o.objectType} ${o.id} predates its app`);
      }
      assert.ok((d.appObjects ?? []).some((o) => o.objectType === 'bookmark' && d.allocations.some((a) => a.kind === 'analyzer' && a.user === o.owner)), 'analyzers keep bookmarks');
      // The monitoring apps belong to the service account and move with each nightly reload.
      const monitors = (d.apps ?? []).filter((a) => a.owner.userId === 'sa_repository');
      assert.deepEqual(monitors.map((a) => a.name).sort(), ['License Monitor', 'Operations Monitor']);
      assert.ok(monitors.every((a) => NOW - a.modifiedDate < DAY_MS));
    });
  });

  describe('served', () => {
    let sim: QrsSimulator;

    before(async () => {
      sim = await startQrsSimulator({ users: 300, seed: 7, now: NOW, licenseModel: 'userBased' });
    });
    after(async () => {
      await sim.close();
    });
    afterEach(() => {
      assert.deepEqual(sim.violations.filter((v) => v.startsWith('response:')), []);
    });

    it('counts and lists apps and app objects by owner and date, as the contract describes them', async () => {
      const since = NOW - 90 * DAY_MS;
      const owner = sim.state.apps.find((a) => a.modifiedDate >= since && a.owner.userDirectory === 'CORP')?.owner;
      assert.ok(owner);
      const filter = `owner.id eq ${owner.id} and modifiedDate ge '${new Date(since).toISOString()}'`;
      const expected = sim.state.apps.filter((a) => a.owner === owner && a.modifiedDate >= since);
      assert.equal((await qrs(sim, 'GET', '/app/count', { query: { filter } })).json(), expected.length);
      const full = (await qrs(sim, 'GET', '/app/full', { query: { filter } })).json<Json[]>();
      assert.deepEqual(full.map((a) => a['id']).sort(), expected.map((a) => a.id).sort());
      assert.deepEqual(full[0]?.['owner'], { id: owner.id, userId: owner.userId, userDirectory: owner.userDirectory, userDirectoryConnectorName: 'CORP', name: owner.name });
      const objects = sim.state.appObjects.filter((o) => o.owner === owner && o.modifiedDate >= since);
      assert.equal((await qrs(sim, 'GET', '/app/object/count', { query: { filter } })).json(), objects.length);
      const listed = (await qrs(sim, 'GET', '/app/object/full', { query: { filter: `${filter} and objectType eq 'sheet'` } })).json<Json[]>();
      assert.deepEqual(listed.map((o) => o['id']).sort(), objects.filter((o) => o.objectType === 'sheet').map((o) => o.id).sort());
      assert.ok(listed.every((o) => (o['app'] as Json)['name'] !== undefined && o['schemaPath'] === 'App.Object'));
      const condensed = (await qrs(sim, 'GET', '/app/object', { query: { filter } })).json<Json[]>();
      assert.equal(condensed.length, objects.length);
      assert.ok(condensed.every((o) => !('owner' in o)));
      assert.equal((await qrs(sim, 'GET', '/app/count', { query: { filter: "owner.userId eq 'nobody'" } })).json(), 0);
    });

    it('lets tests make someone an author: a new app, a new sheet, or an old one saved again', async () => {
      const consumer = sim.state.users.find((u) => u.userDirectory === 'CORP' && !content(sim.state).some((c) => c.owner === u));
      assert.ok(consumer);
      const count = async (path: string) => (await qrs(sim, 'GET', `${path}/count`, { query: { filter: `owner.id eq ${consumer.id} and modifiedDate ge '${new Date(NOW - DAY_MS).toISOString()}'` } })).json();
      assert.deepEqual([await count('/app'), await count('/app/object')], [0, 0]);
      sim.clock.advance(60_000);
      const app = sim.state.addApp(consumer, { name: 'Scratch' });
      const sheet = sim.state.addAppObject(app, consumer);
      assert.deepEqual([await count('/app'), await count('/app/object')], [1, 1]);
      assert.deepEqual([sheet.objectType, sheet.owner, app.stream], ['sheet', consumer, null]);
      const old = sim.state.appObjects.find((o) => o.modifiedDate < NOW - 200 * DAY_MS);
      assert.ok(old);
      sim.state.modifyContent(old);
      assert.equal(old.modifiedDate, sim.clock.now());
      assert.equal(old.modifiedByUserName, `${old.owner.userDirectory}\\${old.owner.userId}`);
    });

    it('shows a non-admin only what they own; single apps and writes are not in the contract', async () => {
      const owner = sim.state.apps.find((a) => a.owner.userDirectory === 'CORP')?.owner;
      assert.ok(owner);
      const mine = (await callSim(sim, 'GET', '/qrs/app/full', { headers: { 'X-Qlik-User': `UserDirectory=${owner.userDirectory}; UserId=${owner.userId}` } })).json<Json[]>();
      assert.deepEqual(new Set(mine.map((a) => (a['owner'] as Json)['id'])), new Set([owner.id]));
      assert.equal((await qrs(sim, 'GET', `/app/${sim.state.apps[0]?.id ?? ''}`)).status, 404);
      assert.equal((await qrs(sim, 'POST', '/app/object', { body: {} })).status, 405);
    });
  });
});
