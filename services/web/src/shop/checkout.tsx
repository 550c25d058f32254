import { createHash, randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiProblem, ApiResult } from '../api.ts';
import type { WebEnv } from '../env.ts';
import { fieldErrors } from '../errors.tsx';
import { Main, type PageOptions, renderPage } from '../layout.tsx';
import { Field, Money, Notice, PostForm } from '../ui.tsx';
import { parseForm, parseQuery } from '../validate.ts';
import { CartTotals, statusOf } from './cart.tsx';
import { cartCall, cartHeaders, loadCart, retryWhileReopening, setCartCount } from './cart-session.ts';
import { declineText, paymentFailed, shopMessage } from './messages.ts';
import { placedOrder, rememberOrder } from './order-cookies.ts';
import { COUNTRIES, COUNTRY_CODES, taxRegionOf } from './regions.ts';
import type { Cart, CheckoutAnswer, Order } from './types.ts';

/**
 * Checkout: contact, address, delivery and payment in one form, posted to web. Web turns the
 * sandbox card into a payment-method token (or takes the one Stripe's Payment Element made in the
 * browser), then places the order with the Idempotency-Key this form was rendered with, so a
 * double submit answers the same order. It follows the order for a few seconds: 3-D Secure sends
 * the shopper to the challenge, a decline shows the form again with the reason (the cart is
 * untouched), anything else goes to the order page, which keeps following the status.
 */

const IDEMPOTENCY = /^[A-Za-z0-9_.:-]{8,128}$/;
const text = (message: string, max: number) => z.string().trim().min(1, message).max(max, `At most ${max} characters`);
const optional = (max: number) => z.string().trim().max(max, `At most ${max} characters`).optional();

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const CardNumber = z
  .string()
  .trim()
  .min(1, 'Please enter the card number')
  .transform((s) => s.replace(/[\s-]/g, ''))
  .refine((s) => /^\d{12,19}$/.test(s) && luhn(s), 'That card number is not valid');
const CardExpiry = z
  .string()
  .trim()
  .min(1, 'Please enter the expiry date')
  .regex(/^(0?[1-9]|1[0-2])\s*\/\s*(\d{2}|\d{4})$/, 'Enter the expiry as MM/YY')
  .transform((s) => {
    const [m, y] = s.split('/').map((x) => Number(x.trim()));
    return { month: m as number, year: (y as number) < 100 ? 2000 + (y as number) : (y as number) };
  })
  .refine((e) => {
    const now = new Date();
    return e.year > now.getUTCFullYear() || (e.year === now.getUTCFullYear() && e.month >= now.getUTCMonth() + 1);
  }, 'This card has expired');
const CardCvc = z
  .string()
  .trim()
  .regex(/^\d{3,4}$/, 'The security code is the 3 or 4 digits on the back of the card');

function checkoutSchema(guest: boolean, stripe: boolean) {
  return z.object({
    idempotencyKey: z.string().regex(IDEMPOTENCY, 'This form has expired. Please submit it again.'),
    email: guest
      ? z.string().trim().min(1, 'Please enter your email').max(254).email('Please enter a valid email address')
      : z.string().optional(),
    name: text('Please enter the name of the recipient', 200),
    line1: text('Please enter the street address', 200),
    line2: optional(200),
    city: text('Please enter the city', 100),
    region: optional(100),
    postalCode: text('Please enter the postal code', 20),
    country: z.enum(COUNTRY_CODES, { error: 'Please choose a country' }),
    phone: optional(40),
    shipping: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'Please choose a delivery option'),
    cardNumber: stripe ? z.string().optional() : CardNumber,
    cardExpiry: stripe ? z.string().optional() : CardExpiry,
    cardCvc: stripe ? z.string().optional() : CardCvc,
    paymentMethod: stripe
      ? z.string().regex(/^pm_[A-Za-z0-9_]{1,250}$/, 'Please enter your card details')
      : z.string().optional(),
  });
}
type CheckoutData = z.infer<ReturnType<typeof checkoutSchema>>;

/** Fields that never come back into a re-rendered form. */
const SECRET_FIELDS = new Set(['cardNumber', 'cardExpiry', 'cardCvc', 'paymentMethod', '_csrf']);

interface CheckoutView {
  readonly status?: PageOptions['status'];
  readonly values?: Record<string, string>;
  readonly errors?: Record<string, string>;
  readonly error?: string | undefined;
  /** Keep the attempt's key (nothing was placed) or start a new attempt (a decline). */
  readonly idempotencyKey?: string;
  readonly declined?: boolean;
}

/** The origin the shopper's browser uses (the gateway's forwarded host), for the payment return URL. */
export function publicOrigin(c: Context<WebEnv>): string {
  const proto = c.req.header('x-forwarded-proto');
  const host = c.req.header('x-forwarded-host') ?? c.req.header('host');
  if ((proto === 'http' || proto === 'https') && host && /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host)) {
    return `${proto}://${host}`;
  }
  return new URL(c.req.url).origin;
}

/** Where a payment step may send the browser: our own origin, or an https page (Stripe's). */
export function safeActionUrl(c: Context<WebEnv>, url: string | null): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url, publicOrigin(c));
    const ours = new URL(publicOrigin(c));
    if (u.protocol === 'https:' || (u.protocol === 'http:' && u.host === ours.host)) return u.toString();
  } catch {
    /* not a URL */
  }
  return undefined;
}

/**
 * One tokenization per checkout attempt and card: a double submit of the same form waits for the
 * first one's token, so both place the order with the same body and the Idempotency-Key answers
 * the same order. Entries live ten minutes (process memory; another replica re-tokenizes and the
 * orders API then refuses the second request instead of placing a second order).
 */
const tokenized = new Map<string, { at: number; pm: Promise<ApiResult<{ id: string }>> }>();
const TOKEN_TTL_MS = 10 * 60_000;

function tokenizeOnce(
  c: Context<WebEnv>,
  key: string,
  card: { number: string; month: number; year: number; cvc: string },
): Promise<ApiResult<{ id: string }>> {
  const now = Date.now();
  for (const [k, v] of tokenized) {
    if (now - v.at > TOKEN_TTL_MS || tokenized.size > 5000) tokenized.delete(k);
    else break;
  }
  const fp = createHash('sha256')
    .update(`${key}\u0000${card.number}\u0000${card.month}/${card.year}\u0000${card.cvc}`)
    .digest('base64url');
  const hit = tokenized.get(fp);
  if (hit) return hit.pm;
  const pm = c
    .get('api')
    .call<{ id: string }>(c, 'POST', '/api/payments/sandbox/payment-methods', {
      json: { number: card.number, expMonth: card.month, expYear: card.year, cvc: card.cvc },
      credentials: false,
    })
    .then((r) => {
      if (!r.ok) tokenized.delete(fp);
      return r;
    });
  tokenized.set(fp, { at: now, pm });
  return pm;
}

const API_FIELD: Record<string, string> = {
  email: 'email',
  'address.name': 'name',
  'address.line1': 'line1',
  'address.line2': 'line2',
  'address.city': 'city',
  'address.region': 'region',
  'address.postalCode': 'postalCode',
  'address.country': 'country',
  'address.phone': 'phone',
  shippingMethod: 'shipping',
  number: 'cardNumber',
  expMonth: 'cardExpiry',
  expYear: 'cardExpiry',
  cvc: 'cardCvc',
};

function formErrorsFrom(p: ApiProblem): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(fieldErrors(p))) {
    const field = API_FIELD[path.replace(/^body\./, '')];
    if (field && !out[field]) out[field] = message.charAt(0).toUpperCase() + message.slice(1);
  }
  return out;
}

async function renderCheckout(c: Context<WebEnv>, cart: Cart, view: CheckoutView = {}): Promise<Response> {
  const csrf = c.get('csrf');
  const viewer = c.get('viewer');
  const stripeKey = c.get('config').STRIPE_PUBLISHABLE_KEY;
  const v = view.values ?? {};
  const e = view.errors ?? {};
  const key = view.idempotencyKey ?? randomUUID();
  const cur = cart.currency;
  const [taxCountry, taxState] = (cart.taxRegion ?? '').split('-');
  const country = v.country ?? (taxCountry && COUNTRY_CODES.includes(taxCountry) ? taxCountry : 'US');
  const region = v.region ?? (taxCountry === country ? taxState : undefined);
  const shipping = v.shipping ?? cart.shippingOption ?? cart.shippingOptions[0]?.id;
  const errorCount = Object.keys(e).length;
  return renderPage(c, {
    title: 'Checkout',
    status: view.status,
    noStore: true,
    scripts: ['shop.js'],
    children: (
      <Main class="checkout-page">
        <h1>Checkout</h1>
        {view.error ? (
          <Notice tone="error" title={view.declined ? 'Payment declined.' : undefined}>
            {view.error}
          </Notice>
        ) : null}
        {errorCount > 0 && !view.error ? (
          <Notice tone="error">
            Please correct {errorCount === 1 ? 'the field' : `the ${errorCount} fields`} marked below.
          </Notice>
        ) : null}
        <div class="two-col">
          <PostForm action="/checkout" csrf={csrf} id="checkout-form" class="checkout-form" aria-label="Checkout">
            <input type="hidden" name="idempotencyKey" value={key} />
            <fieldset>
              <legend>Contact</legend>
              {viewer ? (
                <p>You are signed in: we will send the order updates to your account's email.</p>
              ) : (
                <>
                  <Field
                    label="Email"
                    name="email"
                    type="email"
                    autocomplete="email"
                    value={v.email}
                    error={e.email}
                    hint="For your order confirmation and delivery updates."
                    required
                    maxlength={254}
                  />
                  <p class="muted small">
                    Have an account? <a href="/account/sign-in?next=%2Fcheckout">Sign in</a> to check out faster.
                  </p>
                </>
              )}
            </fieldset>
            <fieldset>
              <legend>Shipping address</legend>
              <Field
                label="Full name"
                name="name"
                autocomplete="name"
                value={v.name}
                error={e.name}
                required
                maxlength={200}
              />
              <Field
                label="Address"
                name="line1"
                autocomplete="address-line1"
                value={v.line1}
                error={e.line1}
                required
                maxlength={200}
              />
              <Field
                label="Apartment, suite, etc. (optional)"
                name="line2"
                autocomplete="address-line2"
                value={v.line2}
                error={e.line2}
                maxlength={200}
              />
              <Field
                label="City"
                name="city"
                autocomplete="address-level2"
                value={v.city}
                error={e.city}
                required
                maxlength={100}
              />
              <Field
                label="State / county (optional)"
                name="region"
                autocomplete="address-level1"
                value={region}
                error={e.region}
                hint="In the United States, the 2-letter state code (for example CA): it sets the sales tax."
                maxlength={100}
              />
              <Field
                label="Postal code"
                name="postalCode"
                autocomplete="postal-code"
                value={v.postalCode}
                error={e.postalCode}
                required
                maxlength={20}
              />
              <div class={`field${e.country ? ' field-invalid' : ''}`}>
                <label for="f-country">Country</label>
                <select
                  id="f-country"
                  name="country"
                  autocomplete="country"
                  aria-invalid={e.country ? 'true' : undefined}
                  aria-describedby={e.country ? 'f-country-err' : undefined}
                >
                  {COUNTRIES.map((k) => (
                    <option value={k.code} selected={k.code === country}>
                      {k.name}
                    </option>
                  ))}
                </select>
                {e.country ? (
                  <span class="field-error" id="f-country-err">
                    {e.country}
                  </span>
                ) : null}
              </div>
              <Field
                label="Phone (optional)"
                name="phone"
                type="tel"
                autocomplete="tel"
                value={v.phone}
                error={e.phone}
                maxlength={40}
              />
            </fieldset>
            <fieldset aria-describedby={e.shipping ? 'f-shipping-err' : undefined}>
              <legend>Delivery</legend>
              {cart.shippingOptions.map((o) => (
                <label class="inline-choice block">
                  <input type="radio" name="shipping" value={o.id} checked={o.id === shipping} required /> {o.name} —{' '}
                  {o.amount === 0 ? 'Free' : <Money value={{ amount: o.amount, currency: cur }} />}
                </label>
              ))}
              {e.shipping ? (
                <span class="field-error" id="f-shipping-err">
                  {e.shipping}
                </span>
              ) : null}
            </fieldset>
            <fieldset>
              <legend>Payment</legend>
              {stripeKey ? (
                <>
                  <div
                    id="payment-element"
                    data-stripe-key={stripeKey}
                    data-amount={String(cart.totals.total ?? cart.totals.estimatedTotal)}
                    data-currency={cur.toLowerCase()}
                  />
                  <input type="hidden" name="paymentMethod" value="" />
                  {e.paymentMethod ? <p class="field-error">{e.paymentMethod}</p> : null}
                  <noscript>
                    <p class="field-error">Card payments need JavaScript turned on in your browser.</p>
                  </noscript>
                  <script src="https://js.stripe.com/v3" nonce={c.get('nonce')} />
                </>
              ) : (
                <>
                  <p class="muted small">
                    Test mode: pay with the sandbox card 4242 4242 4242 4242, any future expiry and any 3-digit code. No
                    real payment is made.
                  </p>
                  <Field
                    label="Card number"
                    name="cardNumber"
                    inputmode="numeric"
                    autocomplete="cc-number"
                    error={e.cardNumber}
                    required
                    maxlength={23}
                  />
                  <div class="field-row">
                    <Field
                      label="Expiry (MM/YY)"
                      name="cardExpiry"
                      autocomplete="cc-exp"
                      error={e.cardExpiry}
                      placeholder="MM/YY"
                      required
                      maxlength={7}
                    />
                    <Field
                      label="Security code (CVC)"
                      name="cardCvc"
                      inputmode="numeric"
                      autocomplete="cc-csc"
                      error={e.cardCvc}
                      required
                      maxlength={4}
                    />
                  </div>
                </>
              )}
            </fieldset>
            <button type="submit" class="place-order">
              Place order
            </button>
            <p class="muted small">
              Your card is authorized now and charged when we ship. You can check the order's status on the next page.
            </p>
          </PostForm>
          <aside class="summary" aria-labelledby="summary-title">
            <h2 id="summary-title">Order summary</h2>
            <ul class="summary-lines">
              {cart.lines
                .filter((l) => l.available)
                .map((l) => (
                  <li>
                    <span>
                      {l.quantity} × {l.name ?? l.sku}
                    </span>{' '}
                    <Money value={{ amount: l.total, currency: cur }} />
                  </li>
                ))}
            </ul>
            <CartTotals cart={cart} />
            <p>
              <a href="/cart">Edit cart</a>
            </p>
          </aside>
        </div>
      </Main>
    ),
  });
}

function valuesOf(raw: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(raw).filter(([k]) => !SECRET_FIELDS.has(k)));
}

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
  const again = (view: CheckoutView) => renderCheckout(c, cart, { values, idempotencyKey: d.idempotencyKey, ...view });

  // Delivery and tax region on the cart, as the order will take them.
  const region = taxRegionOf(d.country, d.region);
  let current = cart;
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
      if (Object.keys(errors).length)
        return renderCheckout(c, current, { status: 422, values, errors, idempotencyKey: d.idempotencyKey });
      return renderCheckout(c, current, {
        status: statusOf(p),
        values,
        idempotencyKey: d.idempotencyKey,
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
    if (p.status === 422 && Object.keys(errors).length) {
      return renderCheckout(c, current, { status: 422, values, errors, idempotencyKey: d.idempotencyKey });
    }
    const newAttempt = p.code === 'idempotency_key_reused';
    let error = shopMessage(p, Object.fromEntries(current.lines.map((l) => [l.sku, l.name])));
    if (p.code === 'cart_already_ordered') {
      const last = placedOrder(c);
      if (last?.cartId === current.id) return c.redirect(`/orders/${last.orderId}`, 303);
    }
    if (['prices_changed', 'line_unavailable', 'out_of_stock', 'cart_empty'].includes(p.code ?? '')) {
      error = `${error} Please review your cart.`;
    }
    return renderCheckout(c, current, {
      status: statusOf(p),
      values,
      error,
      ...(newAttempt ? {} : { idempotencyKey: d.idempotencyKey }),
    });
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
    return renderCheckout(c, current, {
      status: 422,
      values,
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
