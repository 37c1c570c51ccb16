/**
 * The simulated systems Open Demo Site starts, by kind. No vscode import: a history tab's
 * "connection gone" message names its demo, and unit tests check that in plain Node.
 */

/** The simulated systems Open Demo Site offers. */
export type DemoKind = 'qrs' | 'cloud' | 'capacity' | 'licstats';

/** A demo: its connection id and name, and how a sentence calls it ("the demo site is not running"). */
export interface DemoInfo {
  readonly id: string;
  readonly name: string;
  readonly called: string;
}

/**
 * Each demo's id, name and wording; the QRS site keeps the ids it always had. The ids are the
 * same in every window, so a history tab revived after a reload knows which demo it showed.
 */
export const DEMOS: Readonly<Record<DemoKind, DemoInfo>> = {
  qrs: { id: 'demo', name: 'Demo site', called: 'demo site' },
  cloud: { id: 'demo-cloud', name: 'Demo tenant', called: 'demo Qlik Cloud tenant' },
  capacity: { id: 'demo-capacity', name: 'Demo capacity tenant', called: 'demo capacity tenant' },
  licstats: { id: 'demo-licstats', name: 'Demo License Statistics', called: 'demo License Statistics server' },
};

/** Which demo a connection id is, or undefined for any other connection. */
export function demoKindOf(id: string): DemoKind | undefined {
  return (Object.keys(DEMOS) as DemoKind[]).find((k) => DEMOS[k].id === id);
}
