import type { Logger } from '../core/logger';

/** Writes warnings and errors to stderr always, info/debug only when asked (`--verbose`). */
export function stderrLogger(verbose: boolean, write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const out = (level: string) => (m: string) => write(`${level}: ${m}\n`);
  const none = () => undefined;
  return {
    trace: none,
    debug: verbose ? out('debug') : none,
    info: verbose ? out('info') : none,
    warn: out('warning'),
    error: out('error'),
  };
}
