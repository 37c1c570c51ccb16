/**
 * The colours of the site chart's stacked users: ten, one per user the host stacks, so no two
 * users share a colour. DOM-free, so a plain Node test can check the numbers below.
 *
 * Taken from the IBM Design Language colour palette (Carbon, `@carbon/colors` v11,
 * https://carbondesignsystem.com/elements/color/overview/): one colour from each of its ten hue
 * families, at grade 50 or 60. Those two grades are calibrated against white and black, so every
 * colour here has at least 3:1 contrast (WCAG 1.4.11, graphical objects) against both VS Code's
 * light editor background (#ffffff) and its dark one (#1f1f1f Dark Modern, #1e1e1e Dark+) — the
 * same colours in every theme, so a user keeps their colour when the theme changes. Published
 * categorical palettes fall short of that in one theme or the other: Tableau 10's yellow has
 * 1.6:1 on white, Okabe-Ito's black 1.3:1 on dark, and Carbon's own categorical palettes are one
 * per theme, each with two blues among its first ten.
 *
 * The grade of each hue was chosen for the largest smallest difference between any two colours
 * (CIEDE2000 ≥ 17, about Tableau 10's 18), and the order so that neighbours in the stack, which
 * touch, differ most (≥ 33, and ≥ 30 under simulated deuteranopia). Grey is not last, where it
 * would touch "Other users".
 */
export const SERIES_COLORS: readonly string[] = [
  '#0f62fe', // Blue 60
  '#24a148', // Green 50
  '#a56eff', // Purple 50
  '#8e6a00', // Yellow 60
  '#007d79', // Teal 60
  '#da1e28', // Red 60
  '#878d96', // Cool Gray 50
  '#eb6200', // Orange 50
  '#1192e8', // Cyan 50
  '#ee5396', // Magenta 50
];
