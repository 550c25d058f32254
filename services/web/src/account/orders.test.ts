import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY, ORDER_ID, OTHER_ID, order, orderApi, payment, ret, shipment, signedIn } from './order-fixtures.ts';
import { liveSeconds, returnability } from './order-parts.tsx';
import { json, problem, text } from './test-support.ts';

describe('order rules in the page', () => {
  it('returnability: delivered within 30 days, units not yet in a (not rejected) return', () => {
    const now = new Date();
    expect(returnability(order({ status: 'shipped', deliveredAt: null }), [], now)).toMatchObject({
      ok: false,
      why: expect.stringMatching(/once your order has been delivered/),
    });
    expect(returnability(order({ status: 'cancelled' }), [], now)).toMatchObject({ ok: false });
    const late = returnability(order({ deliveredAt: new Date(now.getTime() - 31 * DAY).toISOString() }), [], now);
    expect(late).toMatchObject({
      ok: false,
      why: expect.stringMatching(/within 30 days of delivery; the window .* closed on/),
    });
    const some = returnability(
      order(),
      [ret(), ret({ id: 'r2', status: 'rejected', lines: [{ sku: 'CASE-1', qty: 1, reason: 'other' }] })],
      now,
    );
    expect(some.ok && some.lines.map((l) => [l.line.sku, l.left])).toEqual([
      ['HEAD-1', 1],
      ['CASE-1', 1],
    ]);
    const all = returnability(
      order(),
      [
        ret({
          lines: [
            { sku: 'HEAD-1', qty: 2, reason: 'damaged' },
            { sku: 'CASE-1', qty: 1, reason: 'damaged' },
          ],
        }),
      ],
      now,
    );
    expect(all).toMatchObject({ ok: false, why: expect.stringMatching(/already in a return/) });
  });

  it('liveSeconds: fast while the saga moves, slow while shipping or a return is open, off when settled', () => {
    expect(liveSeconds(order({ status: 'pending_payment' }), [])).toBe(5);
    expect(liveSeconds(order({ status: 'shipped' }), [])).toBe(20);
    expect(liveSeconds(order(), [ret()])).toBe(20);
    expect(liveSeconds(order(), [ret({ status: 'refunded' })])).toBeUndefined();
    expect(liveSeconds(order({ status: 'cancelled' }), [])).toBeUndefined();
  });
});

describe('order history', () => {
  it('lists the orders newest first as the API gives them, with a link to older ones', async () => {
    const first = order({ number: 'SF-0002', status: 'shipped' });
    const second = order({ id: OTHER_ID, number: 'SF-0001' });
    let asked: URLSearchParams | undefined;
    const { get } = await signedIn([
      [
        'GET /api/orders/orders',
        (call) => {
          asked = call.query;
          return json(200, { items: [first, second], nextCursor: OTHER_ID });
        },
      ],
    ]);
    const res = await get('/account/orders');
    expect(res.status).toBe(200);
    const html = await res.text();
    const body = text(html);
    expect(body.indexOf('SF-0002')).toBeLessThan(body.indexOf('SF-0001'));
    expect(body).toMatch(/SF-0002 .* Shipped 3 \$149\.68/);
    expect(html).toContain(`href="/account/orders/${ORDER_ID}"`);
    expect(html).toContain(`href="/account/orders?cursor=${OTHER_ID}"`);
    expect(asked?.get('limit')).toBe('10');
  });

  it('passes the cursor on, and says so kindly when there are no orders', async () => {
    const seen: (string | null)[] = [];
    const { get } = await signedIn([
      [
        'GET /api/orders/orders',
        (call) => {
          seen.push(call.query.get('cursor'));
          return json(200, { items: [], nextCursor: null });
        },
      ],
    ]);
    expect(text(await (await get('/account/orders')).text())).toMatch(/You have no orders yet/);
    expect(text(await (await get(`/account/orders?cursor=${OTHER_ID}`)).text())).toMatch(/No more orders/);
    expect(seen).toEqual([null, OTHER_ID]);
    const bad = await get('/account/orders?cursor=not-a-uuid');
    expect(bad.status).toBe(400);
  });

  it('an API failure is a kind page with the request id, never a stack', async () => {
    const { get } = await signedIn([
      ['GET /api/orders/orders', () => problem(500, 'TypeError: x is undefined at line 3')],
    ]);
    const res = await get('/account/orders');
    expect(res.status).toBe(503);
    const body = text(await res.text());
    expect(body).toMatch(/Something went wrong on our side/);
    expect(body).not.toMatch(/TypeError/);
  });
});

describe('order detail', () => {
  it('shows lines, totals, tracking timeline, payment and refund, and returns with their status', async () => {
    const withLabel = ret({
      id: 'ret2',
      status: 'label_created',
      label: { carrier: 'devcarrier', trackingNumber: 'RT999', labelUrl: 'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=' },
      refundAmount: 6869,
    });
    const { routes } = orderApi(order({ refunded: 6869 }), {
      shipments: [
        shipment,
        { ...shipment, id: 's2', kind: 'return', returnId: 'ret2', status: 'in_transit', trackingNumber: 'RT999' },
      ],
      payments: [payment],
      returns: [withLabel],
    });
    const { get } = await signedIn(routes);
    const res = await get(`/account/orders/${ORDER_ID}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const body = text(html);
    expect(html).toContain('<h1>Order SF-0001</h1>');
    expect(body).toMatch(/Status: Delivered/);
    expect(body).toMatch(/Swift Headphones .* 2 \$59\.99 \$119\.98/);
    expect(body).toMatch(/Total \$149\.68/);
    expect(body).toMatch(/Refunded \$68\.69/);
    expect(body).toMatch(/devcarrier tracking number DC123456/);
    // Newest tracking event first.
    expect(body.indexOf('Delivered to San Francisco')).toBeLessThan(body.indexOf('Label created at wh-central'));
    expect(body).toMatch(/Visa ending 4242: Partly refunded · paid \$149\.68 · refunded \$68\.69/);
    expect(body).toMatch(/Refund of \$68\.69 on .*: Refunded/);
    expect(body).toMatch(/Label ready/);
    expect(body).toMatch(/Send it with devcarrier, tracking number RT999 · In transit/);
    expect(html).toContain('alt="Return label, tracking number RT999"');
    expect(body).toMatch(/Refund: \$68\.69/);
    // An open return keeps the page live: a noscript refresh, and data-live for account.js.
    expect(html).toContain('<noscript><meta http-equiv="refresh" content="20"></noscript>');
    expect(html).toContain('data-live="20"');
    expect(html).toContain('role="status" id="order-status"');
  });

  it('in progress it refreshes itself; settled it does not', async () => {
    const busy = await signedIn(orderApi(order({ status: 'pending_payment', deliveredAt: null })).routes);
    const html = await (await busy.get(`/account/orders/${ORDER_ID}`)).text();
    expect(html).toContain('content="5"');
    expect(text(html)).toMatch(/Awaiting payment/);
    expect(text(html)).toMatch(/once your order has been delivered/);
    const done = await signedIn(orderApi(order({ deliveredAt: new Date(Date.now() - 40 * DAY).toISOString() })).routes);
    const settled = await (await done.get(`/account/orders/${ORDER_ID}`)).text();
    expect(settled).not.toContain('http-equiv="refresh"');
    expect(settled).not.toContain('data-live=');
    expect(text(settled)).toMatch(/window for this order closed on/);
  });

  it('offers the bank step while the payment needs it (only an http(s) link)', async () => {
    const { get } = await signedIn(
      orderApi(order({ status: 'payment_action_required', actionUrl: 'javascript:alert(1)', deliveredAt: null }))
        .routes,
    );
    const html = await (await get(`/account/orders/${ORDER_ID}`)).text();
    expect(html).not.toContain('javascript:');
    const ok = await signedIn(
      orderApi(
        order({
          status: 'payment_action_required',
          actionUrl: 'http://localhost:8080/api/payments/sandbox/3ds/p1',
          deliveredAt: null,
        }),
      ).routes,
    );
    expect(await (await ok.get(`/account/orders/${ORDER_ID}`)).text()).toContain(
      'href="http://localhost:8080/api/payments/sandbox/3ds/p1"',
    );
  });

  it('a bad id or someone else’s order is the 404 page', async () => {
    const { get } = await signedIn([]);
    const bad = await get('/account/orders/not-a-uuid');
    expect(bad.status).toBe(404);
    const missing = await get(`/account/orders/${OTHER_ID}`);
    expect(missing.status).toBe(404);
    expect(text(await missing.text())).toMatch(/We can't find that page/);
  });
});

describe('never a 500 on the signed-in pages', () => {
  it('random query strings and ids', async () => {
    const { routes } = orderApi(order());
    routes.push(['GET /api/orders/orders', () => json(200, { items: [order()], nextCursor: null })]);
    routes.push(['GET /api/identity/sessions', () => json(200, { items: [] })]);
    const { get } = await signedIn(routes);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          '/account/orders',
          `/account/orders/${ORDER_ID}`,
          `/account/orders/${ORDER_ID}/return`,
          '/account/sessions',
          '/account/orders/x',
          '/account/orders/%00/return',
        ),
        fc.dictionary(fc.constantFrom('cursor', 'done', 'error', 'next', 'x'), fc.string({ maxLength: 60 })),
        async (path, query) => {
          const res = await get(`${path}?${new URLSearchParams(query)}`);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('random return forms', async () => {
    const { routes } = orderApi(order());
    const { post } = await signedIn(routes);
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom('qty_0', 'qty_1', 'qty_7', 'reason_0', 'reason_1', 'note', '__proto__', 'constructor'),
          fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('1', '2', '-1', '1e3', 'damaged', 'other', '')),
        ),
        async (fields) => {
          const res = await post(`/account/orders/${ORDER_ID}/return`, fields);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });
});
