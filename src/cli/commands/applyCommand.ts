import * as path from 'node:path';
import { describeActor } from '../../core/actor';
import { applyPlan, type ApplyReport, type ChangeResult } from '../../core/applyPlan';
import { describeResultCounts, resultDetail } from '../../core/applyReportText';
import { terminalSafe } from '../../core/displayText';
import { UsageError } from '../../core/errors';
import type { AuditEntry } from '../../core/historyAudit';
import { userKey } from '../../core/model';
import { planSource } from '../../core/planSource';
import { changeKinds } from '../../core/planText';
import { DEFAULT_RULES } from '../../core/sync';
import { cliHistoryKey, HistoryStores } from '../../store/historyStores';
import { localUser } from '../../store/localUser';
import { defaultDataDir } from '../../store/storeDirs';
import type { CliCommand } from '../cliContext';
import { EXIT, exitCodeOf } from '../cliErrors';
import { parseCommandArgs, required } from '../cliArgs';
import { loadPolicy } from '../loadConfig';
import { renderPlanTable, toPlanJson } from '../planOutput';
import { withConnection } from './withConnection';
import { helpOf } from '../commandHelp';

const { summary, usage } = helpOf('apply');

/** One result as scripts read it. */
interface ResultRow {
  readonly order: number;
  readonly status: ChangeResult['status'];
  /** Null where the system has no directories (Qlik Cloud, License Statistics), as in the plan. */
  readonly userDirectory: string | null;
  readonly userId: string;
  readonly action: string;
  readonly kind: string;
  /** For a swap, the kind given up. */
  readonly fromKind?: string;
  readonly detail: string | null;
}

const MARKS: Readonly<Record<ChangeResult['status'], string>> = { done: 'done', skipped: 'skipped', failed: 'FAILED', notRun: 'not run' };

function renderReport(report: ApplyReport): string {
  const lines = report.results.map((r, i) => {
    const detail = resultDetail(r);
    return `${String(i + 1).padStart(3)}  ${MARKS[r.status].padEnd(7)}  ${r.change.action} ${changeKinds(r.change)}  ${terminalSafe(userKey(r.change.user))}${detail ? `: ${terminalSafe(detail)}` : ''}`;
  });
  const stop = report.failure ? ' The run stopped at the failed change; the changes after it were not run.' : report.cancelled ? ' Cancelled before the next change.' : '';
  lines.push('', `${describeResultCounts(report)}${stop}`, '');
  return lines.join('\n');
}

/**
 * `apply`: plans like `plan`, then, with `--yes`, carries the plan out: each change re-checked
 * against a fresh read, verified, audited; the first failure stops the run.
 */
export const applyCommand: CliCommand = {
  name: 'apply',
  summary,
  usage,
  async run(argv, ctx) {
    const v = parseCommandArgs(
      argv,
      {
        config: { type: 'string' },
        connection: { type: 'string' },
        policy: { type: 'string' },
        yes: { type: 'boolean', default: false },
        format: { type: 'string', default: 'table' },
        'data-dir': { type: 'string' },
        verbose: { type: 'boolean' },
      },
      usage,
    );
    if (v.format !== 'table' && v.format !== 'json') {
      throw new UsageError(`--format must be table or json, not "${v.format}".`);
    }
    const { policy } = await loadPolicy(required(v.policy, '--policy', usage));
    const stores = new HistoryStores(path.resolve(v['data-dir'] ?? defaultDataDir()), { logger: ctx.logger, now: ctx.now });
    try {
      return await withConnection(v, usage, ctx, async (source, rules, conn) => {
        const { plan } = await planSource(source, policy, { connection: conn.name, rules: { ...DEFAULT_RULES, ...rules }, now: ctx.now(), signal: ctx.signal });
        if (!v.yes) {
          ctx.out(v.format === 'json' ? `${JSON.stringify({ plan: toPlanJson(plan), results: null }, null, 2)}\n` : `${renderPlanTable(plan, policy.keepFreeTokens)}Run again with --yes to carry it out.\n`);
          return EXIT.ok;
        }
        const report = await applyPlan(
          source,
          plan,
          {
            actor: describeActor(localUser(), 'CLI', conn),
            connection: conn.name,
            audit: { append: async (entry: AuditEntry) => (await stores.get(cliHistoryKey(conn.name))).appendAudit(entry) },
            now: ctx.now,
            onOutcomeNotWritten: (e) => ctx.logger.error(`the outcome of a change could not be written to the audit log: ${(e as Error).message}`),
          },
          { signal: ctx.signal },
        );
        if (v.format === 'json') {
          const results: ResultRow[] = report.results.map((r, i) => ({
            order: i + 1,
            status: r.status,
            userDirectory: r.change.user.directory === '' ? null : r.change.user.directory,
            userId: r.change.user.userId,
            action: r.change.action,
            kind: r.change.kind,
            ...(r.change.fromKind ? { fromKind: r.change.fromKind } : {}),
            detail: resultDetail(r),
          }));
          ctx.out(`${JSON.stringify({ plan: toPlanJson(plan), results }, null, 2)}\n`);
        } else {
          ctx.out(renderReport(report));
        }
        return report.failure ? exitCodeOf(report.failure.error) : EXIT.ok;
      });
    } finally {
      await stores.closeAll();
    }
  },
};
