import { chromium, type BrowserContext, type LaunchOptions, type Page } from 'playwright-core';

/** A Chromium window with one page; {@link BrowserSession.close} ends the browser process. */
export interface BrowserSession {
  readonly context: BrowserContext;
  readonly page: Page;
  /** The page's last console errors and warnings and uncaught errors, webviews' included, oldest first. */
  consoleTail(): readonly string[];
  close(): Promise<void>;
}

/** How many console lines a session keeps for failure reports. */
const CONSOLE_TAIL = 30;

/** Keeps the page's recent errors and warnings: a failure report on CI has nothing else to go on. */
function recordConsole(page: Page): () => readonly string[] {
  const tail: string[] = [];
  const keep = (line: string): void => {
    tail.push(line.length > 400 ? `${line.slice(0, 400)}…` : line);
    if (tail.length > CONSOLE_TAIL) tail.shift();
  };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') keep(`${m.type()}: ${m.text().split('\n')[0] ?? ''}`);
  });
  page.on('pageerror', (e) => keep(`uncaught: ${e.message}`));
  return () => [...tail];
}

/** How to launch Chromium. */
export interface BrowserOptions {
  readonly executablePath: string;
  /**
   * The run's scratch directory. Chromium's crash handler and caches follow XDG_CONFIG_HOME and
   * XDG_CACHE_HOME, its profile lock TMPDIR: pointing them here keeps ~/.config/chromium off a
   * developer's machine and leaves nothing in /tmp when a run is killed.
   */
  readonly scratchDir: string;
  /**
   * Keep the profile in this directory. Needed to see a secret survive a restart: code-server keeps
   * SecretStorage in the browser's localStorage, so only the same profile (and origin) finds it again.
   */
  readonly profileDir?: string;
}

// Headless on a server with no GPU, no sandbox (root in CI) and no network beyond localhost.
const args = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Screenshots are read by people; this size shows the side bar, an editor and the toasts. */
const viewport = { width: 1440, height: 900 };

/** Launches Chromium through playwright-core (no Playwright browser download involved). */
export async function launchBrowser(options: BrowserOptions): Promise<BrowserSession> {
  const env = { ...process.env, XDG_CONFIG_HOME: options.scratchDir, XDG_CACHE_HOME: options.scratchDir, TMPDIR: options.scratchDir };
  const launch: LaunchOptions = { executablePath: options.executablePath, headless: true, args, env };
  if (options.profileDir) {
    const context = await chromium.launchPersistentContext(options.profileDir, { ...launch, viewport });
    const page = context.pages()[0] ?? (await context.newPage());
    return { context, page, consoleTail: recordConsole(page), close: () => context.close() };
  }
  const browser = await chromium.launch(launch);
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  return { context, page, consoleTail: recordConsole(page), close: () => browser.close() };
}
