/**
 * The app events of a simulated user-based tenant's audit log: some professionals author (create
 * apps, reload them with new data, publish them), the others only open what colleagues built.
 * Swap rules tell the two apart by exactly these events.
 */
import { DAY_MS } from '../../core/model';
import type { Prng } from '../prng';
import { cloudObjectId } from './cloudIds';
import type { AppEventNames, CloudAppEvent, CloudUser } from './cloudSimData';

/** The app event types a tenant records, by the names it uses (qlik.dev "Apps" events, changelog 210). */
export const APP_EVENT_TYPES: Readonly<Record<AppEventNames, readonly string[]>> = {
  current: [
    'com.qlik.app.created',
    'com.qlik.app.data.updated',
    'com.qlik.app.published',
    'com.qlik.app.deleted',
    'com.qlik.app.exported',
    // These two kept their v1 names in the rename.
    'com.qlik.v1.app.opened',
    'com.qlik.v1.app.reload.finished',
  ],
  v1: [
    'com.qlik.v1.app.created',
    'com.qlik.v1.app.data.updated',
    'com.qlik.v1.app.published',
    'com.qlik.v1.app.deleted',
    'com.qlik.v1.app.exported',
    'com.qlik.v1.app.opened',
    'com.qlik.v1.app.reload.finished',
  ],
  none: [],
};

/** Share of professionals without a creator or admin role who author all the same. */
const AUTHOR_SHARE = 0.45;

/** One professional holder and whether a role makes them an author for sure. */
export interface Professional {
  readonly user: CloudUser;
  readonly creatorRole: boolean;
}

/**
 * Authors get one to six authoring events in the last 80 days; consumers only open apps, and
 * some authored once, long enough ago that the 90-day log has archived it. Everyone opens apps.
 * @param when a working-hours instant in [lo, hi)
 */
export function makeAppEvents(
  prng: Prng,
  professionals: readonly Professional[],
  options: { readonly now: number; readonly appIds: readonly string[]; readonly names: AppEventNames; readonly when: (lo: number, hi: number) => number },
): CloudAppEvent[] {
  const types = APP_EVENT_TYPES[options.names];
  if (types.length === 0) {
    return [];
  }
  const [created, dataUpdated, published, , , opened] = types as [string, string, string, string, string, string];
  const { now } = options;
  const events: CloudAppEvent[] = [];
  const add = (user: CloudUser, eventType: string, lo: number, hi: number): void => {
    const eventTime = options.when(lo, hi);
    events.push({ id: cloudObjectId(prng, eventTime), eventId: prng.uuid(), eventType, eventTime, userId: user.id, appId: prng.pick(options.appIds) });
  };
  for (const { user, creatorRole } of professionals) {
    if (creatorRole || prng.next() < AUTHOR_SHARE) {
      for (let i = 1 + prng.int(6); i > 0; i--) {
        add(user, prng.pick([created, dataUpdated, dataUpdated, published]), now - 80 * DAY_MS, now - DAY_MS);
      }
    } else if (prng.next() < 0.3) {
      add(user, created, now - 120 * DAY_MS, now - 95 * DAY_MS);
    }
    for (let i = 1 + prng.int(4); i > 0; i--) {
      add(user, opened, now - 60 * DAY_MS, now - DAY_MS);
    }
  }
  return events.sort((a, b) => a.eventTime - b.eventTime || a.id.localeCompare(b.id));
}
