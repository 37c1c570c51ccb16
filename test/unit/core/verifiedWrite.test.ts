import { strict as assert } from 'node:assert';
import { CancelledError, NetworkError, NotAppliedError, OutcomeUnknownError, ServerError, TimeoutError, TlsError } from '../../../src/core/errors';
import { READ_BACK, verifiedWrite, type WriteAttempt } from '../../../src/core/verifiedWrite';

/** A server whose state is one flag; each call says what the request does and answers. */
function world(now = 1_000_000) {
  const log: string[] = [];
  let applied = false;
  const waits: number[] = [];
  const attempt = (sends: (() => Promise<'ok' | typeof READ_BACK>)[], readBack: () => Promise<'ok' | undefined> = async () => (applied ? 'ok' : undefined)): WriteAttempt<'ok'> => ({
    what: 'assign a user access pass to CORP\\ann',
    check: 'Check the QMC.',
    send: async () => {
      log.push('send');
      const next = sends.shift();
      assert.ok(next, 'no more sends expected');
      return next();
    },
    readBack: async () => {
      log.push('read');
      return readBack();
    },
    notBorneOut: (answer) => new Error(`not borne out after ${answer}`),
    sleep: async (ms) => {
      waits.push(ms);
    },
    now: () => now,
  });
  return {
    log,
    waits,
    attempt,
    apply: () => {
      applied = true;
    },
  };
}

describe('verifiedWrite', () => {
  it('a clean answer is the result, with no read back', async () => {
    const w = world();
    const done = await verifiedWrite(w.attempt([async () => 'ok']));
    assert.deepEqual(done, { value: 'ok', unclearAnswer: null });
    assert.deepEqual(w.log, ['send']);
  });

  for (const [name, failure] of [
    ['a 502 from the gateway', new ServerError(502, 'POST /x', 'Bad Gateway')],
    ['a reset', new NetworkError('NET_RESET', 'reset', 'ECONNRESET')],
    ['a timeout', new TimeoutError(30_000, 'host:4242', 'POST /x')],
    ['a cancel in flight', new CancelledError('POST /x', 'inFlight')],
  ] as const) {
    it(`${name} after the server applied the write: applied, confirmed by reading back, never repeated`, async () => {
      const w = world();
      const done = await verifiedWrite(
        w.attempt([
          async () => {
            w.apply();
            throw failure;
          },
        ]),
      );
      assert.deepEqual(done, { value: 'ok', unclearAnswer: failure.message });
      assert.deepEqual(w.log, ['send', 'read']);
    });
  }

  it('an error the state confirms: not applied, with the server answer, not repeated', async () => {
    const w = world();
    const failure = new ServerError(500, 'POST /x', 'boom');
    await assert.rejects(verifiedWrite(w.attempt([async () => Promise.reject(failure)])), (e: unknown) => {
      assert.ok(e instanceof NotAppliedError);
      assert.equal(e.cause, failure);
      assert.equal(e.how, 'readBack');
      assert.equal(e.kind, 'server');
      return true;
    });
    assert.deepEqual(w.log, ['send', 'read']);
  });

  it('503 "not processed" with Retry-After: waits it out and tries exactly once more, verifying again', async () => {
    const w = world();
    const busy = new ServerError(503, 'POST /x', 'busy', 1_000_000 + 2_000);
    const done = await verifiedWrite(
      w.attempt([
        async () => Promise.reject(busy),
        async () => {
          w.apply();
          return 'ok';
        },
      ]),
    );
    assert.deepEqual(done, { value: 'ok', unclearAnswer: null, repeatedAfter: busy.message });
    assert.deepEqual(w.waits, [2_000]);
    assert.deepEqual(w.log, ['send', 'read', 'send']);
  });

  it('a second "not processed" is not applied: one repeat only', async () => {
    const w = world();
    const busy = new ServerError(429, 'POST /x', 'slow down', 1_000_000 + 1_000);
    await assert.rejects(verifiedWrite(w.attempt([async () => Promise.reject(busy), async () => Promise.reject(busy)])), NotAppliedError);
    assert.deepEqual(w.log, ['send', 'read', 'send', 'read']);
  });

  it('a Retry-After too long to wait is reported, not waited out', async () => {
    const w = world();
    const busy = new ServerError(503, 'POST /x', 'maintenance', 1_000_000 + 3_600_000);
    await assert.rejects(verifiedWrite(w.attempt([async () => Promise.reject(busy)])), (e: unknown) => e instanceof NotAppliedError && /tried again after/.test(e.message));
    assert.deepEqual(w.waits, []);
  });

  it('when reading back fails too: outcome unknown, with what to check', async () => {
    const w = world();
    await assert.rejects(
      verifiedWrite(w.attempt([async () => Promise.reject(new NetworkError('NET_RESET', 'reset during POST', 'ECONNRESET'))], async () => Promise.reject(new TimeoutError(30_000, 'host:4242', 'GET /y')))),
      (e: unknown) => {
        assert.ok(e instanceof OutcomeUnknownError);
        assert.equal(e.kind, 'outcomeUnknown');
        assert.match(e.message, /^Outcome unknown: the request to assign a user access pass to CORP\\ann may or may not have been applied\. The request got: reset during POST\. Reading the state back failed too: .*did not answer GET \/y.* Check the QMC\.$/);
        return true;
      },
    );
  });

  it('a request that never left (refused connection, TLS) is not applied without reading back', async () => {
    for (const failure of [new NetworkError('NET_REFUSED', 'refused', 'ECONNREFUSED'), new TlsError('TLS_UNKNOWN_CA', 'ca', 'X'), new CancelledError('POST /x', 'beforeSending')]) {
      const w = world();
      await assert.rejects(verifiedWrite(w.attempt([async () => Promise.reject(failure)])), (e: unknown) => e instanceof NotAppliedError && e.how === 'notSent' && e.kind === failure.kind);
      assert.deepEqual(w.log, ['send']);
    }
  });

  it('a clean answer that must be borne out: read back, and the state decides', async () => {
    const ok = world();
    ok.apply();
    assert.deepEqual(await verifiedWrite(ok.attempt([async () => READ_BACK])), { value: 'ok', unclearAnswer: null });
    const not = world();
    await assert.rejects(verifiedWrite(not.attempt([async () => READ_BACK])), /not borne out after a clean answer/);
    const blind = world();
    await assert.rejects(verifiedWrite(blind.attempt([async () => READ_BACK], async () => Promise.reject(new Error('read failed')))), OutcomeUnknownError);
  });
});
