import { newId } from '@storefront/contracts';
import { expect } from 'vitest';
import { quote } from './test-fake-cart.ts';
import { type Platform, waitFor } from './test-platform.ts';

/** Orders placed through the real checkout for the suites that need one to work on. */

export const ADDRESS = {
  name: 'Ada Lovelace',
  line1: '12 St James Square',
  city: 'London',
  postalCode: 'SW1Y 4JH',
  country: 'GB',
};

/** Checks out a customer's cart of `lines` with `card`; the order id and the customer's token. */
export async function placeOrder(
  p: Platform,
  customer: string,
  lines: { sku: string; qty: number; price: number }[],
  card = '4242424242424242',
): Promise<{ id: string; token: string }> {
  const cartId = newId();
  p.cart.put(quote(cartId, lines), { customerId: customer });
  const token = await p.token(customer);
  const res = await p.call('POST', '/checkout', {
    token,
    headers: { 'idempotency-key': `key-${cartId}` },
    body: {
      cartId,
      address: ADDRESS,
      shippingMethod: 'standard',
      paymentMethod: await p.card(card),
      returnUrl: 'https://shop.test/r',
    },
  });
  expect(res.status).toBe(202);
  const id = ((await res.json()) as { order: { id: string } }).order.id;
  return { id, token };
}

/**
 * 2 × SKU-A at 1000 and 1 × SKU-B at 3000 (6000 paid with tax and shipping), waited on until the
 * customer sees it delivered. `beforeLook` runs before each look (a suite whose carrier steps only
 * when told moves it there).
 */
export async function deliveredOrder(
  p: Platform,
  customer: string,
  beforeLook?: () => Promise<unknown>,
): Promise<{ id: string; token: string }> {
  const { id, token } = await placeOrder(p, customer, [
    { sku: 'SKU-A', qty: 2, price: 1_000 },
    { sku: 'SKU-B', qty: 1, price: 3_000 },
  ]);
  await waitFor(
    'delivered',
    async () => {
      await beforeLook?.();
      return (
        ((await (await p.call('GET', `/orders/${id}`, { token })).json()) as { status: string }).status === 'delivered'
      );
    },
    30_000,
  );
  return { id, token };
}
