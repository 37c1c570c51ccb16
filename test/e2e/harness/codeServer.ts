import { execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { spawnGroup, stopGroup } from './processGroup';
import type { E2eTools } from './tools';

/** Directories one code-server instance owns; reusing them across a restart keeps its state. */
export interface CodeServerDirs {
  readonly userDataDir: string;
  readonly extensionsDir: string;
}

/** How to start code-server. */
export interface CodeServerOptions extends CodeServerDirs {
  readonly tools: E2eTools;
  /** Folder the workbench opens. */
  readonly workspace: string;
  /** Server output; appended to across restarts. */
  readonly logFile: string;
  /** Reuse a port across a restart: secrets live in the browser's per-origin localStorage. */
  readonly port?: number;
  /** Extra environment; the extension host inherits the server's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** User settings merged over {@link quietSettings}. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /**
   * Let the built workbench honour `?payload=` (extensionDevelopmentPath/extensionTestsPath). Only
   * for the extension-host tier: the same switch stops the workbench from showing toasts.
   */
  readonly smokeTestDriver?: boolean;
}

/** Settings that keep a fresh profile from opening editors, prompts or network traffic mid-test. */
export const quietSettings: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden', // an empty chat bar would narrow every screenshot
  'git.enabled': false,
  // The extension refuses admin writes in untrusted workspaces; the server flag trusts everything too.
  'security.workspace.trust.enabled': false,
  // Specs drive their syncs (and count the simulator's requests); one testing the startup sync turns it on.
  'licenseSteward.syncOnStartup': false,
};

const execFileAsync = promisify(execFile);

/** A running code-server; always {@link CodeServer.stop} it (try/finally). */
export class CodeServer {
  private constructor(
    private readonly child: ChildProcess,
    /** Port on 127.0.0.1. */
    readonly port: number,
    /** Folder the workbench opens. */
    readonly workspace: string,
  ) {}

  /** `http://127.0.0.1:PORT`. */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A server path as the workbench names it in an integration-test payload. */
  remoteUri(absolutePath: string): string {
    return `vscode-remote://127.0.0.1:${this.port}${absolutePath}`;
  }

  /** Workbench URL for the workspace, optionally carrying VS Code's integration-test payload. */
  workbenchUrl(payload?: ReadonlyArray<readonly [string, string]>): string {
    const query = new URLSearchParams({ folder: this.workspace });
    if (payload) query.set('payload', JSON.stringify(payload));
    return `${this.origin}/?${query.toString()}`;
  }

  /** Starts code-server and resolves once it serves the workbench page. */
  static async start(options: CodeServerOptions): Promise<CodeServer> {
    const port = options.port ?? (await freePort());
    writeSettings(options.userDataDir, { ...quietSettings, ...options.settings });
    const args = [
      options.tools.codeServerEntry,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      ...dirArgs(options),
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
      options.workspace,
    ];
    const child = spawnGroup(options.tools.node, args, { env: serverEnv(options.tools, options, options.env), logFile: options.logFile });
    const server = new CodeServer(child, port, options.workspace);
    try {
      await server.waitUntilServing(options.logFile);
      return server;
    } catch (error) {
      await server.stop();
      throw error;
    }
  }

  /** Stops the server and everything it started (extension host, file watcher, pty host). */
  async stop(): Promise<void> {
    await stopGroup(this.child);
  }

  // /healthz alone is not readiness: under the wrong Node it answers 200 while the workbench 500s.
  private async waitUntilServing(logFile: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`code-server exited (${this.child.exitCode ?? this.child.signalCode}) while starting:\n${tail(logFile)}`);
      }
      try {
        const health = await fetch(`${this.origin}/healthz`);
        const page = health.ok ? await fetch(this.workbenchUrl()) : health;
        if (page.ok) return;
        last = `HTTP ${page.status} from ${page.url}`;
      } catch (error) {
        last = String(error);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`code-server did not serve the workbench within ${timeoutMs} ms (${last}):\n${tail(logFile)}`);
  }
}

/** Installs a .vsix into the profile (`--install-extension <folder>` is unsupported, hence a .vsix). */
export async function installVsix(tools: E2eTools, dirs: CodeServerDirs, vsix: string): Promise<void> {
  await execFileAsync(
    tools.node,
    [tools.codeServerEntry, ...dirArgs(dirs), '--install-extension', vsix, '--force'],
    { env: serverEnv(tools, dirs), timeout: 120_000 },
  );
}

/** A port free right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function dirArgs(dirs: CodeServerDirs): string[] {
  // Without --config every invocation, --install-extension included, writes ~/.config/code-server.
  const config = path.join(dirs.userDataDir, 'cs-config.yaml');
  mkdirSync(dirs.userDataDir, { recursive: true });
  writeFileSync(config, 'auth: none\ncert: false\n');
  return ['--config', config, '--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir];
}

function writeSettings(userDataDir: string, settings: Readonly<Record<string, unknown>>): void {
  const dir = path.join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

function serverEnv(tools: E2eTools, dirs: CodeServerDirs, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  // VS Code's device id and anything else keyed to XDG dirs stay in the run, not in ~/.cache.
  const xdg = path.join(dirs.userDataDir, 'xdg');
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: xdg, XDG_CACHE_HOME: xdg, XDG_DATA_HOME: xdg, ...extra };
  for (const name of Object.keys(env)) {
    // Inside a VS Code terminal VSCODE_IPC_HOOK_CLI makes code-server hand off to that window;
    // NODE_OPTIONS from tsx or a debugger must not reach Node 24.
    if (name.startsWith('VSCODE_') || name === 'NODE_OPTIONS' || name === 'ELECTRON_RUN_AS_NODE') delete env[name];
  }
  // Tasks, terminals and anything the server spawns by name must also get Node 24.
  env.PATH = `${path.dirname(tools.node)}${path.delimiter}${env.PATH ?? ''}`;
  return env;
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
