import { strict as assert } from 'node:assert';
import { buildWebviewHtml, contentSecurityPolicy, escapeHtml, makeNonce } from '../../../src/panels/webviewHtml';

const source = 'https://file+.vscode-resource.vscode-cdn.net';

describe('webview HTML shell', () => {
  it('has a CSP that allows nothing but the extension files and the nonce', () => {
    assert.equal(
      contentSecurityPolicy(source, 'abc='),
      `default-src 'none'; img-src ${source} data:; style-src ${source}; font-src ${source}; script-src 'nonce-abc='`,
    );
  });

  it('makes a fresh, unguessable nonce per page', () => {
    const nonces = new Set(Array.from({ length: 50 }, makeNonce));
    assert.equal(nonces.size, 50);
    for (const n of nonces) {
      assert.match(n, /^[A-Za-z0-9+/]{22}==$/, '16 random bytes, base64');
    }
  });

  it('puts the CSP first, then the stylesheets, then the one nonce-bearing script', () => {
    const html = buildWebviewHtml({ cspSource: source, nonce: 'n0nce', scriptUri: `${source}/dist/webview/history.js`, styleUris: [`${source}/a.css`, `${source}/b.css`], title: 'Usage', bodyClass: 'x' });
    const csp = html.indexOf('http-equiv="Content-Security-Policy"');
    const firstLink = html.indexOf('<link');
    const script = html.indexOf('<script');
    assert.ok(csp > 0 && csp < firstLink && firstLink < script, 'order');
    // Attribute-escaped ('none' becomes &#39;none&#39;), which the browser decodes back.
    assert.ok(html.includes(`content="${escapeHtml(contentSecurityPolicy(source, 'n0nce'))};"`));
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.match(html, /<script nonce="n0nce" src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/dist\/webview\/history\.js"><\/script>/);
    assert.equal((html.match(/<link rel="stylesheet"/g) ?? []).length, 2);
    assert.doesNotMatch(html, /<style|\sstyle=|\son\w+=/i, 'no inline style or handler');
    assert.match(html, /<body class="x">/);
  });

  it('escapes everything it interpolates', () => {
    const html = buildWebviewHtml({ cspSource: source, nonce: 'n', scriptUri: 'x.js"><script>alert(1)</script>', styleUris: ["a.css' onload='x"], title: '<Jane & "Co">', bodyClass: '"><img src=x>' });
    assert.doesNotMatch(html, /<script>alert/);
    assert.doesNotMatch(html, /<img/);
    assert.doesNotMatch(html, /' onload='/);
    assert.match(html, /<title>&#60;Jane &#38; &#34;Co&#34;&#62;<\/title>/);
    assert.equal(escapeHtml(`&<>"'`), '&#38;&#60;&#62;&#34;&#39;');
  });

  it('leaves the body class off when none is given', () => {
    assert.match(buildWebviewHtml({ cspSource: source, nonce: 'n', scriptUri: 's.js', styleUris: [], title: 't' }), /<body>/);
  });
});
