import { strict as assert } from 'node:assert';
import { DAY_MS } from '../../../src/core/model';
import type { Plan } from '../../../src/core/plan';
import { planSource } from '../../../src/core/planSource';
import { parsePolicy } from '../../../src/core/policyParse';
import { DEFAULT_RULES } from '../../../src/core/sync';
import { startCloudSimulator, type CloudSimulator, type CloudSimulatorOptions } from '../../../src/sim/cloud/cloudSimulator';
import { AUTHORING_EVENT_TYPES } from '../../../src/sources/cloud/cloudAuthoring';
import { createCloudSource } from '../../../src/sources/cloud/cloudSource';

const NOW = Date.UTC(2026, 10, 20, 12);

describe('planSource: swap rules on a Qlik Cloud tenant', function () {
  this.timeout(60_000);
  const sims: CloudSimulator[] = [];

  afterEach(async function () {
    const seen = sims.splice(0);
    await Promise.all(seen.map((s) => s.close()));
    if (this.currentTest?.state === 'passed') {
      for (const sim of seen) {
        assert.deepEqual(sim.violations, []);
      }
    }
  });

  async function planOn(options: CloudSimulatorOptions, policy: Record<string, unknown>): Promise<{ sim: CloudSimulator; plan: Plan; readDays: number }> {
    const sim = await startCloudSimulator({ users: 300, seed: 7, now: NOW, ...options });
    sims.push(sim);
    const source = createCloudSource({ baseUrl: sim.url, ca: sim.certificates.ca, auth: { mode: 'apiKey', apiKey: sim.apiKey }, now: () => sim.clock.now() });
    try {
      const parsed = parsePolicy({ neverTouch: { flags: [] }, ...policy }, 'test policy');
      const { plan, sync } = await planSource(source, parsed, { connection: 'tenant', rules: DEFAULT_RULES, now: NOW });
      return { sim, plan, readDays: (sync.tally.window.to - sync.tally.window.from) / DAY_MS };
    } finally {
      await source.close();
    }
  }

  const swap = (days: number) => ({ swap: [{ when: { kind: 'professional', onlyConsumesDays: days }, to: 'analyzer' }] });

  it('swaps professionals who signed in lately but authored nothing the audit log shows, as many as analyzer seats allow', async () => {
    const { sim, plan } = await planOn({}, swap(90));
    const since = NOW - 90 * DAY_MS;
    assert.ok(plan.changes.length >= 3, `${plan.changes.length} swaps`);
    for (const c of plan.changes) {
      assert.deepEqual([c.action, c.fromKind, c.kind, c.tokens, c.quarantinedUntil], ['swap', 'professional', 'analyzer', 0, undefined]);
      assert.equal(sim.state.assignmentOf(c.user.userId)?.type, 'professional');
      assert.ok(!sim.state.appEvents.some((e) => e.userId === c.user.id && AUTHORING_EVENT_TYPES.includes(e.eventType) && e.eventTime >= since), `${c.user.name} authored nothing`);
      assert.match(
        c.reason,
        /^professional access used \d{4}-\d\d-\d\d, but nothing authored in 90 days \(no app created, published or reloaded with new data since 2026-08-22, as the audit log shows\) → swap for an analyzer access \(takes 1 analyzer access, frees the professional access at once\)$/,
      );
    }
    const analyzer = sim.state.allotment('analyzer');
    const professional = sim.state.allotment('professional');
    assert.ok(analyzer && professional);
    const free = (a: typeof analyzer) => a.units - sim.state.unitsUsed(a);
    assert.deepEqual(plan.totals.seats, {
      professional: { before: free(professional), after: free(professional) + plan.changes.length },
      analyzer: { before: free(analyzer), after: free(analyzer) - plan.changes.length },
    });
    assert.ok(plan.skipped.some((s) => s.reason === 'poolReserve'), 'more professionals only consume than there are analyzer seats');
    assert.deepEqual(plan.notes, []);
  });

  it('skips the swaps of a tenant whose audit log records no authoring events, saying why, and plans the other rules', async () => {
    const { plan } = await planOn({ appEvents: 'none' }, { ...swap(90), release: [{ when: { unusedDays: 800 }, revoke: ['analyzer'] }] });
    assert.ok(plan.changes.length > 0 && plan.changes.every((c) => c.action === 'revoke'));
    const swaps = plan.skipped.filter((s) => s.rule === 'swap[0]');
    assert.ok(swaps.length > 5);
    for (const s of swaps) {
      assert.equal(s.reason, 'premise');
      assert.equal(
        s.text,
        `could not read whether ${s.user.userId} authored anything in the last 90 days: the tenant's audit log records none of the app events that show authoring (/api/v1/audits/types lists no com.qlik.app.created, .data.updated or .published, nor their com.qlik.v1 names)`,
      );
    }
  });

  it('skips the swaps of a rule that asks about more days than the audit log keeps', async () => {
    const { sim, plan } = await planOn({}, swap(120));
    assert.deepEqual(plan.changes, []);
    assert.ok(plan.skipped.length > 5);
    assert.ok(
      plan.skipped.every((s) => s.text.endsWith('in the last 120 days: the Qlik Cloud audit log keeps 90 days of events, fewer than the 120 days asked about, so authoring before then cannot be ruled out; set onlyConsumesDays to 90 or less')),
    );
    assert.ok(!sim.requests.some((r) => r.path.startsWith('/api/v1/audits')), 'the log was not read');
  });

  it("reads usage as far back as the release and swap rules look: a Cloud license's last use is its holder's", async () => {
    assert.equal((await planOn({}, { release: [{ when: { unusedDays: 75 }, revoke: ['professional'] }] })).readDays, 75);
    assert.equal((await planOn({}, swap(60))).readDays, 60);
    assert.equal((await planOn({}, { release: [{ when: { unusedDays: 10 }, revoke: ['analyzer'] }] })).readDays, DEFAULT_RULES.windowDays, 'never less than the ranking window');
  });
});
