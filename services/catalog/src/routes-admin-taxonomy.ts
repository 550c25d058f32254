import { type AuthEnv, Conflict, createRoute, createRouter, NotFound, type Queryable, z } from '@storefront/kit';
import type { Context } from 'hono';
import type { CatalogDeps } from './app.ts';
import { assertCanMove, type Brand, type Category, categoryPath, slugify } from './domain.ts';
import { audited, brandChanged, categoryChanged } from './events.ts';
import { BrandIn, BrandOut, BrandPatch, body, CategoryIn, CategoryOut, CategoryPatch, json, Uuid } from './schemas.ts';
import { staffOf } from './staff.ts';
import * as store from './store.ts';

const idParam = z.object({ id: Uuid });
const noContent = { 204: { description: 'Done' } };

/** Rebuilds search rows in slices so one statement never carries a huge id array. */
async function refreshMany(tx: Queryable, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 2000) await store.refreshSearchDocs(tx, ids.slice(i, i + 2000));
}

/** What differs between deleting a category and deleting a brand. */
interface Removable {
  readonly kind: 'category' | 'brand';
  lock(tx: Queryable, id: string): Promise<{ id: string; slug: string } | null>;
  inUse(tx: Queryable, id: string): Promise<boolean>;
  /** Why it cannot go while in use. */
  readonly busy: string;
  remove(tx: Queryable, id: string): Promise<void>;
}

const CATEGORY: Removable = {
  kind: 'category',
  lock: (tx, id) => store.getCategory(tx, { id }, { lock: true }),
  inUse: store.categoryInUse,
  busy: 'still has subcategories or products',
  remove: store.deleteCategory,
};
const BRAND: Removable = {
  kind: 'brand',
  lock: (tx, id) => store.getBrand(tx, id, { lock: true }),
  inUse: store.brandInUse,
  busy: 'is still used by products',
  remove: store.deleteBrand,
};

/**
 * Staff edits of the category tree and brands. Mounted under /admin (merchandiser or admin with
 * MFA). Every write has one shape (`write`): its change, its event and its audit record in one
 * transaction, then every cached read goes (a taxonomy change touches many products).
 */
export function adminTaxonomyRoutes(deps: CatalogDeps) {
  const app = createRouter<AuthEnv>();
  const { db, outbox, cache } = deps;

  async function write<T extends { id: string; slug: string }>(
    c: Context<AuthEnv>,
    kind: 'category' | 'brand',
    verb: 'create' | 'update' | 'delete',
    change: (tx: Queryable) => Promise<{ result: T; details?: Record<string, unknown> }>,
  ): Promise<T> {
    const result = await db.tx(async (tx) => {
      const { result, details } = await change(tx);
      await (kind === 'category' ? categoryChanged : brandChanged)(outbox, tx, result);
      await audited(outbox, tx, staffOf(c), {
        action: `${kind}.${verb}`,
        target: { type: kind, id: result.id },
        at: deps.clock(),
        details: { slug: result.slug, ...details },
      });
      return result;
    });
    await cache.invalidateAll();
    return result;
  }

  const remove = (c: Context<AuthEnv>, what: Removable, id: string) =>
    write(c, what.kind, 'delete', async (tx) => {
      const before = await what.lock(tx, id);
      if (!before) throw new NotFound(`no ${what.kind} ${id}`);
      if (await what.inUse(tx, id)) throw new Conflict(`${what.kind} ${before.slug} ${what.busy}`);
      await what.remove(tx, id);
      return { result: before };
    });

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
      const created = await write(c, 'category', 'create', async (tx) => {
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
        return { result: category };
      });
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
      const updated = await write(c, 'category', 'update', async (tx) => {
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
        return { result: next, details: { changed: Object.keys(input) } };
      });
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
      await remove(c, CATEGORY, c.req.valid('param').id);
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
      await write(c, 'brand', 'create', async (tx) => {
        await store.insertBrand(tx, brand, deps.clock());
        return { result: brand };
      });
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
      const updated = await write(c, 'brand', 'update', async (tx) => {
        const before = await store.getBrand(tx, id, { lock: true });
        if (!before) throw new NotFound(`no brand ${id}`);
        const next: Brand = { ...before, name: input.name ?? before.name, slug: input.slug ?? before.slug };
        await store.updateBrand(tx, next, deps.clock());
        if (next.name !== before.name) await refreshMany(tx, await store.productIdsByBrand(tx, id));
        return { result: next, details: { changed: Object.keys(input) } };
      });
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
      await remove(c, BRAND, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  return app;
}
