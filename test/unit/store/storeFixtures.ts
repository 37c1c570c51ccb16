import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../../../src/core/logger';
import { DAY_MS, type Allocation, type PassKind, type UsageRecord, type User } from '../../../src/core/model';

/** 2026-03-15 12:00 UTC: mid-month, so a 28-day window spans two months. */
export const NOW = Date.UTC(2026, 2, 15, 12);

export const person = (id: string, name = id.toUpperCase()): User => ({ id, directory: 'CORP', userId: id, name });

/** A login-pass record `daysAgo` days before NOW (plus `offsetMs`). */
export function pass(id: string, user: User, daysAgo: number, offsetMs = 0): UsageRecord {
  return { id, user, start: NOW - daysAgo * DAY_MS + offsetMs, stop: null, unit: 'loginPass', amount: 1, pool: 'Occasional' };
}

export function capacity(id: string, user: User, daysAgo: number, minutes: number): UsageRecord {
  return { id, user, start: NOW - daysAgo * DAY_MS, stop: null, unit: 'capacityMinutes', amount: minutes, pool: null };
}

export function allocation(id: string, user: User, flags: Partial<Pick<Allocation, 'quarantined' | 'userDeleted'>> = {}, kind: PassKind = 'user'): Allocation {
  return { id, kind, user, lastUsed: null, quarantined: flags.quarantined ?? false, quarantineEnd: null, userDeleted: flags.userDeleted ?? false, excess: false };
}

/** A logger that keeps warnings (and errors) for assertions. */
export function recordingLogger(): Logger & { readonly warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: (m) => void warnings.push(m),
    error: (m) => void warnings.push(m),
  };
}

/** A fresh temp directory per test, removed afterwards. */
export function tempDirs(): { make(): Promise<string>; cleanup(): Promise<void> } {
  const made: string[] = [];
  return {
    async make() {
      const d = await mkdtemp(path.join(tmpdir(), 'ls-history-'));
      made.push(d);
      return d;
    },
    async cleanup() {
      await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
    },
  };
}

/** The window of the last `days` days up to the end of NOW's day. */
export function lastDays(days: number, now = NOW): { from: number; to: number } {
  const end = Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
  return { from: end - days * DAY_MS, to: end };
}

export const sum = (xs: readonly { loginPasses: number }[]) => xs.reduce((s, p) => s + p.loginPasses, 0);

/** Fails a test that would otherwise wait (or spin) until mocha's timeout, saying so. */
export async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}
