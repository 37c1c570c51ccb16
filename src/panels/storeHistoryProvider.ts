import { isAppliedChange, type AuditEntry } from '../core/historyAudit';
import type { AllocationEvent } from '../core/historyEvents';
import { DAY_MS, userKey, type LicenseOverview, type UsageWindow } from '../core/model';
import type { ChartEvent, DailyValues, HistoryRange, SiteHistory, UserHistory } from '../protocol/historyMessages';
import type { HistoryStore } from '../store/historyStore';
import type { HistoryDataProvider } from './historyDataProvider';

/** What the provider needs to know about connections, without depending on the VS Code layer. */
export interface HistoryConnections {
  /** The connection's display name, or undefined once removed. */
  name(connectionId: string): string | undefined;
  /** Its history store. */
  store(connectionId: string): Promise<HistoryStore>;
  /** Its last synced overview (token costs), if any. */
  overview(connectionId: string): LicenseOverview | undefined;
  /** A user's display name as the last sync saw it. */
  userName(connectionId: string, userKey: string): string | undefined;
}

const RANGE_DAYS: Readonly<Record<Exclude<HistoryRange, 'all'>, number>> = { '28d': 28, '90d': 90, '1y': 365 };

const LEAD_IN_DAYS = 27;

/** How many users the site chart stacks. */
export const SITE_TOP_USERS = 10;

/** The usage-history panel's data, read from the local history store. */
export class StoreHistoryProvider implements HistoryDataProvider {
  constructor(
    private readonly connections: HistoryConnections,
    private readonly now: () => number = Date.now,
  ) {}

  connectionName(connectionId: string): string | undefined {
    return this.connections.name(connectionId);
  }

  async userHistory(connectionId: string, key: string, range: HistoryRange, knownName?: string): Promise<UserHistory> {
    const { name, store, window } = await this.open(connectionId, range);
    // 27 days before the range complete the rolling 28-day total on its first days.
    const series = await store.userSeries(key, { from: window.from - LEAD_IN_DAYS * DAY_MS, to: window.to });
    const leadIn = series.filter((p) => p.day < window.from);
    const shown = series.filter((p) => p.day >= window.from);
    const [events, audit] = await Promise.all([store.events(window, key), store.audit(window)]);
    const mine = audit.filter((a) => userKey(a.user).toLowerCase() === key.toLowerCase());
    return {
      target: 'user',
      connection: name,
      user: { key, name: this.connections.userName(connectionId, key) ?? knownName ?? key },
      range,
      days: shown.map(values),
      leadIn: leadIn.map(values),
      measure: measureOf(shown),
      breakEvenPasses: this.breakEven(connectionId),
      events: chartEvents(events, mine),
    };
  }

  async siteHistory(connectionId: string, range: HistoryRange): Promise<SiteHistory> {
    const { name, store, window } = await this.open(connectionId, range);
    const [site, top, events, audit] = await Promise.all([store.siteSeries(window), store.topUsers(window, SITE_TOP_USERS), store.events(window), store.audit(window)]);
    const measure = measureOf(site);
    return {
      target: 'site',
      connection: name,
      range,
      measure,
      totals: site.map(values),
      top: top.map((u) => ({
        key: userKey(u.user),
        name: u.user.name,
        values: u.series.map((p) => (measure === 'capacity' ? p.capacityMinutes : p.tokens)),
      })),
      topDays: top[0]?.series.map((p) => p.day) ?? site.map((p) => p.day),
      pool: site.flatMap((p) => (p.pool ? [{ day: p.day, used: p.pool.usedTokens, available: p.pool.availableTokens }] : [])),
      events: chartEvents(events, audit),
    };
  }

  private async open(connectionId: string, range: HistoryRange): Promise<{ name: string; store: HistoryStore; window: UsageWindow }> {
    const name = this.connections.name(connectionId);
    if (name === undefined) {
      throw new Error('This connection was removed.');
    }
    const store = await this.connections.store(connectionId);
    // Whole UTC days, today included: the store counts by UTC day.
    const today = Math.floor(this.now() / DAY_MS) * DAY_MS;
    const end = today + DAY_MS;
    if (range !== 'all') {
      return { name, store, window: { from: today - (RANGE_DAYS[range] - 1) * DAY_MS, to: end } };
    }
    const extent = await store.extent();
    if (!extent) {
      throw new Error(`No usage history is recorded for "${name}" yet: sync it first.`);
    }
    return { name, store, window: { from: extent.from, to: Math.max(extent.to, end) } };
  }

  private breakEven(connectionId: string): number {
    const t = this.connections.overview(connectionId)?.tokens;
    // 1 token buys 10 login passes on every known site; the server's own costs win when known.
    return t && t.loginPassCost > 0 ? Math.round((t.userPassCost / t.loginPassCost) * 100) / 100 : 10;
  }
}

function values(p: { day: number; loginPasses: number; tokens: number; capacityMinutes: number }): DailyValues {
  return { day: p.day, loginPasses: p.loginPasses, tokens: p.tokens, capacityMinutes: p.capacityMinutes };
}

/** Capacity sites have minutes and no login passes; everything else is measured in tokens. */
function measureOf(points: readonly { tokens: number; capacityMinutes: number }[]): 'tokens' | 'capacity' {
  let tokens = 0;
  let minutes = 0;
  for (const p of points) {
    tokens += p.tokens;
    minutes += p.capacityMinutes;
  }
  return minutes > 0 && tokens === 0 ? 'capacity' : 'tokens';
}

const AUDIT_CHANGE: Readonly<Record<AuditEntry['action'], ChartEvent['kind']>> = { assign: 'assigned', revoke: 'revoked', reinstate: 'reinstated' };

/**
 * Markers from both sources: what License Steward changed (the audit log says why) and what syncs
 * saw change on the server (made in the QMC, by rules, or by quarantines ending). Of the audit
 * log only applied changes count: an intent, a refused write or one of unknown outcome did not
 * change any allocation, and a marker for it would tell the admin otherwise.
 */
function chartEvents(seen: readonly AllocationEvent[], audit: readonly AuditEntry[]): ChartEvent[] {
  const out: ChartEvent[] = audit.filter(isAppliedChange).map((a) => ({
    day: Math.floor(a.at / DAY_MS) * DAY_MS,
    kind: a.action === 'revoke' && /quarantined/.test(a.outcome) ? 'quarantined' : AUDIT_CHANGE[a.action],
    user: userKey(a.user),
    source: a.reason === 'manual' ? 'manual' : `rule: ${a.reason.rule}`,
  }));
  for (const e of seen) {
    out.push({ day: e.day, kind: e.change === 'userDeleted' ? 'deleted' : e.change, user: userKey(e.user), source: 'seen by sync' });
  }
  return out.sort((a, b) => a.day - b.day);
}
