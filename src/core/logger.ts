/**
 * The logging seam for code outside the VS Code layer: the extension passes its
 * LogOutputChannel, the CLI a stderr logger, tests the silent one.
 * Callers must never pass secrets; the HTTP layer redacts what it logs itself.
 */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A logger that drops everything, for tests and benchmarks. */
export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Prefixes every line with a component tag, e.g. `[qrs]`. */
export function taggedLogger(base: Logger, tag: string): Logger {
  const t = `[${tag}] `;
  return {
    trace: (m) => base.trace(t + m),
    debug: (m) => base.debug(t + m),
    info: (m) => base.info(t + m),
    warn: (m) => base.warn(t + m),
    error: (m) => base.error(t + m),
  };
}
