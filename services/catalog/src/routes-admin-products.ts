import { type AuthEnv, createRoute, createRouter, NotFound, type Queryable, z } from '@storefront/kit';
import type { CatalogDeps } from './app.ts';
import { assertPublishable, newProduct, type Product, patchProduct, toPrice, toVariant } from './domain.ts';
import { staffSearchPatterns } from './domain-admin.ts';
import { audited, priceChanged, productCreated, productDeleted, productUpdated } from './events.ts';
import {
  AdminProductQuery,
  AdminProductRowOut,
  AdminStatsOut,
  body,
  json,
  listOf,
  Options,
  PriceIn,
  PriceOut,
  ProductCreate,
  ProductOut,
  ProductPatch,
  Sku,
  Uuid,
  VariantIn,
} from './schemas.ts';
import { staffOf } from './staff.ts';
import * as store from './store.ts';

const idParam = z.object({ id: Uuid });
const skuParam = z.object({ sku: Sku });
const priceParams = z.object({ sku: Sku, currency: PriceIn.shape.currency });
const noContent = { 204: { description: 'Done' } };

/**
 * Staff edits of products, variants and prices. Mounted under /admin (merchandiser or admin with
 * MFA). Every change is recorded for the audit log in its own transaction.
 */
export function adminProductRoutes(deps: CatalogDeps) {
  const app = createRouter<AuthEnv>();
  const { db, outbox, cache } = deps;

  const view = async (id: string) => {
    const v = await store.getProductView(db, id, { publishedOnly: false });
    if (!v) throw new NotFound(`no product ${id}`);
    return v;
  };

  /**
   * The shape of every product edit: lock the product, change it, rebuild its search row, record
   * the event — one transaction — then drop this replica's cached copies (others hear the event).
   * An edit that adds SKUs locks them first, as the stock consumer does (store-stock.ts lockSkus).
   */
  async function edit<T>(
    id: string,
    change: (tx: Queryable, before: Product) => Promise<T>,
    newSkus: readonly string[] = [],
  ): Promise<T> {
    const { result, before } = await db.tx(async (tx) => {
      await store.lockSkus(tx, newSkus);
      const before = await store.getProduct(tx, id, { lock: true });
      if (!before) throw new NotFound(`no product ${id}`);
      const result = await change(tx, before);
      await store.refreshSearchDocs(tx, [id]);
      return { result, before };
    });
    const after = await store.getProduct(db, id);
    await cache.invalidateProducts([{ productId: id, slug: before.slug, previousSlug: after?.slug }]);
    await cache.invalidateLists();
    return result;
  }

  /** A variant change: the variant's product is locked first, then the variant is re-read under the lock. */
  async function editVariant<T>(sku: string, change: (tx: Queryable, before: Product) => Promise<T>) {
    const found = await store.findVariant(db, sku);
    if (!found) throw new NotFound(`no variant ${sku}`);
    return edit(found.productId, async (tx, before) => {
      if (!(await store.findVariant(tx, sku))) throw new NotFound(`no variant ${sku}`);
      const result = await change(tx, before);
      const after = await store.getProduct(tx, before.id);
      if (after) assertPublishable(after);
      await store.touchProduct(tx, before.id, deps.clock());
      return result;
    });
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/products',
      summary: 'Create a product, optionally with variants and prices',
      request: { body: body(ProductCreate) },
      responses: { 201: json(ProductOut, 'The product') },
    }),
    async (c) => {
      const product = newProduct(c.req.valid('json'), { now: deps.clock(), newId: deps.newId });
      await db.tx(async (tx) => {
        await store.lockSkus(
          tx,
          product.variants.map((v) => v.sku),
        );
        await store.insertProduct(tx, product);
        await store.refreshSearchDocs(tx, [product.id]);
        await productCreated(outbox, tx, product);
        await audited(outbox, tx, staffOf(c), {
          action: 'product.create',
          target: { type: 'product', id: product.id },
          at: product.createdAt,
          details: { slug: product.slug, status: product.status, skus: product.variants.map((v) => v.sku) },
        });
      });
      await cache.invalidateProducts([{ productId: product.id, slug: product.slug }]);
      await cache.invalidateLists();
      return c.json(await view(product.id), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/products',
      summary: 'Products in any status, newest first; search by name, slug or SKU, filter by status, category, brand',
      request: { query: AdminProductQuery },
      responses: { 200: json(listOf(AdminProductRowOut), 'A page of products') },
    }),
    async (c) => {
      const { status, q, categoryId, brandId, cursor, limit } = c.req.valid('query');
      const rows = await store.adminListProducts(db, {
        status: status ?? null,
        patterns: staffSearchPatterns(q ?? ''),
        categoryId: categoryId ?? null,
        brandId: brandId ?? null,
        after: cursor ?? null,
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      return c.json(
        {
          items: page.map((p) => ({ ...p, updatedAt: p.updatedAt.toISOString() })),
          nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/stats',
      summary: 'How many products there are in each status',
      responses: { 200: json(AdminStatsOut, 'Counts') },
    }),
    async (c) => {
      const counts = await store.productCounts(db);
      return c.json({ products: { total: counts.draft + counts.published + counts.archived, ...counts } }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/products/{id}',
      summary: 'A product in any status',
      request: { params: idParam },
      responses: { 200: json(ProductOut, 'The product') },
    }),
    async (c) => c.json(await view(c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/products/{id}',
      summary: 'Edit product fields (status included); variants and prices have their own routes',
      request: { params: idParam, body: body(ProductPatch) },
      responses: { 200: json(ProductOut, 'The product') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const patch = c.req.valid('json');
      await edit(id, async (tx, before) => {
        const now = deps.clock();
        const { next, changed } = patchProduct(before, patch, now);
        await audited(outbox, tx, staffOf(c), {
          action: 'product.update',
          target: { type: 'product', id },
          at: now,
          details: { changed },
        });
        if (changed.length === 0) return;
        await store.updateProduct(tx, next);
        await productUpdated(outbox, tx, next, changed, before.slug);
      });
      return c.json(await view(id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/products/{id}',
      summary: 'Delete a product with its variants, prices and reviews',
      request: { params: idParam },
      responses: noContent,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const gone = await db.tx(async (tx) => {
        const before = await store.getProduct(tx, id, { lock: true });
        if (!before) throw new NotFound(`no product ${id}`);
        await store.removeSearchDocs(tx, [id]);
        await store.deleteProduct(tx, id);
        await productDeleted(outbox, tx, before);
        await audited(outbox, tx, staffOf(c), {
          action: 'product.delete',
          target: { type: 'product', id },
          at: deps.clock(),
          details: { slug: before.slug, skus: before.variants.map((v) => v.sku) },
        });
        return before;
      });
      await cache.invalidateProducts([{ productId: id, slug: gone.slug }]);
      await cache.invalidateLists();
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/products/{id}/variants',
      summary: 'Add a variant (SKU, options, prices)',
      request: { params: idParam, body: body(VariantIn) },
      responses: { 201: json(ProductOut, 'The product') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      await edit(
        id,
        async (tx, before) => {
          const now = deps.clock();
          const variant = toVariant(input, deps.newId(), 0);
          await store.insertVariant(tx, id, variant, now);
          await store.touchProduct(tx, id, now);
          await productUpdated(outbox, tx, before, ['variants']);
          for (const p of variant.prices) {
            await priceChanged(outbox, tx, before, { sku: variant.sku, ...p, previousAmount: null });
          }
          await audited(outbox, tx, staffOf(c), {
            action: 'variant.create',
            target: { type: 'variant', id: variant.sku },
            at: now,
            details: { productId: id },
          });
        },
        [input.sku],
      );
      return c.json(await view(id), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/variants/{sku}',
      summary: "Replace a variant's options",
      request: { params: skuParam, body: body(z.object({ options: Options })) },
      responses: { 200: json(ProductOut, 'The product') },
    }),
    async (c) => {
      const { sku } = c.req.valid('param');
      const { options } = c.req.valid('json');
      const productId = await editVariant(sku, async (tx, before) => {
        await store.updateVariantOptions(tx, sku, options);
        await productUpdated(outbox, tx, before, ['variants']);
        await audited(outbox, tx, staffOf(c), {
          action: 'variant.update',
          target: { type: 'variant', id: sku },
          at: deps.clock(),
          details: { productId: before.id, changed: ['options'] },
        });
        return before.id;
      });
      return c.json(await view(productId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/variants/{sku}',
      summary: 'Delete a variant and its prices',
      request: { params: skuParam },
      responses: noContent,
    }),
    async (c) => {
      const { sku } = c.req.valid('param');
      await editVariant(sku, async (tx, before) => {
        await store.deleteVariant(tx, sku);
        await productUpdated(outbox, tx, before, ['variants']);
        await audited(outbox, tx, staffOf(c), {
          action: 'variant.delete',
          target: { type: 'variant', id: sku },
          at: deps.clock(),
          details: { productId: before.id },
        });
      });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/variants/{sku}/prices/{currency}',
      summary: 'Set the price of a SKU in a currency',
      request: { params: priceParams, body: body(PriceIn.omit({ currency: true })) },
      responses: { 200: json(PriceOut, 'The price') },
    }),
    async (c) => {
      const { sku, currency } = c.req.valid('param');
      const price = toPrice({ ...c.req.valid('json'), currency });
      await editVariant(sku, async (tx, before) => {
        const now = deps.clock();
        const previous = await store.upsertPrice(tx, sku, price, now);
        if (previous === price.amount) await productUpdated(outbox, tx, before, ['prices']);
        else await priceChanged(outbox, tx, before, { sku, currency, amount: price.amount, previousAmount: previous });
        await audited(outbox, tx, staffOf(c), {
          action: 'price.set',
          target: { type: 'price', id: `${sku}/${currency}` },
          at: now,
          details: { productId: before.id, amount: price.amount, compareAt: price.compareAt, previousAmount: previous },
        });
      });
      return c.json(price, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/variants/{sku}/prices/{currency}',
      summary: 'Stop selling a SKU in a currency',
      request: { params: priceParams },
      responses: noContent,
    }),
    async (c) => {
      const { sku, currency } = c.req.valid('param');
      await editVariant(sku, async (tx, before) => {
        if (!(await store.deletePrice(tx, sku, currency))) throw new NotFound(`${sku} has no ${currency} price`);
        await productUpdated(outbox, tx, before, ['prices']);
        await audited(outbox, tx, staffOf(c), {
          action: 'price.delete',
          target: { type: 'price', id: `${sku}/${currency}` },
          at: deps.clock(),
          details: { productId: before.id },
        });
      });
      return c.body(null, 204);
    },
  );

  return app;
}
