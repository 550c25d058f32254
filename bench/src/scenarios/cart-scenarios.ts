import type { Scenario, Target } from '../types.ts';

// Not imported from cart-target.ts: loading that module starts the server.
const target: Target = { kind: 'spawn', entry: new URL('./cart-target.ts', import.meta.url), ready: '/readyz' };

/**
 * A shopper's cart page: GET /carts/{id} of a random guest cart (3 lines) — the Redis copy of the
 * cart, re-priced from the in-process catalog cache, promotions and totals computed, X-Cart-Token
 * checked. The target fills in `{cart}` (see cart-target.ts).
 */
export const cartRead: Scenario = {
  name: 'cart-read',
  description: 'GET /carts/:id of a random one of 1000 guest carts (3 lines), re-priced, totals',
  target,
  requests: [{ path: '/carts/{cart}' }],
  loads: [{ mode: 'max' }, { mode: 'fixed' }],
};

/**
 * Add to cart: POST /carts/{id}/lines with a random one of 20 SKUs — catalog price (cached),
 * inventory availability over HTTP (a stand-in process), the line and the outbox event in one
 * transaction under the cart's row lock, the Redis copy replaced, the cart re-priced in the answer.
 */
export const cartAdd: Scenario = {
  name: 'cart-add',
  description: 'POST /carts/:id/lines (random cart of 1000, random SKU of 20): stock check, tx + outbox, answer',
  target,
  requests: [
    {
      method: 'POST',
      path: '/carts/{cart}/lines',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sku: '{sku}', quantity: 1 }),
    },
  ],
  loads: [{ mode: 'max' }, { mode: 'fixed' }],
};
