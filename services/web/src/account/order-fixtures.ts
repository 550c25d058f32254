// Shared setup for the order and session tests (not itself a test file).
import type { Order, OrderReturn, Payment, Shipment } from './order-types.ts';
import { accountApp, customerSession, type Handler, json, problem } from './test-support.ts';

export const ORDER_ID = '0199a83f-8840-7236-b5b8-ba24de364311';
export const OTHER_ID = '0199a83f-8840-7236-b5b8-ba24de364312';
export const DAY = 86_400_000;

export function order(over: Partial<Order> = {}): Order {
  return {
    id: ORDER_ID,
    number: 'SF-0001',
    status: 'delivered',
    statusReason: null,
    actionUrl: null,
    customerId: 'cust-1',
    shipments: [],
    email: null,
    currency: 'USD',
    lines: [
      {
        sku: 'HEAD-1',
        productId: 'p1',
        name: 'Swift Headphones',
        quantity: 2,
        unitPrice: 5999,
        subtotal: 11998,
        discount: 0,
        total: 11998,
        tax: 870,
      },
      {
        sku: 'CASE-1',
        productId: 'p2',
        name: 'Carry Case',
        quantity: 1,
        unitPrice: 1500,
        subtotal: 1500,
        discount: 0,
        total: 1500,
        tax: 100,
      },
    ],
    promotions: [],
    totals: { subtotal: 13498, discount: 0, shipping: 500, tax: 970, total: 14968 },
    refunded: 0,
    address: {
      name: 'Ada Lovelace',
      line1: '1 Market St',
      city: 'San Francisco',
      region: 'CA',
      postalCode: '94105',
      country: 'US',
    },
    shippingMethod: 'standard',
    createdAt: new Date(Date.now() - 3 * DAY).toISOString(),
    confirmedAt: null,
    cancelledAt: null,
    shippedAt: null,
    deliveredAt: new Date(Date.now() - 2 * DAY).toISOString(),
    ...over,
  };
}

export const shipment: Shipment = {
  id: 's1',
  kind: 'outbound',
  returnId: null,
  location: 'wh-central',
  lines: [{ sku: 'HEAD-1', qty: 2 }],
  method: 'standard',
  carrier: 'devcarrier',
  trackingNumber: 'DC123456',
  labelUrl: null,
  status: 'delivered',
  deliveredAt: new Date(Date.now() - 2 * DAY).toISOString(),
  createdAt: new Date(Date.now() - 3 * DAY).toISOString(),
  timeline: [
    {
      status: 'label_created',
      at: '2026-01-01T10:00:00Z',
      detail: 'Label created at wh-central',
      source: 'carrier',
      applied: true,
    },
    {
      status: 'in_transit',
      at: '2026-01-02T10:00:00Z',
      detail: 'In transit to San Francisco',
      source: 'carrier',
      applied: true,
    },
    {
      status: 'delivered',
      at: '2026-01-03T10:00:00Z',
      detail: 'Delivered to San Francisco',
      source: 'carrier',
      applied: true,
    },
  ],
};

export const payment: Payment = {
  id: 'pay1',
  provider: 'sandbox',
  state: 'partially_refunded',
  amount: { amount: 14968, currency: 'USD' },
  captured: { amount: 14968, currency: 'USD' },
  refunded: { amount: 6869, currency: 'USD' },
  card: { brand: 'visa', last4: '4242' },
  decline: null,
  refunds: [
    {
      id: 'r1',
      amount: { amount: 6869, currency: 'USD' },
      state: 'succeeded',
      reason: 'return',
      createdAt: '2026-01-05T10:00:00Z',
    },
  ],
  createdAt: '2026-01-01T09:00:00Z',
};

export function ret(over: Partial<OrderReturn> = {}): OrderReturn {
  return {
    id: 'ret1',
    orderId: ORDER_ID,
    status: 'requested',
    lines: [{ sku: 'HEAD-1', qty: 1, reason: 'damaged' }],
    label: null,
    refundAmount: null,
    restocked: false,
    createdAt: new Date(Date.now() - DAY).toISOString(),
    ...over,
  };
}

export function orderApi(
  o: Order,
  opts: { returns?: OrderReturn[]; shipments?: Shipment[]; payments?: Payment[] } = {},
) {
  const posted: unknown[] = [];
  const routes: [string | RegExp, Handler][] = [
    [`GET /api/orders/orders/${o.id}`, () => json(200, o)],
    [`GET /api/orders/orders/${o.id}/returns`, () => json(200, { items: opts.returns ?? [] })],
    [
      `GET /api/fulfillment/orders/${o.id}/shipments`,
      () => json(200, { orderId: o.id, shipments: opts.shipments ?? [] }),
    ],
    [
      `GET /api/payments/orders/${o.id}/payments`,
      () => (opts.payments ? json(200, { items: opts.payments }) : problem(404, 'no payments for this order')),
    ],
    [
      `POST /api/orders/orders/${o.id}/returns`,
      (call) => {
        posted.push(call.body);
        return json(201, { ...ret(), lines: (call.body as { lines: unknown[] }).lines });
      },
    ],
  ];
  return { routes, posted };
}

export async function signedIn(routes: [string | RegExp, Handler][]) {
  const t = await accountApp(routes);
  const s = await customerSession(t.auth);
  const get = (path: string) => t.app.request(path, { headers: { cookie: s.cookie } });
  const post = (path: string, fields: Record<string, string>, csrf = s.csrf) =>
    t.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: s.cookie },
      body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
    });
  return { ...t, get, post };
}
