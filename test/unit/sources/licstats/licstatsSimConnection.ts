import { strict as assert } from 'node:assert';
import type { Logger } from '../../../../src/core/logger';
import type { LicstatsSimulator } from '../../../../src/sim/licstats/licstatsSimulator';
import type { LicstatsClientOptions } from '../../../../src/sources/licstats/licstatsOptions';

/** Options for a connection to the simulator with its API-scope token, on the simulator's clock. */
export function licstatsOptions(sim: LicstatsSimulator, extra: Partial<LicstatsClientOptions> = {}): LicstatsClientOptions {
  return { baseUrl: sim.url, token: sim.apiToken, ca: sim.certificates.ca, now: () => sim.clock.now(), ...extra };
}

/** A logger that keeps every line, to prove what never reaches a log. */
export function keepingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const keep = (m: string): void => void lines.push(m);
  return { logger: { trace: keep, debug: keep, info: keep, warn: keep, error: keep }, lines };
}

/**
 * Watches one test's traffic: the simulator validates every request against the contract in
 * ./src/sim/licstats/contract (and every answer); none may have failed, and every request must be
 * a GET of a `/json` report carrying the token.
 */
export function trafficCheck(sim: LicstatsSimulator): { readonly since: number; assertClean(): void } {
  const violationsBefore = sim.violations.length;
  const since = sim.requests.length;
  return {
    since,
    assertClean() {
      assert.deepEqual(sim.violations.slice(violationsBefore), []);
      for (const r of sim.requests.slice(since)) {
        assert.equal(r.method, 'GET', r.path);
        assert.match(r.path, /\/json$/, r.path);
        assert.ok(r.headers['x-auth-token'], `${r.path} carries the token`);
      }
    },
  };
}
