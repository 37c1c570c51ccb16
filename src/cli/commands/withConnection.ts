import { findConnection, type ConnectionConfig, type RulesConfig } from '../../core/connectionConfig';
import { CancelledError } from '../../core/errors';
import type { CliContext } from '../cliContext';
import { required } from '../cliArgs';
import { loadConfig } from '../loadConfig';
import { openSource, type OpenedSource } from '../openSource';

/**
 * Opens the `--connection` of `--config`, runs `fn`, and always closes the connection. A signal
 * that came while the config, PEM files or secret were read stops it before `fn` sends anything;
 * after that, `fn` passes `ctx.signal` to its calls.
 */
export async function withConnection<T>(
  values: { config?: string | undefined; connection?: string | undefined },
  usage: string,
  ctx: CliContext,
  fn: (source: OpenedSource, rules: RulesConfig, connection: ConnectionConfig) => Promise<T>,
): Promise<T> {
  const loaded = await loadConfig(required(values.config, '--config', usage));
  const conn = findConnection(loaded.config, required(values.connection, '--connection', usage), loaded.file);
  const source = await openSource(conn, loaded.dir, ctx.secrets, ctx.logger, ctx.now);
  try {
    if (ctx.signal.aborted) {
      throw new CancelledError(`connecting to "${conn.name}"`, 'beforeSending');
    }
    return await fn(source, loaded.config.rules, conn);
  } finally {
    await source.close();
  }
}
