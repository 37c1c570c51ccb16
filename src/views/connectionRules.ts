import type { ConnectionConfig } from '../core/connectionConfig';
import type { VerdictRules } from '../core/verdict';

/**
 * Days of sign-in sessions a capacity tenant is ranked over: what Qlik Cloud's audit log keeps.
 * A user idle for the inactivity threshold is only seen as such when the window reaches further
 * back than the threshold, so the usual 28 days would never show anyone inactive for 30.
 */
export const CAPACITY_ACTIVITY_DAYS = 90;

/**
 * The rules one connection is ranked by: the settings', with the connection's own capacity
 * break-even where it states one (Qlik Cloud: only the admin knows the contract's price ratio).
 */
export function connectionRules(config: ConnectionConfig, rules: VerdictRules): VerdictRules {
  return config.kind === 'cloud' && config.capacityBreakEvenMinutes !== undefined ? { ...rules, capacityBreakEvenMinutes: config.capacityBreakEvenMinutes } : rules;
}

/** The rules of a capacity tenant's sync: its window reaches back as far as the audit log (see CAPACITY_ACTIVITY_DAYS). */
export function capacityTenantRules(rules: VerdictRules): VerdictRules {
  return { ...rules, windowDays: Math.max(rules.windowDays, CAPACITY_ACTIVITY_DAYS) };
}
