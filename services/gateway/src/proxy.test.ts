import { jsonOf } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startUpstream, testGateway } from './test-helpers.ts';

type Upstream = Awaited<ReturnType<typeof startUpstream>>;

/** Echoes what reached the upstream, so tests can see exactly what the gateway forwarded. */
async function echoUpstream(): Promise<Upstream> {
  return startUpstream((app) => {
    app.all('/slow', async (c) => {
      await new Promise((r) => setTimeout(r, 3_000));
      return c.json({ late: true });
    });
    app.get('/cookies', (c) => {
      c.header('set-cookie', 'a=1; Path=/', { append: true });
      c.header('set-cookie', 'b=2; Path=/', { append: true });
      c.header('connection', 'x-secret-hop');
      c.header('x-secret-hop', 'must not pass');
      return c.json({ ok: true });
    });
    app.get('/empty', (c) => c.body(null, 204));
    app.all('*', async (c) => {
      const body = c.req.method === 'GET' || c.req.method === 'HEAD' ? '' : await c.req.text();
      return c.json({
        method: c.req.method,
        url: c.req.url.replace(/^https?:\/\/[^/]+/, ''),
        headers: Object.fromEntries(c.req.raw.headers),
        bodyLength: body.length,
        bodyStart: body.slice(0, 20),
      });
    });
  });
}

describe('routing /api/<service>', () => {
  let catalog: Upstream;
  let gw: Awaited<ReturnType<typeof testGateway>>;

  beforeAll(async () => {
    catalog = await echoUpstream();
    gw = await testGateway({
      urls: { catalog: catalog.url, cart: catalog.url },
      env: {
        CACHE_ENABLED: 'false',
        UPSTREAM_TIMEOUTS_MS: JSON.stringify({ default: 300, write: 600 }),
        DISABLED_SERVICES: 'crm',
        CIRCUIT_FAILURES: '3',
      },
    });
  });
  afterAll(async () => {
    await gw.close();
    await catalog.close();
  });

  it('strips the prefix and forwards path, query, method and the forwarding headers', async () => {
    const res = await gw.request('/api/catalog/products/p1?b=2&a=1&a=0', {
      headers: {
        'x-request-id': 'req-123',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        connection: 'x-drop-me',
        'x-drop-me': 'hop',
        'x-forwarded-for': '6.6.6.6',
        forwarded: 'for=6.6.6.6',
        'accept-language': 'de',
      },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('req-123');
    const seen = await jsonOf(res);
    expect(seen.method).toBe('GET');
    expect(seen.url).toBe('/products/p1?b=2&a=1&a=0');
    expect(seen.headers['x-request-id']).toBe('req-123');
    expect(seen.headers.traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(seen.headers['accept-language']).toBe('de');
    // Not trusting a proxy: the client's own claim is replaced by the peer address.
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    expect(seen.headers['x-forwarded-host']).toBe('localhost');
    expect(seen.headers['x-drop-me']).toBeUndefined();
    expect(seen.headers.forwarded).toBeUndefined();
  });

  it('forwards a request body as it streams in, for every write method', async () => {
    const big = 'x'.repeat(300_000);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const res = await gw.request('/api/cart/items', {
        method,
        body: big,
        headers: { 'content-type': 'text/plain', 'content-length': String(big.length) },
      });
      expect(res.status).toBe(200);
      const seen = await jsonOf(res);
      expect(seen.method).toBe(method);
      expect(seen.bodyLength).toBe(big.length);
      expect(seen.url).toBe('/items');
    }
  });

  it('passes response headers back, several Set-Cookie included, without hop-by-hop ones', async () => {
    const res = await gw.request('/api/catalog/cookies');
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(res.headers.get('x-secret-hop')).toBeNull();
  });

  it('passes 204 and HEAD answers without a body', async () => {
    expect((await gw.request('/api/catalog/empty')).status).toBe(204);
    const head = await gw.request('/api/catalog/products', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('answers 404 for a service that does not exist and 503 for one switched off', async () => {
    const unknown = await gw.request('/api/nope/x');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    expect((await gw.request('/api/web/x')).status).toBe(404);
    expect((await gw.request('/api/..%2Fidentity/x')).status).toBe(404);
    const off = await gw.request('/api/crm/tickets');
    expect(off.status).toBe(503);
    expect((await jsonOf(off)).detail).toMatch(/switched off/);
  });

  it('answers 504 when a read takes longer than its route class allows, without waiting for it', async () => {
    const started = performance.now();
    const res = await gw.request('/api/catalog/slow');
    const took = performance.now() - started;
    expect(res.status).toBe(504);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect((await jsonOf(res)).detail).toBe('catalog did not answer within 300 ms');
    // The upstream sleeps 3 s; the answer must come near the 300 ms timeout, not after the sleep.
    expect(took).toBeLessThan(2_000);
    // Writes have their own, longer timeout (to the cart, where anyone may write).
    const write = await gw.request('/api/cart/slow', { method: 'POST', body: '{}' });
    expect((await jsonOf(write)).detail).toBe('cart did not answer within 600 ms');
  });

  it('lists the routed services at /api', async () => {
    const body = await jsonOf(await gw.request('/api'));
    expect(body.services.map((s: { name: string }) => s.name)).toContain('catalog');
    expect(body.services.map((s: { name: string }) => s.name)).not.toContain('crm');
  });
});

describe('an upstream that is down', () => {
  it('answers 502 on a refused connection, then 503 with Retry-After once the circuit opens', async () => {
    const port = await freePort();
    const gw = await testGateway({
      urls: { orders: `http://127.0.0.1:${port}` },
      env: { CIRCUIT_FAILURES: '2', CIRCUIT_OPEN_MS: '60000' },
    });
    try {
      for (let i = 0; i < 2; i++) {
        const res = await gw.request('/api/orders/o1');
        expect(res.status).toBe(502);
        expect((await jsonOf(res)).detail).toBe('orders refused the connection');
      }
      const open = await gw.request('/api/orders/o1');
      expect(open.status).toBe(503);
      expect(Number(open.headers.get('retry-after'))).toBeGreaterThan(0);
      // Other upstreams have circuits of their own.
      expect((await gw.request('/api/cart/c1')).status).toBe(502);
    } finally {
      await gw.close();
    }
  });
});

describe('everything else goes to web', () => {
  it('serves the built-in landing page at / while web is away, and 502 elsewhere (a page for browsers)', async () => {
    const gw = await testGateway();
    try {
      const home = await gw.request('/');
      expect(home.status).toBe(200);
      expect(home.headers.get('content-type')).toMatch(/text\/html/);
      const page = await home.text();
      for (const link of ['/api/docs', '/api/catalog/products', '/api/catalog/categories']) {
        expect(page).toContain(`href="${link}"`);
      }
      expect(page).toContain('<main>');
      const other = await gw.request('/products/shoes');
      expect(other.status).toBe(502);
      expect((await jsonOf(other)).upstream).toBe('web');
      // A browser gets a page, with the same status.
      const browser = await gw.request('/products/shoes', { headers: { accept: 'text/html,application/xhtml+xml' } });
      expect(browser.status).toBe(502);
      expect(browser.headers.get('content-type')).toMatch(/text\/html/);
      const body = await browser.text();
      expect(body).toContain('<main>');
      expect(body).toContain("We'll be back in a moment");
    } finally {
      await gw.close();
    }
  });

  it('proxies to web when it is up, with the CSP nonce it must put on its scripts', async () => {
    const web = await echoUpstream();
    const gw = await testGateway({ urls: { web: web.url } });
    try {
      const res = await gw.request('/account/orders?page=2');
      const seen = await jsonOf(res);
      expect(seen.url).toBe('/account/orders?page=2');
      const nonce = seen.headers['x-csp-nonce'];
      expect(nonce).toMatch(/^[\w+/=]{20,}$/);
      expect(res.headers.get('content-security-policy')).toContain(`'nonce-${nonce}'`);
      // A nonce from the client is never believed.
      const spoof = await jsonOf(await gw.request('/', { headers: { 'x-csp-nonce': 'chosen' } }));
      expect(spoof.headers['x-csp-nonce']).not.toBe('chosen');
    } finally {
      await gw.close();
      await web.close();
    }
  });
});

describe('over a real socket', () => {
  let closedEarly = false;
  let up: Upstream;
  let gw: Awaited<ReturnType<typeof testGateway>>;
  let base: string;

  beforeAll(async () => {
    up = await startUpstream((app) => {
      app.get('/big', () => {
        // 2 MiB in 64 KiB chunks, without Content-Length: the gateway must stream it, not buffer it.
        const chunk = new Uint8Array(65_536).fill(97);
        let sent = 0;
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent >= 32) return controller.close();
            sent += 1;
            controller.enqueue(chunk);
          },
        });
        return new Response(body, { headers: { 'content-type': 'application/octet-stream' } });
      });
      app.get('/hang', async (c) => {
        const incoming = (c.env as { incoming: import('node:http').IncomingMessage }).incoming;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 5_000);
          incoming.socket.once('close', () => {
            closedEarly = true;
            clearTimeout(timer);
            resolve();
          });
        });
        return c.json({ late: true });
      });
      app.all('*', (c) => c.json({ xff: c.req.header('x-forwarded-for') ?? null }));
    });
    gw = await testGateway({ urls: { catalog: up.url }, env: { CACHE_ENABLED: 'false', BODY_LIMIT: '1000' } });
    base = await gw.listen();
  });
  afterAll(async () => {
    await gw.close();
    await up.close();
  });

  it('reports the peer address it saw as X-Forwarded-For', async () => {
    const res = await fetch(`${base}/api/catalog/x`, { headers: { 'x-forwarded-for': '6.6.6.6' } });
    expect((await jsonOf(res)).xff).toBe('127.0.0.1');
  });

  it('streams a large answer through', async () => {
    const res = await fetch(`${base}/api/catalog/big`);
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(32 * 65_536);
  });

  it('refuses a body over BODY_LIMIT with 413 before it reaches the service', async () => {
    const res = await fetch(`${base}/api/catalog/x`, { method: 'POST', body: 'x'.repeat(2_000) });
    expect(res.status).toBe(413);
  });

  it('cancels the upstream request when the client goes away', async () => {
    await expect(fetch(`${base}/api/catalog/hang`, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    for (let i = 0; i < 40 && !closedEarly; i++) await new Promise((r) => setTimeout(r, 50));
    expect(closedEarly).toBe(true);
  });
});
