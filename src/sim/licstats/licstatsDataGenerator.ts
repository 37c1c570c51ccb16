/**
 * Seeded, deterministic sample data for the License Statistics simulator: an engineering estate
 * of FlexNet, LM-X and RLM servers with the features people actually queue for (MATLAB, ANSYS
 * CFD, AutoCAD, Altair units), users of different intensity, denials where licenses run short,
 * borrowed licenses and features about to expire.
 */
import { DAY_MS } from '../../core/model';
import { createPrng, type Prng } from '../prng';
import type { LicstatsSimData, SimBorrow, SimDenial, SimFeature, SimLicenseServer, SimSession, SimUsage, SimUser } from './licstatsSimState';

/** What to generate. */
export interface LicstatsGeneratorOptions {
  readonly users: number;
  readonly seed: number;
  /** The simulator's clock at start, epoch ms. */
  readonly now: number;
  /** Days of usage history up to and including today. */
  readonly historyDays: number;
}

type Discipline = 'matlab' | 'cfd' | 'cad' | 'cae' | 'vfx';

const SERVERS: readonly Omit<SimLicenseServer, 'lsid'>[] = [
  { lsn: 'flex-mathworks-01', lsh: 'flex-mathworks-01.eng.example.com', lsp: 27000, lsmn: 'FlexNet Publisher', vn: 'MLM', status: 'ONLINE' },
  { lsn: 'flex-ansys-01', lsh: 'flex-ansys-01.eng.example.com', lsp: 1055, lsmn: 'FlexNet Publisher', vn: 'ansyslmd', status: 'ONLINE' },
  { lsn: 'flex-autodesk-01', lsh: 'flex-autodesk-01.eng.example.com', lsp: 27000, lsmn: 'FlexNet Publisher', vn: 'adskflex', status: 'ONLINE' },
  { lsn: 'lmx-altair-01', lsh: 'lmx-altair-01.eng.example.com', lsp: 6200, lsmn: 'LM-X', vn: 'ALTAIR', status: 'ONLINE' },
  { lsn: 'rlm-foundry-01', lsh: 'rlm-foundry-01.vfx.example.com', lsp: 5053, lsmn: 'RLM', vn: 'foundry', status: 'OFFLINE' },
];

interface FeatureSpec {
  readonly server: number;
  readonly fns: string;
  readonly fv: string;
  readonly ftype: SimFeature['ftype'];
  readonly total: number;
  readonly perCheckout: number;
  /** Days from the start until it expires; null for permanent. */
  readonly expiresIn: number | null;
  readonly discipline: Discipline;
  /** Every user of the discipline uses it (the rest are add-ons some use). */
  readonly main: boolean;
  /** Chance per workday that someone is denied it (licenses run short). */
  readonly denialRate: number;
}

const FEATURES: readonly FeatureSpec[] = [
  { server: 0, fns: 'MATLAB', fv: '53', ftype: 'Floating', total: 30, perCheckout: 1, expiresIn: null, discipline: 'matlab', main: true, denialRate: 0.15 },
  { server: 0, fns: 'SIMULINK', fv: '53', ftype: 'Floating', total: 10, perCheckout: 1, expiresIn: null, discipline: 'matlab', main: false, denialRate: 0.05 },
  { server: 0, fns: 'Signal_Toolbox', fv: '53', ftype: 'Floating', total: 6, perCheckout: 1, expiresIn: 25, discipline: 'matlab', main: false, denialRate: 0 },
  { server: 0, fns: 'Optimization_Toolbox', fv: '53', ftype: 'Floating', total: 5, perCheckout: 1, expiresIn: 400, discipline: 'matlab', main: false, denialRate: 0 },
  { server: 0, fns: 'Statistics_Toolbox', fv: '53', ftype: 'Node-locked', total: 4, perCheckout: 1, expiresIn: 200, discipline: 'matlab', main: false, denialRate: 0 },
  { server: 1, fns: 'ansys', fv: '2024.1', ftype: 'Floating', total: 6, perCheckout: 1, expiresIn: 200, discipline: 'cfd', main: false, denialRate: 0.1 },
  { server: 1, fns: 'acfd', fv: '2024.1', ftype: 'Floating', total: 4, perCheckout: 1, expiresIn: 12, discipline: 'cfd', main: true, denialRate: 0.3 },
  { server: 1, fns: 'anshpc', fv: '2024.1', ftype: 'Floating', total: 128, perCheckout: 16, expiresIn: 200, discipline: 'cfd', main: false, denialRate: 0 },
  { server: 2, fns: '87775ACD_2024_0F', fv: '1.000', ftype: 'Floating', total: 10, perCheckout: 1, expiresIn: 60, discipline: 'cad', main: true, denialRate: 0.05 },
  { server: 2, fns: '87779INVPROSA_2024_0F', fv: '1.000', ftype: 'Floating', total: 6, perCheckout: 1, expiresIn: 60, discipline: 'cad', main: false, denialRate: 0.05 },
  { server: 3, fns: 'HWHyperMesh', fv: '2024.0', ftype: 'Token', total: 300, perCheckout: 21, expiresIn: 300, discipline: 'cae', main: true, denialRate: 0.1 },
  { server: 3, fns: 'HWOptiStruct', fv: '2024.0', ftype: 'Token', total: 300, perCheckout: 25, expiresIn: 300, discipline: 'cae', main: false, denialRate: 0 },
  { server: 3, fns: 'HWHyperView', fv: '2024.0', ftype: 'Token', total: 300, perCheckout: 12, expiresIn: 300, discipline: 'cae', main: false, denialRate: 0 },
  { server: 4, fns: 'nuke_i', fv: '2024.0', ftype: 'Floating', total: 3, perCheckout: 1, expiresIn: null, discipline: 'vfx', main: true, denialRate: 0 },
  { server: 4, fns: 'nukex_i', fv: '2024.0', ftype: 'Floating', total: 2, perCheckout: 1, expiresIn: 5, discipline: 'vfx', main: false, denialRate: 0 },
];

const DISCIPLINES: readonly [Discipline, number][] = [
  ['matlab', 0.35],
  ['cfd', 0.2],
  ['cad', 0.25],
  ['cae', 0.12],
  ['vfx', 0.08],
];

/** Share of workdays a user works with licenses, and the hours of such a day. */
const INTENSITIES: readonly { readonly share: number; readonly days: number; readonly hours: readonly [number, number] }[] = [
  { share: 0.15, days: 0.9, hours: [6, 9] },
  { share: 0.45, days: 0.6, hours: [2, 6] },
  { share: 0.4, days: 0.15, hours: [0.5, 3] },
];

const FIRST = ['anna', 'ben', 'chloe', 'david', 'elena', 'farid', 'greta', 'hugo', 'ines', 'jonas', 'kira', 'lars', 'maya', 'nils', 'olga', 'pavel', 'quinn', 'rosa', 'sven', 'tara', 'umar', 'vera', 'wim', 'xenia', 'yusuf', 'zoe'];
const LAST = ['berg', 'costa', 'dahl', 'eriksen', 'fischer', 'garcia', 'hansen', 'ito', 'jensen', 'kowalski', 'larsen', 'moreau', 'nakamura', 'olsen', 'petrov', 'quist', 'rossi', 'schmidt', 'tanaka', 'uddin', 'varga', 'weber', 'yilmaz', 'zhang'];

/** Users who only ever got denials: they needed a license and never got one. */
const DENIED_ONLY = 2;

function pickWeighted<T>(prng: Prng, items: readonly (readonly [T, number])[]): T {
  let r = prng.next();
  for (const [item, weight] of items) {
    r -= weight;
    if (r < 0) {
      return item;
    }
  }
  const last = items[items.length - 1];
  if (!last) {
    throw new RangeError('Cannot pick from an empty list.');
  }
  return last[0];
}

function between(prng: Prng, [low, high]: readonly [number, number]): number {
  return Math.round((low + prng.next() * (high - low)) * 100) / 100;
}

function isWeekend(day: number): boolean {
  // Day 0 (1970-01-01) was a Thursday.
  const weekday = (day + 4) % 7;
  return weekday === 0 || weekday === 6;
}

/** Generates a site; the same options always give the same data. */
export function generateLicstatsData(options: LicstatsGeneratorOptions): LicstatsSimData {
  const prng = createPrng(options.seed);
  const today = Math.floor(options.now / DAY_MS);
  const servers: SimLicenseServer[] = SERVERS.map((s, i) => ({ lsid: i + 1, ...s }));
  const features: SimFeature[] = FEATURES.map((f, i) => ({
    fid: 101 + i,
    fns: f.fns,
    fv: f.fv,
    ftype: f.ftype,
    lsid: (servers[f.server] as SimLicenseServer).lsid,
    total: f.total,
    perCheckout: f.perCheckout,
    expires: f.expiresIn === null ? null : (today + f.expiresIn) * DAY_MS,
  }));
  const specOf = (fid: number): FeatureSpec => FEATURES[fid - 101] as FeatureSpec;

  const users: SimUser[] = [];
  const profiles: { user: SimUser; discipline: Discipline; features: SimFeature[]; intensity: (typeof INTENSITIES)[number] | null }[] = [];
  const taken = new Set<string>();
  for (let i = 0; i < options.users; i++) {
    const base = `${prng.pick(FIRST).charAt(0)}${prng.pick(LAST)}`;
    let un = base;
    for (let n = 2; taken.has(un); n++) {
      un = `${base}${n}`;
    }
    taken.add(un);
    const workstation = `ws-eng-${String(i + 1).padStart(3, '0')}`;
    const hosts = prng.next() < 0.3 ? [workstation, `lt-eng-${String(i + 1).padStart(3, '0')}`] : [workstation];
    const user: SimUser = { uid: 1001 + i, un, hosts };
    users.push(user);
    const deniedOnly = i >= options.users - DENIED_ONLY;
    const discipline: Discipline = deniedOnly ? 'cfd' : pickWeighted(prng, DISCIPLINES);
    const own = features.filter((f) => specOf(f.fid).discipline === discipline && (specOf(f.fid).main || prng.next() < 0.4));
    const intensity = deniedOnly ? null : pickWeighted(prng, INTENSITIES.map((t) => [t, t.share] as const));
    profiles.push({ user, discipline, features: own, intensity });
  }

  const usage: SimUsage[] = [];
  const denials: SimDenial[] = [];
  const startOfToday = today * DAY_MS;
  // Today counts the hours worked so far, from 08:00.
  const hoursToday = Math.max(0, (options.now - startOfToday) / 3_600_000 - 8);
  for (let day = today - options.historyDays + 1; day <= today; day++) {
    const weekend = isWeekend(day);
    for (const { user, features: own, intensity } of profiles) {
      if (!intensity || prng.next() >= (weekend ? 0.05 : intensity.days)) {
        continue;
      }
      const hn = user.hosts.length > 1 && prng.next() < 0.2 ? (user.hosts[1] as string) : (user.hosts[0] as string);
      for (const feature of own) {
        if (!specOf(feature.fid).main && prng.next() >= 0.4) {
          continue;
        }
        let hours = between(prng, intensity.hours);
        if (day === today) {
          hours = Math.min(hours, Math.round(hoursToday * 100) / 100);
          if (hours < 0.05) {
            continue;
          }
        }
        const maxUsed = feature.perCheckout * (prng.next() < 0.1 ? 2 : 1);
        usage.push({ day, uid: user.uid, fid: feature.fid, hn, hours, maxUsed, hoursBorrowed: 0, maxBorrowed: 0 });
      }
    }
    if (weekend) {
      continue;
    }
    for (const feature of features) {
      const spec = specOf(feature.fid);
      if (spec.denialRate === 0 || prng.next() >= spec.denialRate) {
        continue;
      }
      const candidates = profiles.filter((p) => p.discipline === spec.discipline && p.intensity !== null);
      const denied = candidates.length > 0 ? prng.pick(candidates).user : undefined;
      const at = day * DAY_MS + (9 + prng.int(8)) * 3_600_000 + prng.int(60) * 60_000;
      if (denied && at <= options.now) {
        denials.push({ at, uid: denied.uid, fid: feature.fid, hn: denied.hosts[0] as string, count: 1 + prng.int(3) });
      }
    }
  }

  // The denied-only users asked for CFD in the last weeks and never got it.
  const acfd = features.find((f) => f.fns === 'acfd') as SimFeature;
  for (const { user, intensity } of profiles) {
    if (intensity !== null) {
      continue;
    }
    for (let k = 0; k < 2 + prng.int(3); k++) {
      const at = (today - 1 - prng.int(20)) * DAY_MS + (10 + prng.int(6)) * 3_600_000;
      denials.push({ at, uid: user.uid, fid: acfd.fid, hn: user.hosts[0] as string, count: 1 + prng.int(2) });
    }
  }
  denials.sort((a, b) => a.at - b.at);

  const borrows = borrowsOf(profiles, features, options.now);
  const sessions: SimSession[] = usage
    .filter((u) => u.day === today && prng.next() < 0.35)
    .map((u) => ({ fid: u.fid, uid: u.uid, hn: u.hn, licenses: u.maxUsed, since: Math.min(options.now, startOfToday + 8 * 3_600_000 + prng.int(120) * 60_000) }));
  return { servers, features, users, usage, denials, borrows, sessions };
}

/**
 * Three borrowed licenses: MATLAB out for 12 days and ANSYS CFD for 9 (idle by the usual 7-day
 * mark), a toolbox borrowed two days ago. Borrowers are the first users of the discipline.
 */
function borrowsOf(profiles: readonly { readonly user: SimUser; readonly discipline: Discipline; readonly intensity: unknown }[], features: readonly SimFeature[], now: number): SimBorrow[] {
  const plan: readonly [Discipline, string, number][] = [
    ['matlab', 'MATLAB', 12],
    ['cfd', 'acfd', 9],
    ['matlab', 'Signal_Toolbox', 2],
  ];
  const borrows: SimBorrow[] = [];
  const used = new Set<number>();
  for (const [discipline, fns, daysAgo] of plan) {
    const profile = profiles.find((p) => p.discipline === discipline && p.intensity !== null && !used.has(p.user.uid));
    const feature = features.find((f) => f.fns === fns);
    if (!profile || !feature) {
      continue;
    }
    used.add(profile.user.uid);
    const since = Math.floor((now - daysAgo * DAY_MS) / 60_000) * 60_000;
    const host = profile.user.hosts[profile.user.hosts.length - 1] as string;
    borrows.push({ fid: feature.fid, uid: profile.user.uid, hn: host, licenses: feature.perCheckout, since, until: since + 14 * DAY_MS });
  }
  return borrows;
}
