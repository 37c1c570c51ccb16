/**
 * What the in-page probe (probe/historyProbe.ts) offers the Node side of the browser tests and
 * the benchmark. DOM-free on purpose: Node code only sees these types, the page implements them.
 */

/** Non-transparent pixels of the chart canvas, and the mean colour they add up to. */
export interface CanvasInk {
  readonly width: number;
  readonly height: number;
  /** Share of pixels something was drawn on, 0..1. */
  readonly inked: number;
  /** Mean red, green, blue of the drawn pixels: changes when the theme's colours do. */
  readonly mean: readonly [number, number, number];
}

/** The probe's functions, called by name with JSON arguments. */
export interface HistoryProbe {
  /** Messages the page posted to the (stand-in) host, oldest first. */
  posted(): unknown[];
  /** What the page last passed to setState. */
  state(): unknown;
  /** Posts a message to the page the way VS Code does (window message event). */
  send(message: unknown): void;
  /** CSP violations reported by the page (`directive blockedURI source:line`). */
  violations(): string[];
  /** Completed chart draws so far. */
  draws(): number;
  canvasInk(): CanvasInk | null;
  /**
   * Opaque pixels of the plot area (the rectangle uPlot's `.u-over` covers: no axes, no labels)
   * whose colour is within `tolerance` of `color` (`#rrggbb`) in each channel, counted in the slice
   * `from`..`to` of the plot's width (fractions, 0 to 1). What one series drew, where its colour
   * is its own.
   */
  plotInk(color: string, from?: number, to?: number, tolerance?: number): number;
  /** The `value` attribute of the focused element (a range radio), or null. */
  focusedValue(): string | null;
  /** The range radio that is checked, or null. */
  checkedRange(): string | null;
  /**
   * Resolves once `probe()` of the named counter exceeds `n` (polled each frame, 10 s at most).
   * Waiting happens in the probe: playwright's waitForFunction evaluates strings with eval,
   * which the page's CSP rightly forbids.
   */
  until(counter: 'draws' | 'posted' | 'violations', n: number): Promise<void>;
  /** Replaces the body's theme class, as VS Code does on a theme switch. */
  setThemeClass(themeClass: string): void;
  /** Adds an inline <style>; the CSP must block and report it. */
  tryInlineStyle(): void;
  /**
   * Dispatches `message` synchronously and resolves with the milliseconds until the chart's
   * draw hook has run (performance.now inside the page).
   */
  timeRender(message: unknown): Promise<number>;
}

/** The stand-in host's starting state, as addInitScript receives it. */
export interface ProbeInit {
  /** What getState() returns before the page calls setState (a revived panel's state). */
  readonly state?: unknown;
}
