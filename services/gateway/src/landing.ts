import { html } from './html.ts';

/** Shared look of the gateway's own pages; the nonce lets the inline style past the CSP. */
export function pageStyle(nonce: string) {
  return html`<style nonce="${nonce}">
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 2rem; color: #1d2330; }
  a { color: #2952cc; } code, pre { font: 13px/1.4 ui-monospace, monospace; background: #f3f4f7; border-radius: 4px; }
  code { padding: 0 .25rem; } pre { padding: .5rem; overflow: auto; max-height: 24rem; }
  h1 { font-size: 1.6rem; } h2 { border-bottom: 1px solid #dde; padding-bottom: .25rem; margin-top: 2.5rem; }
  .op { border: 1px solid #dde; border-radius: 6px; margin: .75rem 0; padding: .5rem .75rem; }
  .m { display: inline-block; min-width: 4.5rem; font-weight: 600; text-transform: uppercase; }
  .get { color: #17803d; } .post { color: #2952cc; } .put, .patch { color: #b76e00; } .delete { color: #c0262d; }
  table { border-collapse: collapse; } td, th { text-align: left; padding: .15rem .6rem .15rem 0; vertical-align: top; }
  .muted { color: #667; } summary { cursor: pointer; }
</style>`;
}

/**
 * What `/` shows until the web service exists (or while it is down): enough to find the API from
 * a fresh `npm start`.
 */
export function landingPage(nonce: string): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Storefront</title>
${pageStyle(nonce)}
</head>
<body>
<main>
<h1>Storefront</h1>
<p>The shop is not answering right now (the <code>web</code> service is not running). The API is up behind this gateway.</p>
<ul>
  <li><a href="/api/docs">API reference</a> (<a href="/api/openapi.json">OpenAPI JSON</a>)</li>
  <li><a href="/api/catalog/products">Products</a> — <code>GET /api/catalog/products</code></li>
  <li><a href="/api/catalog/categories">Categories</a> — <code>GET /api/catalog/categories</code></li>
</ul>
<p class="muted">Served by the gateway because the web service did not answer.</p>
</main>
</body>
</html>`.value;
}

/** Any other page while web is down: a short human answer instead of a problem document. */
export function shopUnavailablePage(nonce: string): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Back in a moment · Storefront</title>
${pageStyle(nonce)}
</head>
<body>
<main>
<h1>We'll be back in a moment</h1>
<p>The shop is not answering right now. Please try again in a minute.</p>
<p><a href="/">Home</a></p>
</main>
</body>
</html>`.value;
}
