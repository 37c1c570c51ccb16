/**
 * The one HTML shell of every webview: a strict CSP and a script allowed only by nonce. Pure (no
 * vscode import) so unit tests and the browser tests build exactly the page VS Code shows.
 */
import { randomBytes } from 'node:crypto';

/** What a webview page is made of. URIs are already webview URIs (`asWebviewUri`). */
export interface WebviewHtmlOptions {
  /** `webview.cspSource`: the only origin styles, images and fonts may come from. */
  readonly cspSource: string;
  /** From {@link makeNonce}; a fresh one per page. */
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUris: readonly string[];
  readonly title: string;
  readonly bodyClass?: string;
}

/** A nonce for one page: 16 random bytes, base64 (a CSP nonce must not be guessable). */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

/** Escapes text for an HTML attribute value or element content. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The Content-Security-Policy of a page: nothing by default, scripts only by nonce, styles,
 * images and fonts only from the extension's own files (no inline styles, no eval, no network).
 * The lit-based controls style themselves with constructable stylesheets, which `style-src`
 * does not govern, so they need no 'unsafe-inline'.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

/** The page: CSP meta first (it only governs what follows it), stylesheets, then the script. */
export function buildWebviewHtml(o: WebviewHtmlOptions): string {
  const csp = escapeHtml(contentSecurityPolicy(o.cspSource, o.nonce));
  const styles = o.styleUris.map((u) => `<link rel="stylesheet" href="${escapeHtml(u)}">`).join('\n    ');
  const bodyClass = o.bodyClass ? ` class="${escapeHtml(o.bodyClass)}"` : '';
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${csp};">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${styles}
    <title>${escapeHtml(o.title)}</title>
  </head>
  <body${bodyClass}>
    <script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
  </body>
</html>
`;
}
