import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import type { WebEnv } from '../env.ts';
import { parseForm, parseQuery } from '../validate.ts';
import { statusOf } from './cart.tsx';
import { cartCall, cartHeaders, loadCart, retryWhileReopening, setCartCount } from './cart-session.ts';
import {
  type CheckoutData,
  type CheckoutView,
  checkoutSchema,
  formErrorsFrom,
  IDEMPOTENCY,
  renderCheckout,
  valuesOf,
} from './checkout-form.tsx';
import { publicOrigin, safeActionUrl, tokenizeOnce } from './checkout-payment.ts';
import { declineText, paymentFailed, shopMessage } from './messages.ts';
import { placedOrder, rememberOrder } from './order-cookies.ts';
import { taxRegionOf } from './regions.ts';
import type { CheckoutAnswer, Order } from './types.ts';

/**
 * Checkout: contact, address, delivery and payment in one form, posted to web. Web turns the
 * sandbox card into a payment-method token (or takes the one Stripe's Payment Element made in the
 * browser), then places the order with the Idempotency-Key this form was rendered with, so a
 * double submit answers the same order. It follows the order for a few seconds: 3-D Secure sends
 * the shopper to the challenge, a decline shows the form again with the reason (the cart is
 * untouched), anything else goes to the order page, which keeps following the status.
 */

export { publicOrigin, safeActionUrl };

const SUCCESS = new Set(['processing', 'confirmed', 'shipped', 'delivered']);
const POLL_MS = 250;
const POLL_LIMIT_MS = 8_000;

/** Follows a just-placed order until its payment has an outcome (or a few seconds have passed). */
async function awaitOutcome(c: Context<WebEnv>, order: Order, token: string | null): Promise<Order> {
  let current = order;
  const deadline = Date.now() + POLL_LIMIT_MS;
  while (Date.now() < deadline) {
    if (SUCCESS.has(current.status) || current.status === 'cancelled') return current;
    if (current.status === 'payment_action_required' && current.actionUrl) return current;
    await new Promise((r) => setTimeout(r, POLL_MS));
    const r = await c.get('api').call<Order>(c, 'GET', `/api/orders/orders/${order.id}`, {
      headers: { 'x-order-token': token ?? undefined },
    });
    if (r.ok) current = r.body;
  }
  return current;
}

async function placeOrder(c: Context<WebEnv>): Promise<Response> {
  const cart = await loadCart(c);
  if (!cart || cart.lines.length === 0) return c.redirect('/cart', 303);
  const guest = !c.get('viewer');
  const stripe = Boolean(c.get('config').STRIPE_PUBLISHABLE_KEY);
  const form = await parseForm(c, checkoutSchema(guest, stripe));
  const values = valuesOf(form.raw);
  const key = IDEMPOTENCY.test(form.raw.idempotencyKey ?? '') ? form.raw.idempotencyKey : undefined;
  if (!form.ok) return renderCheckout(c, cart, { status: 422, values, errors: form.errors, idempotencyKey: key });
  const d: CheckoutData = form.data;
  let current = cart;
  /** The form again on the cart as it now is, with what was typed and this attempt's key unless `view` says otherwise. */
  const again = (view: CheckoutView) =>
    renderCheckout(c, current, { values, idempotencyKey: d.idempotencyKey, ...view });

  // Delivery and tax region on the cart, as the order will take them.
  const region = taxRegionOf(d.country, d.region);
  if (cart.shippingOption !== d.shipping || cart.taxRegion !== region) {
    const r = await cartCall(c, cart.id, 'PUT', '/shipping', { option: d.shipping, region });
    if (!r.ok) {
      const p = r.problem ?? { status: r.status };
      if (p.code === 'unknown_tax_region') {
        return again({ status: 422, errors: { country: 'Sorry, we do not deliver to that country or state yet.' } });
      }
      if (p.code === 'unknown_shipping_option') {
        return again({ status: 422, errors: { shipping: shopMessage(p) } });
      }
      return again({ status: statusOf(p), error: shopMessage(p) });
    }
    current = r.body;
  }

  // The payment method: Stripe's, made in the browser, or the sandbox card tokenized here.
  let paymentMethod: string;
  if (stripe) {
    paymentMethod = d.paymentMethod as string;
  } else {
    const exp = d.cardExpiry as { month: number; year: number };
    const pm = await tokenizeOnce(c, d.idempotencyKey, {
      number: d.cardNumber as string,
      month: exp.month,
      year: exp.year,
      cvc: d.cardCvc as string,
    });
    if (!pm.ok) {
      const p = pm.problem ?? { status: pm.status };
      const errors = formErrorsFrom(p);
      if (Object.keys(errors).length) return again({ status: 422, errors });
      return again({
        status: statusOf(p),
        error:
          p.status < 500 ? 'This card cannot be used. Please check the details or try another card.' : shopMessage(p),
      });
    }
    paymentMethod = pm.body.id;
  }

  const address = {
    name: d.name,
    line1: d.line1,
    ...(d.line2 ? { line2: d.line2 } : {}),
    city: d.city,
    ...(d.region ? { region: d.region } : {}),
    postalCode: d.postalCode,
    country: d.country,
    ...(d.phone ? { phone: d.phone } : {}),
  };
  // Right after a declined card the cart may still be closed by that order (the cart service
  // reopens it when it hears of the cancellation): the same attempt is tried again for a moment.
  const placed = await retryWhileReopening(c, current.id, () =>
    c.get('api').call<CheckoutAnswer>(c, 'POST', '/api/orders/checkout', {
      json: {
        cartId: current.id,
        ...(guest ? { email: d.email } : {}),
        address,
        shippingMethod: d.shipping,
        paymentMethod,
        returnUrl: `${publicOrigin(c)}/checkout/return`,
      },
      headers: { ...cartHeaders(c), 'idempotency-key': d.idempotencyKey },
    }),
  );
  if (!placed.ok) {
    const p = placed.problem ?? { status: placed.status };
    const errors = formErrorsFrom(p);
    if (p.status === 422 && Object.keys(errors).length) return again({ status: 422, errors });
    const newAttempt = p.code === 'idempotency_key_reused';
    let error = shopMessage(p, Object.fromEntries(current.lines.map((l) => [l.sku, l.name])));
    if (p.code === 'cart_already_ordered') {
      const last = placedOrder(c);
      if (last?.cartId === current.id) return c.redirect(`/orders/${last.orderId}`, 303);
    }
    if (['prices_changed', 'line_unavailable', 'out_of_stock', 'cart_empty'].includes(p.code ?? '')) {
      error = `${error} Please review your cart.`;
    }
    return again({ status: statusOf(p), error, ...(newAttempt ? { idempotencyKey: undefined } : {}) });
  }

  const { order, orderToken } = placed.body;
  rememberOrder(c, { id: order.id, token: orderToken, cartId: current.id });
  const outcome = await awaitOutcome(c, order, orderToken);
  if (outcome.status === 'payment_action_required') {
    const to = safeActionUrl(c, outcome.actionUrl);
    if (to) return c.redirect(to, 303);
  }
  if (outcome.status === 'cancelled') {
    // The cart opens again as it was once the cart service hears of the cancellation (the
    // placed-order cookie stays, so a customer's cart is found until then): show the form again,
    // ready for another card (a new attempt, a new key).
    const reason = outcome.statusReason;
    return again({
      status: 422,
      idempotencyKey: undefined,
      declined: paymentFailed(reason),
      error: paymentFailed(reason)
        ? `${declineText(reason)} Nothing was charged and your cart is saved: please try another card.`
        : `${declineText(reason)} Nothing was charged and your cart is saved. Please review your cart and try again.`,
    });
  }
  // The cart service closes the cart on its own (order.placed.v1); the header badge follows now.
  if (SUCCESS.has(outcome.status)) setCartCount(c, 0);
  return c.redirect(`/orders/${order.id}`, 303);
}

const ReturnQuery = z.object({
  paymentId: z.uuid().optional().catch(undefined),
  redirect_status: z.string().max(40).optional(),
});

export function checkoutRoutes(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  app.get('/checkout', async (c) => {
    const cart = await loadCart(c);
    if (!cart || cart.lines.length === 0) return c.redirect('/cart', 303);
    if (cart.priceChanges > 0 || cart.lines.some((l) => !l.available)) return c.redirect('/cart', 303);
    return renderCheckout(c, cart, {});
  });

  app.post('/checkout', (c) => placeOrder(c));

  // The payment provider sends the browser back here (3-D Secure); the order page takes it from there.
  app.get('/checkout/return', (c) => {
    parseQuery(c, ReturnQuery);
    const last = placedOrder(c);
    if (last) return c.redirect(`/orders/${last.orderId}`, 303);
    return c.redirect(c.get('viewer') ? '/account/orders' : '/', 303);
  });

  return app;
}
