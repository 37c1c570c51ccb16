import { DAY_MS } from '../../core/model';
import type { SimClock } from '../simClock';

/** A clock the simulator and its tests share; it only moves when told. */
export type LicstatsSimClock = SimClock;

/** Server statuses as v6.11+ names them (reference §3). */
export type SimServerStatus = 'ONLINE' | 'OFFLINE' | 'VERIFYING' | 'DISABLED' | 'LICSTAT_DOWN' | 'LICENSE_EXCEEDED';

/** A monitored license server. */
export interface SimLicenseServer {
  readonly lsid: number;
  readonly lsn: string;
  readonly lsh: string;
  readonly lsp: number;
  /** FlexNet Publisher, LM-X, RLM. */
  readonly lsmn: string;
  /** The vendor daemon. */
  readonly vn: string;
  status: SimServerStatus;
}

/** A feature of a license server. */
export interface SimFeature {
  readonly fid: number;
  readonly fns: string;
  readonly fv: string;
  readonly ftype: 'Floating' | 'Node-locked' | 'Token';
  readonly lsid: number;
  /** Licenses the server has; tokens in the pool, for a Token feature. */
  readonly total: number;
  /** Licenses one checkout holds: tokens for a Token feature, cores for an HPC feature, else 1. */
  readonly perCheckout: number;
  /** Expiry, UTC midnight epoch ms; null for a permanent license. */
  readonly expires: number | null;
}

/** A person the license servers have seen. */
export interface SimUser {
  readonly uid: number;
  readonly un: string;
  readonly hosts: readonly string[];
}

/** One user's use of one feature on one host on one UTC day. */
export interface SimUsage {
  /** UTC day number (epoch ms / DAY_MS). */
  readonly day: number;
  readonly uid: number;
  readonly fid: number;
  readonly hn: string;
  hours: number;
  /** Most licenses (tokens, for Token) held at once. */
  maxUsed: number;
  hoursBorrowed: number;
  maxBorrowed: number;
}

/** Checkouts of a feature refused at one moment. */
export interface SimDenial {
  readonly at: number;
  readonly uid: number;
  readonly fid: number;
  readonly hn: string;
  readonly count: number;
}

/** A license borrowed to a machine for offline use. */
export interface SimBorrow {
  readonly fid: number;
  readonly uid: number;
  readonly hn: string;
  readonly licenses: number;
  readonly since: number;
  readonly until: number;
}

/** A license session open now. */
export interface SimSession {
  readonly fid: number;
  readonly uid: number;
  readonly hn: string;
  readonly licenses: number;
  readonly since: number;
}

/** Everything a simulated License Statistics server knows. */
export interface LicstatsSimData {
  readonly servers: SimLicenseServer[];
  readonly features: SimFeature[];
  readonly users: SimUser[];
  readonly usage: SimUsage[];
  readonly denials: SimDenial[];
  readonly borrows: SimBorrow[];
  readonly sessions: SimSession[];
}

/** The live data, for the routes to read and tests to inspect and arrange. */
export class LicstatsSimState {
  private readonly userById = new Map<number, SimUser>();
  private readonly featureById = new Map<number, SimFeature>();
  private readonly serverById = new Map<number, SimLicenseServer>();

  constructor(readonly data: LicstatsSimData) {
    data.users.forEach((u) => this.userById.set(u.uid, u));
    data.features.forEach((f) => this.featureById.set(f.fid, f));
    data.servers.forEach((s) => this.serverById.set(s.lsid, s));
  }

  user(uid: number): SimUser {
    return this.must(this.userById.get(uid), `user ${uid}`);
  }

  feature(fid: number): SimFeature | undefined {
    return this.featureById.get(fid);
  }

  server(lsid: number): SimLicenseServer {
    return this.must(this.serverById.get(lsid), `license server ${lsid}`);
  }

  /** The user of that name, if any. */
  userNamed(un: string): SimUser | undefined {
    return this.data.users.find((u) => u.un === un);
  }

  /** The feature of that name, if any (names repeat across servers rarely; the first wins). */
  featureNamed(fns: string): SimFeature | undefined {
    return this.data.features.find((f) => f.fns === fns);
  }

  /** Adds a user, for tests that need one the generator did not make. */
  addUser(un: string, hosts: readonly string[] = [`ws-${un}`]): SimUser {
    const user: SimUser = { uid: Math.max(0, ...this.data.users.map((u) => u.uid)) + 1, un, hosts };
    this.data.users.push(user);
    this.userById.set(user.uid, user);
    return user;
  }

  /** Records use of a feature on the day of `at` (added to what that user, host and day had). */
  addUsage(input: { readonly un: string; readonly fns: string; readonly at: number; readonly hours: number; readonly maxUsed?: number; readonly hn?: string }): void {
    const user = this.must(this.userNamed(input.un), `user ${input.un}`);
    const feature = this.must(this.featureNamed(input.fns), `feature ${input.fns}`);
    const day = Math.floor(input.at / DAY_MS);
    const hn = input.hn ?? user.hosts[0] ?? 'unknown-host';
    const maxUsed = input.maxUsed ?? feature.perCheckout;
    const known = this.data.usage.find((u) => u.day === day && u.uid === user.uid && u.fid === feature.fid && u.hn === hn);
    if (known) {
      known.hours += input.hours;
      known.maxUsed = Math.max(known.maxUsed, maxUsed);
    } else {
      this.data.usage.push({ day, uid: user.uid, fid: feature.fid, hn, hours: input.hours, maxUsed, hoursBorrowed: 0, maxBorrowed: 0 });
    }
  }

  /** Records a denial. */
  addDenial(input: { readonly un: string; readonly fns: string; readonly at: number; readonly count?: number; readonly hn?: string }): void {
    const user = this.must(this.userNamed(input.un), `user ${input.un}`);
    const feature = this.must(this.featureNamed(input.fns), `feature ${input.fns}`);
    this.data.denials.push({ at: input.at, uid: user.uid, fid: feature.fid, hn: input.hn ?? user.hosts[0] ?? 'unknown-host', count: input.count ?? 1 });
  }

  private must<T>(value: T | undefined, what: string): T {
    if (value === undefined) {
      throw new Error(`The simulated License Statistics has no ${what}.`);
    }
    return value;
  }
}
