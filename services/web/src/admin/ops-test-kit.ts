import { testAuth } from '@storefront/kit/testing';
import { createApp } from '../app.tsx';
import { webConfig } from '../config.ts';

/**
 * The web app in front of a small, stateful fake of the API calls the operations pages make
 * (inventory, orders, payments, fulfillment, identity). The real services are exercised by the
 * browser test (tests/e2e/browser/admin-ops.test.ts); this fake keeps the page tests fast and lets
 * them force every refusal.
 */

export interface Call {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies.
  readonly body: any;
}

export const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });
export const problem = (status: number, code: string, detail: string, extra: Record<string, unknown> = {}) =>
  json(status, { type: `https://storefront.dev/problems/${code}`, title: 'Problem', status, code, detail, ...extra });

export const ORDER_ID = '0199a83f-8840-7236-b5b8-ba24de364311';
export const RETURN_ID = '0199a83f-9999-7236-b5b8-ba24de364311';
export const CUSTOMER_ID = '0199a83f-1111-7236-b5b8-ba24de364311';
export const STAFF_ID = 'acct-1';

export const LOCATIONS = [
  {
    code: 'wh-east',
    name: 'East warehouse',
    kind: 'warehouse',
    address: { line1: '1 Dock Rd', city: 'Newark', postalCode: '07101', country: 'US' },
    pickupEnabled: false,
    priority: 10,
  },
  {
    code: 'store-soho',
    name: 'SoHo store',
    kind: 'store',
    address: { line1: '9 Prince St', city: 'New York', postalCode: '10012', country: 'US' },
    pickupEnabled: true,
    priority: 100,
  },
];

export function order(over: Record<string, unknown> = {}) {
  return {
    id: ORDER_ID,
    number: 'SF-0199A83F8840',
    status: 'confirmed',
    statusReason: null,
    actionUrl: null,
    customerId: CUSTOMER_ID,
    email: 'ada@example.test',
    currency: 'USD',
    lines: [
      {
        sku: 'HP-1-BLK',
        productId: 'p1',
        name: 'Headphones <b>Pro</b>',
        quantity: 2,
        unitPrice: 2500,
        subtotal: 5000,
        discount: 0,
        total: 5000,
        tax: 0,
      },
    ],
    promotions: [],
    totals: { subtotal: 5000, discount: 0, shipping: 500, tax: 0, total: 5500 },
    refunded: 0,
    address: {
      name: 'Ada L',
      line1: '1 Market St',
      city: 'San Francisco',
      region: 'CA',
      postalCode: '94105',
      country: 'US',
    },
    shippingMethod: 'standard',
    shipments: [],
    createdAt: '2025-03-01T10:00:00.000Z',
    updatedAt: '2025-03-01T10:00:00.000Z',
    confirmedAt: '2025-03-01T10:01:00.000Z',
    cancelledAt: null,
    shippedAt: null,
    deliveredAt: null,
    ...over,
  };
}

export interface FakeState {
  stock: { sku: string; location: string; onHand: number; reserved: number; lowThreshold: number }[];
  locations: typeof LOCATIONS;
  order: ReturnType<typeof order>;
  refunds: { id: string; key: string; amount: number; status: string; reason: string }[];
  notes: { id: number; author: string; body: string; createdAt: string }[];
  returns: Record<string, unknown>[];
  accounts: Record<string, unknown>[];
  /** Force an answer for "METHOD /path" (checked before the fake's own logic). */
  override: Map<string, () => Response>;
}

function fakeState(): FakeState {
  return {
    stock: [
      { sku: 'HP-1-BLK', location: 'wh-east', onHand: 3, reserved: 0, lowThreshold: 2 },
      { sku: 'HP-1-BLK', location: 'store-soho', onHand: 0, reserved: 0, lowThreshold: 1 },
      { sku: 'MUG-2', location: 'wh-east', onHand: 40, reserved: 5, lowThreshold: 5 },
    ],
    locations: structuredClone(LOCATIONS),
    order: order(),
    refunds: [],
    notes: [{ id: 1, author: STAFF_ID, body: 'Called the <customer>', createdAt: '2025-03-01T11:00:00.000Z' }],
    returns: [
      {
        id: RETURN_ID,
        orderId: ORDER_ID,
        orderNumber: 'SF-0199A83F8840',
        currency: 'USD',
        status: 'requested',
        lines: [{ sku: 'HP-1-BLK', qty: 1, reason: 'damaged' }],
        label: null,
        refundAmount: null,
        restocked: false,
        createdAt: '2025-03-05T10:00:00.000Z',
        // Only on GET /admin/returns/{id}:
        note: 'The <left> ear is silent',
        rejection: null,
        toLocation: null,
        refund: { state: 'none', id: null, amount: null, shipping: false },
        restockLocation: null,
        decidedBy: null,
        updatedAt: '2025-03-05T10:00:00.000Z',
      },
    ],
    accounts: [
      {
        id: CUSTOMER_ID,
        email: 'ada@example.test',
        roles: ['customer'],
        emailVerified: true,
        mfaEnabled: false,
        disabled: false,
        createdAt: '2025-01-01T00:00:00.000Z',
      },
      {
        id: '0199a83f-2222-7236-b5b8-ba24de364311',
        email: 'boss@shop.test',
        roles: ['admin'],
        emailVerified: true,
        mfaEnabled: true,
        disabled: false,
        createdAt: '2025-01-01T00:00:00.000Z',
      },
    ],
    override: new Map(),
  };
}

const ORDER_STATUS_LIST = [
  'pending',
  'pending_payment',
  'payment_action_required',
  'processing',
  'confirmed',
  'shipped',
  'delivered',
  'cancelling',
  'cancelled',
] as const;
const RETURN_STATUS_LIST = [
  'requested',
  'approved',
  'rejected',
  'label_created',
  'received',
  'refunding',
  'refunded',
  'refund_failed',
] as const;
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

const row = (r: FakeState['stock'][number]) => ({
  ...r,
  available: r.onHand - r.reserved,
  lastCountedAt: null,
});

/** The fake API: what the operations pages call, with the services' rules where the pages depend on them. */
function answer(s: FakeState, call: Call): Response {
  const key = `${call.method} ${call.path}`;
  const forced = s.override.get(key);
  if (forced) return forced();
  const q = call.query;
  const b = call.body;
  if (key === 'GET /api/catalog/categories') return json(200, { items: [] });
  if (key === 'GET /api/inventory/locations') return json(200, { items: s.locations });
  if (key === 'GET /api/inventory/stock') {
    const prefix = q.get('q')?.toLowerCase();
    const items = s.stock
      .filter(
        (r) =>
          (!q.get('sku') || r.sku === q.get('sku')) &&
          (!q.get('location') || r.location === q.get('location')) &&
          (!prefix || r.sku.toLowerCase().startsWith(prefix)) &&
          (q.get('low') !== 'true' || r.onHand - r.reserved <= r.lowThreshold),
      )
      .map(row);
    return json(200, { items, nextCursor: null });
  }
  if (key === 'GET /api/inventory/movements') {
    return json(200, {
      items: [
        {
          id: 7,
          sku: q.get('sku'),
          location: 'wh-east',
          delta: -2,
          reason: 'transfer-out',
          ref: 'transfer:abc',
          actor: STAFF_ID,
          note: '<script>alert(1)</script>',
          at: '2025-03-02T10:00:00.000Z',
        },
      ],
    });
  }
  if (key === 'POST /api/inventory/adjustments') {
    const r = s.stock.find((x) => x.sku === b.sku && x.location === b.location);
    if (!s.locations.some((l) => l.code === b.location)) return problem(422, 'unknown_location', 'no location');
    const current = r ?? { sku: b.sku, location: b.location, onHand: 0, reserved: 0, lowThreshold: 0 };
    const next =
      b.reason === 'count'
        ? b.onHand
        : b.reason === 'correction'
          ? current.onHand + b.delta
          : b.reason === 'receipt'
            ? current.onHand + b.qty
            : current.onHand - b.qty;
    if (next < current.reserved) {
      return problem(409, 'insufficient_stock', `on hand would be ${next} but ${current.reserved} are reserved`, {
        onHand: current.onHand,
        reserved: current.reserved,
      });
    }
    current.onHand = next;
    if (!r) s.stock.push(current);
    return json(200, { ...row(current), id: b.id ?? 'op', delta: 0, reason: b.reason, replayed: false });
  }
  if (key === 'POST /api/inventory/transfers') {
    const from = s.stock.find((x) => x.sku === b.sku && x.location === b.from);
    const available = from ? from.onHand - from.reserved : 0;
    if (!from || available < b.qty) {
      return problem(409, 'insufficient_stock', `${b.sku} at ${b.from} has ${available} available`, {
        side: 'from',
        location: b.from,
        available,
        requested: b.qty,
      });
    }
    from.onHand -= b.qty;
    return json(200, { id: 't1', sku: b.sku, qty: b.qty, from: row(from), to: row(from), replayed: false });
  }
  const threshold = /^PUT \/api\/inventory\/stock\/([^/]+)\/([^/]+)\/threshold$/.exec(key);
  if (threshold) {
    const r = s.stock.find((x) => x.location === threshold[1] && x.sku === decodeURIComponent(threshold[2] ?? ''));
    if (!r) return problem(404, 'not_found', 'no stock row');
    r.lowThreshold = b.lowThreshold;
    return json(200, row(r));
  }
  if (key === 'POST /api/inventory/locations') {
    if (s.locations.some((l) => l.code === b.code)) return problem(409, 'conflict', `location ${b.code} exists`);
    s.locations.push({ priority: 10, ...b });
    return json(201, b);
  }
  const loc = /^PATCH \/api\/inventory\/locations\/([^/]+)$/.exec(key);
  if (loc) {
    const l = s.locations.find((x) => x.code === loc[1]);
    if (!l) return problem(404, 'not_found', 'no location');
    Object.assign(l, b);
    return json(200, l);
  }

  // orders
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
      orders: count(ORDER_STATUS_LIST, [s.order.status]),
      returns: count(
        RETURN_STATUS_LIST,
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

  // identity
  if (key === 'GET /api/identity/accounts') {
    const prefix = q.get('email') ?? '';
    const role = q.get('role');
    const items = s.accounts.filter(
      (a) => String(a.email).startsWith(prefix) && (!role || (a.roles as string[]).includes(role)),
    );
    return json(200, { items, nextCursor: null });
  }
  const acct = /^(GET|PUT|POST) \/api\/identity\/accounts\/([^/]+)(\/.*)?$/.exec(key);
  if (acct) {
    const a = s.accounts.find((x) => x.id === acct[2]);
    if (!a) return problem(404, 'not_found', 'no such account');
    if (!acct[3]) {
      return json(200, {
        ...a,
        emailVerifiedAt: '2025-01-01T00:05:00.000Z',
        mfaEnabledAt: a.mfaEnabled ? '2025-01-02T00:00:00.000Z' : null,
        disabledAt: null,
        updatedAt: '2025-01-01T00:00:00.000Z',
        lastSignInAt: '2025-03-01T09:00:00.000Z',
        lastActiveAt: '2025-03-01T09:30:00.000Z',
        liveSessions: 2,
      });
    }
    if (acct[3] === '/roles') {
      if (acct[2] === STAFF_ID) return problem(422, 'validation_failed', 'you cannot change your own roles');
      a.roles = b.roles;
      return json(200, { id: a.id, email: a.email, roles: a.roles });
    }
    if (acct[3] === '/mfa/reset') {
      a.mfaEnabled = false;
      return new Response(null, { status: 204 });
    }
    if (acct[3] === '/sessions/revoke') return json(200, { revoked: 2 });
  }
  if (key === 'GET /api/identity/audit') {
    return json(200, {
      items: [
        {
          id: 'e1',
          at: '2025-03-03T10:00:00.000Z',
          service: 'orders',
          action: 'order.refund',
          outcome: 'success',
          actor: { type: 'account', id: CUSTOMER_ID },
          target: { type: 'order', id: ORDER_ID },
          details: { amount: 5500, reason: 'late <delivery>', nested: { a: [1, 2] } },
        },
        {
          id: 'e2',
          at: '2025-03-03T09:00:00.000Z',
          service: 'inventory',
          action: 'stock.adjust.count',
          outcome: 'success',
          actor: { type: 'account', id: STAFF_ID },
          target: { type: 'stock', id: 'HP-1-BLK@wh-east' },
          details: { delta: -3, onHand: 0 },
        },
      ],
      nextCursor: 'YTox',
    });
  }
  return problem(404, 'not_found', `nothing at ${key}`);
}

export const CSRF = 'k'.repeat(40);

/** The app with the fake API; `as(roles)` gives the request headers of a staff member signed in with MFA. */
export async function opsApp() {
  const auth = await testAuth();
  const calls: Call[] = [];
  const state = fakeState();
  const config = webConfig.parse({
    UPSTREAM_GATEWAY_URL: 'http://gateway.test',
    JWT_ISSUER: auth.issuer,
    JWT_AUDIENCE: auth.audience,
    COOKIE_SECURE: 'false',
    LOG_LEVEL: 'silent',
  });
  const fakeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const text = typeof init?.body === 'string' ? init.body : undefined;
    const call: Call = {
      method: (init?.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers: new Headers(init?.headers),
      body: text ? JSON.parse(text) : undefined,
    };
    calls.push(call);
    return answer(state, call);
  };
  const app = createApp({ config, verifier: auth.verifier, fetch: fakeFetch as typeof fetch });

  const cookieOf = async (roles: string[], mfa = true) =>
    `sf_at=${roles.includes('customer') ? await auth.customerToken() : await auth.staffToken(roles, { mfa })}; sf_gcsrf=${CSRF}`;

  return {
    app,
    calls,
    state,
    /** GET as a staff member with these roles (admin by default). */
    async get(path: string, roles: string[] = ['admin'], mfa = true) {
      return app.request(path, { headers: { cookie: await cookieOf(roles, mfa) } });
    },
    /** POST a form with the CSRF field (unless `csrf: null`). */
    async post(
      path: string,
      fields: Record<string, string | string[]>,
      roles: string[] = ['admin'],
      csrf: string | null = CSRF,
    ) {
      const body = new URLSearchParams();
      if (csrf !== null) body.append('_csrf', csrf);
      for (const [k, v] of Object.entries(fields)) {
        for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
      }
      return app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: await cookieOf(roles) },
        body: body.toString(),
      });
    },
    callsTo: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path),
  };
}

/** The visible text of a page (tags dropped, entities decoded, whitespace collapsed). */
export function text(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** A hidden field's value in a page. */
export const hidden = (html: string, name: string): string | undefined =>
  html.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1];
