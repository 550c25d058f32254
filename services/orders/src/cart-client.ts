import { ServiceUnavailable } from '@storefront/kit';
import { CartRefused, CartUnavailable } from './errors.ts';

/**
 * The cart service over HTTP: the priced quote checkout takes (`POST /carts/{id}/checkout-quote`,
 * read straight from its database, refusing empty carts and unacknowledged price changes), and the
 * promotion redeem/release routes (service token). The shopper's credentials are passed along:
 * the customer's bearer token, or a guest cart's token.
 */
export interface CartLine {
  readonly sku: string;
  readonly productId: string;
  readonly name: string | null;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly subtotal: number;
  readonly discount: number;
  readonly total: number;
  readonly tax: number | null;
  readonly available: boolean;
}

export interface CartQuote {
  readonly id: string;
  readonly owner: 'guest' | 'customer';
  readonly currency: string;
  readonly lines: readonly CartLine[];
  readonly promotions: readonly {
    id: string;
    code: string | null;
    name: string;
    discount: number;
    shippingDiscount: number;
  }[];
  readonly shippingOption: string | null;
  readonly totals: {
    subtotal: number;
    discount: number;
    shipping: number | null;
    tax: number | null;
    total: number | null;
  };
}

export interface CartClient {
  quote(
    cartId: string,
    auth: { authorization?: string | undefined; cartToken?: string | undefined },
  ): Promise<CartQuote>;
  /** Counts a use; true when counted (or counted before), false when the cart refused it for good. */
  promotion(
    action: 'redeem' | 'release',
    promotionId: string,
    body: { orderId: string; customerId: string | null; currency?: string; discount?: number },
  ): Promise<'done' | 'refused'>;
}

export function httpCart(o: { baseUrl: string; serviceToken: string; timeoutMs: number }): CartClient {
  const base = o.baseUrl.replace(/\/+$/, '');
  async function call(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(o.timeoutMs) });
    } catch (err) {
      throw new CartUnavailable(`the cart service did not answer: ${(err as Error).message}`);
    }
  }
  return {
    async quote(cartId, auth) {
      const headers: Record<string, string> = {};
      if (auth.authorization) headers.authorization = auth.authorization;
      if (auth.cartToken) headers['x-cart-token'] = auth.cartToken;
      const res = await call(`/carts/${encodeURIComponent(cartId)}/checkout-quote`, { method: 'POST', headers });
      const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
      if (res.ok && body) return body as unknown as CartQuote;
      if (res.status === 404) throw new CartRefused(404, 'cart_not_found', 'no such cart (or it is not yours)', {});
      if (res.status >= 500 || !body) throw new CartUnavailable(`the cart service answered ${res.status}`);
      const { type: _t, title: _ti, status: _s, instance: _i, requestId: _r, detail, code, ...rest } = body;
      throw new CartRefused(
        res.status === 409 ? 409 : 422,
        String(code ?? 'cart_refused'),
        String(detail ?? 'the cart cannot be checked out'),
        rest,
      );
    },
    async promotion(action, promotionId, body) {
      const res = await call(`/promotions/${encodeURIComponent(promotionId)}/${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-service-token': o.serviceToken },
        body: JSON.stringify(body),
      });
      await res.body?.cancel();
      if (res.ok) return 'done';
      // A release of a use never counted, or a refusal on its limits: retrying cannot change it.
      if (res.status === 404 || res.status === 409 || res.status === 422) return 'refused';
      throw new ServiceUnavailable(`cart ${action} answered ${res.status}`);
    },
  };
}
