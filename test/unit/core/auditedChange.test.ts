import { strict as assert } from 'node:assert';
import { auditedChange, type AuditSink } from '../../../src/core/auditedChange';
import { LocalError, NotAppliedError, OutcomeUnknownError, ServerError } from '../../../src/core/errors';
import type { AuditEntry } from '../../../src/core/historyAudit';

const ann = { id: 'g-ann', directory: 'CORP', userId: 'ann', name: 'Ann' };
const intent = { actor: 'me (CLI) as INTERNAL\\sa_api', connection: 'prod', action: 'assign', user: ann, kind: 'user', reason: 'manual' } as const;

function memorySink(failOn?: (entry: AuditEntry) => boolean): AuditSink & { entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return {
    entries,
    append: async (entry) => {
      if (failOn?.(entry)) {
        throw new Error('disk full');
      }
      entries.push(entry);
    },
  };
}

describe('auditedChange', () => {
  let clock = 1_000;
  const options = (notWritten: unknown[] = []) => ({ now: () => clock++, onOutcomeNotWritten: (e: unknown) => void notWritten.push(e) });

  it('writes the intent before the request and the applied outcome after, sharing a change id', async () => {
    const sink = memorySink();
    let intentsWhenSent = 0;
    const done = await auditedChange(sink, intent, options(), async () => {
      intentsWhenSent = sink.entries.length;
      return { value: 'a1', outcome: 'assigned (allocation a1)', unclearAnswer: 'The server answered POST /x with 502: Bad Gateway' };
    });
    assert.equal(done.value, 'a1');
    assert.equal(intentsWhenSent, 1, 'the intent is on disk before the request');
    const [first, second] = sink.entries;
    assert.equal(first?.phase, 'intent');
    assert.equal(first?.outcome, 'requested');
    assert.equal(first?.result, undefined);
    assert.equal(second?.phase, 'outcome');
    assert.equal(second?.result, 'applied');
    assert.equal(second?.outcome, 'assigned (allocation a1)');
    assert.equal(second?.serverAnswer, 'The server answered POST /x with 502: Bad Gateway');
    assert.ok(first?.changeId && first.changeId === second?.changeId);
    assert.ok((second?.at ?? 0) > (first?.at ?? 0));
  });

  it('records "not applied" with the server answer and rethrows', async () => {
    const sink = memorySink();
    const cause = new ServerError(500, 'POST /x', 'boom');
    const error = new NotAppliedError('assign a user access pass to CORP\\ann', cause, 'readBack');
    await assert.rejects(auditedChange(sink, intent, options(), async () => Promise.reject(error)), (e: unknown) => e === error);
    assert.deepEqual(
      sink.entries.map((e) => [e.phase, e.result, e.outcome, e.serverAnswer]),
      [
        ['intent', undefined, 'requested', undefined],
        ['outcome', 'notApplied', 'not applied', 'The server answered POST /x with 500: boom'],
      ],
    );
  });

  it('records "unknown" when nobody can tell', async () => {
    const sink = memorySink();
    const error = new OutcomeUnknownError('assign …', 'reset during POST', 'timeout', 'Check the QMC.');
    await assert.rejects(auditedChange(sink, intent, options(), async () => Promise.reject(error)), OutcomeUnknownError);
    assert.equal(sink.entries[1]?.result, 'unknown');
    assert.equal(sink.entries[1]?.serverAnswer, 'reset during POST');
  });

  it('sends nothing when the intent cannot be written', async () => {
    const sink = memorySink((e) => e.phase === 'intent');
    let sent = false;
    await assert.rejects(
      auditedChange(sink, intent, options(), async () => {
        sent = true;
        return { value: 1, outcome: 'x', unclearAnswer: null };
      }),
      (e: unknown) => e instanceof LocalError && e.code === 'AUDIT_UNWRITABLE' && /^Nothing was changed/.test(e.message),
    );
    assert.equal(sent, false);
  });

  it('a change made whose outcome line cannot be written is still reported as made, loudly', async () => {
    const sink = memorySink((e) => e.phase === 'outcome');
    const notWritten: unknown[] = [];
    const done = await auditedChange(sink, intent, options(notWritten), async () => ({ value: 'a1', outcome: 'assigned', unclearAnswer: null }));
    assert.equal(done.value, 'a1');
    assert.equal(notWritten.length, 1);
    assert.equal(sink.entries.length, 1, 'the intent stays, visible');
  });
});
