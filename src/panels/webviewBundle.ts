/**
 * Where esbuild puts the webview bundles (see esbuild.js), relative to the extension root. The
 * folder is the panels' only `localResourceRoots` and is in the VSIX allow-list (.vscodeignore).
 */
export const WEBVIEW_BUNDLE_DIR = ['dist', 'webview'] as const;

/** The usage-history page's script and stylesheet inside {@link WEBVIEW_BUNDLE_DIR}. */
export const HISTORY_BUNDLE = { script: 'history.js', style: 'history.css' } as const;
