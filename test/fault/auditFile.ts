import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { AuditEntry } from '../../src/core/historyAudit';
import { cliHistoryKey } from '../../src/store/historyStores';
import { historyStoreDir } from '../../src/store/storeDirs';

/** audit.jsonl of a CLI connection (`--connection NAME`) under a data directory. */
export function cliAuditFile(dataDir: string, connection = 'sim'): string {
  return path.join(historyStoreDir(dataDir, cliHistoryKey(connection)), 'audit.jsonl');
}

/**
 * Every line of a CLI connection's audit log as written, in file order; [] when there is no log
 * yet. Read straight from the file, as an auditor with `jq` would, not through the store: a line
 * the store would skip (torn, not an entry) fails the parse here instead of going unseen.
 */
export async function readCliAudit(dataDir: string, connection = 'sim'): Promise<AuditEntry[]> {
  let text: string;
  try {
    text = await readFile(cliAuditFile(dataDir, connection), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw e;
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AuditEntry);
}
