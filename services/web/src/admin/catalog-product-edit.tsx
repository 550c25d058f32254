import type { Context } from 'hono';
import type { WebEnv } from '../env.ts';
import { notFoundPage } from '../errors.tsx';
import { Field, formatDate, PostForm } from '../ui.tsx';
import { CATALOG, formatPairs, type Product, refusedForm, refusedWrite, taxonomy } from './catalog-lib.ts';
import {
  brandOptions,
  categoryOptions,
  type EditState,
  STATUS_LABEL,
  statusOptions,
} from './catalog-product-shared.ts';
import { VariantBlock } from './catalog-product-variant.tsx';
import { Breadcrumb, Flash, Section, Select, StatusPill, TextArea } from './catalog-ui.tsx';
import { renderAdmin } from './shell.tsx';

// ---------------------------------------------------------------------------------------------
// Edit

export async function editPage(c: Context<WebEnv>, id: string, state?: EditState, done?: string) {
  const api = c.get('api');
  const [product, { categories, brands }] = await Promise.all([
    api.get<Product>(c, `${CATALOG}/products/${id}`),
    taxonomy(c),
  ]);
  const csrf = c.get('csrf');
  const mine = (form: string) => (state?.form === form ? state : undefined);
  const details = mine('details');
  const dRaw = details?.raw;
  const dErr = details?.errors ?? {};
  const base = `/admin/products/${product.id}`;
  const imgState = mine('image-add');
  const addVariant = mine('variant-add');
  return renderAdmin(c, {
    title: `Edit ${product.name}`,
    status: state?.status,
    section: '/admin/products/edit',
    children: (
      <>
        <Breadcrumb href="/admin/products" label="Products" />
        <h1>{product.name}</h1>
        <p>
          <StatusPill status={product.status} label={STATUS_LABEL[product.status]} />{' '}
          <span class="muted">Updated {formatDate(product.updatedAt)}</span>
          {product.status === 'published' ? (
            <>
              {' · '}
              <a href={`/p/${product.slug}`}>View in the shop</a>
            </>
          ) : null}
        </p>
        <Flash done={done} error={state?.errors._} />

        <Section title="Details">
          <PostForm action={base} csrf={csrf} class="admin-form" aria-label="Product details">
            <Field
              label="Name"
              name="name"
              value={dRaw?.name ?? product.name}
              error={dErr.name}
              required
              maxlength={200}
            />
            <Field
              label="Slug"
              name="slug"
              value={dRaw?.slug ?? product.slug}
              error={dErr.slug}
              required
              maxlength={120}
              hint="The address in the shop: /p/slug"
            />
            <TextArea
              label="Description"
              name="description"
              value={dRaw?.description ?? product.description}
              error={dErr.description}
              rows={5}
              maxlength={10_000}
            />
            <Select
              label="Brand"
              name="brandId"
              value={dRaw?.brandId ?? product.brand?.id ?? ''}
              options={brandOptions(brands)}
              error={dErr.brandId}
            />
            <Select
              label="Category"
              name="categoryId"
              value={dRaw?.categoryId ?? product.category?.id ?? ''}
              options={categoryOptions(categories)}
              error={dErr.categoryId}
            />
            <Select
              label="Status"
              name="status"
              value={dRaw?.status ?? product.status}
              options={statusOptions}
              error={dErr.status}
              hint="Only published products are in the shop; publishing needs a variant with a price"
            />
            <TextArea
              label="Attributes"
              name="attributes"
              value={dRaw?.attributes ?? formatPairs(product.attributes)}
              error={dErr.attributes}
              rows={3}
              hint="One per line, as name: value"
            />
            <button type="submit">Save details</button>
          </PostForm>
        </Section>

        <Section title="Images">
          {product.images.length === 0 ? <p>No images yet.</p> : null}
          <ul class="admin-images">
            {product.images.map((img, i) => (
              <li>
                <img src={img.url} alt={img.alt} width={96} height={96} loading="lazy" />
                <div>
                  <p>
                    <strong>Image {i + 1}</strong>
                    {img.alt ? ` — ${img.alt}` : <span class="muted"> — no alt text</span>}
                  </p>
                  <p class="muted admin-url">{img.url.length > 80 ? `${img.url.slice(0, 77)}…` : img.url}</p>
                  <PostForm action={`${base}/images/remove`} csrf={csrf}>
                    <input type="hidden" name="index" value={String(i)} />
                    <input type="hidden" name="url" value={img.url.slice(0, 8192)} />
                    <button type="submit" class="secondary">
                      Remove image {i + 1}
                    </button>
                  </PostForm>
                </div>
              </li>
            ))}
          </ul>
          {product.images.length < 10 ? (
            <PostForm action={`${base}/images`} csrf={csrf} class="inline-form" aria-label="Add an image">
              <Field
                label="Image URL"
                name="url"
                id="img-url"
                type="url"
                inputmode="url"
                value={imgState?.raw.url}
                error={imgState?.errors.url}
                required
                maxlength={8192}
              />
              <Field
                label="Alt text"
                name="alt"
                id="img-alt"
                value={imgState?.raw.alt}
                error={imgState?.errors.alt}
                maxlength={200}
                hint="What the image shows"
              />
              <button type="submit">Add image</button>
            </PostForm>
          ) : (
            <p class="muted">A product has at most 10 images.</p>
          )}
        </Section>

        <Section title="Variants and prices">
          {product.variants.length === 0 ? <p>No variants yet: add one with a price to sell this product.</p> : null}
          {product.variants.map((v, vi) => (
            <VariantBlock c={c} base={base} index={vi} variant={v} mine={mine} />
          ))}
          <PostForm action={`${base}/variants`} csrf={csrf} class="admin-form" aria-label="Add a variant">
            <fieldset>
              <legend>Add a variant</legend>
              <Field
                label="New SKU"
                name="sku"
                id="nv-sku"
                value={addVariant?.raw.sku}
                error={addVariant?.errors.sku}
                required
                maxlength={64}
              />
              <TextArea
                label="New variant options"
                name="options"
                id="nv-options"
                value={addVariant?.raw.options}
                error={addVariant?.errors.options}
                rows={2}
                hint="One per line, as name: value"
              />
              <div class="field-row">
                <Field
                  label="Currency"
                  name="currency"
                  id="nv-currency"
                  value={addVariant?.raw.currency ?? c.get('config').SHOP_CURRENCY}
                  error={addVariant?.errors.currency}
                  maxlength={3}
                />
                <Field
                  label="Price"
                  name="amount"
                  id="nv-amount"
                  inputmode="decimal"
                  value={addVariant?.raw.amount}
                  error={addVariant?.errors.amount}
                  maxlength={16}
                  hint="Optional"
                />
              </div>
              <button type="submit">Add variant</button>
            </fieldset>
          </PostForm>
        </Section>

        <Section title="Delete">
          <p>Deleting removes the product with its variants, prices and reviews.</p>
          <a class="button danger" href={`${base}/delete`}>
            Delete product…
          </a>
        </Section>
      </>
    ),
  });
}

/** After a write: back to the page with the flash, or the page again with the failed form's errors. */
export async function afterWrite(
  c: Context<WebEnv>,
  id: string,
  r: { ok: boolean; status: number; problem?: import('../api.ts').ApiProblem | undefined },
  opts: {
    form: string;
    raw: Record<string, string>;
    done: string;
    anchor?: string;
    map?: (p: string) => string | undefined;
    guess?: Record<string, string>;
  },
) {
  if (r.ok) return c.redirect(`/admin/products/${id}?done=${opts.done}${opts.anchor ? `#${opts.anchor}` : ''}`, 303);
  if (r.status === 404 && opts.form === 'details') return notFoundPage(c, 'product');
  return editPage(c, id, {
    form: opts.form,
    raw: opts.raw,
    ...refusedWrite(r, opts.map ?? (() => undefined), opts.guess),
  });
}

export const invalid = (
  c: Context<WebEnv>,
  id: string,
  form: string,
  f: { raw: Record<string, string>; errors: Record<string, string> },
) => editPage(c, id, { form, ...refusedForm(f) });
