import type * as vscode from 'vscode';
import type { Logger } from '../core/logger';

/** The core Logger on top of the one LogOutputChannel; the channel's level filter applies. */
export function outputLogger(channel: vscode.LogOutputChannel): Logger {
  return {
    trace: (m) => channel.trace(m),
    debug: (m) => channel.debug(m),
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m) => channel.error(m),
  };
}
