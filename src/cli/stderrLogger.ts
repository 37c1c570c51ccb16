import { terminalSafe } from '../core/displayText';
import type { Logger } from '../core/logger';

/**
 * Writes warnings and errors to stderr always, info/debug only when asked (`--verbose`). Lines
 * can quote a server (its error text, a user's name): control characters are neutralised, line
 * by line, so a message may still span lines but never drive the terminal.
 */
export function stderrLogger(verbose: boolean, write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const out = (level: string) => (m: string) => write(`${level}: ${m.split('\n').map(terminalSafe).join('\n')}\n`);
  const none = () => undefined;
  return {
    trace: none,
    debug: verbose ? out('debug') : none,
    info: verbose ? out('info') : none,
    warn: out('warning'),
    error: out('error'),
  };
}
