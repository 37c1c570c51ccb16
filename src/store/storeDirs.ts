/**
 * Where stores live: one directory per connection under a data directory (the extension's
 * globalStorageUri, or the CLI's --data-dir / the OS's per-user data directory).
 */
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import * as path from 'node:path';

/** Names Windows reserves whatever the extension. */
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/**
 * A directory name for a connection id that is safe on every file system: lower-case letters,
 * digits, `-` and `_` from the id, plus a hash of the exact id so ids differing only in case or
 * in stripped characters never share a store (macOS and Windows ignore case).
 */
export function connectionDirName(connectionId: string): string {
  if (!connectionId) {
    throw new RangeError('A history store needs a connection id.');
  }
  let readable = connectionId.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  if (RESERVED.test(readable)) {
    readable = `${readable}-`;
  }
  const digest = createHash('sha256').update(connectionId, 'utf8').digest('hex').slice(0, 10);
  return readable ? `${readable}-${digest}` : digest;
}

/** The store directory of a connection under a data directory. */
export function historyStoreDir(dataDir: string, connectionId: string): string {
  return path.join(dataDir, 'history', connectionDirName(connectionId));
}

/** What the default data directory depends on, so tests can ask for any platform. */
export interface PlatformInfo {
  readonly platform: NodeJS.Platform;
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
}

/**
 * The OS's per-user data directory for the CLI: %LOCALAPPDATA% on Windows (history is bulky and
 * machine-specific, so not the roaming profile), ~/Library/Application Support on macOS,
 * $XDG_DATA_HOME or ~/.local/share elsewhere.
 */
export function defaultDataDir(info: PlatformInfo = { platform: process.platform, env: process.env, home: homedir() }): string {
  const p = info.platform === 'win32' ? path.win32 : path.posix;
  switch (info.platform) {
    case 'win32':
      return p.join(info.env.LOCALAPPDATA || p.join(info.home, 'AppData', 'Local'), 'License Steward');
    case 'darwin':
      return p.join(info.home, 'Library', 'Application Support', 'License Steward');
    default:
      return p.join(info.env.XDG_DATA_HOME || p.join(info.home, '.local', 'share'), 'license-steward');
  }
}
