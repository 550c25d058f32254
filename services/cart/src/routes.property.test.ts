import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, SERVICE_TOKEN, startCart } from './test-harness.ts';

/** Whatever arrives at any cart route — junk bodies, ids, tokens, codes, quantities — the answer is never a 5xx. */
describe('every cart route under arbitrary input', () => {
  let h: Harness;
  let routes: { method: string; path: string }[];
  let guest: { id: string; token: string };
  let customer: string;
  let customerCart: string;
  let staff: string;
  let promotionId: string;
  beforeAll(async () => {
    h = await startCart();
    for (const sku of ['A1', 'B2', 'C3']) {
      h.catalog.set(sku, { USD: 1999, EUR: 1799 });
      h.inventory.stock.set(sku, 7);
    }
    guest = await h.guestCart();
    customer = await h.customer();
    customerCart = (await h.call('POST', '/carts', { token: customer, body: {} })).body.cart.id;
    staff = await h.staff(['admin']);
    const p = await h.call('POST', '/admin/promotions', {
      token: staff,
      body: { code: 'PROP10', name: 'p', effect: { kind: 'percentage', percentBp: 1000 }, usageLimit: 3 },
    });
    promotionId = p.body.id;
    const doc = (await h.call('GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })),
    );
  });
  afterAll(() => h.close());

  const text = fc.string({ maxLength: 70 });
  const sku = fc.oneof(fc.constantFrom('A1', 'B2', 'C3', 'NOPE', 'a b', ''), text);
  const int = fc.oneof(fc.integer(), fc.constantFrom(0, 1, 7, 8, 999, 1000, -1, 2 ** 53), fc.double());
  const field = fc.oneof(text, int, fc.boolean(), fc.constant(null), fc.uuid(), fc.array(text, { maxLength: 3 }));
  const body = fc.oneof(
    fc.constant(undefined),
    fc.jsonValue({ maxDepth: 2 }),
    fc.constant('{"broken'),
    fc.record(
      {
        currency: fc.oneof(fc.constantFrom('USD', 'EUR', 'JPY', 'usd'), text),
        sku,
        quantity: int,
        code: fc.oneof(fc.constantFrom('PROP10', 'prop10', 'NOPE'), text),
        option: fc.oneof(fc.constantFrom('standard', 'express', 'pickup', 'x'), field),
        region: fc.oneof(fc.constantFrom('US-CA', 'DE', 'ZZ', 'US-'), field),
        cartId: fc.oneof(fc.constant('GUEST'), fc.uuid(), text),
        token: fc.oneof(fc.constant('GUEST_TOKEN'), text),
        orderId: fc.oneof(fc.uuid(), text),
        customerId: field,
        name: field,
        effect: fc.oneof(
          fc.record({
            kind: fc.constantFrom('percentage', 'fixed', 'free_shipping', 'buy_x_get_y', 'x'),
            percentBp: int,
            amount: int,
            buy: int,
            get: int,
          }),
          field,
        ),
        minSubtotal: int,
        productIds: field,
        startsAt: fc.oneof(fc.constantFrom('2025-01-01T00:00:00Z', 'yesterday'), field),
        endsAt: field,
        usageLimit: int,
        active: field,
      },
      { requiredKeys: [] },
    ),
  );
  // Weighted towards ids and tokens that exist, so most runs get past validation into the handlers.
  const id = fc.oneof(
    { arbitrary: fc.constantFrom('GUEST', 'CUSTOMER', 'PROMO', 'PROP10'), weight: 4 },
    { arbitrary: fc.uuid(), weight: 1 },
    { arbitrary: text, weight: 1 },
  );

  const seen = new Map<number, number>();
  it('never answers 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        id,
        sku,
        body,
        fc.constantFrom('none', 'customer', 'staff', 'junk', 'service'),
        fc.constantFrom('none', 'right', 'right', 'wrong', 'long'),
        fc.option(fc.constantFrom('?limit=0', '?cursor=zzz', '?limit=2', '?limit=abc&cursor=')),
        async (pick, rawId, rawSku, rawBody, auth, cartToken, query) => {
          const route = routes[pick % routes.length];
          if (!route) return;
          const idFor = (v: string) => ({ GUEST: guest.id, CUSTOMER: customerCart, PROMO: promotionId })[v] ?? v;
          const path =
            route.path
              .replace('{id}', encodeURIComponent(idFor(rawId)))
              .replace('{ref}', encodeURIComponent(idFor(rawId)))
              .replace('{sku}', encodeURIComponent(rawSku)) + (query ?? '');
          const payload =
            rawBody && typeof rawBody === 'object' && !Array.isArray(rawBody)
              ? JSON.parse(
                  JSON.stringify(rawBody)
                    .replaceAll('"GUEST_TOKEN"', JSON.stringify(guest.token))
                    .replaceAll('"GUEST"', JSON.stringify(guest.id)),
                )
              : rawBody;
          const headers: Record<string, string> = {};
          if (auth === 'junk') headers.authorization = `Bearer ${rawId.replace(/[^\x21-\x7e]/g, '') || 'x'}`;
          if (auth === 'service') headers['x-service-token'] = SERVICE_TOKEN;
          if (cartToken === 'right') headers['x-cart-token'] = guest.token;
          if (cartToken === 'wrong') headers['x-cart-token'] = 'not-the-token';
          if (cartToken === 'long') headers['x-cart-token'] = 'x'.repeat(500);
          const r = await h.call(route.method, path, {
            ...(payload === undefined || route.method === 'GET' ? {} : { body: payload }),
            ...(auth === 'customer' ? { token: customer } : auth === 'staff' ? { token: staff } : {}),
            headers,
          });
          seen.set(r.status, (seen.get(r.status) ?? 0) + 1);
          expect(r.status, `${route.method} ${path} → ${JSON.stringify(r.body)}`).toBeLessThan(500);
        },
      ),
      { numRuns: 400 },
    );
    // The inputs reach the handlers, not only the validators.
    expect((seen.get(200) ?? 0) + (seen.get(201) ?? 0)).toBeGreaterThanOrEqual(8);
  });

  it('covers every route', () => {
    expect(routes.length).toBeGreaterThanOrEqual(16);
  });
});
