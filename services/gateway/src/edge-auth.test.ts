import { jsonOf } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstream, testGateway } from './test-helpers.ts';
import { startTestIdentity } from './test-identity.ts';

type Gateway = Awaited<ReturnType<typeof testGateway>>;
let idn: Awaited<ReturnType<typeof startTestIdentity>>;
let up: Awaited<ReturnType<typeof startUpstream>>;
let gw: Gateway;
/** Requests that reached a service: a refusal at the edge must leave this alone. */
let reached = 0;

beforeAll(async () => {
  idn = await startTestIdentity();
  up = await startUpstream((app) => {
    app.all('*', (c) => {
      reached++;
      return c.json({
        path: c.req.path,
        authorization: c.req.header('authorization') ?? null,
        cookie: c.req.header('cookie') ?? null,
      });
    });
  });
  const urls = Object.fromEntries(['identity', 'catalog', 'inventory', 'cart', 'orders'].map((s) => [s, up.url]));
  gw = await testGateway({ urls, env: { ...idn.env, CACHE_ENABLED: 'false' } });
});
afterAll(async () => {
  await gw.close();
  await up.close();
  await idn.close();
});

async function call(gateway: Gateway, method: string, path: string, headers: Record<string, string> = {}) {
  const before = reached;
  const res = await gateway.request(path, { method, headers });
  const body = await jsonOf(res).catch(() => null);
  return { status: res.status, body, headers: res.headers, reached: reached > before };
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('edge route policy', () => {
  it.each([
    ['GET', '/api/catalog/products', 200],
    ['GET', '/api/catalog/products/p1/reviews', 200],
    ['GET', '/api/inventory/availability?sku=A', 200],
    ['GET', '/api/inventory/locations', 200],
    ['POST', '/api/cart/carts', 200],
    ['POST', '/api/identity/login', 200],
    ['POST', '/api/identity/token/refresh', 200],
    ['POST', '/api/identity/logout', 200],
    ['GET', '/api/identity/.well-known/jwks.json', 200],
    ['GET', '/api/orders/o1', 200],
    ['GET', '/api/identity/me', 401],
    ['DELETE', '/api/identity/sessions/s1', 401],
    ['POST', '/api/identity/staff', 401],
    ['POST', '/api/identity/%73taff', 401],
    ['POST', '/api/identity//Staff/', 401],
    ['GET', '/api/identity/audit', 401],
    ['POST', '/api/catalog/products', 401],
    ['POST', '/api/catalog/products/p1/reviews', 401],
    ['GET', '/api/catalog/admin/products', 401],
    ['GET', '/api/catalog/%61dmin/products', 401],
    ['GET', '/api/inventory/stock', 401],
    ['POST', '/api/inventory/reservations', 401],
    ['GET', '/api/cart/promotions', 401],
    ['GET', '/api/catalog/metrics', 404],
    ['GET', '/api/identity/readyz', 404],
  ])('anonymous %s %s → %i', async (method, path, status) => {
    const res = await call(gw, method, path);
    expect(res.status).toBe(status);
    expect(res.reached).toBe(status === 200);
    if (status !== 200) {
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    }
  });

  it('lets a customer reach their own routes but not staff ones', async () => {
    const token = idn.token({ sub: 'acct-c1', roles: ['customer'] });
    const me = await call(gw, 'GET', '/api/identity/me', bearer(token));
    expect(me.status).toBe(200);
    // The service gets the token as sent, to verify again.
    expect(me.body.authorization).toBe(`Bearer ${token}`);
    expect((await call(gw, 'POST', '/api/catalog/products/p1/reviews', bearer(token))).status).toBe(200);
    for (const [method, path] of [
      ['POST', '/api/identity/staff'],
      ['POST', '/api/catalog/products'],
      ['GET', '/api/inventory/stock'],
    ] as const) {
      const res = await call(gw, method, path, bearer(token));
      expect(res.status, path).toBe(403);
      expect(res.body.code).toBe('forbidden');
      expect(res.reached).toBe(false);
    }
  });

  it('wants MFA and the right staff role', async () => {
    const noMfa = idn.token({ sub: 'acct-a1', roles: ['admin'], mfa: false });
    const res = await call(gw, 'GET', '/api/identity/audit', bearer(noMfa));
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('mfa_required');
    expect(res.reached).toBe(false);
    const merchandiser = idn.token({ sub: 'acct-m1', roles: ['merchandiser'], mfa: true });
    expect((await call(gw, 'POST', '/api/inventory/adjustments', bearer(merchandiser))).status).toBe(403);
    expect((await call(gw, 'PATCH', '/api/catalog/admin/products/p1', bearer(merchandiser))).status).toBe(200);
  });

  it('proxies a staff caller signed in with MFA, Authorization and cookies unchanged', async () => {
    const admin = idn.token({ sub: 'acct-a2', roles: ['admin'], mfa: true });
    const headers = { ...bearer(admin), cookie: 'sf_csrf=abc; theme=dark' };
    for (const [method, path] of [
      ['GET', '/api/identity/audit'],
      ['POST', '/api/identity/keys/rotate'],
      ['POST', '/api/catalog/products'],
      ['POST', '/api/inventory/transfers'],
    ] as const) {
      const res = await call(gw, method, path, headers);
      expect(res.status, path).toBe(200);
      expect(res.body.authorization).toBe(`Bearer ${admin}`);
      expect(res.body.cookie).toBe('sf_csrf=abc; theme=dark');
    }
  });

  it('refuses forged, expired and foreign tokens with 401 where a caller is needed, and ignores them elsewhere', async () => {
    const bad = {
      forged: idn.token({ roles: ['admin'], mfa: true, forged: true }),
      expired: idn.token({ roles: ['admin'], mfa: true, expiresIn: -120 }),
      'wrong audience': idn.token({ roles: ['admin'], mfa: true, audience: 'someone-else' }),
      'wrong issuer': idn.token({ roles: ['admin'], mfa: true, issuer: 'https://evil.example' }),
      'not a JWT': 'abc.def.ghi',
    };
    for (const [what, token] of Object.entries(bad)) {
      const refused = await call(gw, 'GET', '/api/identity/audit', bearer(token));
      expect(refused.status, what).toBe(401);
      expect(refused.reached).toBe(false);
      // A public route goes on as anonymous; the service sees the token and may judge it itself.
      const browsing = await call(gw, 'GET', '/api/catalog/products', bearer(token));
      expect(browsing.status, what).toBe(200);
      expect(browsing.body.authorization).toBe(`Bearer ${token}`);
    }
    const basic = await call(gw, 'GET', '/api/identity/me', { authorization: 'Basic dXNlcjpwYXNz' });
    expect(basic.status).toBe(401);
  });

  it('takes the web app cookie, with its CSRF check on changes', async () => {
    const token = idn.token({ sub: 'acct-c2', roles: ['customer'], csrf: 'csrf-token-1' });
    const cookie = `sf_at=${token}; sf_csrf=csrf-token-1`;
    const me = await call(gw, 'GET', '/api/identity/me', { cookie });
    expect(me.status).toBe(200);
    expect(me.body.cookie).toBe(cookie);
    const forged = await call(gw, 'DELETE', '/api/identity/sessions/s1', { cookie });
    expect(forged.status).toBe(403);
    expect(forged.body.code).toBe('csrf_failed');
    expect(forged.reached).toBe(false);
    const ok = await call(gw, 'DELETE', '/api/identity/sessions/s1', { cookie, 'x-csrf-token': 'csrf-token-1' });
    expect(ok.status).toBe(200);
  });

  it('fetches the key set once and then serves verified tokens from its cache', async () => {
    const token = idn.token({ sub: 'acct-c3' });
    await call(gw, 'GET', '/api/identity/me', bearer(token));
    const fetches = idn.fetches();
    expect(fetches).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 20; i++) expect((await call(gw, 'GET', '/api/identity/me', bearer(token))).status).toBe(200);
    expect(idn.fetches()).toBe(fetches);
  });

  it('answers 503 on protected routes while the key set is unreachable, and keeps public ones open', async () => {
    // testGateway's default JWKS_URL is a port nothing listens on.
    const blind = await testGateway({
      urls: { identity: up.url, catalog: up.url },
      env: { JWT_ISSUER: idn.env.JWT_ISSUER, JWT_AUDIENCE: idn.env.JWT_AUDIENCE, CACHE_ENABLED: 'false' },
    });
    try {
      const token = idn.token({ sub: 'acct-c4' });
      const me = await call(blind, 'GET', '/api/identity/me', bearer(token));
      expect(me.status).toBe(503);
      expect(me.reached).toBe(false);
      expect((await call(blind, 'GET', '/api/catalog/products', bearer(token))).status).toBe(200);
    } finally {
      await blind.close();
    }
  });
});

describe('rate limits per account', () => {
  it('gives each signed-in account its own bucket, and a forged token none', async () => {
    const limited = await testGateway({
      urls: { catalog: up.url },
      env: {
        ...idn.env,
        CACHE_ENABLED: 'false',
        RATE_LIMIT_ENABLED: 'true',
        RATE_LIMITS: JSON.stringify({ default: { rate: 0.01, burst: 1 } }),
      },
    });
    try {
      const as = (headers: Record<string, string>) => call(limited, 'GET', '/api/catalog/products', headers);
      const alice = bearer(idn.token({ sub: 'acct-alice' }));
      const bob = bearer(idn.token({ sub: 'acct-bob' }));
      // All from the same address.
      expect((await as(alice)).status).toBe(200);
      expect((await as(bob)).status).toBe(200);
      expect((await as({})).status).toBe(200);
      expect((await as(alice)).status).toBe(429);
      expect((await as({})).status).toBe(429);
      // A token that does not verify counts against the address, whatever account it names.
      expect((await as(bearer(idn.token({ sub: 'acct-carol', forged: true })))).status).toBe(429);
      expect((await as(bearer(idn.token({ sub: 'acct-carol' })))).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
