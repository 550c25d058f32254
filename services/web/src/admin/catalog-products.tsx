import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { WebEnv } from '../env.ts';
import { notFoundPage } from '../errors.tsx';
import { Field, formatDate, PostForm } from '../ui.tsx';
import { parseQuery } from '../validate.ts';
import {
  CATALOG,
  doneQuery,
  idParam,
  type Page,
  type Product,
  type ProductRow,
  pageStatus,
  problemErrors,
  type Status,
  taxonomy,
  UuidParam,
} from './catalog-lib.ts';
import { createProduct, newPage } from './catalog-product-create.tsx';
import { editPage } from './catalog-product-edit.tsx';
import { brandOptions, categoryOptions, statusOptions } from './catalog-product-shared.ts';
import {
  addImage,
  addVariant,
  deleteVariant,
  removeImage,
  removePrice,
  saveDetails,
  saveOptions,
  setPrice,
} from './catalog-product-writes.ts';
import { Flash, Select, StatusPill } from './catalog-ui.tsx';
import { renderAdmin } from './shell.tsx';

// ---------------------------------------------------------------------------------------------
// List

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f]/g;
const filterId = z.union([z.literal(''), z.uuid()]).optional();
const ListQuery = doneQuery.extend({
  status: z.enum(['draft', 'published', 'archived', '']).optional(),
  // Control characters (a pasted tab) would be refused by the API; as spaces they just split words.
  q: z
    .string()
    .max(400)
    .transform((s) => s.replace(CONTROL, ' ').trim().slice(0, 200))
    .optional(),
  categoryId: filterId,
  brandId: filterId,
  cursor: z.string().max(200).optional(),
});

/**
 * Every product, any status, newest first: the catalog's staff list does the search (words in the
 * name, slug or a SKU) and the status, category (with its subcategories) and brand filters.
 */
async function listPage(c: Context<WebEnv>) {
  const q = parseQuery(c, ListQuery);
  const api = c.get('api');
  const search = q.q ?? '';
  const cursor = q.cursor && UuidParam.safeParse(q.cursor).success ? q.cursor : undefined;
  const [r, { categories, brands }] = await Promise.all([
    api.get<Page<ProductRow>>(c, `${CATALOG}/products`, {
      q: search || undefined,
      status: q.status || undefined,
      categoryId: q.categoryId || undefined,
      brandId: q.brandId || undefined,
      cursor,
      limit: 50,
    }),
    taxonomy(c),
  ]);
  const rows = r.items;
  const filters = new URLSearchParams();
  if (search) filters.set('q', search);
  if (q.status) filters.set('status', q.status);
  if (q.categoryId) filters.set('categoryId', q.categoryId);
  if (q.brandId) filters.set('brandId', q.brandId);
  const filtered = filters.size > 0;
  const more = new URLSearchParams(filters);
  if (r.nextCursor) more.set('cursor', r.nextCursor);
  return renderAdmin(c, {
    title: search ? `Products matching “${search}”` : 'Products',
    children: (
      <>
        <h1>Products</h1>
        <Flash done={q.done} />
        <p>
          <a class="button" href="/admin/products/new">
            New product
          </a>
        </p>
        <search>
          <form method="get" action="/admin/products" class="inline-form filters" aria-label="Filter products">
            <Field
              label="Search"
              name="q"
              type="search"
              value={search}
              maxlength={200}
              hint="Words in the name, slug or a SKU, any status"
            />
            <Select
              label="Status"
              name="status"
              value={q.status ?? ''}
              options={[{ value: '', label: 'Any status' }, ...statusOptions]}
            />
            <Select
              label="Category"
              name="categoryId"
              value={q.categoryId ?? ''}
              options={[{ value: '', label: 'Any category' }, ...categoryOptions(categories).slice(1)]}
            />
            <Select
              label="Brand"
              name="brandId"
              value={q.brandId ?? ''}
              options={[{ value: '', label: 'Any brand' }, ...brandOptions(brands).slice(1)]}
            />
            <button type="submit">Show products</button>
            {filtered ? (
              <a href="/admin/products" class="button secondary">
                Clear
              </a>
            ) : null}
          </form>
        </search>
        {rows.length === 0 ? (
          <p>{filtered ? 'No products match these filters.' : 'No products yet.'}</p>
        ) : (
          <table class="responsive">
            <caption class="visually-hidden">
              {filtered ? 'Products matching the filters, newest first' : 'Products, newest first'}
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Slug</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr>
                  <td data-label="Name">
                    <a href={`/admin/products/${p.id}`}>{p.name}</a>
                  </td>
                  <td data-label="Status">
                    <StatusPill status={p.status} />
                  </td>
                  <td data-label="Slug">
                    <code>{p.slug}</code>
                  </td>
                  <td data-label="Updated">{formatDate(p.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {r.nextCursor ? (
          <nav class="pager" aria-label="Pages">
            <a href={`/admin/products?${more.toString()}`} rel="next">
              Next page →
            </a>
          </nav>
        ) : null}
      </>
    ),
  });
}

// ---------------------------------------------------------------------------------------------
// Delete

async function deleteConfirmPage(c: Context<WebEnv>, error?: string, status?: Status) {
  const id = idParam(c);
  if (!id) return notFoundPage(c, 'product');
  const product = await c.get('api').get<Product>(c, `${CATALOG}/products/${id}`);
  return renderAdmin(c, {
    title: `Delete ${product.name}`,
    status,
    section: '/admin/products/delete',
    children: (
      <>
        <h1>Delete {product.name}?</h1>
        <Flash error={error} />
        <p>
          This removes the product with its {product.variants.length} variant(s), their prices and its reviews. It
          cannot be undone. To take it out of the shop but keep it, set its status to archived instead.
        </p>
        <PostForm action={`/admin/products/${id}/delete`} csrf={c.get('csrf')} class="inline-form">
          <button type="submit" class="danger">
            Delete product
          </button>
          <a href={`/admin/products/${id}`} class="button secondary">
            Keep it
          </a>
        </PostForm>
      </>
    ),
  });
}

async function deleteProduct(c: Context<WebEnv>) {
  const id = idParam(c);
  if (!id) return notFoundPage(c, 'product');
  const r = await c.get('api').call(c, 'DELETE', `${CATALOG}/products/${id}`);
  if (r.ok || r.status === 404) return c.redirect('/admin/products?done=product-deleted', 303);
  const errors = problemErrors(r.problem ?? { status: r.status }, () => undefined);
  return deleteConfirmPage(c, errors._, pageStatus(r.status));
}

/** Products: list, create, edit details/images/variants/prices, delete. */
export function productRoutes(app: Hono<WebEnv>): void {
  app.get('/products', listPage);
  app.get('/products/new', (c) => newPage(c));
  app.post('/products/new', createProduct);
  app.get('/products/:id', (c) => {
    const id = idParam(c);
    if (!id) return notFoundPage(c, 'product');
    return editPage(c, id, undefined, parseQuery(c, doneQuery).done);
  });
  app.post('/products/:id', saveDetails);
  app.post('/products/:id/images', addImage);
  app.post('/products/:id/images/remove', removeImage);
  app.post('/products/:id/variants', addVariant);
  app.post('/products/:id/variants/:sku', saveOptions);
  app.post('/products/:id/variants/:sku/delete', deleteVariant);
  app.post('/products/:id/variants/:sku/prices', setPrice);
  app.post('/products/:id/variants/:sku/prices/:currency/delete', removePrice);
  app.get('/products/:id/delete', (c) => deleteConfirmPage(c));
  app.post('/products/:id/delete', deleteProduct);
}
