/**
 * Loads the built usage-history page in headless Chromium the way VS Code would: the HTML from
 * `buildWebviewHtml` (CSP meta tag and nonce included), the bundle from dist/webview served over
 * a local origin standing in for `webview.cspSource`, and a stand-in `acquireVsCodeApi` injected
 * before any page script. Used by the browser tests and by bench/render.ts.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { HISTORY_BUNDLE, WEBVIEW_BUNDLE_DIR } from '../../src/panels/webviewBundle';
import { buildWebviewHtml, makeNonce } from '../../src/panels/webviewHtml';
import type { HistoryProbe, ProbeInit } from './probeApi';

const root = path.resolve(__dirname, '../..');
const bundleDir = path.join(root, ...WEBVIEW_BUNDLE_DIR);

/** Debian's Chromium; playwright-core drives it (no Playwright browser download). */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Builds the extension's bundles with the project's own build script (esbuild.js). */
export async function buildBundles(): Promise<void> {
  await promisify(execFile)(process.execPath, ['esbuild.js'], { cwd: root });
}

/** A browser-side script of probe/ bundled to one IIFE (the probe, the benchmark baseline). */
export async function bundleProbeScript(file: 'historyProbe.ts' | 'uplotBaseline.ts'): Promise<string> {
  const out = await esbuild.build({ entryPoints: [path.join(__dirname, 'probe', file)], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'chrome120', logLevel: 'warning' });
  return out.outputFiles[0]?.text ?? '';
}

/**
 * Theme variables as VS Code's Dark Modern and Light Modern set them (a subset). VS Code puts
 * them on <html>; scoping them to the body class lets a test switch theme with the class alone.
 */
const THEME_CSS = `
body.vscode-dark {
  --vscode-foreground: #cccccc; --vscode-descriptionForeground: #9d9d9d; --vscode-editor-background: #1f1f1f;
  --vscode-charts-foreground: #cccccc; --vscode-charts-lines: rgba(204, 204, 204, 0.5);
  --vscode-charts-blue: #3794ff; --vscode-charts-green: #89d185; --vscode-charts-yellow: #cca700;
  --vscode-charts-orange: #d18616; --vscode-charts-purple: #b180d7; --vscode-charts-red: #f14c4c;
  --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff;
  --vscode-button-secondaryBackground: #313131; --vscode-button-secondaryForeground: #cccccc;
  --vscode-focusBorder: #0078d4; --vscode-errorForeground: #f85149;
  --vscode-settings-checkboxBackground: #313131; --vscode-settings-checkboxBorder: #3c3c3c; --vscode-settings-checkboxForeground: #cccccc;
}
body.vscode-light {
  --vscode-foreground: #3b3b3b; --vscode-descriptionForeground: #717171; --vscode-editor-background: #ffffff;
  --vscode-charts-foreground: #3b3b3b; --vscode-charts-lines: rgba(59, 59, 59, 0.5);
  --vscode-charts-blue: #1a85ff; --vscode-charts-green: #388a34; --vscode-charts-yellow: #bf8803;
  --vscode-charts-orange: #d18616; --vscode-charts-purple: #652d90; --vscode-charts-red: #e51400;
  --vscode-button-background: #005fb8; --vscode-button-foreground: #ffffff;
  --vscode-button-secondaryBackground: #e5e5e5; --vscode-button-secondaryForeground: #3b3b3b;
  --vscode-focusBorder: #005fb8; --vscode-errorForeground: #f85149;
  --vscode-settings-checkboxBackground: #f8f8f8; --vscode-settings-checkboxBorder: #cecece; --vscode-settings-checkboxForeground: #3b3b3b;
}
body { --vscode-font-family: system-ui, "Ubuntu", "Droid Sans", sans-serif; --vscode-font-size: 13px; }
`;

/** A local origin serving the bundle folder, the theme stylesheet and generated pages. */
export class PageServer {
  private readonly pages = new Map<string, string>();
  private readonly assets = new Map<string, string>();
  private constructor(
    private readonly server: Server,
    /** Stands in for `webview.cspSource`. */
    readonly origin: string,
  ) {}

  static async start(): Promise<PageServer> {
    let self: PageServer | undefined;
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const page = self?.pages.get(url.pathname);
      const asset = self?.assets.get(url.pathname);
      const file = url.pathname.startsWith('/bundle/') ? path.join(bundleDir, path.basename(url.pathname)) : undefined;
      try {
        if (page !== undefined) {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
        } else if (asset !== undefined) {
          res.writeHead(200, { 'content-type': 'text/javascript' }).end(asset);
        } else if (url.pathname === '/favicon.ico') {
          // Chromium asks for one; a VS Code webview never does.
          res.writeHead(204).end();
        } else if (url.pathname === '/theme.css') {
          res.writeHead(200, { 'content-type': 'text/css' }).end(THEME_CSS);
        } else if (file) {
          res.writeHead(200, { 'content-type': file.endsWith('.css') ? 'text/css' : 'text/javascript' }).end(readFileSync(file));
        } else {
          res.writeHead(404).end();
        }
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self = new PageServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return self;
  }

  /** Publishes a script at `/name`, for a page's `script` option. */
  addScript(name: string, text: string): string {
    this.assets.set(`/${name}`, text);
    return `${this.origin}/${name}`;
  }

  /** Publishes a page; the script and styles default to the history bundle. */
  addPage(name: string, options: { bodyClass: string; scriptUri?: string; styles?: string[] }): string {
    const html = buildWebviewHtml({
      cspSource: this.origin,
      nonce: makeNonce(),
      scriptUri: options.scriptUri ?? `${this.origin}/bundle/${HISTORY_BUNDLE.script}`,
      styleUris: [`${this.origin}/theme.css`, ...(options.styles ?? [`${this.origin}/bundle/${HISTORY_BUNDLE.style}`])],
      title: 'Usage history',
      bodyClass: options.bodyClass,
    });
    this.pages.set(`/${name}`, html);
    return `${this.origin}/${name}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Headless Chromium with its profile and crash files in a scratch folder. */
export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'ls-webview-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    env: { ...process.env, XDG_CONFIG_HOME: scratch, XDG_CACHE_HOME: scratch, TMPDIR: scratch },
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** What a probe function resolves with. */
export type ProbeResult<K extends keyof HistoryProbe> = Awaited<ReturnType<HistoryProbe[K]>>;

/** A loaded page plus what it reported. */
export interface OpenedPage {
  readonly page: Page;
  /** Console errors and uncaught exceptions. */
  readonly errors: string[];
  /** Calls a probe function in the page with JSON arguments. */
  probe<K extends keyof HistoryProbe>(name: K, ...args: Parameters<HistoryProbe[K]>): Promise<ProbeResult<K>>;
  close(): Promise<void>;
}

let cachedProbe: Promise<string> | undefined;

/** Opens `url` in a fresh context with the probe installed before the page's own scripts. */
export async function openPage(browser: Browser, url: string, init: ProbeInit = {}, viewport = { width: 1000, height: 700 }): Promise<OpenedPage> {
  cachedProbe ??= bundleProbeScript('historyProbe.ts');
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(`${m.text()} ${m.location().url}`));
  page.on('pageerror', (e) => errors.push(`${e.name}: ${e.message}`));
  // Added by the DevTools protocol, so the page's CSP does not apply to it (nor should it).
  await page.addInitScript({ content: `window.historyProbeInit = ${JSON.stringify(init)};\n${await cachedProbe}` });
  await page.goto(url);
  return {
    page,
    errors,
    // A string, not a function: Node code here has no DOM types; the probe's types vouch for the result.
    probe: <K extends keyof HistoryProbe>(name: K, ...args: Parameters<HistoryProbe[K]>) =>
      page.evaluate(`window.historyProbe[${JSON.stringify(name)}](...${JSON.stringify(args)})`) as Promise<ProbeResult<K>>,
    close: () => context.close(),
  };
}
