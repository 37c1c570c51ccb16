/**
 * The stacked users' colours, checked against what seriesColors.ts claims for them: one per user
 * the host stacks, readable on every VS Code editor background, none too like another.
 */
import { strict as assert } from 'node:assert';
import { SERIES_COLORS } from '../../media/history/src/seriesColors';
import { SITE_TOP_USERS } from '../../src/panels/storeHistoryProvider';

const BACKGROUNDS = {
  'Light Modern / Light+ / High Contrast Light': '#ffffff',
  'Dark Modern': '#1f1f1f',
  'Dark+': '#1e1e1e',
  'High Contrast': '#000000',
};

function channels(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** sRGB channel to linear light. */
function linear(c: number): number {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** WCAG 2 relative luminance. */
function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map(linear) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio. */
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** CIELAB (D65). */
function lab(hex: string): [number, number, number] {
  const [r, g, b] = channels(hex).map(linear) as [number, number, number];
  const f = (t: number): number => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  const x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
  const y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
  const z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

/** CIE76 colour difference: coarser than CIEDE2000, plenty to catch two near-identical colours. */
function deltaE(a: string, b: string): number {
  const [p, q] = [lab(a), lab(b)];
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

describe('stacked users’ colours', () => {
  it('has one colour per user the site chart stacks', () => {
    assert.equal(SERIES_COLORS.length, SITE_TOP_USERS);
    assert.equal(new Set(SERIES_COLORS.map((c) => c.toLowerCase())).size, SERIES_COLORS.length);
  });

  it('keeps 3:1 contrast (WCAG 1.4.11) with the light, dark and high-contrast editor backgrounds', () => {
    for (const [theme, background] of Object.entries(BACKGROUNDS)) {
      for (const color of SERIES_COLORS) {
        const ratio = contrast(color, background);
        assert.ok(ratio >= 3, `${color} on ${theme} (${background}): ${ratio.toFixed(2)}:1`);
      }
    }
  });

  it('has no two colours alike (CIE76 ΔE ≥ 25 for every pair)', () => {
    for (const [i, a] of SERIES_COLORS.entries()) {
      for (const b of SERIES_COLORS.slice(i + 1)) {
        assert.ok(deltaE(a, b) >= 25, `${a} and ${b}: ΔE ${deltaE(a, b).toFixed(1)}`);
      }
    }
  });
});
