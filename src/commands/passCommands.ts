import * as vscode from 'vscode';
import { describeActor } from '../core/actor';
import { auditedChange } from '../core/auditedChange';
import { assignedReport, changedKindReport, disabledReport, reinstatedReport, revokedReport, type ChangeReport } from '../core/changeReports';
import { NotAppliedError, OutcomeUnknownError } from '../core/errors';
import type { AuditAction, AuditEntry } from '../core/historyAudit';
import type { LicenseSource } from '../core/licenseSource';
import { formatDate, formatTokens } from '../core/format';
import { PASS_KIND_LABELS, PASS_KIND_WITH_ARTICLE, userKey, type PassKind } from '../core/model';
import { previewRevoke } from '../core/quarantine';
import type { RankedUser } from '../core/ranking';
import { primaryAllocation } from '../core/verdict';
import { COMMAND } from '../contributionIds';
import { localUser } from '../store/localUser';
import type { UserElement } from '../views/treeElements';
import type { Command, CommandServices } from './command';
import { fullUserTenants, offering, requireWritable, userFrom, writable } from './pickers';

/** Licence changes are admin writes: refuse them where the workspace is not trusted. */
export function requireTrust(): void {
  if (!vscode.workspace.isTrusted) {
    throw new Error('License Steward does not change licenses in an untrusted workspace. Trust this workspace (Manage Workspace Trust) to assign, revoke or reinstate passes.');
  }
}

function who(r: RankedUser): string {
  return `${r.user.name} (${userKey(r.user)})`;
}


/**
 * Runs a change with a progress notification between its audit intent and outcome (core/
 * auditedChange), then re-syncs that connection. A change the server's state does not show
 * is an error the command wrapper reports; the tree is re-synced either way, because an
 * unclear answer may still have changed something.
 */
async function change<T>(
  s: CommandServices,
  node: UserElement,
  what: { title: string; action: AuditAction; kind: PassKind | null },
  act: (source: LicenseSource) => Promise<ChangeReport<T>>,
): Promise<void> {
  const entry = s.registry.get(node.connectionId);
  if (!entry) {
    throw new Error('That connection was removed meanwhile.');
  }
  requireWritable(entry);
  const name = entry.config.name;
  const sink = { append: async (e: AuditEntry) => (await s.stores.store(entry)).appendAudit(e) };
  const intent = { actor: describeActor(localUser(), 'VS Code', entry.config), connection: entry.id, action: what.action, user: node.ranked.user, kind: what.kind, reason: 'manual' as const };
  let done: ChangeReport<T>;
  try {
    done = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: what.title }, () =>
      auditedChange(
        sink,
        intent,
        {
          now: Date.now,
          onOutcomeNotWritten: (e) => {
            // The change is as reported; only its audit line is missing: loud, but not a failure.
            s.logger.error(`[audit] ${name}: the outcome of a change could not be written to the audit log: ${(e as Error).message}`);
            void vscode.window.showWarningMessage(`The outcome of the change on ${name} could not be written to the audit log; see the log.`);
          },
        },
        async () => {
          const source = await s.registry.open(entry);
          try {
            return await act(source);
          } finally {
            await source.close();
          }
        },
      ),
    );
  } catch (e) {
    s.logger.error(`[change] ${name}: ${(e as Error).message}`);
    if (e instanceof OutcomeUnknownError || e instanceof NotAppliedError) {
      await s.model.sync([node.connectionId]);
    }
    throw e;
  }
  // The log keeps the CLI's sentence with the allocation id; the notification leaves the GUID out.
  s.logger.info(`[change] ${name}: ${done.message}`);
  await s.model.sync([node.connectionId]);
  void vscode.window.showInformationMessage(done.shortMessage);
}

const ASSIGN_IDS: Readonly<Record<PassKind, string>> = {
  user: COMMAND.assignUserPass,
  professional: COMMAND.assignProfessional,
  analyzer: COMMAND.assignAnalyzer,
};

/** Assign a pass of one kind: from a user node, or from the palette with a picker. */
export class AssignCommand implements Command {
  readonly id: string;
  constructor(
    private readonly s: CommandServices,
    private readonly kind: PassKind,
  ) {
    this.id = ASSIGN_IDS[kind];
  }

  async execute(arg?: unknown): Promise<void> {
    requireTrust();
    const label = PASS_KIND_LABELS[this.kind];
    const node = await userFrom(arg, this.s, `Assign ${label}`, (r) => !r.allocation || r.allocation.userDeleted, offering(this.kind));
    const r = node.ranked;
    const offered = this.s.model.state(node.connectionId)?.result?.overview.offeredKinds ?? [];
    if (!offered.includes(this.kind)) {
      throw new Error(`This site does not offer ${label}.`);
    }
    const held = r.allocations.find((a) => a.kind === this.kind && !a.userDeleted);
    if (held?.quarantined) {
      throw new Error(`${who(r)} has a quarantined ${label}: reinstate it instead, which costs no new token.`);
    }
    if (held) {
      void vscode.window.showInformationMessage(`${who(r)} already holds ${PASS_KIND_WITH_ARTICLE[this.kind]}.`);
      return;
    }
    const cost = this.kind === 'user' ? ` It costs ${formatTokens(this.s.model.state(node.connectionId)?.result?.overview.tokens?.userPassCost ?? 1)}.` : '';
    // "an analyzer access": the article follows the kind.
    const ok = await this.s.prompter.confirm(`Assign ${PASS_KIND_WITH_ARTICLE[this.kind]} to ${who(r)}?`, `${r.verdict.text}.${cost}`, 'Assign');
    if (!ok) {
      return;
    }
    await change(this.s, node, { title: `Assigning ${PASS_KIND_WITH_ARTICLE[this.kind]} to ${r.user.name}`, action: 'assign', kind: this.kind }, async (source) =>
      assignedReport(who(r), this.kind, await source.assign(r.user, this.kind)),
    );
  }
}

/** Revoke a user's pass, saying first whether it will be quarantined and until when. */
export class RevokeCommand implements Command {
  readonly id = COMMAND.revokePass;
  constructor(private readonly s: CommandServices) {}

  async execute(arg?: unknown): Promise<void> {
    requireTrust();
    const node = await userFrom(arg, this.s, 'Revoke pass', (r) => r.allocations.some((a) => !a.quarantined && !a.userDeleted), writable());
    const r = node.ranked;
    const target = primaryAllocation(r.allocations.filter((a) => !a.quarantined && !a.userDeleted));
    if (!target) {
      throw new Error(`${who(r)} holds no pass to revoke.`);
    }
    const label = PASS_KIND_LABELS[target.kind];
    const preview = previewRevoke(target, Date.now());
    const ok = await this.s.prompter.confirm(`Revoke the ${label} of ${who(r)}?`, preview.text, 'Revoke');
    if (!ok) {
      return;
    }
    await change(this.s, node, { title: `Revoking the ${label} of ${r.user.name}`, action: 'revoke', kind: target.kind }, async (source) =>
      revokedReport(who(r), target.kind, await source.revoke(target)),
    );
  }
}

/** Give a quarantined pass back to the same user. */
export class ReinstateCommand implements Command {
  readonly id = COMMAND.reinstatePass;
  constructor(private readonly s: CommandServices) {}

  async execute(arg?: unknown): Promise<void> {
    requireTrust();
    const node = await userFrom(arg, this.s, 'Reinstate pass', (r) => r.allocations.some((a) => a.quarantined && !a.userDeleted), writable());
    const r = node.ranked;
    const target = r.allocations.find((a) => a.quarantined && !a.userDeleted);
    if (!target) {
      throw new Error(`${who(r)} has no quarantined pass to reinstate.`);
    }
    const label = PASS_KIND_LABELS[target.kind];
    const until = target.quarantineEnd === null ? '' : ` It is quarantined until ${formatDate(target.quarantineEnd)}.`;
    const ok = await this.s.prompter.confirm(`Reinstate the ${label} of ${who(r)}?`, `The pass goes back to the same user at no extra cost.${until}`, 'Reinstate');
    if (!ok) {
      return;
    }
    await change(this.s, node, { title: `Reinstating the ${label} of ${r.user.name}`, action: 'reinstate', kind: target.kind }, async (source) =>
      {
        if (!source.reinstate) {
          throw new Error(`The pass of ${who(r)} cannot be reinstated: only Qlik Sense client-managed keeps revoked passes in quarantine.`);
        }
        return reinstatedReport(who(r), await source.reinstate(target));
      },
    );
  }
}

/** Change a pass's kind in place (Qlik Cloud: professional ↔ analyzer), so the user is never without a license. */
export class ChangePassKindCommand implements Command {
  readonly id = COMMAND.changePassKind;
  constructor(private readonly s: CommandServices) {}

  async execute(arg?: unknown): Promise<void> {
    requireTrust();
    const node = await userFrom(arg, this.s, 'Change license type', (r) => r.allocations.some((a) => !a.quarantined && !a.userDeleted && !a.orphaned), writable());
    const r = node.ranked;
    const target = primaryAllocation(r.allocations.filter((a) => !a.quarantined && !a.userDeleted && !a.orphaned));
    if (!target) {
      throw new Error(`${who(r)} holds no license to change.`);
    }
    const offered = this.s.model.state(node.connectionId)?.result?.overview.offeredKinds ?? [];
    const others = offered.filter((k) => k !== target.kind);
    if (others.length === 0) {
      throw new Error(`${who(r)} holds ${PASS_KIND_WITH_ARTICLE[target.kind]} and this connection offers no other kind to change it to.`);
    }
    const kind =
      others.length === 1 && others[0]
        ? others[0]
        : await this.s.prompter.pick(others.map((k) => ({ label: PASS_KIND_LABELS[k], value: k })), { title: `Change the ${PASS_KIND_LABELS[target.kind]} of ${r.user.name}`, placeHolder: 'To which kind?' });
    const ok = await this.s.prompter.confirm(
      `Change the ${PASS_KIND_LABELS[target.kind]} of ${who(r)} to ${PASS_KIND_WITH_ARTICLE[kind]}?`,
      `${r.verdict.text}. The license changes in place: the user keeps access throughout.`,
      'Change',
    );
    if (!ok) {
      return;
    }
    await change(this.s, node, { title: `Changing the license of ${r.user.name} to ${PASS_KIND_LABELS[kind]}`, action: 'changeKind', kind }, async (source) => {
      if (!source.changeKind) {
        throw new Error(`This connection cannot change a pass's kind in place: revoke it and assign ${PASS_KIND_WITH_ARTICLE[kind]} instead.`);
      }
      return changedKindReport(who(r), target.kind, await source.changeKind(target, kind));
    });
  }
}

/** Disable a user of a capacity tenant: the release action where every signed-in user counts as a Full User. */
export class DisableUserCommand implements Command {
  readonly id = COMMAND.disableUser;
  constructor(private readonly s: CommandServices) {}

  async execute(arg?: unknown): Promise<void> {
    requireTrust();
    const node = await userFrom(arg, this.s, 'Disable user', (r) => r.verdict.fullUser === true, fullUserTenants());
    const r = node.ranked;
    const ok = await this.s.prompter.confirm(
      `Disable ${who(r)}?`,
      `${r.verdict.text}. A disabled user cannot sign in and no longer counts as a Full User; enabling them again on the tenant's Users page gives their access back.`,
      'Disable',
    );
    if (!ok) {
      return;
    }
    await change(this.s, node, { title: `Disabling ${r.user.name}`, action: 'disable', kind: null }, async (source) => {
      if (!source.disable) {
        throw new Error('Only Qlik Cloud tenants can disable users from License Steward.');
      }
      return disabledReport(who(r), await source.disable(r.user));
    });
  }
}

/** Release an orphaned assignment (its subject is no user of the tenant): revoke it, so the seat is free. */
export class ReleaseAssignmentCommand implements Command {
  readonly id = COMMAND.releaseAssignment;
  constructor(private readonly s: CommandServices) {}

  async execute(arg?: unknown): Promise<void> {
    requireTrust();
    const node = await userFrom(arg, this.s, 'Release orphaned assignment', (r) => r.allocations.some((a) => a.orphaned), writable());
    const r = node.ranked;
    const target = r.allocations.find((a) => a.orphaned);
    if (!target) {
      throw new Error(`${who(r)} holds no orphaned assignment.`);
    }
    const label = PASS_KIND_LABELS[target.kind];
    const ok = await this.s.prompter.confirm(
      `Release the ${label} assigned to ${userKey(r.user)}?`,
      `No user of the tenant has this subject (the user was removed, or the assignment spans tenants). Releasing it frees the license at once.`,
      'Release',
    );
    if (!ok) {
      return;
    }
    await change(this.s, node, { title: `Releasing the ${label} of ${userKey(r.user)}`, action: 'revoke', kind: target.kind }, async (source) =>
      revokedReport(userKey(r.user), target.kind, await source.revoke(target)),
    );
  }
}
