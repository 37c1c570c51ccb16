// The fixture UI specs get their page from: each spec opens a Workbench (code-server + Chromium on a
// fresh profile, with the packaged extension installed) in `before` and closes it in `after`. The
// runner (runUiTests.ts) configures the run once and drives the failure screenshots.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, type BrowserSession } from './browser';
import { CodeServer } from './codeServer';
import { createRunDir, type RunDir } from './runDir';
import type { E2eTools } from './tools';
import { waitForWorkbench, webviewFrame } from './workbench';

/** What the runner prepared for every session of a run. */
export interface UiRunContext {
  readonly tools: E2eTools;
  /** Holds the installed VSIX; shared by the sessions, which never install anything themselves. */
  readonly extensionsDir: string;
  /** Screenshots and server logs go here. */
  readonly resultsDir: string;
}

/** How a spec wants its workbench. */
export interface WorkbenchOptions {
  /** Environment for code-server and so the extension host (simulator URL, credentials). */
  readonly env?: Readonly<Record<string, string>>;
  /** User settings, merged over the harness's quiet defaults. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Files to create in the workspace before start, by relative path (e.g. `.vscode/settings.json`). */
  readonly workspaceFiles?: Readonly<Record<string, string>>;
  /** Keep the browser profile across {@link Workbench.restart} (secrets live in it, see browser.ts). */
  readonly persistentProfile?: boolean;
  /** Wait until this view container's activity-bar entry exists, i.e. the extension is registered. */
  readonly containerTitle?: string;
}

// One run per process, set before mocha loads the specs; sessions register so the runner can take
// failure screenshots and nothing outlives the run.
let runContext: UiRunContext | undefined;
const openSessions = new Set<Workbench>();
const failuresToCapture: string[] = [];
let sessionCount = 0;

/** Called by the runner before loading specs. */
export function configureUiRun(context: UiRunContext): void {
  runContext = context;
}

/** Called by the runner on every failed test or hook; the next capture point screenshots it. */
export function noteFailure(title: string): void {
  failuresToCapture.push(title);
}

/** Screenshots every open session for each noted failure (root afterEach and Workbench.close call this). */
export async function captureFailures(): Promise<void> {
  const titles = failuresToCapture.splice(0);
  for (const title of titles) {
    for (const session of openSessions) {
      await session.screenshot(`FAILED ${title}`).catch(() => undefined);
      // CI keeps only the console output, so say there what the screenshot shows.
      const screen = await session.describeScreen().catch((e: unknown) => [`(could not read the screen: ${String(e)})`]);
      console.log(`\n  On screen after "${title}":\n${screen.map((l) => `    ${l}`).join('\n')}\n`);
    }
  }
}

/** Closes whatever a spec left open (the runner calls this last). */
export async function closeAllSessions(): Promise<void> {
  for (const session of [...openSessions]) await session.close();
}

/** Opens a workbench for a spec; close it in `after`. */
export async function openWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  if (!runContext) throw new Error('openWorkbench() outside runUiTests.ts: run specs with the UI runner');
  const session = new Workbench(runContext, options, ++sessionCount);
  openSessions.add(session);
  try {
    await session.start();
  } catch (error) {
    await session.screenshot(`FAILED workbench ${sessionCount} start`).catch(() => undefined);
    await session.close();
    throw error;
  }
  return session;
}

/** A code-server and a browser showing its workbench. */
export class Workbench {
  private readonly dirs: RunDir;
  private server: CodeServer | undefined;
  private browser: BrowserSession | undefined;
  private port: number | undefined;

  /** @internal use {@link openWorkbench}. */
  constructor(
    private readonly context: UiRunContext,
    private readonly options: WorkbenchOptions,
    private readonly index: number,
  ) {
    this.dirs = createRunDir('license-steward-ui');
    for (const [relative, content] of Object.entries(options.workspaceFiles ?? {})) {
      const file = path.join(this.dirs.workspace, relative);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
  }

  /** The workbench page. */
  get page(): Page {
    if (!this.browser) throw new Error('workbench is not running');
    return this.browser.page;
  }

  /** The workspace folder the workbench has open. */
  get workspace(): string {
    return this.dirs.workspace;
  }

  /** The profile directory (settings.json, logs) the server writes. */
  get userDataDir(): string {
    return this.dirs.userDataDir;
  }

  /** @internal */
  async start(): Promise<void> {
    this.server = await CodeServer.start({
      tools: this.context.tools,
      userDataDir: this.dirs.userDataDir,
      extensionsDir: this.context.extensionsDir,
      workspace: this.dirs.workspace,
      logFile: path.join(this.context.resultsDir, `code-server-${this.index}.log`),
      ...(this.port === undefined ? {} : { port: this.port }),
      ...(this.options.env ? { env: this.options.env } : {}),
      ...(this.options.settings ? { settings: this.options.settings } : {}),
    });
    this.port = this.server.port; // a restart must keep the origin: localStorage is per origin
    this.browser = await launchBrowser({
      executablePath: this.context.tools.chromium,
      scratchDir: this.dirs.root,
      ...(this.options.persistentProfile ? { profileDir: path.join(this.dirs.root, 'browser-profile') } : {}),
    });
    await this.page.goto(this.server.workbenchUrl());
    await waitForWorkbench(this.page, this.options.containerTitle);
  }

  /** Stops server and browser and starts them again on the same port, profile and user data. */
  async restart(): Promise<void> {
    await this.stopProcesses();
    await this.start();
  }

  /** Saves `test-results/ui/<name>.png` and returns its path (specs call it for the record; failures are automatic). */
  async screenshot(name: string): Promise<string> {
    const file = path.join(this.context.resultsDir, `${name.replace(/[^\w.-]+/g, '_').slice(0, 120)}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** What a failure report says the workbench showed: editors, toasts, open inputs, webviews, console errors. */
  async describeScreen(): Promise<string[]> {
    const page = this.page;
    const texts = async (selector: string): Promise<string[]> => (await page.locator(selector).allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
    const quickInputValue = async (): Promise<string[]> => {
      const value = await page.locator('.quick-input-widget:visible .quick-input-box input').inputValue({ timeout: 500 }).catch(() => '');
      return value ? [`input holds "${value}"`] : [];
    };
    const webviews = await page.locator('iframe.webview').evaluateAll((frames) => frames.map((f) => f.getAttribute('class') ?? ''));
    const lines = [
      `editor tabs: ${(await texts('.tabs-container .tab .label-name')).join(' | ') || '(none)'}`,
      `toasts: ${(await texts('.notifications-toasts .notification-toast')).join(' | ') || '(none)'}`,
      `quick input: ${[...(await texts('.quick-input-widget:visible .quick-input-title, .quick-input-widget:visible .quick-input-message')), ...(await quickInputValue())].join(' | ') || '(none)'}`,
      `menu: ${(await texts('.monaco-menu .action-label')).join(' | ') || '(none)'}`,
      `dialog: ${(await texts('.monaco-dialog-box')).join(' | ') || '(none)'}`,
      `side bar rows: ${(await texts('.part.sidebar .monaco-list-row')).slice(0, 8).join(' | ') || '(none)'}`,
      `webview frames: ${webviews.length === 0 ? '(none)' : webviews.join(' | ')}`,
    ];
    const shown = await webviewFrame(page).locator('body').innerText({ timeout: 1_000 }).catch(() => undefined);
    if (shown !== undefined) lines.push(`active webview says: ${shown.replace(/\s+/g, ' ').trim().slice(0, 300)}`);
    const tail = this.browser?.consoleTail() ?? [];
    lines.push(`console (last ${tail.length} errors and warnings):`, ...tail.map((l) => `  ${l}`));
    return lines;
  }

  /** Captures pending failure screenshots, then stops everything and removes the scratch dirs. */
  async close(): Promise<void> {
    if (!openSessions.has(this)) return;
    await captureFailures(); // a failed `before` hook reaches no afterEach; `after` still closes us
    openSessions.delete(this);
    await this.stopProcesses();
    this.dirs.remove();
  }

  private async stopProcesses(): Promise<void> {
    await this.browser?.close().catch(() => undefined);
    this.browser = undefined;
    await this.server?.stop();
    this.server = undefined;
  }
}
