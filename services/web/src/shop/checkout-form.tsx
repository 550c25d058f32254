import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { z } from 'zod';
import type { ApiProblem } from '../api.ts';
import type { WebEnv } from '../env.ts';
import { fieldErrors } from '../errors.tsx';
import { Main, type PageOptions, renderPage } from '../layout.tsx';
import { Field, Money, Notice, PostForm } from '../ui.tsx';
import { CartTotals } from './cart.tsx';
import { CardCvc, CardExpiry, CardNumber } from './checkout-payment.ts';
import { COUNTRIES, COUNTRY_CODES } from './regions.ts';
import type { Cart } from './types.ts';

/** The checkout form: its schema, the page that shows it (again, with messages), API errors on its fields. */

export const IDEMPOTENCY = /^[A-Za-z0-9_.:-]{8,128}$/;
const text = (message: string, max: number) => z.string().trim().min(1, message).max(max, `At most ${max} characters`);
const optional = (max: number) => z.string().trim().max(max, `At most ${max} characters`).optional();

export function checkoutSchema(guest: boolean, stripe: boolean) {
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
export type CheckoutData = z.infer<ReturnType<typeof checkoutSchema>>;

/** The address fields before the country, then the phone after it (as the orders API names them). */
const ADDRESS_FIELDS = [
  { label: 'Full name', name: 'name', autocomplete: 'name', required: true, maxlength: 200 },
  { label: 'Address', name: 'line1', autocomplete: 'address-line1', required: true, maxlength: 200 },
  { label: 'Apartment, suite, etc. (optional)', name: 'line2', autocomplete: 'address-line2', maxlength: 200 },
  { label: 'City', name: 'city', autocomplete: 'address-level2', required: true, maxlength: 100 },
  {
    label: 'State / county (optional)',
    name: 'region',
    autocomplete: 'address-level1',
    hint: 'In the United States, the 2-letter state code (for example CA): it sets the sales tax.',
    maxlength: 100,
  },
  { label: 'Postal code', name: 'postalCode', autocomplete: 'postal-code', required: true, maxlength: 20 },
] as const;
const PHONE_FIELD = {
  label: 'Phone (optional)',
  name: 'phone',
  type: 'tel',
  autocomplete: 'tel',
  maxlength: 40,
} as const;

/** Fields that never come back into a re-rendered form. */
const SECRET_FIELDS = new Set(['cardNumber', 'cardExpiry', 'cardCvc', 'paymentMethod', '_csrf']);

export interface CheckoutView {
  readonly status?: PageOptions['status'];
  readonly values?: Record<string, string>;
  readonly errors?: Record<string, string>;
  readonly error?: string | undefined;
  /** Keep the attempt's key (nothing was placed) or start a new attempt (a decline). */
  readonly idempotencyKey?: string;
  readonly declined?: boolean;
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

export function formErrorsFrom(p: ApiProblem): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(fieldErrors(p))) {
    const field = API_FIELD[path.replace(/^body\./, '')];
    if (field && !out[field]) out[field] = message.charAt(0).toUpperCase() + message.slice(1);
  }
  return out;
}

export async function renderCheckout(c: Context<WebEnv>, cart: Cart, view: CheckoutView = {}): Promise<Response> {
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
              {ADDRESS_FIELDS.map((f) => (
                <Field {...f} value={f.name === 'region' ? region : v[f.name]} error={e[f.name]} />
              ))}
              <Field
                label="Country"
                name="country"
                error={e.country}
                control={(w) => (
                  <select
                    id={w.id}
                    name={w.name}
                    autocomplete="country"
                    aria-invalid={w['aria-invalid']}
                    aria-describedby={w['aria-describedby']}
                  >
                    {COUNTRIES.map((k) => (
                      <option value={k.code} selected={k.code === country}>
                        {k.name}
                      </option>
                    ))}
                  </select>
                )}
              />
              <Field {...PHONE_FIELD} value={v.phone} error={e.phone} />
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

export function valuesOf(raw: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(raw).filter(([k]) => !SECRET_FIELDS.has(k)));
}
