/**
 * The audit log: JSON lines (a change's intent before its request, its outcome after), appended
 * and fsync'd, never rewritten. JSON lines rather than a binary segment because admins and auditors read it with
 * `grep` and `jq`, and it grows by a few lines a day. Callers hold the store's write lock, so two
 * windows never interleave half lines.
 */
import { open, readFile } from 'node:fs/promises';
import type { AuditEntry } from '../core/historyAudit';
import { isAuditEntry } from '../core/historyAudit';
import type { Logger } from '../core/logger';
import type { UsageWindow } from '../core/model';

/** The audit log's file name inside a store directory. */
export const AUDIT_FILE = 'audit.jsonl';

/**
 * Appends one entry. If the last line was torn by a crash (no newline at the end), the new entry
 * starts on a fresh line, so the torn one stays alone and is skipped on reading.
 */
export async function appendAuditEntry(file: string, entry: AuditEntry): Promise<void> {
  if (!isAuditEntry(entry)) {
    throw new TypeError('Not an audit entry: at, actor, connection, action, user, kind, reason and outcome are all required.');
  }
  const fh = await open(file, 'a+');
  try {
    const { size } = await fh.stat();
    let prefix = '';
    if (size > 0) {
      const last = new Uint8Array(1);
      await fh.read(last, 0, 1, size - 1);
      prefix = last[0] === 0x0a ? '' : '\n';
    }
    // Only the fields of the contract: a caller's extra properties could carry anything.
    const { at, actor, connection, action, user, kind, reason, outcome, changeId, phase, result, serverAnswer } = entry;
    const line = JSON.stringify({
      at,
      ...(changeId === undefined ? {} : { changeId }),
      ...(phase === undefined ? {} : { phase }),
      actor,
      connection,
      action,
      user: { id: user.id, directory: user.directory, userId: user.userId, name: user.name },
      kind,
      reason: reason === 'manual' ? 'manual' : { rule: reason.rule },
      outcome,
      ...(result === undefined ? {} : { result }),
      ...(serverAnswer === undefined ? {} : { serverAnswer }),
    });
    await fh.appendFile(`${prefix}${line}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** The entries whose `at` falls in the range (all without one), oldest first in file order. */
export async function readAuditEntries(file: string, logger: Logger, range?: UsageWindow): Promise<AuditEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw e;
  }
  const lines = text.split('\n');
  const out: AuditEntry[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) {
      return;
    }
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      entry = undefined;
    }
    if (!isAuditEntry(entry)) {
      const where = i === lines.length - 1 ? 'the last line (torn by an interrupted write?)' : `line ${i + 1}`;
      logger.warn(`${AUDIT_FILE}: ${where} is not a valid entry; skipped it.`);
      return;
    }
    if (!range || (entry.at >= range.from && entry.at < range.to)) {
      out.push(entry);
    }
  });
  return out;
}
