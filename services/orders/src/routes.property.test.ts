import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, platform } from './test-platform.ts';

/** Whatever arrives at any route — odd bodies, ids, headers, tokens, roles — the answer is never a 500. */
let p: Platform;
let tokens: (string | undefined)[];
beforeAll(async () => {
  p = await platform();
  tokens = [
    undefined,
    await p.token('cust-x'),
    await p.token('staff-x', ['support']),
    await p.token('staff-nomfa', ['admin'], false),
    'not-a-jwt',
    await p.token('staff-wh', ['fulfillment']),
  ];
}, 60_000);
afterAll(() => p.close());

const ROUTES = [
  ['POST', '/checkout'],
  ['GET', '/orders'],
  ['GET', '/orders/{id}'],
  ['POST', '/orders/{id}/returns'],
  ['GET', '/orders/{id}/returns'],
  ['GET', '/admin/orders'],
  ['GET', '/admin/orders/{id}'],
  ['POST', '/admin/orders/{id}/cancel'],
  ['POST', '/admin/orders/{id}/notes'],
  ['POST', '/admin/orders/{id}/refund'],
  ['GET', '/admin/returns'],
  ['GET', '/admin/returns/{id}'],
  ['GET', '/admin/stats'],
  ['POST', '/admin/returns/{id}/reject'],
  ['POST', '/admin/returns/{id}/approve'],
  ['POST', '/admin/returns/{id}/receive'],
  ['POST', '/admin/returns/{id}/inspect'],
] as const;

const id = fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }), fc.constant('00000000-0000-7000-8000-000000000000'));
const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record(
    {
      cartId: id,
      email: fc.oneof(fc.emailAddress(), fc.string()),
      address: fc.record({
        name: fc.string(),
        line1: fc.string(),
        city: fc.string(),
        postalCode: fc.string(),
        country: fc.string({ maxLength: 3 }),
      }),
      shippingMethod: fc.string({ maxLength: 40 }),
      paymentMethod: fc.oneof(fc.constant('pm_sandbox_x'), fc.string()),
      returnUrl: fc.oneof(fc.webUrl(), fc.string()),
      lines: fc.array(fc.record({ sku: fc.string(), qty: fc.integer(), reason: fc.string() }), { maxLength: 3 }),
      reason: fc.string(),
      body: fc.string(),
      toLocation: fc.string(),
      restockLocation: fc.string(),
      refundAmount: fc.integer(),
      amount: fc.oneof(fc.integer(), fc.double(), fc.string()),
    },
    { requiredKeys: [] },
  ),
);

describe('no 500 from any route', () => {
  it('holds for arbitrary input', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        id,
        jsonish,
        fc.nat({ max: 5 }),
        fc.option(fc.string({ maxLength: 200 })),
        fc.option(fc.string({ maxLength: 40 })),
        async ([method, path], pid, body, who, key, query) => {
          const headers: Record<string, string> = {};
          const t = tokens[who];
          if (t) headers.authorization = `Bearer ${t}`;
          if (key !== null) headers['idempotency-key'] = key.replace(/[^\x20-\x7e]/g, '');
          const url =
            path.replace('{id}', encodeURIComponent(pid)) +
            (query ? `?status=${encodeURIComponent(query)}&limit=${encodeURIComponent(query)}` : '');
          const res = await p.app.request(url, {
            method,
            headers: { ...headers, 'content-type': 'application/json' },
            ...(method === 'POST' ? { body: JSON.stringify(body) } : {}),
          });
          expect(res.status, `${method} ${url}: ${await res.clone().text()}`).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
  }, 60_000);
});
