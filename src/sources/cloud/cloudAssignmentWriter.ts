/**
 * Assigning, removing and changing licenses on a user-based tenant through the batched
 * `assignments/actions/add|delete|update`, which answer 207 with a status per row. Each row is
 * judged on its own and, whenever its answer is not a clean success, by the tenant's state read
 * back (core/verifiedWrite), so a batch reports every row as applied, not applied or unknown.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { AssignmentsActionsAddRequest, AssignmentsActionsDeleteRequest, AssignmentsActionsUpdateRequest } from '@qlik/api/licenses';
import { OutcomeUnknownError } from '../../core/errors';
import type { CallOptions, RowChange, RowOutcome } from '../../core/licenseSource';
import { PASS_KIND_LABELS, userKey, type Allocation, type PassKind, type RevokeOutcome, type User } from '../../core/model';
import { READ_BACK, verifiedWrite, type AppliedWrite } from '../../core/verifiedWrite';
import type { CloudClient } from './cloudClient';
import { CloudProtocolError, CloudRowError, CloudStateError } from './cloudErrors';
import { assignmentId, passKindOf } from './cloudMapping';
import { asActionRows, type CloudActionRow, type CloudAssignment } from './cloudWire';

/** The three batched actions, as the API names them in its paths and bodies. */
type Action = 'add' | 'delete' | 'update';

type AddItem = AssignmentsActionsAddRequest['add'][number];
type DeleteItem = AssignmentsActionsDeleteRequest['delete'][number];
type UpdateItem = AssignmentsActionsUpdateRequest['update'][number];

/** What the writer needs from the source. */
export interface WriterDeps {
  readonly client: CloudClient;
  /** The current assignments of the subjects, by lower-case subject; reads with the caller's signal. */
  held(subjects: readonly string[], options?: CallOptions): Promise<ReadonlyMap<string, readonly CloudAssignment[]>>;
  /** One subject's assignments, read back after a write: never with the caller's signal. */
  heldNow(subject: string): Promise<readonly CloudAssignment[]>;
  now(): number;
}

/** Rows per request. The API publishes no maximum (reference A.6); 100 is each list's page size. */
export const ROWS_PER_REQUEST = 100;

const PATHS: Readonly<Record<Action, string>> = {
  add: '/api/v1/licenses/assignments/actions/add',
  delete: '/api/v1/licenses/assignments/actions/delete',
  update: '/api/v1/licenses/assignments/actions/update',
};

/** For "lacks rights to …". */
const DESCRIBE: Readonly<Record<Action, string>> = {
  add: 'assign licenses',
  delete: 'remove licenses',
  update: 'change license types',
};

/** Where an admin checks an assignment by hand. */
const CONSOLE = 'the Administration activity center (Users, or Licenses > Assigned)';

/** One row, ready to send: its request item, how to read its outcome, and its words. */
interface RowPlan<T> {
  readonly action: Action;
  readonly item: AddItem | DeleteItem | UpdateItem;
  readonly subject: string;
  /** The type the row is about, to tell rows of one subject apart in an answer. */
  readonly type: string;
  readonly what: string;
  readonly check: string;
  /** The result when the subject's assignments show the change, else undefined. */
  judge(held: readonly CloudAssignment[]): T | undefined;
  /** The result a clean row (200 or 201) proves. */
  applied(): T;
}

function holds(held: readonly CloudAssignment[], kind: PassKind): boolean {
  return held.some((a) => a.type === kind);
}

function heldKind(held: readonly CloudAssignment[]): PassKind | undefined {
  return held.map((a) => passKindOf(a.type)).find((k): k is PassKind => k !== undefined);
}

function label(kind: PassKind): string {
  return PASS_KIND_LABELS[kind];
}

/** Qlik Cloud assigns professional and analyzer licenses only. */
function cloudKind(kind: PassKind): 'professional' | 'analyzer' {
  if (kind === 'user') {
    throw new CloudStateError('CLOUD_NOTHING_TO_ASSIGN', 'Qlik Cloud has no user access passes (the token model is client-managed only): assign professional or analyzer access instead.');
  }
  return kind;
}

/** Sends batched assignment changes and establishes each row's outcome. */
export class CloudAssignmentWriter {
  constructor(private readonly deps: WriterDeps) {}

  /** Assigns one license; see `apply` for how its outcome is established. */
  async assign(user: User, kind: PassKind, options?: CallOptions): Promise<AppliedWrite<Allocation>> {
    const held = await this.deps.held([user.userId], options);
    const plan = this.planAssign(user, kind, held.get(user.userId.toLowerCase()) ?? []);
    return this.runOne(plan, options);
  }

  /** Removes one assignment. */
  async revoke(allocation: Allocation, options?: CallOptions): Promise<AppliedWrite<RevokeOutcome>> {
    const held = await this.deps.held([allocation.user.userId], options);
    return this.runOne(this.planRevoke(allocation, held.get(allocation.user.userId.toLowerCase()) ?? []), options);
  }

  /** Changes one assignment's type in place. */
  async changeKind(allocation: Allocation, kind: PassKind, options?: CallOptions): Promise<AppliedWrite<Allocation>> {
    const held = await this.deps.held([allocation.user.userId], options);
    return this.runOne(this.planChange(allocation, kind, held.get(allocation.user.userId.toLowerCase()) ?? []), options);
  }

  /**
   * Many changes in as few requests as the API takes: one per action and 100 rows, removals
   * first, then type changes, then assignments, so licenses a batch frees are there for the
   * assignments it makes. Changes whose premise does not hold (already held, nothing to remove)
   * are not sent. Never throws for a row: one outcome per change, in the order given.
   */
  async apply(changes: readonly RowChange[], options?: CallOptions): Promise<readonly RowOutcome[]> {
    let held: ReadonlyMap<string, readonly CloudAssignment[]>;
    try {
      held = await this.deps.held(
        changes.map((c) => (c.action === 'assign' ? c.user.userId : c.allocation.user.userId)),
        options,
      );
    } catch (error) {
      // Nothing was sent: every change stays undone, for the reason the read failed.
      return changes.map((change) => ({ change, status: 'notApplied', error }));
    }
    const heldBy = (user: User): readonly CloudAssignment[] => held.get(user.userId.toLowerCase()) ?? [];
    const rows = changes.map((change) => ({ change, plan: this.planOrRefusal(change, heldBy) }));
    const answers = this.sendBatches(
      rows.flatMap((r) => (r.plan instanceof Error ? [] : [r.plan])),
      options,
    );
    return Promise.all(
      rows.map(async ({ change, plan }): Promise<RowOutcome> => {
        if (plan instanceof Error) {
          return { change, status: 'notApplied', error: plan };
        }
        try {
          return { change, status: 'applied', write: await this.run(plan, answers.get(plan) ?? this.send(plan.action, [plan.item], options), options) };
        } catch (error) {
          return error instanceof OutcomeUnknownError ? { change, status: 'unknown', error } : { change, status: 'notApplied', error };
        }
      }),
    );
  }

  /** The change's row, or the refusal of a change whose premise does not hold. */
  private planOrRefusal(change: RowChange, heldBy: (user: User) => readonly CloudAssignment[]): RowPlan<Allocation | RevokeOutcome> | Error {
    try {
      switch (change.action) {
        case 'assign':
          return this.planAssign(change.user, change.kind, heldBy(change.user));
        case 'revoke':
          return this.planRevoke(change.allocation, heldBy(change.allocation.user));
        case 'changeKind':
          return this.planChange(change.allocation, change.kind, heldBy(change.allocation.user));
      }
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  private planAssign(user: User, kind: PassKind, held: readonly CloudAssignment[]): RowPlan<Allocation> {
    const type = cloudKind(kind);
    const who = userKey(user);
    const already = heldKind(held);
    if (already === kind) {
      throw new CloudStateError('CLOUD_ALREADY_HOLDS', `${who} already holds ${label(kind)}.`);
    }
    if (already) {
      throw new CloudStateError('CLOUD_ALREADY_HOLDS', `${who} holds ${label(already)}: change its type instead of assigning a second license.`);
    }
    const allocation = (allocatedAt: number | null, excess: boolean): Allocation => ({
      id: assignmentId(kind, user.userId),
      kind,
      user,
      lastUsed: null,
      lastUseUnrecorded: true,
      allocatedAt,
      quarantined: false,
      quarantineEnd: null,
      userDeleted: false,
      excess,
    });
    return {
      action: 'add',
      item: { subject: user.userId, type },
      subject: user.userId,
      type,
      what: `assign ${label(kind)} to ${who}`,
      check: `Check in ${CONSOLE} whether ${who} holds ${label(kind)}, or sync, before trying again.`,
      judge: (after) => {
        const found = after.find((a) => a.type === kind);
        const created = found?.created ? Date.parse(found.created) : Number.NaN;
        return found ? allocation(Number.isNaN(created) ? null : created, found.excess === true) : undefined;
      },
      applied: () => allocation(this.deps.now(), false),
    };
  }

  private planRevoke(allocation: Allocation, held: readonly CloudAssignment[]): RowPlan<RevokeOutcome> {
    const type = cloudKind(allocation.kind);
    const who = userKey(allocation.user);
    if (!holds(held, allocation.kind)) {
      throw new CloudStateError('CLOUD_NOT_HELD', `${who} no longer holds ${label(allocation.kind)}: there is nothing to remove. Sync to see the current assignments.`);
    }
    return {
      action: 'delete',
      item: { subject: allocation.user.userId, type },
      subject: allocation.user.userId,
      type,
      what: `remove the ${label(allocation.kind)} of ${who}`,
      check: `Check in ${CONSOLE} whether ${who} still holds ${label(allocation.kind)}, or sync, before trying again.`,
      // Cloud has no quarantine: a removed license is free at once.
      judge: (after) => (holds(after, allocation.kind) ? undefined : { kind: 'freed' }),
      applied: () => ({ kind: 'freed' }),
    };
  }

  private planChange(allocation: Allocation, kind: PassKind, held: readonly CloudAssignment[]): RowPlan<Allocation> {
    const sourceType = cloudKind(allocation.kind);
    const type = cloudKind(kind);
    const who = userKey(allocation.user);
    if (kind === allocation.kind) {
      throw new CloudStateError('CLOUD_ALREADY_HOLDS', `${who} already holds ${label(kind)}.`);
    }
    if (!holds(held, allocation.kind)) {
      throw new CloudStateError('CLOUD_NOT_HELD', `${who} no longer holds ${label(allocation.kind)}: there is nothing to change. Sync to see the current assignments.`);
    }
    const changed: Allocation = { ...allocation, id: assignmentId(kind, allocation.user.userId), kind };
    return {
      action: 'update',
      item: { subject: allocation.user.userId, sourceType, type },
      subject: allocation.user.userId,
      type,
      what: `change the ${label(allocation.kind)} of ${who} to ${label(kind)}`,
      check: `Check in ${CONSOLE} which license ${who} holds, or sync, before trying again.`,
      judge: (after) => (holds(after, kind) && !holds(after, allocation.kind) ? changed : undefined),
      applied: () => changed,
    };
  }

  private async runOne<T>(plan: RowPlan<T>, options?: CallOptions): Promise<AppliedWrite<T>> {
    return this.run(plan, this.send(plan.action, [plan.item], options), options);
  }

  /**
   * One row through verifiedWrite. The first send is the shared batch's answer; a repeat (after
   * a "not processed, retry after" answer that the state confirmed) goes alone.
   */
  private async run<T>(plan: RowPlan<T>, batch: Promise<readonly CloudActionRow[]>, options?: CallOptions): Promise<AppliedWrite<T>> {
    let sent = 0;
    const signal = options?.signal;
    return verifiedWrite<T>({
      what: plan.what,
      check: plan.check,
      now: Date.now,
      sleep: (ms) => delay(ms, undefined, signal ? { signal } : {}),
      send: async () => this.rowResult(plan, await (sent++ === 0 ? batch : this.send(plan.action, [plan.item], options))),
      readBack: async () => plan.judge(await this.deps.heldNow(plan.subject)),
      notBorneOut: () =>
        new CloudStateError('CLOUD_UNEXPECTED_STATE', `Qlik Cloud answered the request to ${plan.what} without an error, but the assignments do not show it. Sync and check ${CONSOLE}.`),
    });
  }

  /** What this plan's row of a 207 answer says: applied, refused, or unclear (read back). */
  private rowResult<T>(plan: RowPlan<T>, rows: readonly CloudActionRow[]): T | typeof READ_BACK {
    const subject = plan.subject.toLowerCase();
    const mine = rows.filter((r) => r.subject?.toLowerCase() === subject);
    const row = mine.length > 1 ? mine.find((r) => r.type === undefined || r.type === plan.type) : mine[0];
    if (!row) {
      throw new CloudProtocolError(`POST ${PATHS[plan.action]}`, `a status for ${plan.subject}`, 'the 207 answer has no row for it');
    }
    if (row.status === 200 || row.status === 201) {
      return plan.applied();
    }
    if (row.status >= 200 && row.status < 300) {
      return READ_BACK;
    }
    throw new CloudRowError(row.status, row.code ?? undefined, row.title ? this.deps.client.redact(row.title) : undefined);
  }

  /**
   * Sends the plans grouped by action, 100 rows a request, one request after another (each
   * waits for the one before, whatever it got); each plan's answer by plan.
   */
  private sendBatches<T>(plans: readonly RowPlan<T>[], options?: CallOptions): Map<RowPlan<T>, Promise<readonly CloudActionRow[]>> {
    const answers = new Map<RowPlan<T>, Promise<readonly CloudActionRow[]>>();
    let previous: Promise<unknown> = Promise.resolve();
    for (const action of ['delete', 'update', 'add'] as const) {
      const mine = plans.filter((p) => p.action === action);
      for (let i = 0; i < mine.length; i += ROWS_PER_REQUEST) {
        const chunk = mine.slice(i, i + ROWS_PER_REQUEST);
        const answer = previous.then(() =>
          this.send(
            action,
            chunk.map((p) => p.item),
            options,
          ),
        );
        // Rows await it inside verifiedWrite; a failure must not go unhandled meanwhile, nor stop the next request.
        previous = answer.catch(() => undefined);
        for (const plan of chunk) {
          answers.set(plan, answer);
        }
      }
    }
    return answers;
  }

  /** One batched request, sent once; its rows. */
  private async send(action: Action, items: readonly (AddItem | DeleteItem | UpdateItem)[], options?: CallOptions): Promise<readonly CloudActionRow[]> {
    const body = { [action]: items };
    const response = await this.deps.client.post(PATHS[action], body, { ...(options?.signal ? { signal: options.signal } : {}), describe: DESCRIBE[action], expect: [207] });
    return asActionRows(response.body, `POST ${PATHS[action]}`);
  }
}
