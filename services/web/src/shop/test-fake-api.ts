import { type Call, json, problem } from '../test-gateway.ts';
import {
  cartView,
  type FakeCart,
  type FakeOrder,
  type FakeState,
  orderView,
  settleCarts,
  subjectOf,
} from './test-fake-state.ts';
import { ORDER_ID, PAYMENT_ID, PRODUCT, SLUG, STOCK, searchResult, TREE } from './test-fixtures.ts';

/**
 * The fake's answers to the public API the shop pages call: catalog, inventory, cart, payments'
 * sandbox tokenization and orders. A path in `fail` answers with its prepared response first.
 */
export function answer(s: FakeState, call: Call): Response {
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
