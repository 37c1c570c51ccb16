import { CliCredentialStore } from '../secrets/cliCredentialStore';
import { runCli } from './runCli';
import { stderrLogger } from './stderrLogger';

/** The `license-steward` binary: wires real streams, env and keychain into `runCli`. */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const logger = stderrLogger(argv.includes('--verbose'));
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const code = await runCli(argv, {
    out: (t) => process.stdout.write(t),
    logger,
    secrets: new CliCredentialStore(process.env, logger),
    terminal: { input: process.stdin, output: process.stderr },
    env: process.env,
    now: () => Date.now(),
    stopped,
  });
  process.exitCode = code;
  // Nothing must keep a finished command alive (a signal listener, an idle keep-alive socket).
  setImmediate(() => process.exit(code));
}

void main();
