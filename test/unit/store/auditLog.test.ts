import { strict as assert } from 'node:assert';
import { appendFile, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { isAppliedChange, type AuditEntry } from '../../../src/core/historyAudit';
import { openHistoryStore, type HistoryStore } from '../../../src/store/historyStore';
import { AUDIT_FILE } from '../../../src/store/auditLog';
import { NOW, person, recordingLogger, tempDirs } from './storeFixtures';

const entry = (at: number, action: AuditEntry['action'] = 'assign', reason: AuditEntry['reason'] = 'manual'): AuditEntry => ({
  at,
  actor: 'CORP\\admin',
  connection: 'prod',
  action,
  user: person('ann', 'Ann'),
  kind: 'user',
  reason,
  outcome: action === 'revoke' ? 'quarantined until 2026-03-22' : 'done',
});

describe('audit log', () => {
  const dirs = tempDirs();
  let store: HistoryStore | undefined;
  afterEach(async () => {
    await store?.close();
    await dirs.cleanup();
  });

  it('appends one JSON line per entry and reads them back by range', async () => {
    const dir = await dirs.make();
    store = await openHistoryStore(dir, { now: () => NOW });
    await store.appendAudit(entry(NOW - 2000));
    await store.appendAudit(entry(NOW - 1000, 'revoke', { rule: 'inactive-30-days' }));
    await store.appendAudit(entry(NOW, 'reinstate'));
    const text = await readFile(path.join(dir, AUDIT_FILE), 'utf8');
    assert.equal(text.split('\n').length, 4, 'three lines and a final newline');
    assert.deepEqual((await store.audit()).map((e) => e.action), ['assign', 'revoke', 'reinstate']);
    assert.deepEqual(await store.audit({ from: NOW - 1000, to: NOW }), [entry(NOW - 1000, 'revoke', { rule: 'inactive-30-days' })]);
  });

  it('ignores a torn last line with a warning and never rewrites what came before', async () => {
    const dir = await dirs.make();
    const logger = recordingLogger();
    store = await openHistoryStore(dir, { now: () => NOW, logger });
    await store.appendAudit(entry(NOW - 2000));
    await store.appendAudit(entry(NOW - 1000));
    const file = path.join(dir, AUDIT_FILE);
    await appendFile(file, JSON.stringify(entry(NOW - 500)).slice(0, 40)); // a crash mid-append
    const before = await readFile(file, 'utf8');
    assert.equal((await store.audit()).length, 2);
    assert.equal(logger.warnings.length, 1);
    assert.match(logger.warnings[0] ?? '', /last line.*torn/);

    await store.appendAudit(entry(NOW));
    const after = await readFile(file, 'utf8');
    assert.ok(after.startsWith(before), 'earlier bytes are untouched');
    assert.deepEqual((await store.audit()).map((e) => e.at), [NOW - 2000, NOW - 1000, NOW]);
    assert.match(logger.warnings[1] ?? '', /line 3 is not a valid entry/);
  });

  it('refuses entries that miss fields, and keeps only the contract’s fields', async () => {
    const dir = await dirs.make();
    store = await openHistoryStore(dir, { now: () => NOW });
    await assert.rejects(store.appendAudit({ ...entry(NOW), reason: 'because' } as unknown as AuditEntry), TypeError);
    await store.appendAudit({ ...entry(NOW), password: 'hunter2' } as AuditEntry);
    assert.doesNotMatch(await readFile(path.join(dir, AUDIT_FILE), 'utf8'), /hunter2/);
  });

  describe('intents and outcomes', () => {
    const intent: AuditEntry = { ...entry(NOW - 1000, 'revoke', { rule: 'inactive-30-days' }), changeId: 'ch-1', phase: 'intent', outcome: 'requested' };
    const outcome: AuditEntry = {
      ...entry(NOW, 'revoke', { rule: 'inactive-30-days' }),
      changeId: 'ch-1',
      phase: 'outcome',
      result: 'unknown',
      serverAnswer: '504 Gateway Timeout',
    };

    it('round-trips an intent and its outcome with every field', async () => {
      const dir = await dirs.make();
      store = await openHistoryStore(dir, { now: () => NOW });
      await store.appendAudit(intent);
      await store.appendAudit(outcome);
      assert.deepEqual(await store.audit(), [intent, outcome]);
      const lines = (await readFile(path.join(dir, AUDIT_FILE), 'utf8')).trim().split('\n');
      assert.deepEqual(lines.map((l) => JSON.parse(l) as unknown), [intent, outcome], 'one JSON line each, as grep and jq read them');
      assert.deepEqual((await store.audit()).map(isAppliedChange), [false, false]);
    });

    it('still reads an entry of an older version, without phase or result, as an applied change', async () => {
      const dir = await dirs.make();
      const logger = recordingLogger();
      store = await openHistoryStore(dir, { now: () => NOW, logger });
      const legacy = entry(NOW - 5000);
      await appendFile(path.join(dir, AUDIT_FILE), `${JSON.stringify(legacy)}\n`);
      await store.appendAudit(intent);
      const read = await store.audit();
      assert.deepEqual(read, [legacy, intent]);
      assert.equal(read[0]?.phase, undefined);
      assert.equal(isAppliedChange(read[0] as AuditEntry), true);
      assert.deepEqual(logger.warnings, []);
    });

    it('rejects an unknown result (or phase) as invalid, with a warning, and refuses to write one', async () => {
      const dir = await dirs.make();
      const logger = recordingLogger();
      store = await openHistoryStore(dir, { now: () => NOW, logger });
      const file = path.join(dir, AUDIT_FILE);
      await store.appendAudit(intent);
      await appendFile(file, `${JSON.stringify({ ...outcome, result: 'probably' })}\n${JSON.stringify({ ...outcome, phase: 'retry' })}\n`);
      await store.appendAudit(outcome);
      assert.deepEqual(await store.audit(), [intent, outcome]);
      assert.deepEqual(logger.warnings, [`${AUDIT_FILE}: line 2 is not a valid entry; skipped it.`, `${AUDIT_FILE}: line 3 is not a valid entry; skipped it.`]);
      await assert.rejects(store.appendAudit({ ...outcome, result: 'probably' } as unknown as AuditEntry), TypeError);
    });
  });
});
