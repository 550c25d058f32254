import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { Hono } from 'hono';
import type { WebEnv } from './env.ts';

const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
};

interface Asset {
  readonly body: Uint8Array;
  readonly type: string;
  readonly etag: string;
}

/** Loads public/ once at start: a handful of small files, served from memory with an ETag. */
export function loadAssets(dir = new URL('../public/', import.meta.url)): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(dir)) {
    const ext = name.split('.').pop() ?? '';
    const type = TYPES[ext];
    if (!type) continue;
    const body = new Uint8Array(readFileSync(new URL(name, dir)));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
    assets.set(name, { body, type, etag });
  }
  return assets;
}

export function mountAssets(app: Hono<WebEnv>, assets: Map<string, Asset>, shopName: string): void {
  app.get('/assets/:name', (c) => {
    const asset = assets.get(c.req.param('name'));
    if (!asset) return c.text('not found', 404);
    c.header('etag', asset.etag);
    c.header('cache-control', 'public, max-age=3600');
    if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304);
    c.header('content-type', asset.type);
    return c.body(asset.body as Uint8Array<ArrayBuffer>);
  });
  const manifest = JSON.stringify({
    name: shopName,
    short_name: shopName,
    start_url: '/',
    display: 'standalone',
    background_color: '#ffffff',
    theme_color: '#1f3a5f',
    icons: [{ src: '/assets/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any maskable' }],
  });
  app.get('/manifest.webmanifest', (c) => {
    c.header('content-type', 'application/manifest+json');
    c.header('cache-control', 'public, max-age=3600');
    return c.body(manifest);
  });
  app.get('/robots.txt', (c) => c.text('User-agent: *\nDisallow: /admin\nDisallow: /account\nDisallow: /checkout\n'));
}
