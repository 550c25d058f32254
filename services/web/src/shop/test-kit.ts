import { testAuth } from '@storefront/kit/testing';
import { createApp } from '../app.tsx';
import { webConfig } from '../config.ts';

/**
 * The web app in front of a small stateful fake of the public API the shop pages call (catalog,
 * inventory, cart, payments' sandbox tokenization, orders). The real services are exercised by
 * the browser test (tests/e2e/browser/shop.test.ts); this fake keeps page tests fast and lets
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

export const CSRF = 'shop-test-csrf-token-0123456789abcdef';
export const ORDER_ID = '0199a83f-8840-7236-b5b8-ba24de364311';
const PAYMENT_ID = '0199a83f-8840-7236-b5b8-ba24de364399';
export const SLUG = 'aurion-pro-headphones';

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });
export const problem = (status: number, code: string, detail: string, extra: Record<string, unknown> = {}) =>
  json(status, { type: `https://storefront.dev/problems/${code}`, title: 'Problem', status, code, detail, ...extra });

const IMG = 'data:image/svg+xml,%3Csvg%20xmlns%3D%22http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%22%2F%3E';

export const PRODUCT = {
  id: 'p-1',
  slug: SLUG,
  name: 'Aurion Pro Headphones',
  description: 'Over-ear headphones with <b>noise</b> cancelling.',
  status: 'published',
  brand: { id: 'b-1', slug: 'aurion', name: 'Aurion' },
  category: {
    id: 'c-3',
    slug: 'headphones',
    name: 'Headphones',
    path: '/electronics/audio/headphones/',
    trail: [
      { slug: 'electronics', name: 'Electronics' },
      { slug: 'audio', name: 'Audio' },
      { slug: 'headphones', name: 'Headphones' },
    ],
  },
  attributes: { color: 'Black', battery: '40 h' },
  images: [{ url: IMG, alt: 'Aurion Pro Headphones, front' }],
  variants: [
    {
      id: 'v-1',
      sku: 'AUR-1-BLK',
      options: { color: 'Black' },
      position: 0,
      prices: [{ currency: 'USD', amount: 19999, compareAt: 24999 }],
    },
    {
      id: 'v-2',
      sku: 'AUR-1-WHT',
      options: { color: 'White' },
      position: 1,
      prices: [{ currency: 'USD', amount: 19999, compareAt: null }],
    },
  ],
  rating: { count: 2, average: 4.5 },
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

const TREE = [
  {
    id: 'c-1',
    parentId: null,
    slug: 'electronics',
    name: 'Electronics',
    path: '/electronics/',
    position: 0,
    children: [
      {
        id: 'c-2',
        parentId: 'c-1',
        slug: 'audio',
        name: 'Audio',
        path: '/electronics/audio/',
        position: 0,
        children: [
          {
            id: 'c-3',
            parentId: 'c-2',
            slug: 'headphones',
            name: 'Headphones',
            path: '/electronics/audio/headphones/',
            position: 0,
            children: [],
          },
        ],
      },
    ],
  },
];

const ITEM = {
  id: 'p-1',
  slug: SLUG,
  name: 'Aurion Pro Headphones',
  brand: 'Aurion',
  image: IMG,
  price: { amount: 19999, currency: 'USD' },
  rating: { count: 2, average: 4.5 },
  inStock: true,
};

function searchResult(q: string, corrected: string | null, total = 1) {
  return {
    query: { q, corrected, matched: 'all' },
    total,
    items: total
      ? [ITEM, { ...ITEM, id: 'p-2', slug: 'aurion-lite', name: 'Aurion Lite', rating: { count: 0, average: null } }]
      : [],
    nextCursor: total ? 'bmV4dA' : null,
    facets: {
      categories: total
        ? [{ slug: 'headphones', name: 'Headphones', path: '/electronics/audio/headphones/', count: 2 }]
        : [],
      brands: total ? [{ slug: 'aurion', name: 'Aurion', count: 2 }] : [],
      price: { currency: 'USD', buckets: total ? [{ min: 10000, max: 25000, count: 2 }] : [] },
      attributes: total ? [{ key: 'color', values: [{ value: 'black', count: 2 }] }] : [],
      inStock: total ? 2 : 0,
    },
  };
}

const STOCK: Record<string, number> = { 'AUR-1-BLK': 12, 'AUR-1-WHT': 0 };

interface FakeCart {
  id: string;
  token: string;
  customer: string | null;
  lines: { sku: string; quantity: number; seen: number }[];
  shippingOption: string | null;
  taxRegion: string | null;
  code: string | null;
  status: 'open' | 'merged' | 'ordered';
  /** The order that closed it (while `ordered`). */
  orderId: string | null;
  /** When the fake "hears" the cancellation of that order and opens the cart again (ms since epoch). */
  reopenAt: number | null;
}

interface FakeOrder {
  id: string;
  key: string;
  token: string;
  cartId: string;
  customer: string | null;
  status: string;
  statusReason: string | null;
  actionUrl: string | null;
  body: unknown;
}

export interface FakeState {
  carts: Map<string, FakeCart>;
  orders: FakeOrder[];
  /** Force a failure: path prefix → response. */
  fail: Map<string, () => Response>;
  price: number;
  nextCart: number;
  /**
   * How long after a cancelled order its cart opens again (the cart service hears
   * order.cancelled.v1 a moment later); Infinity: never.
   */
  reopenDelayMs: number;
}

/** Applies the order events that are due: a cart closed by a cancelled order opens again, unless its customer has another open cart. */
function settleCarts(s: FakeState): void {
  for (const cart of s.carts.values()) {
    if (cart.status !== 'ordered' || cart.reopenAt === null || Date.now() < cart.reopenAt) continue;
    cart.reopenAt = null;
    const other = [...s.carts.values()].some((c) => c !== cart && c.customer === cart.customer && c.status === 'open');
    if (cart.customer && other) continue;
    cart.status = 'open';
    cart.orderId = null;
  }
}

function cartView(s: FakeState, cart: FakeCart) {
  const lines = cart.lines.map((l) => {
    const unit = s.price;
    const subtotal = unit * l.quantity;
    return {
      sku: l.sku,
      productId: 'p-1',
      slug: SLUG,
      name: `Aurion Pro Headphones (${l.sku.endsWith('BLK') ? 'Black' : 'White'})`,
      image: IMG,
      quantity: l.quantity,
      unitPrice: unit,
      seenUnitPrice: l.seen,
      priceChanged: unit !== l.seen,
      available: true,
      subtotal,
      discount: 0,
      total: subtotal,
      tax: cart.taxRegion ? Math.round(subtotal * 0.0725) : null,
    };
  });
  const subtotal = lines.reduce((n, l) => n + l.subtotal, 0);
  const discount = cart.code ? Math.round(subtotal / 10) : 0;
  const options = [
    { id: 'standard', name: 'Standard (3–5 working days)', price: 599, amount: subtotal - discount >= 5000 ? 0 : 599 },
    { id: 'express', name: 'Express (next working day)', price: 1999, amount: 1999 },
    { id: 'pickup', name: 'Pick up in store', price: 0, amount: 0 },
  ];
  const shipping = cart.shippingOption ? (options.find((o) => o.id === cart.shippingOption)?.amount ?? 0) : null;
  const tax = cart.taxRegion ? Math.round((subtotal - discount) * 0.0725) : null;
  const merchandise = subtotal - discount;
  return {
    id: cart.id,
    status: cart.status,
    orderId: cart.status === 'ordered' ? cart.orderId : null,
    owner: cart.customer ? 'customer' : 'guest',
    mergedInto: null,
    currency: 'USD',
    pricing: 'live',
    lines,
    priceChanges: lines.filter((l) => l.priceChanged).length,
    code: cart.code ? { code: cart.code, applied: true, reasonCode: null, reason: null } : null,
    promotions: cart.code
      ? [{ id: 'promo-1', code: cart.code, name: '10% off', kind: 'percentage', discount, shippingDiscount: 0 }]
      : [],
    shippingOptions: options,
    shippingOption: cart.shippingOption,
    taxRegion: cart.taxRegion,
    totals: {
      subtotal,
      lineDiscount: 0,
      orderDiscount: discount,
      discount,
      merchandise,
      shipping,
      tax,
      total: shipping === null || tax === null ? null : merchandise + shipping + tax,
      estimatedTotal: merchandise + (shipping ?? 0) + (tax ?? 0),
    },
    version: 1,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  };
}

function orderView(s: FakeState, o: FakeOrder) {
  // biome-ignore lint/suspicious/noExplicitAny: the fake reads back what the page sent.
  const b = o.body as any;
  return {
    id: o.id,
    number: `SF-${o.id.slice(0, 8).toUpperCase()}`,
    status: o.status,
    statusReason: o.statusReason,
    actionUrl: o.actionUrl,
    customerId: o.customer,
    email: b.email ?? null,
    currency: 'USD',
    lines: [
      {
        sku: 'AUR-1-BLK',
        productId: 'p-1',
        name: 'Aurion Pro <Headphones>',
        quantity: 1,
        unitPrice: s.price,
        subtotal: s.price,
        discount: 0,
        total: s.price,
        tax: 0,
      },
    ],
    promotions: [],
    totals: { subtotal: s.price, discount: 0, shipping: 0, tax: 0, total: s.price },
    refunded: 0,
    address: b.address,
    shippingMethod: b.shippingMethod,
    shipments: [],
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    confirmedAt: null,
    cancelledAt: null,
    shippedAt: null,
    deliveredAt: null,
  };
}

function subjectOf(call: Call): string | null {
  const m = (call.headers.get('cookie') ?? '').match(/sf_at=([^;]+)/);
  if (!m?.[1]) return null;
  try {
    const payload = JSON.parse(Buffer.from(m[1].split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof payload.sub === 'string' ? payload.sub : null;
  } catch {
    return null;
  }
}

function answer(s: FakeState, call: Call): Response {
  for (const [prefix, fn] of s.fail) if (call.path.startsWith(prefix)) return fn();
  settleCarts(s);
  const { method, path, query } = call;
  const customer = subjectOf(call);

  if (method === 'GET' && path === '/api/catalog/categories') return json(200, { items: TREE });
  if (method === 'GET' && path === '/api/catalog/suggest')
    return json(200, { terms: ['headphones'], products: [], categories: [], brands: [] });
  if (method === 'GET' && path === '/api/catalog/products') {
    const q = query.get('q') ?? '';
    if (q.includes('nothing')) return json(200, searchResult(q, null, 0));
    return json(200, searchResult(q, q === 'headphnes' ? 'headphones' : null));
  }
  const cat = /^\/api\/catalog\/categories\/([a-z0-9-]+)\/products$/.exec(path);
  if (method === 'GET' && cat) {
    if (!['electronics', 'audio', 'headphones'].includes(cat[1] ?? ''))
      return problem(404, 'not_found', 'no such category');
    return json(200, searchResult('', null));
  }
  const prod = /^\/api\/catalog\/products\/([A-Za-z0-9-]+)(\/reviews)?$/.exec(path);
  if (prod) {
    if (prod[1] !== SLUG) return problem(404, 'not_found', 'no such product');
    if (prod[2] && method === 'GET') {
      return json(200, {
        items: [
          {
            id: 'r-1',
            author: 'Sam <script>',
            rating: 5,
            title: 'Great',
            body: 'Lovely sound.',
            createdAt: '2026-01-02T00:00:00Z',
          },
        ],
        nextCursor: null,
      });
    }
    if (prod[2] && method === 'POST') {
      if (!customer) return problem(401, 'unauthorized', 'sign in');
      if (call.body.author === 'Taken') return problem(409, 'conflict', 'Taken has already reviewed this product');
      return json(201, { id: 'r-2', ...call.body, createdAt: '2026-01-03T00:00:00Z' });
    }
    return json(200, PRODUCT);
  }
  if (method === 'GET' && path === '/api/inventory/availability') {
    return json(200, {
      items: query.getAll('sku').map((sku) => ({
        sku,
        available: STOCK[sku] ?? 0,
        locations: [
          {
            code: 'wh-central',
            name: 'Central warehouse',
            kind: 'warehouse',
            pickupEnabled: false,
            available: Math.max(0, (STOCK[sku] ?? 0) - 3),
          },
          {
            code: 'store-downtown',
            name: 'Downtown store',
            kind: 'store',
            pickupEnabled: true,
            available: Math.min(3, STOCK[sku] ?? 0),
          },
        ],
      })),
    });
  }

  // Cart
  if (method === 'POST' && path === '/api/cart/carts') {
    if (customer) {
      const mine = [...s.carts.values()].find((c) => c.customer === customer && c.status === 'open');
      if (mine) return json(200, { cart: cartView(s, mine), token: null });
    }
    const id = `0199a83f-0000-7000-8000-${String(++s.nextCart).padStart(12, '0')}`;
    const cart: FakeCart = {
      id,
      token: `tok_${'x'.repeat(20)}_${s.nextCart}`,
      customer,
      lines: [],
      shippingOption: null,
      taxRegion: null,
      code: null,
      status: 'open',
      orderId: null,
      reopenAt: null,
    };
    s.carts.set(id, cart);
    return json(201, { cart: cartView(s, cart), token: customer ? null : cart.token });
  }
  if (method === 'GET' && path === '/api/cart/carts/mine') {
    if (!customer) return problem(401, 'unauthorized', 'sign in');
    const mine = [...s.carts.values()].find((c) => c.customer === customer && c.status === 'open');
    return mine ? json(200, cartView(s, mine)) : problem(404, 'not_found', 'you have no open cart');
  }
  if (method === 'POST' && path === '/api/cart/carts/merge') {
    if (!customer) return problem(401, 'unauthorized', 'sign in');
    const guest = s.carts.get(call.body.cartId);
    if (!guest || guest.token !== call.body.token) return problem(404, 'not_found', 'no such cart');
    if (guest.status === 'ordered') return problem(409, 'cart_ordered', 'an order was placed from this cart');
    let mine = [...s.carts.values()].find((c) => c.customer === customer && c.status === 'open');
    if (!mine) {
      mine = { ...guest, id: `0199a83f-0000-7000-8000-${String(++s.nextCart).padStart(12, '0')}`, customer, lines: [] };
      s.carts.set(mine.id, mine);
    }
    mine.lines.push(...guest.lines);
    guest.status = 'merged';
    return json(200, { cart: cartView(s, mine), capped: [], dropped: [] });
  }
  const cartPath = /^\/api\/cart\/carts\/([0-9a-f-]{36})(\/.*)?$/.exec(path);
  if (cartPath) {
    const cart = s.carts.get(cartPath[1] ?? '');
    const token = call.headers.get('x-cart-token');
    const allowed = cart && (cart.customer ? cart.customer === customer : cart.token === token);
    if (!cart || !allowed) return problem(404, 'not_found', 'no such cart');
    const rest = cartPath[2] ?? '';
    if (method === 'GET' && rest === '') return json(200, cartView(s, cart));
    if (cart.status === 'ordered') {
      return problem(409, 'cart_ordered', 'an order was placed from this cart', { orderId: cart.orderId });
    }
    if (cart.status !== 'open') return problem(409, 'cart_closed', `this cart is ${cart.status}`);
    if (method === 'POST' && rest === '/lines') {
      const { sku, quantity } = call.body;
      if (!(sku in STOCK)) return problem(422, 'unknown_sku', `${sku} is not a product we sell`, { sku });
      const line = cart.lines.find((l) => l.sku === sku);
      const requested = (line?.quantity ?? 0) + quantity;
      if (requested > 20) return problem(422, 'quantity_limit', `at most 20 of ${sku} per order`, { sku, max: 20 });
      const available = STOCK[sku] ?? 0;
      if (requested > available) {
        return problem(409, 'out_of_stock', `only ${available} of ${sku} available`, { sku, requested, available });
      }
      if (line) line.quantity = requested;
      else cart.lines.push({ sku, quantity, seen: s.price });
      return json(200, cartView(s, cart));
    }
    const lineOf = /^\/lines\/(.+)$/.exec(rest);
    if (lineOf && method === 'PATCH') {
      const line = cart.lines.find((l) => l.sku === decodeURIComponent(lineOf[1] ?? ''));
      if (!line) return problem(404, 'not_found', 'no such line');
      const available = STOCK[line.sku] ?? 0;
      if (call.body.quantity > available) {
        return problem(409, 'out_of_stock', 'short', { sku: line.sku, requested: call.body.quantity, available });
      }
      line.quantity = call.body.quantity;
      return json(200, cartView(s, cart));
    }
    if (lineOf && method === 'DELETE') {
      cart.lines = cart.lines.filter((l) => l.sku !== decodeURIComponent(lineOf[1] ?? ''));
      return json(200, cartView(s, cart));
    }
    if (rest === '/code' && method === 'PUT') {
      if (call.body.code.toUpperCase() !== 'SAVE10') {
        return problem(422, 'code_not_applicable', 'this code is not valid', {
          reason: 'this code is not valid',
          reasonCode: 'inactive',
        });
      }
      cart.code = 'SAVE10';
      return json(200, cartView(s, cart));
    }
    if (rest === '/code' && method === 'DELETE') {
      cart.code = null;
      return json(200, cartView(s, cart));
    }
    if (rest === '/shipping' && method === 'PUT') {
      if (call.body.region && !/^(US|GB|DE|FR|NL|IE)(-[A-Z0-9]{1,3})?$/.test(call.body.region)) {
        return problem(422, 'unknown_tax_region', `we do not ship to ${call.body.region}`);
      }
      if (call.body.option !== undefined) cart.shippingOption = call.body.option;
      if (call.body.region !== undefined) cart.taxRegion = call.body.region;
      return json(200, cartView(s, cart));
    }
    if (rest === '/acknowledge-prices' && method === 'POST') {
      for (const l of cart.lines) l.seen = s.price;
      return json(200, cartView(s, cart));
    }
  }

  // Payments (sandbox tokenization) and orders
  if (method === 'POST' && path === '/api/payments/sandbox/payment-methods') {
    const n = String(call.body.number).replace(/\D/g, '');
    return json(201, {
      id: `pm_sandbox_${n}_${s.orders.length}`,
      brand: 'visa',
      last4: n.slice(-4),
      expMonth: 12,
      expYear: 2030,
    });
  }
  if (method === 'POST' && path === '/api/orders/checkout') {
    const key = call.headers.get('idempotency-key') ?? '';
    const same = s.orders.find((o) => o.key === key);
    if (same) {
      if (JSON.stringify(same.body) !== JSON.stringify(call.body)) {
        return problem(422, 'idempotency_key_reused', 'this Idempotency-Key was used for another request');
      }
      return json(202, {
        order: orderView(s, same),
        statusUrl: `/orders/${same.id}`,
        orderToken: same.customer ? null : same.token,
        replayed: true,
      });
    }
    const cart = s.carts.get(call.body.cartId);
    if (!cart || (cart.customer === null && cart.token !== call.headers.get('x-cart-token'))) {
      return problem(404, 'not_found', 'no such cart');
    }
    // The cart's checkout quote refuses a cart an order closed (until its cancellation reopens it).
    if (cart.status === 'ordered' || s.orders.some((o) => o.cartId === cart.id && o.status !== 'cancelled')) {
      return problem(409, 'cart_already_ordered', 'this cart already has an order', { orderId: cart.orderId });
    }
    const pm: string = call.body.paymentMethod;
    const id =
      s.orders.length === 0 ? ORDER_ID : `0199a83f-8840-7236-b5b8-${String(s.orders.length).padStart(12, '0')}`;
    const o: FakeOrder = {
      id,
      key,
      token: `ordertoken_${'y'.repeat(24)}${s.orders.length}`,
      cartId: cart.id,
      customer: cart.customer,
      status: 'confirmed',
      statusReason: null,
      actionUrl: null,
      body: call.body,
    };
    if (pm.includes('4000000000009995')) {
      o.status = 'cancelled';
      o.statusReason = 'card declined: insufficient funds';
    } else if (pm.includes('4000002500003155')) {
      o.status = 'payment_action_required';
      o.actionUrl = `http://shop.test/api/payments/sandbox/3ds/${PAYMENT_ID}`;
    }
    s.orders.push(o);
    // order.placed.v1 closes the cart; a declined order's cancellation opens it again a moment later.
    cart.status = 'ordered';
    cart.orderId = o.id;
    if (o.status === 'cancelled') cart.reopenAt = Date.now() + s.reopenDelayMs;
    return json(202, {
      order: orderView(s, { ...o, status: 'pending' }),
      statusUrl: `/orders/${o.id}`,
      orderToken: o.customer ? null : o.token,
      replayed: false,
    });
  }
  const ord = /^\/api\/orders\/orders\/([0-9a-f-]{36})$/.exec(path);
  if (method === 'GET' && ord) {
    const o = s.orders.find((x) => x.id === ord[1]);
    const mayRead = o && (o.customer ? o.customer === customer : call.headers.get('x-order-token') === o.token);
    if (!o || !mayRead) return problem(404, 'not_found', 'no such order');
    return json(200, orderView(s, o));
  }
  return problem(404, 'not_found', `the fake has no ${method} ${path}`);
}

export async function shopApp() {
  const auth = await testAuth();
  const calls: Call[] = [];
  const state: FakeState = {
    carts: new Map(),
    orders: [],
    fail: new Map(),
    price: 19999,
    nextCart: 0,
    reopenDelayMs: 0,
  };
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

  /** A browser: keeps the cookies the pages set (name=value only). */
  function browser(opts: { customer?: string } = {}) {
    const jar = new Map<string, string>([['sf_gcsrf', CSRF]]);
    const cookie = async () => {
      const parts = [...jar].map(([k, v]) => `${k}=${v}`);
      if (opts.customer) parts.push(`sf_at=${await auth.customerToken(opts.customer)}`);
      return parts.join('; ');
    };
    const keep = (res: Response) => {
      for (const line of res.headers.getSetCookie()) {
        const [pair, ...attrs] = line.split(';');
        const eq = (pair ?? '').indexOf('=');
        const name = (pair ?? '').slice(0, eq).trim();
        const value = (pair ?? '').slice(eq + 1).trim();
        if (attrs.some((a) => /max-age=0\b/i.test(a.trim())) || value === '') jar.delete(name);
        else jar.set(name, value);
      }
      return res;
    };
    return {
      jar,
      async get(path: string, headers: Record<string, string> = {}) {
        return keep(await app.request(path, { headers: { cookie: await cookie(), ...headers } }));
      },
      async post(
        path: string,
        fields: Record<string, string | string[]>,
        opts2: { csrf?: string | null; headers?: Record<string, string> } = {},
      ) {
        const body = new URLSearchParams();
        const csrf = opts2.csrf === undefined ? CSRF : opts2.csrf;
        if (csrf !== null) body.append('_csrf', csrf);
        for (const [k, v] of Object.entries(fields))
          for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
        return keep(
          await app.request(path, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: await cookie(), ...opts2.headers },
            body: body.toString(),
          }),
        );
      },
    };
  }

  return {
    app,
    auth,
    calls,
    state,
    browser,
    callsTo: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path),
  };
}

/** The address and card a checkout posts (override any field). */
export function checkoutFields(key: string, over: Record<string, string> = {}): Record<string, string> {
  return {
    idempotencyKey: key,
    email: 'ada@example.test',
    name: 'Ada Guest',
    line1: '1 Market St',
    city: 'San Francisco',
    region: 'CA',
    postalCode: '94105',
    country: 'US',
    shipping: 'standard',
    cardNumber: '4242 4242 4242 4242',
    cardExpiry: '12/39',
    cardCvc: '123',
    ...over,
  };
}
