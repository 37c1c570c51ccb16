import { formatAge, formatAgeChangesAt, formatAmount, formatDate, formatDays } from '../core/format';
import { DAY_MS, type Allocation } from '../core/model';
import type { RankedUser } from '../core/ranking';
import { passLastUse } from '../core/verdict';

/**
 * The description of a user node: what matters for that user. Without a pass that is what their
 * login passes cost (`14 passes · 1.4 tokens · no pass`); with one it is the pass and its use
 * (`user pass · last used 3 days ago`, `user pass · unused 41 days`), because "0 passes · 0
 * tokens" beside a pass reads as if the pass were free. `now` ages the dates.
 */
export function describeUser(r: RankedUser, now: number): string {
  const a = r.allocation;
  if (r.hoursUsed !== undefined) {
    return describeHours(r);
  }
  if (a?.orphaned) {
    return [`${a.kind} assignment`, 'no such user on the tenant'].join(' · ');
  }
  if (r.verdict.fullUser) {
    return [`${formatAmount(r.capacityMinutes)} session min`, r.lastUse === null ? 'no sign-in' : `last sign-in ${formatAge(r.lastUse, now)}`].join(' · ');
  }
  if (!a) {
    const parts: string[] = [];
    if (r.loginPasses > 0 || !r.capacityMinutes) {
      parts.push(`${r.loginPasses} ${r.loginPasses === 1 ? 'pass' : 'passes'}`, `${formatAmount(r.tokens)} ${r.tokens === 1 ? 'token' : 'tokens'}`);
    }
    if (r.capacityMinutes) {
      parts.push(`${formatAmount(r.capacityMinutes)} capacity min`);
    }
    parts.push('no pass');
    return parts.join(' · ');
  }
  const parts = [...passState(r, a, now)];
  // Login passes or capacity beside a pass are why an idle pass is not a revoke candidate.
  if (r.loginPasses > 0) {
    parts.push(`${r.loginPasses} login ${r.loginPasses === 1 ? 'pass' : 'passes'}`);
  }
  if (r.capacityMinutes) {
    parts.push(`${formatAmount(r.capacityMinutes)} capacity min`);
  }
  return parts.join(' · ');
}

/**
 * Until when `describeUser(r, now)` reads the same: its only clock-bound parts are ages of the
 * pass's last use and allocation, or a capacity tenant user's last sign-in. Infinity otherwise.
 */
export function describeUserChangesAt(r: RankedUser, now: number): number {
  const a = r.allocation;
  let until = Infinity;
  // A capacity tenant's user (no pass, judged by sign-ins) shows the age of the last sign-in.
  const signIn = r.verdict.fullUser ? r.lastUse : undefined;
  for (const then of [a?.lastUsed, a?.allocatedAt, signIn]) {
    if (typeof then === 'number') {
      until = Math.min(until, formatAgeChangesAt(then, now));
    }
  }
  return until;
}

/**
 * A License Statistics user: hours used, the peaks, and denials first when there are any, since
 * they are why the admin looks (`denied 3× · 12.5 h · peak 2 licenses`).
 */
export function describeHours(r: RankedUser): string {
  const parts: string[] = [];
  const denials = r.denials ?? 0;
  if (denials > 0) {
    parts.push(`denied ${formatAmount(denials)}×`);
  }
  parts.push(`${formatAmount(r.hoursUsed ?? 0)} h`);
  if (r.peakLicenses) {
    parts.push(`peak ${formatAmount(r.peakLicenses)} ${r.peakLicenses === 1 ? 'license' : 'licenses'}`);
  }
  if (r.peakTokens) {
    parts.push(`${formatAmount(r.peakTokens)} ${r.peakTokens === 1 ? 'token' : 'tokens'}`);
  }
  return parts.join(' · ');
}

function passState(r: RankedUser, a: Allocation, now: number): string[] {
  const pass = `${a.kind} pass`;
  const until = a.quarantineEnd === null ? '' : ` until ${formatDate(a.quarantineEnd)}`;
  if (a.userDeleted) {
    // Without quarantine (Qlik Cloud) the deleted user's license stays assigned until released.
    return ['deleted user', !a.quarantined && a.quarantineEnd === null ? `${pass} still assigned` : `${pass} quarantined${until}`];
  }
  if (a.quarantined) {
    return [pass, `quarantined${until}`];
  }
  const lastUsed = passLastUse(a, r.lastUse);
  if (r.verdict.kind === 'inactive') {
    // The verdict's own measure: idle since the last use, or since the allocation if never used.
    if (lastUsed !== null) {
      return [pass, `unused ${daysSince(lastUsed, now)}`];
    }
    if (a.lastUseUnrecorded) {
      return [pass, 'no recent use'];
    }
    return [pass, a.allocatedAt ? `never used in ${daysSince(a.allocatedAt, now)}` : 'never used'];
  }
  if (lastUsed !== null) {
    return [pass, `last used ${formatAge(lastUsed, now)}`];
  }
  return [pass, a.allocatedAt ? `allocated ${formatAge(a.allocatedAt, now)}, not used yet` : 'never used'];
}

function daysSince(then: number, now: number): string {
  return formatDays(Math.max(0, Math.floor((now - then) / DAY_MS)));
}

/**
 * What a screen reader says for a user node: rank, the label the eye sees (with `DIR\id` when
 * the name is shared), the description and the verdict.
 */
export function userAccessibilityLabel(r: RankedUser, label: string, description: string): string {
  return `${r.rank}. ${label}, ${description}. ${r.verdict.text}`;
}
