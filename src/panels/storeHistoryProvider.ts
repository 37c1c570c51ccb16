import type { ConnectionConfig } from '../core/connectionConfig';
import type { DailyPoint, SitePoint, UserSeries } from '../core/history';
import { DAY_MS, userKey, type LicenseOverview, type UsageWindow } from '../core/model';
import { UserLabels } from '../core/userLabels';
import type { DailyValues, HistoryMeasure, HistoryRange, SiteHistory, UserHistory } from '../protocol/historyMessages';
import type { HistoryStore } from '../store/historyStore';
import { chartEvents } from './chartEvents';
import { ConnectionGoneError, type ConnectionAbsence } from './connectionGoneError';
import type { HistoryDataProvider } from './historyDataProvider';

/** What the provider needs to know about connections, without depending on the VS Code layer. */
export interface HistoryConnections {
  /** The connection's display name, or undefined once removed. */
  name(connectionId: string): string | undefined;
  /**
   * The connection's kind, or undefined once removed: the store's time column holds License
   * Statistics hours as minutes, and nothing in the store itself tells them from capacity minutes.
   */
  kind(connectionId: string): ConnectionConfig['kind'] | undefined;
  /** Its history store. */
  store(connectionId: string): Promise<HistoryStore>;
  /** Its last synced overview (token costs), if any. */
  overview(connectionId: string): LicenseOverview | undefined;
  /** A user's display name as the last sync saw it. */
  userName(connectionId: string, userKey: string): string | undefined;
  /** Why a connection without a name is gone (the demo of an earlier window, or removed); undefined when not known. */
  absence?(connectionId: string): ConnectionAbsence;
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
    const { name, store, window, hours } = await this.open(connectionId, range);
    // 27 days before the range complete the rolling 28-day total on its first days.
    const series = await store.userSeries(key, { from: window.from - LEAD_IN_DAYS * DAY_MS, to: window.to });
    const leadIn = series.filter((p) => p.day < window.from);
    const shown = series.filter((p) => p.day >= window.from);
    const daily = valuesIn(hours);
    const [events, audit, extent] = await Promise.all([store.events(window, key), store.audit(window), store.extent()]);
    const mine = audit.filter((a) => userKey(a.user).toLowerCase() === key.toLowerCase());
    return {
      target: 'user',
      connection: name,
      user: { key, name: this.connections.userName(connectionId, key) ?? knownName ?? key },
      range,
      days: shown.map(daily),
      leadIn: leadIn.map(daily),
      measure: hours ? 'hours' : measureOf(shown),
      breakEvenPasses: this.breakEven(connectionId),
      events: chartEvents(events, mine),
      ...historyStart(extent),
    };
  }

  async siteHistory(connectionId: string, range: HistoryRange): Promise<SiteHistory> {
    const { name, store, window, hours } = await this.open(connectionId, range);
    const [site, top, events, audit, extent] = await Promise.all([
      store.siteSeries(window),
      store.topUsers(window, SITE_TOP_USERS),
      store.events(window),
      store.audit(window),
      store.extent(),
    ]);
    const measure = hours ? 'hours' : measureOf(site);
    // Named here, not in the webview, so the legend and the CSV export name the same people.
    const labels = new UserLabels(top.map((u) => u.user));
    return {
      target: 'site',
      connection: name,
      range,
      measure,
      totals: hours ? hoursTotals(site, top) : site.map(valuesIn(false)),
      top: top.map((u) => ({
        key: userKey(u.user),
        name: labels.label(u.user),
        values: u.series.map((p) => (measure === 'hours' ? hoursOf(p.capacityMinutes) : measure === 'capacity' ? p.capacityMinutes : p.tokens)),
      })),
      topDays: top[0]?.series.map((p) => p.day) ?? site.map((p) => p.day),
      pool: site.flatMap((p) => (p.pool ? [{ day: p.day, used: p.pool.usedTokens, available: p.pool.availableTokens }] : [])),
      events: chartEvents(events, audit),
      ...historyStart(extent),
    };
  }

  private async open(connectionId: string, range: HistoryRange): Promise<{ name: string; store: HistoryStore; window: UsageWindow; hours: boolean }> {
    const name = this.connections.name(connectionId);
    if (name === undefined) {
      throw new ConnectionGoneError(connectionId, this.connections.absence?.(connectionId) ?? { kind: 'removed' });
    }
    const store = await this.connections.store(connectionId);
    // Decided by the kind, not the data: a License Statistics history is hours even on idle days.
    const hours = this.connections.kind(connectionId) === 'licstats';
    // Whole UTC days, today included: the store counts by UTC day.
    const today = Math.floor(this.now() / DAY_MS) * DAY_MS;
    const end = today + DAY_MS;
    if (range !== 'all') {
      return { name, store, hours, window: { from: today - (RANGE_DAYS[range] - 1) * DAY_MS, to: end } };
    }
    const extent = await store.extent();
    if (!extent) {
      throw new Error(`No usage history is recorded for "${name}" yet: sync it first.`);
    }
    return { name, store, hours, window: { from: extent.from, to: Math.max(extent.to, end) } };
  }

  private breakEven(connectionId: string): number {
    const t = this.connections.overview(connectionId)?.tokens;
    // 1 token buys 10 login passes on every known site; the server's own costs win when known.
    return t && t.loginPassCost > 0 ? Math.round((t.userPassCost / t.loginPassCost) * 100) / 100 : 10;
  }
}

/** Where the store's history begins, when it holds any: days before it are unknown, not idle. */
function historyStart(extent: UsageWindow | null): Pick<UserHistory, 'historyStart'> {
  return extent ? { historyStart: extent.from } : {};
}

/** Hours of license use, to 2 decimals, from the minutes the store keeps them as (see syncCollector.ts). */
function hoursOf(minutes: number): number {
  return Math.round((minutes / 60) * 100) / 100;
}

/**
 * A store point as the panel's day. For License Statistics the time column holds hours of use
 * (as minutes), never capacity minutes: they move to `hours`, so no chart or export reads them
 * as analyzer capacity.
 */
function valuesIn(hours: boolean): (p: DailyPoint) => DailyValues {
  return (p) => ({
    day: p.day,
    loginPasses: p.loginPasses,
    tokens: p.tokens,
    capacityMinutes: hours ? 0 : p.capacityMinutes,
    hours: hours ? hoursOf(p.capacityMinutes) : 0,
  });
}

/**
 * Each day's site hours as the sum of its stacked parts, each rounded on its own: the top users,
 * then everyone else. Rounded whole, a total could top its rounded parts by a hundredth and the
 * chart would stack "Other users" that nobody is.
 */
function hoursTotals(site: readonly SitePoint[], top: readonly UserSeries[]): DailyValues[] {
  const topMinutes = new Map<number, number>();
  const topHours = new Map<number, number>();
  for (const u of top) {
    for (const p of u.series) {
      topMinutes.set(p.day, (topMinutes.get(p.day) ?? 0) + p.capacityMinutes);
      topHours.set(p.day, (topHours.get(p.day) ?? 0) + hoursOf(p.capacityMinutes));
    }
  }
  const toDay = valuesIn(true);
  return site.map((p) => {
    const others = hoursOf(Math.max(0, p.capacityMinutes - (topMinutes.get(p.day) ?? 0)));
    return { ...toDay(p), hours: Math.round(((topHours.get(p.day) ?? 0) + others) * 100) / 100 };
  });
}

/** Capacity sites have minutes and no login passes; everything else is measured in tokens. */
function measureOf(points: readonly { tokens: number; capacityMinutes: number }[]): Exclude<HistoryMeasure, 'hours'> {
  let tokens = 0;
  let minutes = 0;
  for (const p of points) {
    tokens += p.tokens;
    minutes += p.capacityMinutes;
  }
  return minutes > 0 && tokens === 0 ? 'capacity' : 'tokens';
}
