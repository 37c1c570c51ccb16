import { Agent, request } from 'node:https';
import type { LicstatsSimulator } from '../../../../src/sim/licstats/licstatsSimulator';

/** An answer as the tests look at it. */
export interface RawAnswer {
  readonly status: number;
  readonly text: string;
  /** The parsed body; throws when it is not JSON. */
  json(): Record<string, unknown>;
  /** `data` of a success envelope. */
  rows(): Record<string, unknown>[];
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/**
 * The tests' own tiny HTTPS client (deliberately not the project's transport): a GET of a path
 * with a query and, unless told otherwise, the simulator's API token.
 * @param token the token to send; null sends none
 */
export function getSim(sim: LicstatsSimulator, path: string, query: Record<string, string | number> = {}, token: string | null = sim.apiToken, method = 'GET'): Promise<RawAnswer> {
  const url = new URL(sim.url + path);
  for (const [k, v] of Object.entries(query)) {
    url.searchParams.set(k, String(v));
  }
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, ca: sim.certificates.ca, headers: { Accept: 'application/json', ...(token === null ? {} : { 'X-Auth-token': token }) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const json = (): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>;
        resolve({ status: res.statusCode ?? 0, text, json, rows: () => json()['data'] as Record<string, unknown>[] });
      });
    });
    req.on('error', reject);
    req.end();
  });
}
