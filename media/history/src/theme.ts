/**
 * Chart colours from VS Code's theme variables. Canvas drawing cannot use `var(--x)`, so the
 * values are read once per theme and the chart is rebuilt when VS Code switches theme.
 */

/** Colours and font the chart draws with, as canvas-ready CSS colours. */
export interface Palette {
  readonly foreground: string;
  readonly background: string;
  /** Grid and tick lines: the theme's chart lines colour. */
  readonly grid: string;
  readonly blue: string;
  readonly green: string;
  readonly yellow: string;
  readonly orange: string;
  readonly purple: string;
  readonly red: string;
  readonly fontFamily: string;
  /** In CSS pixels. */
  readonly fontSize: number;
  /** True in a high-contrast theme: thicker lines, no translucent fills. */
  readonly highContrast: boolean;
}

// VS Code's Dark Modern values: used where a variable is missing (a browser outside VS Code).
const FALLBACK: Readonly<Record<string, string>> = {
  '--vscode-charts-foreground': '#cccccc',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-charts-lines': 'rgba(204, 204, 204, 0.5)',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-font-family': 'system-ui, sans-serif',
  '--vscode-font-size': '13px',
};

let probe: CanvasRenderingContext2D | null | undefined;

/**
 * The colour as `#rrggbb` or `rgba(...)`: the canvas normalises any CSS colour this way, which
 * lets {@link withAlpha} work on whatever the theme uses (hex, rgb(), names).
 */
function normalise(color: string): string {
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) {
    return color;
  }
  probe.fillStyle = '#000000';
  probe.fillStyle = color;
  return String(probe.fillStyle);
}

/** A colour with its alpha multiplied by `alpha`, for translucent fills. */
export function withAlpha(color: string, alpha: number): string {
  const c = normalise(color);
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(c);
  if (hex) {
    return `rgba(${parseInt(hex[1] ?? '0', 16)}, ${parseInt(hex[2] ?? '0', 16)}, ${parseInt(hex[3] ?? '0', 16)}, ${alpha})`;
  }
  const rgba = /^rgba\(([^,]+),([^,]+),([^,]+),([^)]+)\)$/.exec(c.replace(/\s/g, ''));
  return rgba ? `rgba(${rgba[1]}, ${rgba[2]}, ${rgba[3]}, ${Number(rgba[4]) * alpha})` : c;
}

/** Reads the current theme. */
export function readPalette(): Palette {
  // Read from <body>: VS Code sets the variables on <html> and body inherits them; a theme may
  // also scope them to the body class.
  const style = getComputedStyle(document.body);
  const v = (name: string): string => style.getPropertyValue(name).trim() || (FALLBACK[name] ?? '');
  const blue = v('--vscode-charts-blue');
  const green = v('--vscode-charts-green');
  const yellow = v('--vscode-charts-yellow');
  const orange = v('--vscode-charts-orange');
  const purple = v('--vscode-charts-purple');
  const red = v('--vscode-charts-red');
  return {
    foreground: v('--vscode-charts-foreground'),
    background: v('--vscode-editor-background'),
    grid: v('--vscode-charts-lines'),
    blue,
    green,
    yellow,
    orange,
    purple,
    red,
    fontFamily: v('--vscode-font-family'),
    fontSize: parseFloat(v('--vscode-font-size')) || 13,
    highContrast: document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light'),
  };
}

/**
 * Calls `onChange` when VS Code switches theme: it swaps the body class
 * (`vscode-light`, `vscode-dark`, `vscode-high-contrast`) and the variables on <html>. Only a
 * palette that really changed triggers a redraw. Returns a function that stops watching.
 */
export function watchTheme(onChange: (p: Palette) => void): () => void {
  let last = JSON.stringify(readPalette());
  const observer = new MutationObserver(() => {
    const p = readPalette();
    const key = JSON.stringify(p);
    if (key !== last) {
      last = key;
      onChange(p);
    }
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => observer.disconnect();
}
