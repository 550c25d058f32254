import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiProblem, ApiResult } from '../api.ts';
import type { WebEnv } from '../env.ts';
import { Main, type PageOptions, renderPage } from '../layout.tsx';
import { Csrf, Money, Notice, PostForm } from '../ui.tsx';
import { parseForm, parseParam, parseQuery } from '../validate.ts';
import { cartCall, cartChanged, ensureCart, guestCartRef, loadCart } from './cart-session.ts';
import { DONE, shopMessage } from './messages.ts';
import { renderProduct, SKU, SLUG } from './product.tsx';
import { regionName, TAX_REGIONS } from './regions.ts';
import type { Cart } from './types.ts';

const CartQuery = z.object({ done: z.string().max(40).optional() });

const AddForm = z.object({
  sku: SKU,
  quantity: z.coerce
    .number({ error: 'Please enter a quantity' })
    .int('Please enter a whole number')
    .min(1, 'Please enter at least 1')
    .max(999, 'That is more than we sell in one order'),
  slug: SLUG.optional().catch(undefined),
});
const QuantityForm = z.object({
  quantity: z.coerce
    .number({ error: 'Please enter a quantity' })
    .int('Please enter a whole number')
    .min(0, 'Please enter 0 or more')
    .max(999, 'That is more than we sell in one order'),
});
const CodeForm = z.object({
  code: z
    .string()
    .trim()
    .min(1, 'Please enter a promotion code')
    .max(64, 'That code is too long')
    .regex(/^[A-Za-z0-9_-]+$/, 'Promotion codes have only letters, digits, - and _'),
});
/** An empty field is an absent one. */
const blank = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const ShippingForm = z.object({
  option: blank(z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'Please choose a delivery option')),
  region: blank(z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'Please choose a region')),
});

type Status = PageOptions['status'];

export function statusOf(p: ApiProblem | undefined): Status {
  const s = p?.status ?? 500;
  if (s === 409 || s === 422 || s === 429 || s === 404) return s;
  if (s >= 500) return 503;
  return 400;
}

function namesOf(cart: Cart | undefined): Record<string, string | null> {
  return Object.fromEntries((cart?.lines ?? []).map((l) => [l.sku, l.name]));
}

export interface CartView {
  readonly status?: Status;
  readonly error?: string | undefined;
  readonly done?: string | undefined;
  readonly codeValue?: string | undefined;
  readonly codeError?: string | undefined;
}

function Totals(props: { cart: Cart }) {
  const { cart } = props;
  const t = cart.totals;
  const cur = cart.currency;
  const m = (amount: number) => <Money value={{ amount, currency: cur }} />;
  return (
    <dl>
      <dt>Subtotal</dt>
      <dd>{m(t.subtotal)}</dd>
      {t.discount > 0 ? (
        <>
          <dt>Discount{cart.promotions.length ? ` (${cart.promotions.map((p) => p.name).join(', ')})` : ''}</dt>
          <dd>−{m(t.discount)}</dd>
        </>
      ) : null}
      <dt>Shipping</dt>
      <dd>
        {t.shipping === null ? <span class="muted">Choose an option</span> : t.shipping === 0 ? 'Free' : m(t.shipping)}
      </dd>
      <dt>Tax</dt>
      <dd>{t.tax === null ? <span class="muted">Choose a region</span> : m(t.tax)}</dd>
      <dt class="total">{t.total === null ? 'Estimated total' : 'Total'}</dt>
      <dd class="total">{m(t.total ?? t.estimatedTotal)}</dd>
    </dl>
  );
}

export { Totals as CartTotals };

/** The cart page; a failed change re-renders it with the API's reason. */
export async function renderCart(c: Context<WebEnv>, view: CartView = {}, given?: Cart): Promise<Response> {
  const cart = given ?? (await loadCart(c));
  const csrf = c.get('csrf');
  const doneText = view.done ? DONE[view.done] : undefined;
  if (!cart || cart.lines.length === 0) {
    return renderPage(c, {
      title: 'Your cart',
      status: view.status,
      noStore: true,
      children: (
        <Main class="cart-page">
          <h1>Your cart</h1>
          {view.error ? <Notice tone="error">{view.error}</Notice> : null}
          {doneText ? <Notice tone="success">{doneText}</Notice> : null}
          <div class="empty-state">
            <p>Your cart is empty.</p>
            <p>
              <a class="button" href="/">
                Start shopping
              </a>{' '}
              or <a href="/search">search the shop</a>.
            </p>
          </div>
        </Main>
      ),
    });
  }
  const cur = cart.currency;
  const unavailable = cart.lines.filter((l) => !l.available);
  const blocked = cart.priceChanges > 0 || unavailable.length > 0;
  return renderPage(c, {
    title: 'Your cart',
    status: view.status,
    noStore: true,
    scripts: ['shop.js'],
    children: (
      <Main class="cart-page">
        <h1>Your cart</h1>
        {view.error ? <Notice tone="error">{view.error}</Notice> : null}
        {doneText ? <Notice tone="success">{doneText}</Notice> : null}
        {cart.pricing === 'stale' ? (
          <Notice tone="warning">
            We could not check today's prices just now; the prices shown are the ones you saw when you added the items.
          </Notice>
        ) : null}
        {cart.priceChanges > 0 ? (
          <Notice tone="warning" title="Prices changed.">
            {cart.priceChanges === 1 ? 'The price of 1 item has' : `The prices of ${cart.priceChanges} items have`}{' '}
            changed since you added {cart.priceChanges === 1 ? 'it' : 'them'}. Please review the new prices below.
            <PostForm action="/cart/acknowledge" csrf={csrf} class="inline-form">
              <button type="submit">Accept the new prices</button>
            </PostForm>
          </Notice>
        ) : null}
        {unavailable.length > 0 ? (
          <Notice tone="warning">
            {unavailable.length === 1 ? 'One item is' : `${unavailable.length} items are`} no longer sold. Please remove{' '}
            {unavailable.length === 1 ? 'it' : 'them'} to check out.
          </Notice>
        ) : null}
        <div class="two-col">
          <div>
            <table class="responsive cart-lines">
              <caption class="visually-hidden">Items in your cart</caption>
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  <th scope="col" class="num">
                    Price
                  </th>
                  <th scope="col">Quantity</th>
                  <th scope="col" class="num">
                    Total
                  </th>
                  <th scope="col">
                    <span class="visually-hidden">Remove</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {cart.lines.map((l) => {
                  const name = l.name ?? l.sku;
                  const skuPath = encodeURIComponent(l.sku);
                  return (
                    <tr class={l.available ? undefined : 'line-unavailable'}>
                      <td data-label="Product">
                        <div class="line-product">
                          {l.image ? <img src={l.image} alt="" width={64} height={64} /> : null}
                          <div>
                            {l.slug ? (
                              <a href={`/p/${encodeURIComponent(l.slug)}?sku=${skuPath}`}>{name}</a>
                            ) : (
                              <span>{name}</span>
                            )}
                            <div class="muted small">SKU {l.sku}</div>
                            {!l.available ? <div class="stock-out">No longer available</div> : null}
                          </div>
                        </div>
                      </td>
                      <td data-label="Price" class="num">
                        <Money value={{ amount: l.unitPrice, currency: cur }} />
                        {l.priceChanged ? (
                          <div class="price-changed">
                            was{' '}
                            <s>
                              <Money value={{ amount: l.seenUnitPrice, currency: cur }} />
                            </s>
                          </div>
                        ) : null}
                      </td>
                      <td data-label="Quantity">
                        {l.available ? (
                          <form method="post" action={`/cart/lines/${skuPath}`} class="inline-form qty-form">
                            <Csrf token={csrf} />
                            <label for={`qty-${l.sku}`} class="visually-hidden">
                              Quantity of {name}
                            </label>
                            <input
                              id={`qty-${l.sku}`}
                              name="quantity"
                              type="number"
                              inputmode="numeric"
                              min={0}
                              max={999}
                              value={String(l.quantity)}
                              class="qty"
                              required
                            />
                            <button type="submit" class="secondary">
                              Update<span class="visually-hidden"> quantity of {name}</span>
                            </button>
                          </form>
                        ) : (
                          <span>{l.quantity}</span>
                        )}
                      </td>
                      <td data-label="Total" class="num">
                        <Money value={{ amount: l.total, currency: cur }} />
                        {l.discount > 0 ? (
                          <div class="muted small">
                            saves <Money value={{ amount: l.discount, currency: cur }} />
                          </div>
                        ) : null}
                      </td>
                      <td data-label="">
                        <form method="post" action={`/cart/lines/${skuPath}/remove`}>
                          <Csrf token={csrf} />
                          <button type="submit" class="secondary">
                            Remove<span class="visually-hidden"> {name}</span>
                          </button>
                        </form>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <section aria-labelledby="promo-title" class="promo">
              <h2 id="promo-title">Promotion code</h2>
              {cart.code ? (
                cart.code.applied ? (
                  <p>
                    <span class="status status-approved">{cart.code.code}</span> is applied.
                  </p>
                ) : (
                  <Notice tone="warning">
                    The code {cart.code.code} does not apply right now
                    {cart.code.reason ? `: ${cart.code.reason}` : ''}.
                  </Notice>
                )
              ) : null}
              {cart.code ? (
                <PostForm action="/cart/code/remove" csrf={csrf}>
                  <button type="submit" class="secondary">
                    Remove code {cart.code.code}
                  </button>
                </PostForm>
              ) : (
                <PostForm action="/cart/code" csrf={csrf} class="inline-form" aria-label="Promotion code">
                  <div class={`field${view.codeError ? ' field-invalid' : ''}`}>
                    <label for="f-code">Code</label>
                    <input
                      id="f-code"
                      name="code"
                      value={view.codeValue ?? ''}
                      maxlength={64}
                      autocomplete="off"
                      autocapitalize="characters"
                      aria-invalid={view.codeError ? 'true' : undefined}
                      aria-describedby={view.codeError ? 'f-code-err' : undefined}
                    />
                    {view.codeError ? (
                      <span class="field-error" id="f-code-err">
                        {view.codeError}
                      </span>
                    ) : null}
                  </div>
                  <button type="submit" class="secondary">
                    Apply code
                  </button>
                </PostForm>
              )}
            </section>
          </div>
          <aside class="summary" aria-labelledby="summary-title">
            <h2 id="summary-title">Order summary</h2>
            <PostForm action="/cart/shipping" csrf={csrf} class="shipping-form" aria-label="Delivery">
              <fieldset>
                <legend>Delivery</legend>
                {cart.shippingOptions.map((o) => (
                  <label class="inline-choice block">
                    <input type="radio" name="option" value={o.id} checked={cart.shippingOption === o.id} /> {o.name} —{' '}
                    {o.amount === 0 ? 'Free' : <Money value={{ amount: o.amount, currency: cur }} />}
                  </label>
                ))}
              </fieldset>
              <div class="field">
                <label for="f-region">Delivery region (for tax)</label>
                <select id="f-region" name="region">
                  <option value="" selected={!cart.taxRegion}>
                    Choose a region
                  </option>
                  {cart.taxRegion && !TAX_REGIONS.some((r) => r.code === cart.taxRegion) ? (
                    <option value={cart.taxRegion} selected>
                      {regionName(cart.taxRegion)}
                    </option>
                  ) : null}
                  {TAX_REGIONS.map((r) => (
                    <option value={r.code} selected={cart.taxRegion === r.code}>
                      {r.name}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" class="secondary">
                Update delivery
              </button>
            </PostForm>
            <Totals cart={cart} />
            {blocked ? (
              <p class="muted">Please resolve the notices above to check out.</p>
            ) : (
              <p>
                <a class="button checkout-button" href="/checkout">
                  Go to checkout
                </a>
              </p>
            )}
          </aside>
        </div>
      </Main>
    ),
  });
}

/** The shopper's cart for a change: a guest's straight from the cookie, else loaded. */
async function currentCart(c: Context<WebEnv>): Promise<string | undefined> {
  if (!c.get('viewer')) return guestCartRef(c)?.id;
  return (await loadCart(c))?.id;
}

async function afterChange(
  c: Context<WebEnv>,
  r: ApiResult<Cart>,
  done: string,
  view: Omit<CartView, 'error' | 'status'> = {},
): Promise<Response> {
  if (r.ok) {
    cartChanged(c, r.body);
    return c.redirect(`/cart?done=${done}`, 303);
  }
  const p = r.problem ?? { status: r.status };
  if (p.status === 404) {
    return renderCart(c, { status: 404, error: 'Your cart has expired. Please add the items again.' });
  }
  const cart = await loadCart(c).catch(() => undefined);
  return renderCart(c, { ...view, status: statusOf(p), error: shopMessage(p, namesOf(cart)) }, cart);
}

export function cartRoutes(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  app.get('/cart', async (c) => {
    const q = parseQuery(c, CartQuery);
    return renderCart(c, { done: q.done });
  });

  app.post('/cart/add', async (c) => {
    const form = await parseForm(c, AddForm);
    const slug = SLUG.safeParse(form.raw.slug);
    if (!form.ok) {
      const message = form.errors.quantity ?? 'Please choose an option.';
      if (slug.success) {
        return renderProduct(c, slug.data, { status: 422, addError: message, quantity: form.raw.quantity });
      }
      return renderCart(c, { status: 422, error: message });
    }
    const cart = await ensureCart(c);
    const r = await cartCall(c, cart.id, 'POST', '/lines', { sku: form.data.sku, quantity: form.data.quantity });
    if (r.ok) {
      cartChanged(c, r.body);
      return c.redirect('/cart?done=added', 303);
    }
    const p = r.problem ?? { status: r.status };
    const message = shopMessage(p, namesOf(cart));
    if (form.data.slug) {
      return renderProduct(c, form.data.slug, {
        status: statusOf(p),
        addError: message,
        selectedSku: form.data.sku,
        quantity: String(form.data.quantity),
      });
    }
    return renderCart(c, { status: statusOf(p), error: message });
  });

  app.post('/cart/lines/:sku', async (c) => {
    const sku = parseParam(c.req.param('sku'), SKU);
    const form = await parseForm(c, QuantityForm);
    if (!sku) return renderCart(c, { status: 404, error: 'That item is not in your cart.' });
    if (!form.ok) return renderCart(c, { status: 422, error: form.errors.quantity ?? 'Please enter a quantity.' });
    const id = await currentCart(c);
    if (!id) return renderCart(c, { status: 404, error: 'Your cart has expired. Please add the items again.' });
    const path = `/lines/${encodeURIComponent(sku)}`;
    if (form.data.quantity === 0) return afterChange(c, await cartCall(c, id, 'DELETE', path), 'removed');
    return afterChange(c, await cartCall(c, id, 'PATCH', path, { quantity: form.data.quantity }), 'updated');
  });

  app.post('/cart/lines/:sku/remove', async (c) => {
    const sku = parseParam(c.req.param('sku'), SKU);
    if (!sku) return renderCart(c, { status: 404, error: 'That item is not in your cart.' });
    const id = await currentCart(c);
    if (!id) return c.redirect('/cart', 303);
    return afterChange(c, await cartCall(c, id, 'DELETE', `/lines/${encodeURIComponent(sku)}`), 'removed');
  });

  app.post('/cart/code', async (c) => {
    const form = await parseForm(c, CodeForm);
    if (!form.ok) {
      return renderCart(c, { status: 422, codeValue: form.raw.code, codeError: form.errors.code });
    }
    const id = await currentCart(c);
    if (!id) return c.redirect('/cart', 303);
    const r = await cartCall(c, id, 'PUT', '/code', { code: form.data.code });
    if (r.ok) {
      cartChanged(c, r.body);
      return c.redirect('/cart?done=code-applied', 303);
    }
    const p = r.problem ?? { status: r.status };
    if (p.status === 404) return renderCart(c, { status: 404, error: 'Your cart has expired.' });
    return renderCart(c, { status: statusOf(p), codeValue: form.data.code, codeError: shopMessage(p) });
  });

  app.post('/cart/code/remove', async (c) => {
    const id = await currentCart(c);
    if (!id) return c.redirect('/cart', 303);
    return afterChange(c, await cartCall(c, id, 'DELETE', '/code'), 'code-removed');
  });

  app.post('/cart/shipping', async (c) => {
    const form = await parseForm(c, ShippingForm);
    if (!form.ok) return renderCart(c, { status: 422, error: Object.values(form.errors)[0] });
    const id = await currentCart(c);
    if (!id) return c.redirect('/cart', 303);
    const body: Record<string, string> = {};
    if (form.data.option) body.option = form.data.option;
    if (form.data.region) body.region = form.data.region;
    return afterChange(c, await cartCall(c, id, 'PUT', '/shipping', body), 'shipping');
  });

  app.post('/cart/acknowledge', async (c) => {
    const id = await currentCart(c);
    if (!id) return c.redirect('/cart', 303);
    return afterChange(c, await cartCall(c, id, 'POST', '/acknowledge-prices'), 'acknowledged');
  });

  return app;
}
