/**
 * The few HTML pages the server renders itself (everything else is the web client): the
 * "you need the link" page shown to a browser without a valid token, and the placeholder shown
 * while the web client is not built. Self-contained: inline style, no script, no external URL.
 */

/** Escape text for an HTML text node or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Content-Security-Policy of these pages: nothing but their own inline style. */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; min-height: 100vh; display: grid;
         place-items: center; background: #15171a; color: #e8e8e8; }
  main { max-width: 34rem; padding: 2rem; }
  h1 { font-size: 1.4rem; margin: 0 0 1rem; }
  code { background: #2a2d31; padding: 0.1rem 0.35rem; border-radius: 4px; }
  a { color: #8ab4ff; }
  .muted { color: #a0a4aa; font-size: 0.9rem; }
</style>
</head>
<body><main>
${body}
</main></body>
</html>
`;
}

/** 401 page for a browser that has no (or a wrong) token. */
export function unauthorizedPage(reason: 'missing' | 'invalid'): string {
  const first =
    reason === 'invalid'
      ? '<p>The link you opened carries a token this server does not accept. The server may have been restarted with a new token, or the link was cut short when it was copied.</p>'
      : '<p>This gallery is shared with a private link, and this browser has not opened it yet.</p>';
  return page(
    'Lenslet: link needed',
    `<h1>This Lenslet gallery needs its private link</h1>
${first}
<p>Ask the person who runs the server for the link. It is printed in their terminal when
Lenslet starts, and looks like <code>http://…:7070/?token=…</code>. Opening it once is enough:
this browser then remembers it for 30 days.</p>
<p class="muted">Scripts send the token in a header instead:
<code>Authorization: Bearer &lt;token&gt;</code>.</p>`,
  );
}

/** Shown at `/` while the web client is not built. */
export function placeholderPage(version: string): string {
  return page(
    'Lenslet',
    `<h1>Lenslet ${escapeHtml(version)} is running</h1>
<p>The server works, but the web client is not built into this copy yet. Build it with
<code>npm run build</code> in the Lenslet checkout and reload this page.</p>
<p>Meanwhile the HTTP API answers: try <a href="/health">/health</a> or
<a href="/folders?path=/">/folders?path=/</a>.</p>`,
  );
}
