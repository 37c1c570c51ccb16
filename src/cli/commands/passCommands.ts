import * as path from 'node:path';
import type { ConnectionConfig } from '../../core/connectionConfig';
import { describeActor } from '../../core/actor';
import { formatDate } from '../../core/format';
import type { AuditAction } from '../../core/historyAudit';
import { PASS_KIND_LABELS, userKey, type Allocation, type PassKind, type User } from '../../core/model';
import { previewRevoke } from '../../core/quarantine';
import { primaryAllocation } from '../../core/verdict';
import type { QrsSource } from '../../sources/qrs/qrsSource';
import { cliHistoryKey, HistoryStores } from '../../store/historyStores';
import { localUser } from '../../store/localUser';
import { defaultDataDir } from '../../store/storeDirs';
import type { CliCommand, CliContext } from '../cliContext';
import { UsageError } from '../../core/errors';
import { EXIT } from '../cliErrors';
import { parseCommandArgs, parseKind, parseUserKey, required } from '../cliArgs';
import { confirm } from '../confirm';
import { withConnection } from './withConnection';

const options = {
  config: { type: 'string' },
  connection: { type: 'string' },
  user: { type: 'string' },
  kind: { type: 'string' },
  yes: { type: 'boolean', default: false },
  'data-dir': { type: 'string' },
  verbose: { type: 'boolean' },
} as const;

/** Writes the audit entry of a change the server has made. */
type Audit = (action: AuditAction, user: User, kind: PassKind, outcome: string) => Promise<void>;

type Action = 'assign' | 'revoke' | 'reinstate';

function usageOf(action: Action): string {
  return `license-steward ${action} --config FILE --connection NAME --user 'DIR\\ID' [--kind user|professional|analyzer] [--yes] [--data-dir DIR]`;
}

type UserKey = { readonly directory: string; readonly userId: string };

async function resolveUser(source: QrsSource, { directory, userId }: UserKey): Promise<{ user: User; held: Allocation[] }> {
  const user = await source.findUser(directory, userId);
  if (!user) {
    throw new UsageError(`No user ${directory}\\${userId} on this site. Check the spelling; QRS matches directory and id case-insensitively.`);
  }
  const held = (await source.allocations()).filter((a) => !a.userDeleted && a.user.id === user.id);
  return { user, held };
}

function who(user: User): string {
  return user.name && user.name !== user.userId ? `${user.name} (${userKey(user)})` : userKey(user);
}

async function offeredKind(source: QrsSource, asked: PassKind | undefined): Promise<PassKind> {
  const { offeredKinds } = await source.overview();
  const kind = asked ?? offeredKinds[0];
  if (!kind) {
    throw new UsageError('This site offers no pass an admin can allocate (no token or user-based licence is enabled).');
  }
  if (!offeredKinds.includes(kind)) {
    throw new UsageError(`This site does not offer ${PASS_KIND_LABELS[kind]}; it offers: ${offeredKinds.map((k) => k).join(', ') || 'none'}.`);
  }
  return kind;
}

async function assign(source: QrsSource, key: UserKey, asked: PassKind | undefined, yes: boolean, ctx: CliContext, audit: Audit): Promise<number> {
  const kind = await offeredKind(source, asked);
  const { user, held } = await resolveUser(source, key);
  const same = held.find((a) => a.kind === kind);
  if (same && !same.quarantined) {
    ctx.out(`${who(user)} already holds a ${PASS_KIND_LABELS[kind]}; nothing to do.\n`);
    return EXIT.ok;
  }
  if (same?.quarantined) {
    throw new UsageError(
      `${who(user)} has a quarantined ${PASS_KIND_LABELS[kind]} (until ${same.quarantineEnd ? formatDate(same.quarantineEnd) : 'its quarantine ends'}): reinstate it instead, which costs no new token.`,
    );
  }
  await confirm(`Assign a ${PASS_KIND_LABELS[kind]} to ${who(user)}?`, yes, ctx.terminal);
  const a = await source.assign(user, kind);
  await audit('assign', user, kind, `assigned (allocation ${a.id})`);
  ctx.out(`Assigned a ${PASS_KIND_LABELS[kind]} to ${who(user)} (allocation ${a.id}).\n`);
  return EXIT.ok;
}

async function revoke(source: QrsSource, key: UserKey, asked: PassKind | undefined, yes: boolean, ctx: CliContext, audit: Audit): Promise<number> {
  const { user, held } = await resolveUser(source, key);
  const live = held.filter((a) => !a.quarantined && (asked === undefined || a.kind === asked));
  const target = primaryAllocation(live);
  if (!target) {
    throw new UsageError(`${who(user)} holds no ${asked ? PASS_KIND_LABELS[asked] : 'pass'} to revoke.`);
  }
  const preview = previewRevoke(target, ctx.now());
  await confirm(`Revoke the ${PASS_KIND_LABELS[target.kind]} of ${who(user)}? ${preview.text}`, yes, ctx.terminal);
  const outcome = await source.revoke(target);
  if (outcome.kind === 'freed') {
    await audit('revoke', user, target.kind, 'revoked; freed');
    ctx.out(`Revoked the ${PASS_KIND_LABELS[target.kind]} of ${who(user)}; the token is freed.\n`);
  } else {
    const until = outcome.until === null ? 'the server frees it' : formatDate(outcome.until);
    await audit('revoke', user, target.kind, `revoked; quarantined until ${until}`);
    ctx.out(
      `Revoked the ${PASS_KIND_LABELS[target.kind]} of ${who(user)}; it is quarantined until ${until} and the token is not freed before then. "license-steward reinstate" gives it back meanwhile.\n`,
    );
  }
  return EXIT.ok;
}

async function reinstate(source: QrsSource, key: UserKey, asked: PassKind | undefined, yes: boolean, ctx: CliContext, audit: Audit): Promise<number> {
  const { user, held } = await resolveUser(source, key);
  const target = held.find((a) => a.quarantined && (asked === undefined || a.kind === asked));
  if (!target) {
    throw new UsageError(`${who(user)} has no quarantined ${asked ? PASS_KIND_LABELS[asked] : 'pass'} to reinstate.`);
  }
  await confirm(`Reinstate the quarantined ${PASS_KIND_LABELS[target.kind]} of ${who(user)}?`, yes, ctx.terminal);
  const a = await source.reinstate(target);
  await audit('reinstate', user, a.kind, `reinstated (allocation ${a.id})`);
  ctx.out(`Reinstated the ${PASS_KIND_LABELS[a.kind]} of ${who(user)} (allocation ${a.id}).\n`);
  return EXIT.ok;
}

/**
 * The audit log of the connection's history store (the one `sync` writes). A change the server
 * made is reported even if its audit entry cannot be written, loudly, never as a failure.
 */
function auditTo(stores: HistoryStores, conn: ConnectionConfig, ctx: CliContext): Audit {
  return async (action, user, kind, outcome) => {
    try {
      const store = await stores.get(cliHistoryKey(conn.name));
      await store.appendAudit({ at: ctx.now(), actor: describeActor(localUser(), 'CLI', conn), connection: conn.name, action, user, kind, reason: 'manual', outcome });
    } catch (e) {
      ctx.logger.error(`the change was made, but its audit entry could not be written: ${(e as Error).message}`);
    }
  };
}


const actions = { assign, revoke, reinstate } as const;
const summaries: Record<Action, string> = {
  assign: 'allocate a pass to a user',
  revoke: 'remove a pass (says whether it is freed or quarantined)',
  reinstate: 'give a quarantined pass back to its user',
};

function passCommand(action: Action): CliCommand {
  const usage = usageOf(action);
  return {
    name: action,
    summary: summaries[action],
    usage,
    async run(argv, ctx) {
      const v = parseCommandArgs(argv, options, usage);
      // Checked before connecting, so a typo exits 1 even when the server is down.
      const key = parseUserKey(required(v.user, '--user', usage));
      const kind = parseKind(v.kind);
      const stores = new HistoryStores(path.resolve(v['data-dir'] ?? defaultDataDir()), { logger: ctx.logger, now: ctx.now });
      try {
        return await withConnection(v, usage, ctx, (source, _rules, conn) => actions[action](source, key, kind, v.yes === true, ctx, auditTo(stores, conn, ctx)));
      } finally {
        await stores.closeAll();
      }
    },
  };
}

/** `assign`, `revoke` and `reinstate`: one user, one pass, confirmed first. */
export const passCommands: readonly CliCommand[] = [passCommand('assign'), passCommand('revoke'), passCommand('reinstate')];
