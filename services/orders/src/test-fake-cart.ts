import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CartQuote } from './cart-client.ts';

/**
 * A stand-in for the cart service at the HTTP boundary: `POST /carts/{id}/checkout-quote` answers
 * the quote a test registered (or the refusal), and the promotion redeem/release routes record
 * their calls. The real cart needs the catalog and inventory behind it; its own tests cover it.
 */
export interface FakeCart {
  readonly url: string;
  /** Registers a cart; `token` is required as X-Cart-Token for a guest cart, `customerId` must match the bearer sub. */
  put(q: CartQuote, access: { token?: string; customerId?: string }): void;
  refuse(cartId: string, status: number, problem: Record<string, unknown>): void;
  readonly calls: { action: string; promotionId: string; orderId: string }[];
  close(): Promise<void>;
}

export async function fakeCart(): Promise<FakeCart> {
  const carts = new Map<string, { q: CartQuote; token?: string; customerId?: string }>();
  const refusals = new Map<string, { status: number; problem: Record<string, unknown> }>();
  const calls: FakeCart['calls'] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      const send = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      const url = new URL(req.url ?? '/', 'http://x');
      const quote = /^\/carts\/([^/]+)\/checkout-quote$/.exec(url.pathname);
      if (quote?.[1]) {
        const refusal = refusals.get(quote[1]);
        if (refusal) return send(refusal.status, { status: refusal.status, ...refusal.problem });
        const c = carts.get(quote[1]);
        const sub = subjectOf(req.headers.authorization);
        const ok = c && (c.customerId ? c.customerId === sub : c.token === req.headers['x-cart-token']);
        return ok ? send(200, c.q) : send(404, { status: 404, code: 'cart_not_found', detail: 'no such cart' });
      }
      const promo = /^\/promotions\/([^/]+)\/(redeem|release)$/.exec(url.pathname);
      if (promo?.[1] && promo[2]) {
        if (req.headers['x-service-token'] !== SERVICE_TOKEN) return send(403, { status: 403 });
        const body = JSON.parse(raw || '{}') as { orderId: string };
        calls.push({ action: promo[2], promotionId: promo[1], orderId: body.orderId });
        return send(200, { replayed: false });
      }
      send(404, { status: 404 });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    put: (q, access) => carts.set(q.id, { q, ...access }),
    refuse: (id, status, problem) => refusals.set(id, { status, problem }),
    calls,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export const SERVICE_TOKEN = 'orders-test-service-token-0123';

function subjectOf(authorization: string | undefined): string | undefined {
  const jwt = authorization?.replace(/^Bearer /i, '');
  const payload = jwt?.split('.')[1];
  if (!payload) return undefined;
  return (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub?: string }).sub;
}

/** A quote for lines at the given unit prices, with flat shipping and 10 % tax, as the cart computes it. */
export function quote(
  id: string,
  lines: { sku: string; qty: number; price: number }[],
  o: { owner?: 'guest' | 'customer'; shipping?: number; promotion?: { id: string; discount: number } } = {},
): CartQuote {
  const shipping = o.shipping ?? 500;
  const ls = lines.map((l) => {
    const subtotal = l.qty * l.price;
    return {
      sku: l.sku,
      productId: '00000000-0000-7000-8000-000000000001',
      name: `Product ${l.sku}`,
      quantity: l.qty,
      unitPrice: l.price,
      subtotal,
      discount: 0,
      total: subtotal,
      tax: Math.round(subtotal / 10),
      available: true,
    };
  });
  const subtotal = ls.reduce((s, l) => s + l.subtotal, 0);
  const tax = ls.reduce((s, l) => s + (l.tax ?? 0), 0);
  const discount = o.promotion?.discount ?? 0;
  return {
    id,
    owner: o.owner ?? 'guest',
    currency: 'USD',
    lines: ls,
    promotions: o.promotion ? [{ id: o.promotion.id, code: 'SAVE', name: 'Save', discount, shippingDiscount: 0 }] : [],
    shippingOption: 'standard',
    totals: { subtotal, discount, shipping, tax, total: subtotal - discount + shipping + tax },
  };
}
