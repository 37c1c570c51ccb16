import * as path from 'node:path';
import type { ConnectionConfig } from '../../core/connectionConfig';
import { describeActor } from '../../core/actor';
import { formatDate } from '../../core/format';
import { auditedChange } from '../../core/auditedChange';
import { assignedReport, disabledReport, reinstatedReport, revokedReport, type ChangeReport } from '../../core/changeReports';
import { terminalSafe } from '../../core/displayText';
import type { AuditAction, AuditEntry } from '../../core/historyAudit';
import { PASS_KIND_LABELS, PASS_KIND_WITH_ARTICLE, userKey, type Allocation, type PassKind, type User } from '../../core/model';
import { previewRevoke } from '../../core/quarantine';
import { primaryAllocation } from '../../core/verdict';
import type { LicenseSource } from '../../core/licenseSource';
import { cliHistoryKey, HistoryStores } from '../../store/historyStores';
import { localUser } from '../../store/localUser';
import { defaultDataDir } from '../../store/storeDirs';
import type { CliCommand, CliContext } from '../cliContext';
import { UsageError } from '../../core/errors';
import { EXIT } from '../cliErrors';
import { parseCommandArgs, parseKind, parseUserKey, required } from '../cliArgs';
import { confirm } from '../confirm';
import { withConnection } from './withConnection';
import { helpOf } from '../commandHelp';

const options = {
  config: { type: 'string' },
  connection: { type: 'string' },
  user: { type: 'string' },
  kind: { type: 'string' },
  yes: { type: 'boolean', default: false },
  'data-dir': { type: 'string' },
  verbose: { type: 'boolean' },
} as const;

type Action = 'assign' | 'revoke' | 'reinstate' | 'disable';

type UserKey = { readonly directory: string; readonly userId: string };

/**
 * `--user` as the connection's system names users: `DIR\ID` on Qlik Sense; a subject or an email
 * on Qlik Cloud and a bare user name on License Statistics, which have no user directories.
 */
export function userKeyFor(conn: ConnectionConfig, value: string): UserKey {
  if (conn.kind === 'qrs') {
    return parseUserKey(value);
  }
  const userId = value.trim();
  if (!userId) {
    throw new UsageError(`--user must name a user: ${conn.kind === 'cloud' ? 'a subject (auth0|…) or an email' : 'a License Statistics user name'}.`);
  }
  return { directory: '', userId };
}

/** Refuses, before any request, a change the connection's system cannot make. */
function refuseReadOnly(conn: ConnectionConfig, action: Action): void {
  if (conn.kind === 'licstats') {
    throw new UsageError(
      `"${conn.name}" is a License Statistics connection, which is read-only: licenses there are managed on the license servers (FlexNet, LM-X, RLM), so License Steward cannot ${action} them.`,
    );
  }
}

async function resolveUser(source: LicenseSource, { directory, userId }: UserKey, ctx: CliContext): Promise<{ user: User; held: Allocation[] }> {
  const user = await source.findUser(directory, userId, { signal: ctx.signal });
  if (!user) {
    throw new UsageError(
      directory
        ? `No user ${directory}\\${userId} on this site. Check the spelling; QRS matches directory and id case-insensitively.`
        : `No user "${userId}" on this connection. Give the subject (as the tenant's Users page shows it) or the email.`,
    );
  }
  const held = (await source.allocations({ signal: ctx.signal })).filter((a) => !a.userDeleted && a.user.id === user.id);
  return { user, held };
}

/** The user as the admin reads it on a terminal: server text, so never with control characters. */
function who(user: User): string {
  return terminalSafe(user.name && user.name !== user.userId ? `${user.name} (${userKey(user)})` : userKey(user));
}

async function offeredKind(source: LicenseSource, asked: PassKind | undefined, ctx: CliContext): Promise<PassKind> {
  const { offeredKinds } = await source.overview({ signal: ctx.signal });
  const kind = asked ?? offeredKinds[0];
  if (!kind) {
    throw new UsageError('This site offers no pass an admin can allocate (no token or user-based licence is enabled).');
  }
  if (!offeredKinds.includes(kind)) {
    throw new UsageError(`This site does not offer ${PASS_KIND_LABELS[kind]}; it offers: ${offeredKinds.map((k) => k).join(', ') || 'none'}.`);
  }
  return kind;
}

/** Runs one change between its audit intent and outcome entries. */
type Change = <T>(what: { readonly action: AuditAction; readonly user: User; readonly kind: PassKind | null }, run: () => Promise<ChangeReport<T>>) => Promise<ChangeReport<T>>;

async function assign(source: LicenseSource, key: UserKey, asked: PassKind | undefined, yes: boolean, ctx: CliContext, change: Change): Promise<number> {
  const call = { signal: ctx.signal };
  const kind = await offeredKind(source, asked, ctx);
  const { user, held } = await resolveUser(source, key, ctx);
  const same = held.find((a) => a.kind === kind);
  if (same && !same.quarantined) {
    ctx.out(`${who(user)} already holds ${PASS_KIND_WITH_ARTICLE[kind]}; nothing to do.\n`);
    return EXIT.ok;
  }
  if (same?.quarantined) {
    throw new UsageError(
      `${who(user)} has a quarantined ${PASS_KIND_LABELS[kind]} (until ${same.quarantineEnd ? formatDate(same.quarantineEnd) : 'its quarantine ends'}): reinstate it instead, which costs no new token.`,
    );
  }
  await confirm(`Assign ${PASS_KIND_WITH_ARTICLE[kind]} to ${who(user)}?`, yes, ctx.terminal, ctx.signal);
  const done = await change({ action: 'assign', user, kind }, async () => assignedReport(who(user), kind, await source.assign(user, kind, call)));
  ctx.out(`${done.message}\n`);
  return EXIT.ok;
}

async function revoke(source: LicenseSource, key: UserKey, asked: PassKind | undefined, yes: boolean, ctx: CliContext, change: Change): Promise<number> {
  const { user, held } = await resolveUser(source, key, ctx);
  const live = held.filter((a) => !a.quarantined && (asked === undefined || a.kind === asked));
  const target = primaryAllocation(live);
  if (!target) {
    throw new UsageError(`${who(user)} holds no ${asked ? PASS_KIND_LABELS[asked] : 'pass'} to revoke.`);
  }
  const preview = previewRevoke(target, ctx.now());
  await confirm(`Revoke the ${PASS_KIND_LABELS[target.kind]} of ${who(user)}? ${preview.text}`, yes, ctx.terminal, ctx.signal);
  const done = await change({ action: 'revoke', user, kind: target.kind }, async () =>
    revokedReport(who(user), target.kind, await source.revoke(target, { signal: ctx.signal })),
  );
  const hint = done.value.kind === 'quarantined' ? ' "license-steward reinstate" gives it back meanwhile.' : '';
  ctx.out(`${done.message}${hint}\n`);
  return EXIT.ok;
}

async function reinstate(source: LicenseSource, key: UserKey, asked: PassKind | undefined, yes: boolean, ctx: CliContext, change: Change): Promise<number> {
  const { user, held } = await resolveUser(source, key, ctx);
  const target = held.find((a) => a.quarantined && (asked === undefined || a.kind === asked));
  if (!target) {
    throw new UsageError(`${who(user)} has no quarantined ${asked ? PASS_KIND_LABELS[asked] : 'pass'} to reinstate.`);
  }
  const reinstateOne = source.reinstate?.bind(source);
  if (!reinstateOne) {
    throw new UsageError('This connection\'s system keeps no quarantined passes to give back; assign a new one instead.');
  }
  await confirm(`Reinstate the quarantined ${PASS_KIND_LABELS[target.kind]} of ${who(user)}?`, yes, ctx.terminal, ctx.signal);
  const done = await change({ action: 'reinstate', user, kind: target.kind }, async () => reinstatedReport(who(user), await reinstateOne(target, { signal: ctx.signal })));
  ctx.out(`${done.message}\n`);
  return EXIT.ok;
}

/**
 * Changes go through the audit log of the connection's history store (the one `sync` writes):
 * the intent first (no intent, no request), the outcome after. An outcome that cannot be
 * written is reported loudly, never as the change failing.
 */
function auditedVia(stores: HistoryStores, conn: ConnectionConfig, ctx: CliContext): Change {
  const sink = {
    append: async (entry: AuditEntry) => (await stores.get(cliHistoryKey(conn.name))).appendAudit(entry),
  };
  return (what, run) =>
    auditedChange(
      sink,
      { ...what, actor: describeActor(localUser(), 'CLI', conn), connection: conn.name, reason: 'manual' },
      {
        now: ctx.now,
        onOutcomeNotWritten: (e) => ctx.logger.error(`the outcome of this change could not be written to the audit log: ${(e as Error).message}`),
      },
      run,
    );
}

/**
 * Disables a user: on a Qlik Cloud capacity tenant, where every user who signs in counts as a
 * Full User, this is what frees one. Verified by reading the user back, audited like a revoke.
 */
async function disable(source: LicenseSource, key: UserKey, _asked: PassKind | undefined, yes: boolean, ctx: CliContext, change: Change): Promise<number> {
  const disableOne = source.disable?.bind(source);
  if (!disableOne) {
    throw new UsageError('Only Qlik Cloud connections can disable users; on Qlik Sense, revoke the pass instead.');
  }
  const user = await source.findUser(key.directory, key.userId, { signal: ctx.signal });
  if (!user) {
    throw new UsageError(`No user "${key.userId}" on this connection. Give the subject (as the tenant's Users page shows it) or the email.`);
  }
  const facts = (await source.userFacts([user], { signal: ctx.signal })).get(user.id);
  if (facts?.flags.includes('inactive')) {
    ctx.out(`${who(user)} is disabled already; nothing to do.\n`);
    return EXIT.ok;
  }
  await confirm(`Disable ${who(user)}? They can no longer sign in to the tenant until enabled again.`, yes, ctx.terminal, ctx.signal);
  const done = await change({ action: 'disable', user, kind: null }, async () => disabledReport(who(user), await disableOne(user, { signal: ctx.signal })));
  ctx.out(`${done.message}\n`);
  return EXIT.ok;
}

const actions = { assign, revoke, reinstate, disable } as const;
function passCommand(action: Action): CliCommand {
  const { summary, usage } = helpOf(action);
  return {
    name: action,
    summary,
    usage,
    async run(argv, ctx) {
      const v = parseCommandArgs(argv, options, usage);
      const user = required(v.user, '--user', usage);
      const kind = parseKind(v.kind);
      const stores = new HistoryStores(path.resolve(v['data-dir'] ?? defaultDataDir()), { logger: ctx.logger, now: ctx.now });
      try {
        return await withConnection(v, usage, ctx, (source, _rules, conn) => {
          // Checked before anything is sent, so a typo or a read-only system exits 1 even when the server is down.
          const key = userKeyFor(conn, user);
          refuseReadOnly(conn, action);
          return actions[action](source, key, kind, v.yes === true, ctx, auditedVia(stores, conn, ctx));
        });
      } finally {
        await stores.closeAll();
      }
    },
  };
}

/** `assign`, `revoke`, `reinstate` and `disable`: one user, one change, confirmed first. */
export const passCommands: readonly CliCommand[] = [passCommand('assign'), passCommand('revoke'), passCommand('reinstate'), passCommand('disable')];
