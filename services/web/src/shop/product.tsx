import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { ApiError } from '../api.ts';
import type { WebEnv } from '../env.ts';
import { fieldErrors, notFoundPage } from '../errors.tsx';
import { Main, type PageOptions, renderPage } from '../layout.tsx';
import { Field, formatDate, formatMoney, Notice, PostForm, Stars } from '../ui.tsx';
import { parseForm, parseParam, parseQuery } from '../validate.ts';
import { Breadcrumbs, PickupList, ProductGrid, Section, StockState } from './components.tsx';
import { DONE, shopMessage } from './messages.ts';
import type { Availability, ListItem, Product, Review, SearchResult, Variant } from './types.ts';

export const SLUG = z
  .string()
  .max(120)
  .regex(/^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/);
export const SKU = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);

const ProductQuery = z.object({
  sku: SKU.optional().catch(undefined),
  done: z.string().max(40).optional(),
  reviews: z.uuid().optional().catch(undefined),
});

const ReviewForm = z.object({
  author: z.string().trim().min(1, 'Please enter the name to show with your review').max(60, 'At most 60 characters'),
  rating: z.coerce
    .number({ error: 'Please choose a rating' })
    .int('Please choose a rating')
    .min(1, 'Please choose a rating')
    .max(5, 'Please choose a rating'),
  title: z.string().trim().max(120, 'At most 120 characters').default(''),
  body: z.string().trim().min(1, 'Please write a few words about the product').max(4000, 'At most 4000 characters'),
});

export interface ProductView {
  readonly status?: PageOptions['status'];
  readonly selectedSku?: string | undefined;
  readonly quantity?: string | undefined;
  readonly addError?: string | undefined;
  readonly done?: string | undefined;
  readonly reviewsCursor?: string | undefined;
  readonly review?: {
    readonly values: Record<string, string>;
    readonly errors: Record<string, string>;
    readonly message?: string | undefined;
  };
}

export function priceOf(v: Variant, currency: string) {
  return v.prices.find((p) => p.currency === currency);
}

function optionText(v: Variant): string {
  const parts = Object.values(v.options);
  return parts.length ? parts.join(' / ') : v.sku;
}

function stockText(a: Availability | undefined, known: boolean): string {
  if (!known) return '';
  const n = a?.available ?? 0;
  if (n <= 0) return 'out of stock';
  if (n <= 5) return `only ${n} left`;
  return 'in stock';
}

async function loadExtras(c: Context<WebEnv>, p: Product, reviewsCursor: string | undefined) {
  const api = c.get('api');
  const currency = c.get('config').SHOP_CURRENCY;
  const skus = p.variants.map((v) => v.sku).slice(0, 100);
  const [avail, reviews, related] = await Promise.all([
    skus.length
      ? api.call<{ items: Availability[] }>(c, 'GET', '/api/inventory/availability', {
          query: { sku: skus },
          credentials: false,
        })
      : Promise.resolve(undefined),
    api.call<{ items: Review[]; nextCursor: string | null }>(
      c,
      'GET',
      `/api/catalog/products/${encodeURIComponent(p.slug)}/reviews`,
      { query: { limit: 10, cursor: reviewsCursor }, credentials: false },
    ),
    p.category
      ? api.call<SearchResult>(c, 'GET', `/api/catalog/categories/${encodeURIComponent(p.category.slug)}/products`, {
          query: { limit: 6, currency },
          credentials: false,
        })
      : Promise.resolve(undefined),
  ]);
  const stock = new Map<string, Availability>();
  const stockKnown = !skus.length || Boolean(avail?.ok);
  if (avail?.ok) for (const a of avail.body.items ?? []) stock.set(a.sku, a);
  const relatedItems: ListItem[] = related?.ok ? related.body.items.filter((i) => i.id !== p.id).slice(0, 5) : [];
  return {
    stock,
    stockKnown,
    reviews: reviews.ok ? reviews.body : undefined,
    related: relatedItems,
  };
}

/** The product page; add-to-cart and review posts re-render it with their errors. */
export async function renderProduct(c: Context<WebEnv>, slug: string, view: ProductView = {}): Promise<Response> {
  const api = c.get('api');
  const currency = c.get('config').SHOP_CURRENCY;
  const r = await api.call<Product>(c, 'GET', `/api/catalog/products/${encodeURIComponent(slug)}`, {
    credentials: false,
  });
  if (r.status === 404 || r.status === 400) return notFoundPage(c, 'product');
  if (r.problem) throw new ApiError(r.problem);
  const p = r.body;
  const { stock, stockKnown, reviews, related } = await loadExtras(c, p, view.reviewsCursor);

  const sellable = p.variants.filter((v) => priceOf(v, currency));
  const selected =
    p.variants.find((v) => v.sku === view.selectedSku) ??
    sellable.find((v) => (stock.get(v.sku)?.available ?? 0) > 0) ??
    sellable[0] ??
    p.variants[0];
  const price = selected ? priceOf(selected, currency) : undefined;
  const selectedStock = selected ? stock.get(selected.sku) : undefined;
  const canBuy = Boolean(price) && (!stockKnown || (selectedStock?.available ?? 0) > 0);
  const viewer = c.get('viewer');
  const csrf = c.get('csrf');
  const trail = [
    ...(p.category?.trail ?? []).map((t) => ({ name: t.name, href: `/c/${encodeURIComponent(t.slug)}` })),
    { name: p.name },
  ];
  const optionKeys = [...new Set(p.variants.flatMap((v) => Object.keys(v.options)))];
  const rv = view.review;
  const doneText = view.done ? DONE[view.done] : undefined;

  return renderPage(c, {
    title: p.name,
    description: p.description.slice(0, 160),
    status: view.status,
    noStore: Boolean(view.addError || rv),
    scripts: ['shop.js'],
    children: (
      <Main class="product-page">
        <Breadcrumbs trail={trail} />
        {doneText ? <Notice tone="success">{doneText}</Notice> : null}
        <div class="product">
          <div class="gallery">
            {p.images.length > 0 ? (
              p.images.map((img, i) => (
                <img
                  src={img.url}
                  alt={img.alt || p.name}
                  width={i === 0 ? 600 : 160}
                  height={i === 0 ? 600 : 160}
                  class={i === 0 ? 'gallery-main' : 'gallery-thumb'}
                  decoding="async"
                  loading={i === 0 ? 'eager' : 'lazy'}
                />
              ))
            ) : (
              <span class="img-placeholder" aria-hidden="true" />
            )}
          </div>
          <div class="buy-box">
            <h1>{p.name}</h1>
            {p.brand ? (
              <p class="muted">
                by <a href={`/search?brand=${encodeURIComponent(p.brand.slug)}`}>{p.brand.name}</a>
              </p>
            ) : null}
            <p>
              <a href="#reviews">
                <Stars average={p.rating.average} count={p.rating.count} />
              </a>
            </p>
            <p class="price" data-price-box>
              {price ? (
                <>
                  <span class="money" data-price>
                    {formatMoney({ amount: price.amount, currency })}
                  </span>
                  {price.compareAt && price.compareAt > price.amount ? (
                    <span class="was" data-compare>
                      {' '}
                      <span class="visually-hidden">was </span>
                      <s>{formatMoney({ amount: price.compareAt, currency })}</s>
                    </span>
                  ) : (
                    <span class="was" data-compare />
                  )}
                </>
              ) : (
                <span class="muted">Not sold in {currency}</span>
              )}
            </p>
            {view.addError ? <Notice tone="error">{view.addError}</Notice> : null}
            <PostForm action="/cart/add" csrf={csrf} class="add-to-cart" aria-label="Add to cart">
              <input type="hidden" name="slug" value={p.slug} />
              {p.variants.length > 1 ? (
                <div class="field variant-field" data-variant-field>
                  <label for="f-sku">
                    {optionKeys.length ? `Choose ${optionKeys.join(' and ')}` : 'Choose an option'}
                  </label>
                  <select id="f-sku" name="sku" data-variant-select data-option-keys={JSON.stringify(optionKeys)}>
                    {p.variants.map((v) => {
                      const vp = priceOf(v, currency);
                      const st = stockText(stock.get(v.sku), stockKnown);
                      return (
                        <option
                          value={v.sku}
                          selected={v.sku === selected?.sku}
                          disabled={!vp}
                          data-options={JSON.stringify(v.options)}
                          data-price={vp ? formatMoney({ amount: vp.amount, currency }) : ''}
                          data-compare={
                            vp?.compareAt && vp.compareAt > vp.amount
                              ? formatMoney({ amount: vp.compareAt, currency })
                              : ''
                          }
                          data-available={stockKnown ? String(stock.get(v.sku)?.available ?? 0) : ''}
                        >
                          {optionText(v)}
                          {vp ? ` — ${formatMoney({ amount: vp.amount, currency })}` : ' — not sold here'}
                          {st ? ` — ${st}` : ''}
                        </option>
                      );
                    })}
                  </select>
                </div>
              ) : selected ? (
                <input type="hidden" name="sku" value={selected.sku} />
              ) : null}
              {selected && Object.keys(selected.options).length > 0 && p.variants.length === 1 ? (
                <p class="muted">{optionText(selected)}</p>
              ) : null}
              <div class="stock-state" aria-live="polite">
                {p.variants.map((v) => (
                  <div class="variant-stock" data-stock-for={v.sku} hidden={v.sku !== selected?.sku}>
                    <p>
                      <StockState availability={stock.get(v.sku)} known={stockKnown} />
                    </p>
                  </div>
                ))}
              </div>
              <Field
                label="Quantity"
                name="quantity"
                type="number"
                inputmode="numeric"
                min={1}
                max={99}
                value={view.quantity ?? '1'}
                required
              />
              <button type="submit" disabled={!canBuy} data-add-button>
                Add to cart
              </button>
            </PostForm>
            <section class="availability" aria-labelledby="availability-title">
              <h2 id="availability-title">Delivery and pickup</h2>
              {stockKnown ? (
                p.variants.map((v) => (
                  <div class="variant-stock" data-stock-for={v.sku} hidden={v.sku !== selected?.sku}>
                    <PickupList availability={stock.get(v.sku)} />
                  </div>
                ))
              ) : (
                <p class="muted">Store availability is not available right now.</p>
              )}
            </section>
          </div>
        </div>
        <Section title="About this product" id="about">
          {p.description ? <p>{p.description}</p> : null}
          {Object.keys(p.attributes).length > 0 ? (
            <table class="specs">
              <caption class="visually-hidden">Specifications</caption>
              <tbody>
                {Object.entries(p.attributes).map(([k, v]) => (
                  <tr>
                    <th scope="row">{k.charAt(0).toUpperCase() + k.slice(1)}</th>
                    <td>{v}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </Section>
        <section id="reviews" aria-labelledby="reviews-title" class="reviews">
          <h2 id="reviews-title">Reviews</h2>
          <p>
            <Stars average={p.rating.average} count={p.rating.count} />
            {p.rating.count > 0 && p.rating.average !== null ? (
              <span>
                {' '}
                Average {Math.round(p.rating.average * 10) / 10} out of 5 from {p.rating.count}{' '}
                {p.rating.count === 1 ? 'review' : 'reviews'}
              </span>
            ) : null}
          </p>
          {reviews === undefined ? <p class="muted">Reviews are not available right now.</p> : null}
          {reviews && reviews.items.length === 0 && p.rating.count === 0 ? (
            <p>No reviews yet. Be the first to review this product.</p>
          ) : null}
          {reviews ? (
            <ul class="review-list">
              {reviews.items.map((rev) => (
                <li>
                  <article class="review">
                    <h3>{rev.title || `${rev.rating} out of 5`}</h3>
                    <p>
                      <span class="stars" role="img" aria-label={`Rated ${rev.rating} out of 5`}>
                        <span aria-hidden="true">
                          {'★'.repeat(rev.rating)}
                          {'☆'.repeat(5 - rev.rating)}
                        </span>
                      </span>{' '}
                      <span class="muted">
                        {rev.author} · {formatDate(rev.createdAt)}
                      </span>
                    </p>
                    <p>{rev.body}</p>
                  </article>
                </li>
              ))}
            </ul>
          ) : null}
          {reviews?.nextCursor ? (
            <p>
              <a href={`/p/${encodeURIComponent(p.slug)}?reviews=${encodeURIComponent(reviews.nextCursor)}#reviews`}>
                Older reviews →
              </a>
            </p>
          ) : null}
          <h3 id="write-review">Write a review</h3>
          {viewer ? (
            <PostForm
              action={`/p/${encodeURIComponent(p.slug)}/reviews`}
              csrf={csrf}
              class="form-narrow review-form"
              aria-label="Write a review"
            >
              {rv?.message ? <Notice tone="error">{rv.message}</Notice> : null}
              {rv && Object.keys(rv.errors).length > 0 && !rv.message ? (
                <Notice tone="error">Please correct the fields marked below.</Notice>
              ) : null}
              <Field
                label="Your name (shown with the review)"
                name="author"
                value={rv?.values.author}
                error={rv?.errors.author}
                required
                maxlength={60}
                autocomplete="nickname"
              />
              <fieldset
                class={`rating-choice${rv?.errors.rating ? ' field-invalid' : ''}`}
                aria-describedby={rv?.errors.rating ? 'f-rating-err' : undefined}
              >
                <legend>Your rating</legend>
                {[5, 4, 3, 2, 1].map((n) => (
                  <label class="inline-choice">
                    <input
                      type="radio"
                      name="rating"
                      value={String(n)}
                      checked={rv?.values.rating === String(n)}
                      required
                    />{' '}
                    {n} {n === 1 ? 'star' : 'stars'}
                  </label>
                ))}
                {rv?.errors.rating ? (
                  <span class="field-error" id="f-rating-err">
                    {rv.errors.rating}
                  </span>
                ) : null}
              </fieldset>
              <Field
                label="Title (optional)"
                name="title"
                value={rv?.values.title}
                error={rv?.errors.title}
                maxlength={120}
              />
              <div class={`field${rv?.errors.body ? ' field-invalid' : ''}`}>
                <label for="f-body">Your review</label>
                <textarea
                  id="f-body"
                  name="body"
                  rows={5}
                  maxlength={4000}
                  required
                  aria-invalid={rv?.errors.body ? 'true' : undefined}
                  aria-describedby={rv?.errors.body ? 'f-body-err' : undefined}
                >
                  {rv?.values.body ?? ''}
                </textarea>
                {rv?.errors.body ? (
                  <span class="field-error" id="f-body-err">
                    {rv.errors.body}
                  </span>
                ) : null}
              </div>
              <button type="submit">Publish review</button>
            </PostForm>
          ) : (
            <p>
              <a href={`/account/sign-in?next=${encodeURIComponent(`/p/${p.slug}#write-review`)}`}>Sign in</a> to write
              a review.
            </p>
          )}
        </section>
        {related.length > 0 && p.category ? (
          <Section title={`More in ${p.category.name}`} id="related">
            <ProductGrid items={related} />
          </Section>
        ) : null}
      </Main>
    ),
  });
}

export function productRoutes(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  app.get('/p/:slug', async (c) => {
    const slug = parseParam(c.req.param('slug'), SLUG);
    if (!slug) return notFoundPage(c, 'product');
    const q = parseQuery(c, ProductQuery);
    return renderProduct(c, slug, { selectedSku: q.sku, done: q.done, reviewsCursor: q.reviews });
  });

  app.post('/p/:slug/reviews', async (c) => {
    const slug = parseParam(c.req.param('slug'), SLUG);
    if (!slug) return notFoundPage(c, 'product');
    if (!c.get('viewer')) {
      return c.redirect(`/account/sign-in?next=${encodeURIComponent(`/p/${slug}#write-review`)}`, 303);
    }
    const form = await parseForm(c, ReviewForm);
    if (!form.ok) {
      return renderProduct(c, slug, { status: 422, review: { values: form.raw, errors: form.errors } });
    }
    const r = await c.get('api').call(c, 'POST', `/api/catalog/products/${encodeURIComponent(slug)}/reviews`, {
      json: form.data,
    });
    if (r.ok) return c.redirect(`/p/${encodeURIComponent(slug)}?done=review#reviews`, 303);
    const p = r.problem ?? { status: r.status };
    if (p.status === 401) {
      return c.redirect(`/account/sign-in?next=${encodeURIComponent(`/p/${slug}#write-review`)}`, 303);
    }
    if (p.status === 404) return notFoundPage(c, 'product');
    const errors = fieldErrors(p);
    const message = p.status === 409 ? 'You have already reviewed this product under that name.' : shopMessage(p);
    return renderProduct(c, slug, {
      status: p.status === 409 ? 409 : p.status >= 500 ? 503 : 422,
      review: { values: form.raw, errors, message },
    });
  });

  return app;
}
