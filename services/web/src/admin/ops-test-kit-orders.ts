import { ORDER_STATUSES } from './ops-orders-types.ts';
import { RETURN_STATUSES } from './ops-returns.tsx';
import { type Answer, CUSTOMER_ID, json, ORDER_ID, problem, STAFF_ID } from './ops-test-kit-fake.ts';

/** The fake orders API (orders, refunds, notes, returns, stats) with payments' and fulfillment's views of the order. */

/** A return as the customer's list shows it, and as staff's list (order number and currency added). */
const customerReturn = (r: Record<string, unknown>) => {
  const { orderNumber, currency, note, rejection, toLocation, refund, restockLocation, decidedBy, updatedAt, ...rest } =
    r;
  return rest;
};
const listedReturn = (r: Record<string, unknown>) => ({
  ...customerReturn(r),
  orderNumber: r.orderNumber,
  currency: r.currency,
});

export const ordersAnswer: Answer = (s, call, key) => {
  const q = call.query;
  const b = call.body;
  if (key === 'GET /api/orders/admin/orders') return json(200, { items: [s.order], nextCursor: null });
  const ord = /^(GET|POST) \/api\/orders\/admin\/orders\/([^/]+)(?:\/(\w+))?$/.exec(key);
  if (ord) {
    if (ord[2] !== ORDER_ID) return problem(404, 'not_found', 'no order');
    const action = ord[3];
    if (!action) {
      return json(200, {
        order: s.order,
        saga: { step: 'done', state: 'completed', attempts: 1, lastError: null, deadline: null },
        notes: s.notes,
        refunds: s.refunds.map((r) => ({
          id: r.id,
          source: 'staff',
          status: r.status,
          amount: r.amount,
          currency: 'USD',
          reason: r.reason,
          failure: null,
          requestedBy: STAFF_ID,
          returnId: null,
          at: '2025-03-03T10:00:00.000Z',
        })),
      });
    }
    if (action === 'notes') {
      s.notes.push({ id: s.notes.length + 1, author: STAFF_ID, body: b.body, createdAt: new Date().toISOString() });
      return json(201, { id: s.notes.length });
    }
    if (action === 'cancel') {
      if (['shipped', 'delivered', 'cancelled'].includes(s.order.status)) {
        return problem(409, 'not_cancellable', `order ${s.order.number} is ${s.order.status}`);
      }
      s.order = { ...s.order, status: 'cancelling' };
      return json(202, s.order);
    }
    if (action === 'refund') {
      const k = call.headers.get('idempotency-key') ?? '';
      if (!/^[A-Za-z0-9_.:-]{8,128}$/.test(k)) return problem(422, 'validation_failed', 'Idempotency-Key required');
      const same = s.refunds.find((r) => r.key === k);
      if (same) return json(202, { refund: same, replayed: true });
      const left = s.order.totals.total - s.order.refunded - s.refunds.reduce((n, r) => n + r.amount, 0);
      if (left <= 0) return problem(409, 'not_refundable', 'nothing left to refund');
      const amount = b.amount ?? left;
      if (amount > left) {
        return problem(422, 'refund_exceeds_refundable', `at most ${left} can be refunded`, { refundable: left });
      }
      const refund = { id: `r${s.refunds.length + 1}`, key: k, amount, status: 'requested', reason: b.reason };
      s.refunds.push(refund);
      return json(202, { refund, replayed: false });
    }
  }
  if (key === `GET /api/payments/orders/${ORDER_ID}/payments`) {
    return json(200, {
      items: [
        {
          id: '0199a83f-3333-7236-b5b8-ba24de364311',
          orderId: ORDER_ID,
          customerId: CUSTOMER_ID,
          provider: 'sandbox',
          state: 'captured',
          amount: { amount: 5500, currency: 'USD' },
          captured: { amount: 5500, currency: 'USD' },
          refunded: { amount: 0, currency: 'USD' },
          card: { brand: 'visa', last4: '4242' },
          actionUrl: null,
          decline: null,
          refunds: [],
          createdAt: '2025-03-01T10:00:30.000Z',
          updatedAt: '2025-03-01T10:00:30.000Z',
        },
      ],
    });
  }
  if (key === `GET /api/fulfillment/orders/${ORDER_ID}/shipments`) {
    return json(200, {
      orderId: ORDER_ID,
      shipments: [
        {
          id: '0199a83f-4444-7236-b5b8-ba24de364311',
          orderId: ORDER_ID,
          kind: 'outbound',
          returnId: null,
          location: 'wh-east',
          lines: [{ sku: 'HP-1-BLK', qty: 2 }],
          address: s.order.address,
          method: 'standard',
          carrier: 'devcarrier',
          trackingNumber: 'DC123456789',
          labelUrl: null,
          status: 'in_transit',
          deliveredAt: null,
          createdAt: '2025-03-01T10:02:00.000Z',
          updatedAt: '2025-03-01T12:00:00.000Z',
          timeline: [
            {
              status: 'label_created',
              at: '2025-03-01T10:02:00.000Z',
              detail: null,
              source: 'fulfillment',
              applied: true,
            },
            {
              status: 'in_transit',
              at: '2025-03-01T12:00:00.000Z',
              detail: 'Newark hub',
              source: 'carrier',
              applied: true,
            },
          ],
        },
      ],
    });
  }
  if (key === `GET /api/orders/orders/${ORDER_ID}/returns`) {
    return json(200, { items: s.returns.filter((r) => r.orderId === ORDER_ID).map(customerReturn) });
  }
  if (key === 'GET /api/orders/admin/returns') {
    const st = q.get('status');
    return json(200, { items: s.returns.filter((r) => !st || r.status === st).map(listedReturn), nextCursor: null });
  }
  if (key === 'GET /api/orders/admin/stats') {
    const count = (all: readonly string[], of: string[]) =>
      Object.fromEntries(all.map((x) => [x, of.filter((y) => y === x).length]));
    return json(200, {
      orders: count(ORDER_STATUSES, [s.order.status]),
      returns: count(
        RETURN_STATUSES,
        s.returns.map((r) => r.status as string),
      ),
    });
  }
  const one = /^GET \/api\/orders\/admin\/returns\/([^/]+)$/.exec(key);
  if (one) {
    const r = s.returns.find((x) => x.id === one[1]);
    return r ? json(200, r) : problem(404, 'not_found', 'no return');
  }
  const ret = /^POST \/api\/orders\/admin\/returns\/([^/]+)\/(approve|reject|inspect)$/.exec(key);
  if (ret) {
    const r = s.returns.find((x) => x.id === ret[1]);
    if (!r) return problem(404, 'not_found', 'no return');
    const next = { approve: 'approved', reject: 'rejected', inspect: 'refunding' }[ret[2] as string] as string;
    const allowed = ret[2] === 'inspect' ? ['approved', 'label_created', 'received'] : ['requested'];
    if (!allowed.includes(r.status as string)) return problem(409, 'return_refused', `return is ${r.status}`);
    if (ret[2] === 'inspect') {
      // The rule amount (2500 here), capped at what the order still has refundable (422 above it).
      const inFlight = s.returns.reduce((n, x) => n + (x.status === 'refunding' ? Number(x.refundAmount ?? 0) : 0), 0);
      const left = Math.max(
        0,
        s.order.totals.total - s.order.refunded - s.refunds.reduce((n, x) => n + x.amount, 0) - inFlight,
      );
      if (b.refundAmount !== undefined && b.refundAmount > left) {
        return problem(422, 'refund_exceeds_refundable', `at most ${left} can be refunded`, { refundable: left });
      }
      r.refundAmount = Math.min(2500, left, b.refundAmount ?? 2500);
      r.refund = { state: 'requested', id: 'rf-1', amount: r.refundAmount, shipping: false };
      r.restockLocation = b.restockLocation;
    }
    if (ret[2] === 'approve') r.toLocation = b.toLocation;
    if (ret[2] === 'reject') r.rejection = b.reason;
    r.status = next;
    return json(200, listedReturn(r));
  }
  return undefined;
};
