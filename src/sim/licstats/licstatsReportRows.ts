/**
 * The rows of each simulated report, before filter, order and paging, with the columns the
 * contract (./contract/*.schema.json) lists for them.
 */
import { DAY_MS } from '../../core/model';
import type { LicstatsSimReport } from './licstatsContract';
import type { SimRow } from './licstatsQueryEngine';
import type { LicstatsSimState, SimFeature, SimServerStatus } from './licstatsSimState';

/** How enumerations are written: v6.11+ names, or the numbers before v6.11 (reference §3, U11). */
export type EnumerationStyle = 'named' | 'numeric';

/** A request the report cannot answer; the simulator turns it into a refusal. */
export class ReportRefusal extends Error {
  /** @param status the HTTP status and envelope code */
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** What a report's rows depend on. */
export interface RowContext {
  readonly state: LicstatsSimState;
  readonly now: number;
  readonly style: EnumerationStyle;
  /** The query parameters, already checked against the contract. */
  readonly query: Readonly<Record<string, string>>;
  /** The `{fid}` of a per-feature report. */
  readonly fid: string | undefined;
}

const NUMERIC_STATUS: Readonly<Record<SimServerStatus, number>> = { ONLINE: 2, OFFLINE: 3, VERIFYING: 5, DISABLED: 6, LICSTAT_DOWN: 7, LICENSE_EXCEEDED: 8 };

const GRANULARITY_NUMBERS: Readonly<Record<string, string>> = { '2': 'QUARTER', '3': 'MONTH', '4': 'WEEK', '5': 'DAY' };

/** `YYYY-MM-DD HH:MM`, the v1 date-time form (reference §6.4), in UTC. */
export function simDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

function simDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function dayOf(text: string): number {
  return Date.parse(`${text}T00:00:00Z`) / DAY_MS;
}

/** The period label of a day at a granularity, as §3 writes them. */
function periodOf(day: number, granularity: string): string {
  const date = new Date(day * DAY_MS);
  const iso = simDay(day * DAY_MS);
  switch (granularity) {
    case 'MONTH':
      return iso.slice(0, 7);
    case 'QUARTER':
      return `${iso.slice(0, 4)}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
    case 'WEEK': {
      const monday = day - ((date.getUTCDay() + 6) % 7);
      return `${simDay(monday * DAY_MS)}-${simDay((monday + 6) * DAY_MS)}`;
    }
    default:
      return iso;
  }
}

function featureColumns(f: SimFeature, state: LicstatsSimState): Record<string, string | number> {
  const server = state.server(f.lsid);
  return { lsid: f.lsid, lsn: server.lsn, fid: f.fid, fns: f.fns, fv: f.fv, ftype: f.ftype };
}

function licenseServers({ state, style }: RowContext): SimRow[] {
  return state.data.servers.map((s) => ({
    lsid: s.lsid,
    lsn: s.lsn,
    lsh: s.lsh,
    lsp: s.lsp,
    lsmn: s.lsmn,
    vn: s.vn,
    lss: style === 'numeric' ? NUMERIC_STATUS[s.status] : s.status,
    lshal: false,
    lshf: true,
  }));
}

function features({ state }: RowContext): SimRow[] {
  return state.data.features.map((f) => ({ ...featureColumns(f, state), vn: state.server(f.lsid).vn }));
}

/** Usage per user, aggregated per period and by user (1), host (2) or user and host (3). */
function usagePerUser({ state, query }: RowContext): SimRow[] {
  const from = dayOf(query['sd'] ?? '');
  const to = dayOf(query['ed'] ?? '');
  const rawGranularity = query['grat'] ?? 'DAY';
  const granularity = GRANULARITY_NUMBERS[rawGranularity] ?? rawGranularity;
  const agrt = query['agrt'] ?? '3';
  if (agrt === '4' || agrt === '5') {
    throw new ReportRefusal(501, 'Aggregation by user group or host group is not simulated.');
  }
  const groups = new Map<string, { fud: string; fid: number; uids: Set<number>; hn: string | undefined; hu: number; mu: number; hb: number; mb: number }>();
  for (const u of state.data.usage) {
    if (u.day < from || u.day > to) {
      continue;
    }
    const fud = periodOf(u.day, granularity);
    const who = agrt === '1' ? `u${u.uid}` : agrt === '2' ? `h${u.hn}` : `u${u.uid}|${u.hn}`;
    const key = `${fud}|${u.fid}|${who}`;
    let g = groups.get(key);
    if (!g) {
      g = { fud, fid: u.fid, uids: new Set(), hn: agrt === '1' ? undefined : u.hn, hu: 0, mu: 0, hb: 0, mb: 0 };
      groups.set(key, g);
    }
    g.uids.add(u.uid);
    g.hu += u.hours;
    g.mu = Math.max(g.mu, u.maxUsed);
    g.hb += u.hoursBorrowed;
    g.mb = Math.max(g.mb, u.maxBorrowed);
  }
  return [...groups.values()].map((g) => {
    const feature = state.feature(g.fid) as SimFeature;
    const users = [...g.uids].map((uid) => state.user(uid));
    const [only] = users;
    return {
      fud: g.fud,
      ...(agrt === '2' || !only ? {} : { uid: only.uid }),
      un: users.map((u) => u.un).join(';'),
      ...(g.hn === undefined ? {} : { hn: g.hn }),
      ...featureColumns(feature, state),
      musage: Math.round((g.mu / feature.total) * 10_000) / 100,
      hu: Math.round(g.hu * 100) / 100,
      mu: g.mu,
      hb: Math.round(g.hb * 100) / 100,
      mb: g.mb,
    };
  });
}

function denials({ state, query, fid }: RowContext): SimRow[] {
  const feature = /^\d+$/.test(fid ?? '') ? state.feature(Number(fid)) : undefined;
  if (!feature) {
    throw new ReportRefusal(400, `Feature ${fid ?? ''} does not exist.`);
  }
  const from = dayOf(query['sd'] ?? '') * DAY_MS;
  const to = (dayOf(query['ed'] ?? '') + 1) * DAY_MS;
  return state.data.denials
    .filter((d) => d.fid === feature.fid && d.at >= from && d.at < to)
    .map((d) => ({ ldt: simDateTime(d.at), ldtc: d.count, un: state.user(d.uid).un, hn: d.hn }));
}

function currentUsers({ state }: RowContext): SimRow[] {
  return state.data.sessions.map((s) => {
    const feature = state.feature(s.fid) as SimFeature;
    const user = state.user(s.uid);
    return { uid: user.uid, un: user.un, hn: s.hn, ...featureColumns(feature, state), lus: s.licenses, lco: simDateTime(s.since) };
  });
}

function borrowed({ state, now }: RowContext): SimRow[] {
  return state.data.borrows
    .filter((b) => b.since <= now && b.until > now)
    .map((b) => {
      const feature = state.feature(b.fid) as SimFeature;
      return { ...featureColumns(feature, state), lus: b.licenses, lco: simDateTime(b.since), un: state.user(b.uid).un, hn: b.hn, lbe: simDateTime(b.until) };
    });
}

/** Features expiring between sd and ed; by default from today for twelve months (§5 U24). */
function expiring({ state, query, now }: RowContext): SimRow[] {
  const from = query['sd'] ? dayOf(query['sd']) * DAY_MS : Math.floor(now / DAY_MS) * DAY_MS;
  const to = query['ed'] ? dayOf(query['ed']) * DAY_MS : from + 365 * DAY_MS;
  return state.data.features
    .filter((f) => f.expires !== null && f.expires >= from && f.expires <= to)
    .map((f) => ({ ...featureColumns(f, state), vn: state.server(f.lsid).vn, fexp: simDay(f.expires as number), ft: f.total }));
}

const BUILDERS: Readonly<Record<LicstatsSimReport, (context: RowContext) => SimRow[]>> = {
  licenseServers,
  features,
  usagePerUser,
  denials,
  currentUsers,
  borrowed,
  expiring,
};

/** Every row of a report, in the report's natural order. Throws ReportRefusal for requests it cannot answer. */
export function reportRows(report: LicstatsSimReport, context: RowContext): SimRow[] {
  return BUILDERS[report](context);
}
