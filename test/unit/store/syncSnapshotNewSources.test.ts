import { strict as assert } from 'node:assert';
import { groupByAction } from '../../../src/core/actionGroups';
import { restoreSyncResult, snapshotOf } from '../../../src/core/syncSnapshot';
import { decodeSyncSnapshot, encodeSyncSnapshot, SNAPSHOT_VERSION } from '../../../src/store/syncSnapshotCodec';
import { capacityResult, licstatsResult, RULES, userBasedResult } from '../views/newSourcesFixtures';

const meta = { site: 'f00d', connection: 'Eng' };
const roundTrip = (result: ReturnType<typeof licstatsResult>) => decodeSyncSnapshot(encodeSyncSnapshot(snapshotOf(result), meta)).snapshot;

describe('the last-sync file of tenants and License Statistics', () => {
  it('restores a License Statistics ranking with its hours, peaks and denials', () => {
    const before = licstatsResult();
    const after = restoreSyncResult(roundTrip(before), { ...RULES, windowDays: 28 });
    const pick = (r: (typeof before.ranked)[number]) => [r.user.name, r.hoursUsed, r.peakLicenses, r.denials, r.verdict.text];
    assert.deepEqual(after.ranked.map(pick), before.ranked.map(pick));
    assert.deepEqual(after.denials, before.denials);
    assert.deepEqual(groupByAction(after.ranked).map((g) => g.label), ['Denied a license (1)', 'Never denied (1)']);
  });

  it('restores orphaned assignments as orphans, and a capacity tenant’s Full Users', () => {
    const orphans = restoreSyncResult(roundTrip(userBasedResult()), { ...RULES, windowDays: 28 });
    assert.equal(groupByAction(orphans.ranked).find((g) => g.kind === 'orphaned')?.users.length, 1);
    const capacity = restoreSyncResult(roundTrip(capacityResult()), RULES);
    assert.deepEqual(capacity.overview.fullUsers, capacityResult().overview.fullUsers);
    assert.deepEqual(groupByAction(capacity.ranked).map((g) => g.label), ['Inactive users (1)', 'Active users (1)']);
  });

  it('still reads a version 2 file, which knew none of these', () => {
    const doc = JSON.parse(encodeSyncSnapshot(snapshotOf(capacityResult()), meta)) as Record<string, unknown> & { overview: Record<string, unknown> };
    assert.equal(doc['version'], SNAPSHOT_VERSION);
    const { fullUsers: _gone, ...overview } = doc.overview;
    const v2 = { ...doc, version: 2, overview };
    const read = decodeSyncSnapshot(JSON.stringify(v2)).snapshot;
    assert.equal(read.usage.length, 2);
    assert.equal(read.overview.fullUsers, undefined);
    assert.equal(read.denials, undefined);
  });

  it('refuses usage rows of a length no version writes, and a denial without a count', () => {
    const doc = JSON.parse(encodeSyncSnapshot(snapshotOf(licstatsResult()), meta)) as Record<string, unknown[]>;
    const usage = doc['usage'] as unknown[][];
    assert.throws(() => decodeSyncSnapshot(JSON.stringify({ ...doc, usage: [[...(usage[0] ?? []), 1]] })), /usage\[0\]: not 4 or 7 items/);
    const denials = doc['denials'] as unknown[][];
    assert.throws(() => decodeSyncSnapshot(JSON.stringify({ ...doc, denials: [[denials[0]?.[0], -1, null, []]] })), /denials\[0\]\[1\]: negative/);
  });
});
