import { strict as assert } from 'node:assert';
import type { LicenseSource } from '../../../../src/core/licenseSource';
import { windowOfDays, type UsageRecord } from '../../../../src/core/model';
import { DEFAULT_RULES, syncSource } from '../../../../src/core/sync';
import { startQrsSimulator, type QrsSimulator } from '../../../../src/sim/qrs/qrsSimulator';
import { createQrsSource, type QrsSource } from '../../../../src/sources/qrs/qrsSource';
import { certificateOptions, trafficCheck } from './simConnection';

/** The same source without its fold path: syncSource then tallies from the record pages. */
function pagesOnly(source: QrsSource): LicenseSource {
  return new Proxy(source, { get: (target, key) => (key === 'usageInto' ? undefined : Reflect.get(target, key, target)) });
}

describe('QrsSource.usageInto (a sync folding rows straight into its tally)', function () {
  this.timeout(60_000);
  let sim: QrsSimulator;
  let source: QrsSource;

  before(async () => {
    // Login passes and capacity both: each feed is folded on its own.
    sim = await startQrsSimulator({ users: 90, seed: 23, licenseModel: 'userBased', capacity: true });
    source = createQrsSource(certificateOptions(sim, 'INTERNAL\\sa_api', { pageSize: 40 }));
  });
  after(async () => {
    await source.close();
    await sim.close();
  });

  it('hands over exactly the records usage() yields, in order, in one object refilled per record', async () => {
    const check = trafficCheck(sim);
    const window = windowOfDays(28, sim.clock.now());
    const paged: UsageRecord[] = [];
    for await (const page of source.usage(window)) {
      paged.push(...page);
    }
    const folded: UsageRecord[] = [];
    const objects = new Set<UsageRecord>();
    let pages = 0;
    await source.usageInto(window, (r) => {
      objects.add(r);
      folded.push({ ...r });
    }, { onPage: () => pages++ });
    assert.ok(paged.filter((r) => r.unit === 'capacityMinutes').length > 40, 'capacity rows over several pages');
    assert.deepEqual(folded, paged);
    const feeds = new Set(paged.map((r) => r.unit)).size;
    assert.equal(objects.size, feeds, 'one scratch object per feed, none per row');
    assert.ok(pages >= Math.ceil(paged.length / 40), `progress after every page (${pages})`);
    check.assertClean();
  });

  it('gives syncSource the same tally and ranking as the record pages do', async () => {
    const now = sim.clock.now();
    const rules = { ...DEFAULT_RULES, windowDays: 60 };
    const folded = await syncSource(source, { rules, now });
    const paged = await syncSource(pagesOnly(source), { rules, now });
    assert.ok(folded.tally.recordCount > 100);
    assert.equal(folded.tally.recordCount, paged.tally.recordCount);
    assert.deepEqual([...folded.tally.users()], [...paged.tally.users()]);
    assert.deepEqual(folded.ranked, paged.ranked);
  });
});
