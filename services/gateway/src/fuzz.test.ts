import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstream, testGateway } from './test-helpers.ts';
import { startTestIdentity } from './test-identity.ts';

/**
 * Whatever a client sends — odd paths, encodings, queries, forwarding and hop-by-hop headers,
 * bodies on any method — the gateway answers without a 500 of its own. 5xx may only be the
 * gateway's statements about upstreams (502/503/504).
 */
let up: Awaited<ReturnType<typeof startUpstream>>;
let gw: Awaited<ReturnType<typeof testGateway>>;
let idn: Awaited<ReturnType<typeof startTestIdentity>>;
/** Credentials that verify (or nearly do), so the property also walks the allowed side of the policy. */
let credentials: Record<string, string>[] = [];

beforeAll(async () => {
  up = await startUpstream((app) => {
    app.all('*', async (c) => {
      await c.req.arrayBuffer().catch(() => undefined);
      return c.json({ ok: true });
    });
  });
  idn = await startTestIdentity();
  const tokens = [
    idn.token({ roles: ['customer'] }),
    idn.token({ roles: ['admin'], mfa: true }),
    idn.token({ roles: ['admin'], mfa: false }),
    idn.token({ roles: ['admin'], mfa: true, forged: true }),
    idn.token({ roles: ['customer'], expiresIn: -120 }),
    idn.token({ roles: ['customer'], csrf: 'c1' }),
  ];
  credentials = tokens.flatMap((t): Record<string, string>[] => [
    { authorization: `Bearer ${t}` },
    { cookie: `sf_at=${t}` },
    { cookie: `sf_at=${t}`, 'x-csrf-token': 'c1' },
  ]);
  gw = await testGateway({
    urls: { catalog: up.url, cart: up.url, identity: up.url, inventory: up.url, web: up.url },
    env: {
      ...idn.env,
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMITS: JSON.stringify({ default: { rate: 100000, burst: 100000 } }),
      TRUST_PROXY: '1',
      CORS_ORIGINS: 'https://shop.example',
      DISABLED_SERVICES: 'crm',
      BODY_LIMIT: '4096',
    },
  });
});
afterAll(async () => {
  await gw.close();
  await up.close();
  await idn.close();
});

const prefix = fc.constantFrom(
  '/api/catalog',
  '/api/catalog/admin',
  '/api/cart',
  '/api/identity',
  '/api/identity/staff',
  '/api/inventory',
  '/api/orders',
  '/api/crm',
  '/api/nope',
  '/api',
  '/api/',
  '/api/docs',
  '/api/openapi.json',
  '',
  '/static',
);
const segment = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.constantFrom(
    '..',
    '.',
    '%',
    '%2F',
    '%2e%2e',
    '%00',
    '//',
    '\\',
    ';',
    '@',
    ':',
    '%ZZ',
    'api',
    'catalog',
    'metrics',
    'admin',
    '%73taff',
    'Me',
    'audit',
  ),
);
const path = fc
  .tuple(prefix, fc.array(segment, { maxLength: 5 }))
  .map(([p, segs]) => `${p}/${segs.join('/')}`.replace(/[?#]/g, encodeURIComponent));
const query = fc
  .array(fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })), { maxLength: 4 })
  .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`.replace(/#/g, '%23') : ''));
const headerName = fc.oneof(
  fc.constantFrom(
    'connection',
    'te',
    'upgrade',
    'expect',
    'keep-alive',
    'proxy-authorization',
    'x-forwarded-for',
    'x-forwarded-proto',
    'x-forwarded-host',
    'forwarded',
    'x-request-id',
    'traceparent',
    'tracestate',
    'accept-language',
    'x-currency',
    'authorization',
    'cookie',
    'cache-control',
    'accept-encoding',
    'content-type',
    'origin',
    'range',
    'if-none-match',
    'x-csp-nonce',
  ),
  fc.stringMatching(/^x-[a-z0-9-]{1,16}$/),
);
const headerValue = fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,60}$/);
const method = fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS');

describe('gateway under arbitrary input', () => {
  it('never answers 500, and every 5xx is about an upstream', async () => {
    await fc.assert(
      fc.asyncProperty(
        path,
        query,
        method,
        fc.dictionary(headerName, headerValue, { maxKeys: 6 }),
        fc.option(fc.uint8Array({ maxLength: 6000 }), { nil: undefined }),
        fc.option(fc.nat(), { nil: undefined }),
        async (p, q, m, headers, body, credential) => {
          const signedIn = credential === undefined ? {} : credentials[credential % credentials.length];
          const init: RequestInit = { method: m, headers: { ...headers, ...signedIn } };
          if (body && m !== 'GET' && m !== 'HEAD') init.body = body;
          const res = await gw.request(`${p}${q}`, init);
          await res.arrayBuffer();
          if (res.status >= 500) expect([502, 503, 504]).toContain(res.status);
          expect(res.headers.get('x-request-id')).toBeTruthy();
        },
      ),
      { numRuns: 400 },
    );
  }, 120_000);
});
