import { Conflict, createRoute, createRouter, NotFound, type Queryable, z } from '@storefront/kit';
import type { CatalogDeps } from './app.ts';
import { assertCanMove, type Brand, type Category, categoryPath, slugify } from './domain.ts';
import { brandChanged, categoryChanged } from './events.ts';
import { BrandIn, BrandOut, BrandPatch, body, CategoryIn, CategoryOut, CategoryPatch, json, Uuid } from './schemas.ts';
import * as store from './store.ts';

const idParam = z.object({ id: Uuid });
const noContent = { 204: { description: 'Done' } };

/** Rebuilds search rows in slices so one statement never carries a huge id array. */
async function refreshMany(tx: Queryable, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 2000) await store.refreshSearchDocs(tx, ids.slice(i, i + 2000));
}

/** Staff edits of the category tree and brands. Mounted under /admin (admin token required). */
export function adminTaxonomyRoutes(deps: CatalogDeps) {
  const app = createRouter();
  const { db, outbox, cache } = deps;

  const parentOf = async (tx: Queryable, parentId: string | null) => {
    if (parentId === null) return null;
    const parent = await store.getCategory(tx, { id: parentId });
    if (!parent) throw new store.UnknownReference('the parent category does not exist');
    return parent;
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/categories',
      summary: 'Create a category (under a parent, or as a root)',
      request: { body: body(CategoryIn) },
      responses: { 201: json(CategoryOut, 'The category') },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const created = await db.tx(async (tx) => {
        const parent = await parentOf(tx, input.parentId ?? null);
        const slug = input.slug ?? slugify(input.name);
        const category: Category = {
          id: deps.newId(),
          parentId: parent?.id ?? null,
          slug,
          name: input.name,
          path: categoryPath(parent, slug),
          position: input.position ?? 0,
        };
        await store.insertCategory(tx, category, deps.clock());
        await categoryChanged(outbox, tx, category);
        return category;
      });
      await cache.invalidateAll();
      return c.json(created, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/categories/{id}',
      summary: 'Rename, re-slug, reorder or move a category (its subtree moves with it)',
      request: { params: idParam, body: body(CategoryPatch) },
      responses: { 200: json(CategoryOut, 'The category') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      const updated = await db.tx(async (tx) => {
        const before = await store.getCategory(tx, { id }, { lock: true });
        if (!before) throw new NotFound(`no category ${id}`);
        const parent = await parentOf(tx, input.parentId === undefined ? before.parentId : input.parentId);
        assertCanMove(before, parent);
        const slug = input.slug ?? before.slug;
        const next: Category = {
          ...before,
          parentId: parent?.id ?? null,
          slug,
          name: input.name ?? before.name,
          path: categoryPath(parent, slug),
          position: input.position ?? before.position,
        };
        await store.updateCategory(tx, next, before.path, deps.clock());
        // Names and ancestry are part of every product's search row below this category.
        if (next.path !== before.path || next.name !== before.name) {
          await refreshMany(tx, await store.productIdsUnderPath(tx, next.path));
        }
        await categoryChanged(outbox, tx, next);
        return next;
      });
      await cache.invalidateAll();
      return c.json(updated, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/categories/{id}',
      summary: 'Delete an empty category (no subcategories, no products)',
      request: { params: idParam },
      responses: noContent,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await db.tx(async (tx) => {
        const before = await store.getCategory(tx, { id }, { lock: true });
        if (!before) throw new NotFound(`no category ${id}`);
        if (await store.categoryInUse(tx, id))
          throw new Conflict(`category ${before.slug} still has subcategories or products`);
        await store.deleteCategory(tx, id);
        await categoryChanged(outbox, tx, before);
      });
      await cache.invalidateAll();
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/brands',
      summary: 'Create a brand',
      request: { body: body(BrandIn) },
      responses: { 201: json(BrandOut, 'The brand') },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const brand: Brand = { id: deps.newId(), slug: input.slug ?? slugify(input.name), name: input.name };
      await db.tx(async (tx) => {
        await store.insertBrand(tx, brand, deps.clock());
        await brandChanged(outbox, tx, brand);
      });
      await cache.invalidateAll();
      return c.json(brand, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/brands/{id}',
      summary: 'Rename or re-slug a brand',
      request: { params: idParam, body: body(BrandPatch) },
      responses: { 200: json(BrandOut, 'The brand') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      const updated = await db.tx(async (tx) => {
        const before = await store.getBrand(tx, id, { lock: true });
        if (!before) throw new NotFound(`no brand ${id}`);
        const next: Brand = { ...before, name: input.name ?? before.name, slug: input.slug ?? before.slug };
        await store.updateBrand(tx, next, deps.clock());
        if (next.name !== before.name) await refreshMany(tx, await store.productIdsByBrand(tx, id));
        await brandChanged(outbox, tx, next);
        return next;
      });
      await cache.invalidateAll();
      return c.json(updated, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/brands/{id}',
      summary: 'Delete a brand no product uses',
      request: { params: idParam },
      responses: noContent,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await db.tx(async (tx) => {
        const before = await store.getBrand(tx, id, { lock: true });
        if (!before) throw new NotFound(`no brand ${id}`);
        if (await store.brandInUse(tx, id)) throw new Conflict(`brand ${before.slug} is still used by products`);
        await store.deleteBrand(tx, id);
        await brandChanged(outbox, tx, before);
      });
      await cache.invalidateAll();
      return c.body(null, 204);
    },
  );

  return app;
}
