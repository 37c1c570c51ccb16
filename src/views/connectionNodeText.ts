import { describeCapacityForecast, describePoolForecast, forecastCapacity, forecastPool } from '../core/forecast';
import { formatAge, formatAmount, formatDate } from '../core/format';
import { utcDay } from '../core/history';
import { describeOverview, describeSummary, type SiteSummary } from '../core/siteSummary';
import { CONNECTION_KIND_LABELS, type ConnectionConfig } from '../core/connectionConfig';
import { DAY_MS, type EstateFacts } from '../core/model';
import { escapeMarkdown } from './escapeMarkdown';
import { featureOnly } from './featureChoices';
import type { ConnectionState } from './usersTreeModel';

/** A codicon per kind of connection, so sites, tenants and License Statistics servers tell apart at a glance. */
export const CONNECTION_ICONS: Readonly<Record<ConnectionConfig['kind'], string>> = {
  qrs: 'server-environment',
  cloud: 'cloud',
  licstats: 'graph',
};

/** `2 borrowed licenses idle 7+ days · 1 feature expires within 30 days`, or '' when neither. */
export function describeEstate(e: EstateFacts): string {
  const idle = e.idleBorrowed.length;
  const expiring = e.expiring.length;
  return [
    idle > 0 ? `${idle} borrowed ${idle === 1 ? 'license' : 'licenses'} idle ${e.idleAfterDays}+ days` : '',
    expiring > 0 ? `${expiring} ${expiring === 1 ? 'feature expires' : 'features expire'} within ${e.expiringWithinDays} days` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The estate facts as tooltip lines, each with its codicon: every idle borrow and expiring feature, with when. */
export function estateLines(e: EstateFacts, now: number): { readonly icon: string; readonly text: string }[] {
  const lines = [{ icon: 'info', text: `Borrowed now: ${e.borrowed}.` }];
  for (const b of e.idleBorrowed) {
    const who = b.user ? ` by ${b.user.name}` : '';
    const host = b.host ? ` on ${b.host}` : '';
    lines.push({ icon: 'warning', text: `${b.feature}: ${b.licenses} borrowed${who}${host} ${formatAge(b.since, now)}${b.returnBy === null ? '' : `, returns ${formatDate(b.returnBy)}`}.` });
  }
  for (const f of e.expiring) {
    lines.push({ icon: 'calendar', text: `${f.feature}${f.version ? ` ${f.version}` : ''} expires ${formatDate(f.expires)}${f.licenses === null ? '' : ` (${f.licenses} licenses)`}${f.server ? ` on ${f.server}` : ''}.` });
  }
  return lines;
}

/**
 * The connection node's description, the CLI's summary in brief:
 * `4.2 of 100 tokens available · 35 to assign, 9 to revoke · synced 2 h ago`.
 */
export function connectionDescription(s: ConnectionState, summary: SiteSummary | undefined, now: number): string {
  const o = s.result?.overview;
  const parts: string[] = [];
  const kind = s.entry.config.kind;
  if (o?.fullUsers && o.offeredKinds.length === 0) {
    parts.push(`${o.fullUsers.allocated} of ${o.fullUsers.total} Full Users`);
  } else if (kind === 'licstats' && s.result) {
    if (s.feature) {
      parts.push(featureOnly(s.feature));
    }
    const denied = s.result.ranked.filter((r) => (r.denials ?? 0) > 0).length;
    parts.push(denied > 0 ? `${denied} denied a license` : 'no denials');
    const estate = s.estate ? describeEstate(s.estate) : '';
    if (estate) {
      parts.push(estate);
    }
  } else if (o?.tokens) {
    parts.push(`${formatAmount(o.tokens.available)} of ${formatAmount(o.tokens.total)} tokens available`);
  } else if (o?.professional || o?.analyzer) {
    parts.push(
      [o.professional && `professional ${o.professional.available}/${o.professional.total}`, o.analyzer && `analyzer ${o.analyzer.available}/${o.analyzer.total}`]
        .filter(Boolean)
        .join(' · '),
    );
  } else if (s.entry.demo) {
    parts.push('demo (this window only)');
  }
  const idle = o?.fullUsers && o.offeredKinds.length === 0 ? 'inactive' : 'to revoke';
  const jobs = [summary?.assignCandidates ? `${summary.assignCandidates} to assign` : '', summary?.revokeCandidates ? `${summary.revokeCandidates} ${idle}` : ''].filter(Boolean);
  if (jobs.length > 0) {
    parts.push(jobs.join(', '));
  }
  if (s.result) {
    parts.push(`synced ${formatAge(s.result.at, now)}`);
  }
  return parts.join(' · ');
}

/**
 * The connection node's tooltip (Markdown with theme icons): the site, then what the CLI's demo
 * prints (the token totals and the two jobs), then when the ranking was synced and from what.
 */
export function connectionTooltip(s: ConnectionState, summary: SiteSummary | undefined, inactiveDays: number, now: number): string {
  const { config } = s.entry;
  const lines = [`**${escapeMarkdown(config.name)}** — ${CONNECTION_KIND_LABELS[config.kind]}${s.entry.demo ? ' (demo)' : ''}  \n${escapeMarkdown(config.url)}`];
  if (s.tenant) {
    lines.push(escapeMarkdown(s.tenant));
  }
  const r = s.result;
  if (r && config.kind === 'licstats') {
    lines.push(
      s.feature
        ? `Ranked by ${escapeMarkdown(featureOnly(s.feature))}: hours of feature ${escapeMarkdown(s.feature.id)}${s.feature.server ? ` on ${escapeMarkdown(s.feature.server)}` : ''}. The history keeps every feature; *Choose Feature…* ranks another.`
        : 'Ranked by hours over all features; *Choose Feature…* ranks one alone.',
    );
    const denied = r.ranked.filter((x) => (x.denials ?? 0) > 0).length;
    lines.push(`${denied} ${denied === 1 ? 'user was' : 'users were'} denied a license in the window: they needed one that was not there.`);
    if (s.estate) {
      lines.push(estateLines(s.estate, now).map((l) => `$(${l.icon}) ${escapeMarkdown(l.text)}`).join('  \n'));
    }
  } else if (r?.overview.fullUsers && r.overview.offeredKinds.length === 0) {
    const f = r.overview.fullUsers;
    lines.push(`Full Users: ${f.allocated} of ${f.total} purchased in use, ${f.available} available.`);
    if (summary) {
      const n = summary.revokeCandidates;
      lines.push(`${n === 1 ? '1 user has' : `${n} users have`} not signed in for ${inactiveDays}+ days: disabling ${n === 1 ? 'it' : 'them'} releases ${n === 1 ? 'a Full User' : `${n} Full Users`}.`);
    }
  } else if (r) {
    lines.push(`${config.kind === 'cloud' ? 'Licenses' : 'Tokens'}: ${escapeMarkdown(describeOverview(r.overview))}.`);
    if (summary) {
      lines.push(describeSummary(summary, inactiveDays).map(escapeMarkdown).join('  \n'));
    }
    const forecasts = [
      ...(r.overview.loginPools ?? []).map((pool) => describePoolForecast(forecastPool(pool, r.tally.poolBurn().get(pool.name) ?? new Map(), utcDay(r.at)))),
      ...(r.overview.capacity ? [describeCapacityForecast(forecastCapacity(r.overview.capacity, r.at))] : []),
    ];
    if (forecasts.length > 0) {
      lines.push(`Forecast at the last 28 days' burn:  \n${forecasts.map((f) => escapeMarkdown(`${f}.`)).join('  \n')}`);
    }
  }
  if (r) {
    const days = Math.max(0, Math.round((r.tally.window.to - r.tally.window.from) / DAY_MS));
    lines.push(
      `Synced ${escapeMarkdown(new Date(r.at).toLocaleString())} (${formatAge(r.at, now)}): ${r.tally.recordCount} usage records in the last ${days} days, ${r.allocations.length} allocations.`,
    );
  }
  if (s.error) {
    lines.push(`$(error) ${escapeMarkdown(s.error)}`);
  }
  return lines.join('\n\n');
}
