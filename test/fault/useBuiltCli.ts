import { buildCliOnce } from './builtCli';
import { killLeftoverProcesses } from './cliProcess';

/** Long enough for esbuild on a busy 2-core machine. */
const BUILD_TIMEOUT_MS = 180_000;

/**
 * Call inside a mocha `describe`: builds dist/ before its tests (once per run, however many
 * suites ask), and after each test SIGKILLs any process the test started and left running, so
 * a failed test cannot leave a CLI blocked on a hanging connection behind it.
 */
export function useBuiltCli(): void {
  before(async function () {
    this.timeout(BUILD_TIMEOUT_MS);
    await buildCliOnce();
  });
  afterEach(() => {
    killLeftoverProcesses();
  });
}
