import { strict as assert } from 'node:assert';
import { summarize } from '../../../src/core/siteSummary';
import { connectionDescription, connectionTooltip } from '../../../src/views/connectionNodeText';
import { NOW, syncedState, syncResult } from './treeFixtures';

describe('connection node text', () => {
  const result = syncResult();
  const summary = summarize(result.ranked);

  it('describes tokens, the two jobs and the age of the sync', () => {
    assert.equal(connectionDescription(syncedState(result), summary, NOW), '4.2 of 100 tokens available · 3 to assign, 1 to revoke · synced 2 h ago');
  });

  it('leaves out a job with nothing to do, and the age before any sync', () => {
    const none = { ...summary, assignCandidates: 0 };
    assert.equal(connectionDescription(syncedState(result), none, NOW + 3 * 86_400_000), '4.2 of 100 tokens available · 1 to revoke · synced 3 days ago');
    const fresh = syncedState(result, { status: 'idle', result: undefined });
    assert.equal(connectionDescription(fresh, undefined, NOW), '');
    assert.equal(connectionDescription({ ...fresh, entry: { ...fresh.entry, demo: true } }, undefined, NOW), 'demo (this window only)');
  });

  it('puts the CLI summary in the tooltip, with server text escaped', () => {
    const md = connectionTooltip(syncedState(result, { error: 'Nothing listens at [host]' }), summary, 30, NOW);
    const paragraphs = md.split('\n\n');
    assert.equal(paragraphs[0], '**Main \\*site\\*** — Qlik Sense client-managed  \nhttps://qlik\\.example:4242');
    assert.match(paragraphs[1] ?? '', /^Tokens: 100 tokens, 4\\\.2 available; .*Occasional 40\/100 passes used\.$/);
    assert.equal(
      paragraphs[2],
      "3 users burn a user access pass's worth of login passes: assigning them passes saves 0\\.6 tokens per 28 days\\.  \n" +
        '1 pass is unused for 30\\+ days: revoking it frees 1 token\\. 1 pass is quarantined\\.',
    );
    // 60 of 100 passes left and 40 used in 28 days: at 1.43 a day the pool lasts past the 28 days that bring passes back.
    assert.equal(paragraphs[3], "Forecast at the last 28 days' burn:  \nOccasional: 60 of 100 login passes left, 1\\.43 a day, does not run dry at this burn\\.");
    assert.match(paragraphs[4] ?? '', /^Synced .* \(2 h ago\): \d+ usage records in the last 28 days, 3 allocations\.$/);
    assert.equal(paragraphs[5], '$(error) Nothing listens at \\[host\\]');
  });
});
