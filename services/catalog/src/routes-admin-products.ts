import { createRoute, createRouter, NotFound, type Queryable, z } from '@storefront/kit';
import type { CatalogDeps } from './app.ts';
import { assertPublishable, newProduct, type Product, patchProduct, toPrice, toVariant } from './domain.ts';
import { priceChanged, productCreated, productDeleted, productUpdated } from './events.ts';
import {
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
  Status,
  Uuid,
  VariantIn,
} from './schemas.ts';
import * as store from './store.ts';

const idParam = z.object({ id: Uuid });
const skuParam = z.object({ sku: Sku });
const priceParams = z.object({ sku: Sku, currency: PriceIn.shape.currency });
const noContent = { 204: { description: 'Done' } };

/** Staff edits of products, variants and prices. Mounted under /admin (admin token required). */
export function adminProductRoutes(deps: CatalogDeps) {
  const app = createRouter();
  const { db, outbox, cache } = deps;

  const view = async (id: string) => {
    const v = await store.getProductView(db, id, { publishedOnly: false });
    if (!v) throw new NotFound(`no product ${id}`);
    return v;
  };

  /**
   * The shape of every product edit: lock the product, change it, rebuild its search row, record
   * the event — one transaction — then drop this replica's cached copies (others hear the event).
   */
  async function edit<T>(id: string, change: (tx: Queryable, before: Product) => Promise<T>): Promise<T> {
    const { result, before } = await db.tx(async (tx) => {
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
        await store.insertProduct(tx, product);
        await store.refreshSearchDocs(tx, [product.id]);
        await productCreated(outbox, tx, product);
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
      summary: 'Products in any status, newest first',
      request: {
        query: z.object({
          status: Status.optional(),
          cursor: Uuid.optional(),
          limit: z.coerce.number().int().min(1).max(100).default(50),
        }),
      },
      responses: {
        200: json(
          listOf(
            z.object({ id: z.string(), slug: z.string(), name: z.string(), status: Status, updatedAt: z.string() }),
          ),
          'A page of products',
        ),
      },
    }),
    async (c) => {
      const { status, cursor, limit } = c.req.valid('query');
      const rows = await store.listProducts(db, { status: status ?? null, after: cursor ?? null, limit: limit + 1 });
      const page = rows.slice(0, limit);
      return c.json(
        {
          items: page.map((p) => ({
            id: p.id,
            slug: p.slug,
            name: p.name,
            status: p.status,
            updatedAt: p.updatedAt.toISOString(),
          })),
          nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
        },
        200,
      );
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
        const { next, changed } = patchProduct(before, patch, deps.clock());
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
      await edit(id, async (tx, before) => {
        const now = deps.clock();
        const variant = toVariant(input, deps.newId(), 0);
        await store.insertVariant(tx, id, variant, now);
        await store.touchProduct(tx, id, now);
        await productUpdated(outbox, tx, before, ['variants']);
        for (const p of variant.prices) {
          await priceChanged(outbox, tx, before, { sku: variant.sku, ...p, previousAmount: null });
        }
      });
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
        const previous = await store.upsertPrice(tx, sku, price, deps.clock());
        if (previous === price.amount) await productUpdated(outbox, tx, before, ['prices']);
        else await priceChanged(outbox, tx, before, { sku, currency, amount: price.amount, previousAmount: previous });
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
      });
      return c.body(null, 204);
    },
  );

  return app;
}
