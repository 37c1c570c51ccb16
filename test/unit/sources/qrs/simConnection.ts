import { strict as assert } from 'node:assert';
import type { QrsSimulator } from '../../../../src/sim/qrs/qrsSimulator';
import { createQrsContract } from '../../../../src/sim/qrs/qrsContract';
import type { QrsAuth, QrsClientOptions } from '../../../../src/sources/qrs/qrsOptions';

/** Options for a certificate connection to the simulator, acting as `DIR\id`. */
export function certificateOptions(sim: QrsSimulator, account = 'INTERNAL\\sa_api', extra: Partial<QrsClientOptions> = {}): QrsClientOptions {
  const [userDirectory = '', userId = ''] = account.split('\\');
  const auth: QrsAuth = { mode: 'certificate', cert: sim.certificates.clientCert, key: sim.certificates.clientKey, userDirectory, userId };
  return { baseUrl: sim.url, ca: sim.certificates.ca, auth, now: () => sim.clock.now(), ...extra };
}

/** Options for the header-auth virtual proxy. */
export function headerOptions(sim: QrsSimulator, headerValue = 'CORP\\admin'): QrsClientOptions {
  return {
    baseUrl: `${sim.url}/${sim.headerProxy.prefix}`,
    ca: sim.certificates.ca,
    auth: { mode: 'header', headerName: sim.headerProxy.headerName, headerValue },
    now: () => sim.clock.now(),
  };
}

/** Options for the JWT virtual proxy. */
export function jwtOptions(sim: QrsSimulator, token: string): QrsClientOptions {
  return { baseUrl: `${sim.url}/${sim.jwtProxy.prefix}`, ca: sim.certificates.ca, auth: { mode: 'jwt', token }, now: () => sim.clock.now() };
}

const contract = createQrsContract();

/**
 * Watches one test's traffic: no contract violations recorded by the simulator (which checks
 * bodies too, in enforce mode), and every bodiless request re-checked here against the spec.
 */
export function trafficCheck(sim: QrsSimulator): { since: number; assertClean(): void } {
  const violationsBefore = sim.violations.length;
  const since = sim.requests.length;
  return {
    since,
    assertClean() {
      assert.deepEqual(sim.violations.slice(violationsBefore), []);
      for (const request of sim.requests.slice(since)) {
        if (request.method === 'GET' || request.method === 'DELETE') {
          const path = request.path.replace(/^\/[^/]+(?=\/qrs\/)/, '');
          assert.deepEqual(contract.validateRequest({ method: request.method, path, query: request.query }), [], `${request.method} ${request.path}`);
        }
      }
    },
  };
}
