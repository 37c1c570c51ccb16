import { describeCapacityForecast, describePoolForecast, forecastCapacity, forecastPool } from '../core/forecast';
import { formatAge, formatAmount } from '../core/format';
import { utcDay } from '../core/history';
import { describeOverview, describeSummary, type SiteSummary } from '../core/siteSummary';
import { DAY_MS } from '../core/model';
import { escapeMarkdown } from './escapeMarkdown';
import type { ConnectionState } from './usersTreeModel';

/**
 * The connection node's description, the CLI's summary in brief:
 * `4.2 of 100 tokens available · 35 to assign, 9 to revoke · synced 2 h ago`.
 */
export function connectionDescription(s: ConnectionState, summary: SiteSummary | undefined, now: number): string {
  const o = s.result?.overview;
  const parts: string[] = [];
  if (o?.tokens) {
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
  const jobs = [summary?.assignCandidates ? `${summary.assignCandidates} to assign` : '', summary?.revokeCandidates ? `${summary.revokeCandidates} to revoke` : ''].filter(Boolean);
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
  const lines = [`**${escapeMarkdown(s.entry.config.name)}**  \n${escapeMarkdown(s.entry.config.url)}`];
  const r = s.result;
  if (r) {
    lines.push(`Tokens: ${escapeMarkdown(describeOverview(r.overview))}.`);
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
