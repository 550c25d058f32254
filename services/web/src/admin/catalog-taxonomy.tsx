import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { ApiResult } from '../api.ts';
import type { WebEnv } from '../env.ts';
import { notFoundPage } from '../errors.tsx';
import { parseForm, parseQuery } from '../validate.ts';
import {
  CATALOG,
  type CategoryNode,
  doneQuery,
  failedCall,
  idParam,
  refusedForm,
  refusedWrite,
  slugSchema,
  taxonomy,
} from './catalog-lib.ts';
import { byOrder, categoriesPage, editCategoryPage, findNode } from './catalog-taxonomy-pages.tsx';

// Writes for categories (create, edit/move, reorder, delete) and brands; the pages are in catalog-taxonomy-pages.tsx.

const optionalSlug = slugSchema('kitchen-tools');
const requiredSlug = optionalSlug.refine((s) => s.length > 0, 'Enter a slug');
const nameText = z.string().trim().min(1, 'Enter a name').max(100, 'At most 100 characters');
const positionText = z
  .string()
  .trim()
  .regex(/^(\d{1,5})?$/, 'A whole number from 0 to 10000')
  .refine((s) => !s || Number(s) <= 10_000, 'A whole number from 0 to 10000');
const parentText = z.union([z.literal(''), z.uuid('Choose from the list')]);

const CategoryForm = z.object({
  name: nameText,
  slug: optionalSlug.default(''),
  parentId: parentText.default(''),
  position: positionText.default(''),
});

const catField = (p: string) => {
  const head = p.split('.')[0] ?? '';
  return ['name', 'slug', 'parentId', 'position'].includes(head) ? head : undefined;
};
const catGuess = { under: 'parentId', slug: 'slug', path: 'slug', parent: 'parentId' };

async function createCategory(c: Context<WebEnv>) {
  const form = await parseForm(c, CategoryForm);
  if (!form.ok) {
    return categoriesPage(c, { form: 'category-new', ...refusedForm(form) });
  }
  const f = form.data;
  const r = await c.get('api').call(c, 'POST', `${CATALOG}/categories`, {
    json: {
      name: f.name,
      ...(f.slug ? { slug: f.slug } : {}),
      parentId: f.parentId || null,
      ...(f.position ? { position: Number(f.position) } : {}),
    },
  });
  if (r.ok) return c.redirect('/admin/categories?done=category-created', 303);
  return categoriesPage(c, { form: 'category-new', raw: form.raw, ...refusedWrite(r, catField, catGuess) });
}

async function saveCategory(c: Context<WebEnv>) {
  const id = idParam(c);
  if (!id) return notFoundPage(c, 'category');
  const form = await parseForm(c, CategoryForm.extend({ slug: requiredSlug }));
  if (!form.ok) {
    return editCategoryPage(c, id, { form: 'edit', ...refusedForm(form) });
  }
  const f = form.data;
  const r = await c.get('api').call(c, 'PATCH', `${CATALOG}/categories/${id}`, {
    json: {
      name: f.name,
      slug: f.slug,
      parentId: f.parentId || null,
      ...(f.position ? { position: Number(f.position) } : {}),
    },
  });
  if (r.ok) return c.redirect(`/admin/categories?done=category-saved#cat-${id}`, 303);
  if (r.status === 404) return notFoundPage(c, 'category');
  return editCategoryPage(c, id, { form: 'edit', raw: form.raw, ...refusedWrite(r, catField, catGuess) });
}

async function deleteCategory(c: Context<WebEnv>) {
  const id = idParam(c);
  if (!id) return notFoundPage(c, 'category');
  const r = await c.get('api').call(c, 'DELETE', `${CATALOG}/categories/${id}`);
  if (r.ok || r.status === 404) return c.redirect('/admin/categories?done=category-deleted', 303);
  return categoriesPage(c, { form: `category:${id}`, raw: {}, ...failedCall(r) });
}

const MoveForm = z.object({ direction: z.enum(['up', 'down']) });

/**
 * Up/down among siblings: the siblings' positions are handed out again in the new order (only
 * the ones that change are written), so equal or sparse positions still move.
 */
async function moveCategory(c: Context<WebEnv>) {
  const id = idParam(c);
  if (!id) return notFoundPage(c, 'category');
  const form = await parseForm(c, MoveForm);
  if (!form.ok) return c.redirect('/admin/categories', 303);
  const { categories } = await taxonomy(c);
  const node = findNode(categories, id);
  if (!node) return notFoundPage(c, 'category');
  const siblings = [...(node.parentId ? (findNode(categories, node.parentId)?.children ?? []) : categories)].sort(
    byOrder,
  );
  const at = siblings.findIndex((s) => s.id === id);
  const to = form.data.direction === 'up' ? at - 1 : at + 1;
  if (at < 0 || to < 0 || to >= siblings.length) return c.redirect(`/admin/categories#cat-${id}`, 303);
  const slots = siblings.map((s) => s.position);
  const increasing = slots.every((p, i) => i === 0 || p > (slots[i - 1] ?? 0));
  const base = Math.min(...slots);
  const positions = increasing ? slots : siblings.map((_, i) => Math.min(base + i, 10_000));
  const order = [...siblings];
  [order[at], order[to]] = [order[to] as CategoryNode, order[at] as CategoryNode];
  const api = c.get('api');
  let failed: ApiResult<unknown> | undefined;
  for (const [i, s] of order.entries()) {
    if (s.position === positions[i]) continue;
    const r = await api.call(c, 'PATCH', `${CATALOG}/categories/${s.id}`, { json: { position: positions[i] } });
    if (!r.ok) {
      failed = r;
      break;
    }
  }
  if (!failed) return c.redirect(`/admin/categories?done=category-moved#cat-${id}`, 303);
  return categoriesPage(c, { form: `category:${id}`, raw: {}, ...failedCall(failed) });
}

const BrandForm = z.object({ name: nameText, slug: optionalSlug.default('') });
const brandField = (p: string) => (p.startsWith('slug') ? 'slug' : p.startsWith('name') ? 'name' : undefined);

async function createBrand(c: Context<WebEnv>) {
  const form = await parseForm(c, BrandForm);
  if (!form.ok) {
    return categoriesPage(c, { form: 'brand-new', ...refusedForm(form) });
  }
  const r = await c.get('api').call(c, 'POST', `${CATALOG}/brands`, {
    json: { name: form.data.name, ...(form.data.slug ? { slug: form.data.slug } : {}) },
  });
  if (r.ok) return c.redirect('/admin/categories?done=brand-created#s-brands', 303);
  return categoriesPage(c, { form: 'brand-new', raw: form.raw, ...refusedWrite(r, brandField, { slug: 'slug' }) });
}

async function saveBrand(c: Context<WebEnv>) {
  const id = idParam(c);
  if (!id) return notFoundPage(c, 'brand');
  const form = await parseForm(c, BrandForm.extend({ slug: requiredSlug }));
  if (!form.ok) {
    return categoriesPage(c, { form: `brand:${id}`, ...refusedForm(form) });
  }
  const r = await c.get('api').call(c, 'PATCH', `${CATALOG}/brands/${id}`, { json: form.data });
  if (r.ok) return c.redirect(`/admin/categories?done=brand-saved#brand-${id}`, 303);
  return categoriesPage(c, { form: `brand:${id}`, raw: form.raw, ...refusedWrite(r, brandField, { slug: 'slug' }) });
}

async function deleteBrand(c: Context<WebEnv>) {
  const id = idParam(c);
  if (!id) return notFoundPage(c, 'brand');
  const r = await c.get('api').call(c, 'DELETE', `${CATALOG}/brands/${id}`);
  if (r.ok || r.status === 404) return c.redirect('/admin/categories?done=brand-deleted#s-brands', 303);
  return categoriesPage(c, { form: `brand:${id}`, raw: {}, ...failedCall(r) });
}

/** Categories (tree, create, edit/move, reorder, delete) and brands, on one page with an edit page per category. */
export function taxonomyRoutes(app: Hono<WebEnv>): void {
  app.get('/categories', (c) => categoriesPage(c, undefined, parseQuery(c, doneQuery).done));
  app.post('/categories', createCategory);
  app.get('/categories/:id', (c) => {
    const id = idParam(c);
    return id ? editCategoryPage(c, id) : notFoundPage(c, 'category');
  });
  app.post('/categories/:id', saveCategory);
  app.post('/categories/:id/move', moveCategory);
  app.post('/categories/:id/delete', deleteCategory);
  app.get('/brands', (c) => c.redirect('/admin/categories#s-brands', 302));
  app.post('/brands', createBrand);
  app.post('/brands/:id', saveBrand);
  app.post('/brands/:id/delete', deleteBrand);
}
