/**
 * Runs in the test page before the webview bundle (playwright addInitScript): stands in for
 * VS Code's `acquireVsCodeApi`, records what the page posts and every CSP violation, and offers
 * measurements to the Node side (see ../probeApi.ts).
 */
import type { CanvasInk, HistoryProbe, ProbeInit } from '../probeApi';

declare global {
  interface Window {
    acquireVsCodeApi(): { postMessage(m: unknown): void; getState(): unknown; setState(s: unknown): void };
    historyProbe: HistoryProbe;
    historyProbeInit?: ProbeInit;
  }
}

const posted: unknown[] = [];
const violations: string[] = [];
let state: unknown = window.historyProbeInit?.state;
let acquired = false;

window.acquireVsCodeApi = () => {
  // VS Code throws on a second call; a page that did so would break in the real webview.
  if (acquired) {
    throw new Error('acquireVsCodeApi may only be called once');
  }
  acquired = true;
  return {
    // JSON round trip: what VS Code's message passing does to the value.
    postMessage: (m: unknown) => void posted.push(JSON.parse(JSON.stringify(m)) as unknown),
    getState: () => state,
    setState: (s: unknown) => {
      state = JSON.parse(JSON.stringify(s)) as unknown;
    },
  };
};

document.addEventListener('securitypolicyviolation', (e) => {
  violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});

function chart(): HTMLElement | null {
  return document.querySelector<HTMLElement>('.chart');
}

function draws(): number {
  return Number(chart()?.dataset['draws'] ?? 0);
}

function canvasInk(): CanvasInk | null {
  const canvas = chart()?.querySelector('canvas');
  const ctx = canvas?.getContext('2d');
  if (!canvas || !ctx || canvas.width === 0 || canvas.height === 0) {
    return null;
  }
  const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  const sum = [0, 0, 0];
  for (let i = 0; i < px.length; i += 4) {
    if ((px[i + 3] ?? 0) > 0) {
      inked++;
      sum[0] = (sum[0] ?? 0) + (px[i] ?? 0);
      sum[1] = (sum[1] ?? 0) + (px[i + 1] ?? 0);
      sum[2] = (sum[2] ?? 0) + (px[i + 2] ?? 0);
    }
  }
  const mean = sum.map((s) => (inked ? Math.round(s / inked) : 0)) as [number, number, number];
  return { width: canvas.width, height: canvas.height, inked: inked / (px.length / 4), mean };
}

function plotInk(color: string, from = 0, to = 1, tolerance = 24): number {
  const canvas = chart()?.querySelector('canvas');
  const over = chart()?.querySelector('.u-over');
  const ctx = canvas?.getContext('2d');
  if (!canvas || !over || !ctx || canvas.clientWidth === 0) {
    return 0;
  }
  // The overlay covers the plot in CSS pixels; the canvas is in device pixels.
  const scale = canvas.width / canvas.clientWidth;
  const c = canvas.getBoundingClientRect();
  const o = over.getBoundingClientRect();
  const left = Math.round((o.left - c.left + from * o.width) * scale);
  const right = Math.round((o.left - c.left + to * o.width) * scale);
  const top = Math.round((o.top - c.top) * scale);
  const bottom = Math.round((o.bottom - c.top) * scale);
  if (right <= left || bottom <= top) {
    return 0;
  }
  const want = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
  const px = ctx.getImageData(left, top, right - left, bottom - top).data;
  let n = 0;
  for (let i = 0; i < px.length; i += 4) {
    // Opaque only: the canvas is transparent under the chart, so a translucent stroke or fill
    // reads back as its own colour at a low alpha, not blended with the background.
    if ((px[i + 3] ?? 0) >= 250 && want.every((w, k) => Math.abs((px[i + k] ?? 0) - w) <= tolerance)) {
      n++;
    }
  }
  return n;
}

function timeRender(message: unknown): Promise<number> {
  const target = chart();
  const before = draws();
  return new Promise((resolve, reject) => {
    if (!target) {
      reject(new Error('no chart container'));
      return;
    }
    let t0 = 0;
    // Mutation callbacks run as microtasks right after the draw hook sets data-draws.
    const observer = new MutationObserver(() => {
      if (draws() > before) {
        const ms = performance.now() - t0;
        observer.disconnect();
        resolve(ms);
      }
    });
    observer.observe(target, { attributes: true, attributeFilter: ['data-draws'] });
    t0 = performance.now();
    window.dispatchEvent(new MessageEvent('message', { data: message }));
  });
}

function until(counter: 'draws' | 'posted' | 'violations', n: number): Promise<void> {
  const value = { draws, posted: () => posted.length, violations: () => violations.length }[counter];
  const deadline = performance.now() + 10_000;
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (value() > n) {
        resolve();
      } else if (performance.now() > deadline) {
        reject(new Error(`${counter} stayed at ${value()}, expected more than ${n}`));
      } else {
        requestAnimationFrame(check);
      }
    };
    check();
  });
}

window.historyProbe = {
  until,
  posted: () => posted,
  state: () => state,
  send: (m) => window.postMessage(m, '*'),
  violations: () => violations,
  draws,
  canvasInk,
  plotInk,
  timeRender,
  focusedValue: () => document.activeElement?.getAttribute('value') ?? null,
  checkedRange: () => [...document.querySelectorAll('vscode-radio')].find((r) => r.checked)?.getAttribute('value') ?? null,
  setThemeClass: (themeClass) => {
    document.body.classList.remove('vscode-dark', 'vscode-light', 'vscode-high-contrast', 'vscode-high-contrast-light');
    document.body.classList.add(themeClass);
  },
  tryInlineStyle: () => {
    const style = document.createElement('style');
    style.textContent = 'body { color: red }';
    document.head.append(style);
  },
};
