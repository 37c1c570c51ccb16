import { strict as assert } from 'node:assert';
import { startCloudSimulator, type CloudSimulator, type CloudSimulatorOptions } from '../../../../src/sim/cloud/cloudSimulator';
import type { CloudClientOptions } from '../../../../src/sources/cloud/cloudOptions';
import { createCloudSource, type CloudSource } from '../../../../src/sources/cloud/cloudSource';

/**
 * Simulated tenants and sources for one describe block, closed after each test. A test that
 * passed must also have kept to specs/cloud: the client's requests and the simulator's answers
 * (`sim.violations` empty).
 */
export function cloudSimHarness(now: number): {
  simulator(options?: CloudSimulatorOptions): Promise<CloudSimulator>;
  source(sim: CloudSimulator, options?: Partial<CloudClientOptions>): CloudSource;
} {
  const sims: CloudSimulator[] = [];
  const sources: CloudSource[] = [];
  afterEach(async function () {
    await Promise.all(sources.splice(0).map((s) => s.close()));
    const seen = sims.splice(0);
    await Promise.all(seen.map((sim) => sim.close()));
    if (this.currentTest?.state === 'passed') {
      for (const sim of seen) {
        assert.deepEqual(sim.violations, []);
      }
    }
  });
  return {
    async simulator(options = {}) {
      const sim = await startCloudSimulator({ users: 250, seed: 7, now, ...options });
      sims.push(sim);
      return sim;
    },
    source(sim, options = {}) {
      const s = createCloudSource({ baseUrl: sim.url, ca: sim.certificates.ca, auth: { mode: 'apiKey', apiKey: sim.apiKey }, now: () => sim.clock.now(), ...options });
      sources.push(s);
      return s;
    },
  };
}
