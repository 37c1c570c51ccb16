import { userInfo } from 'node:os';

/** The OS account running License Steward, for audit entries; undefined where the OS cannot say. */
export function localUser(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    // Some containers run under a uid with no passwd entry.
    return undefined;
  }
}
