import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { ApiResult } from '../api.ts';
import type { WebEnv } from '../env.ts';
import { notFoundPage } from '../errors.tsx';
import { Field, Notice, PostForm } from '../ui.tsx';
import { parseForm, parseParam, parseQuery } from '../validate.ts';
import {
  type Brand,
  CATALOG,
  type CategoryNode,
  doneQuery,
  failure,
  flattenTree,
  pageStatus,
  problemErrors,
  type Status,
  taxonomy,
  UuidParam,
} from './catalog-lib.ts';
import { CellInput, Flash, Section, Select } from './catalog-ui.tsx';
import { renderAdmin } from './shell.tsx';

/** Which form on the page failed, with what was typed and the messages. */
interface State {
  readonly form: string;
  readonly raw: Record<string, string>;
  readonly errors: Record<string, string>;
  readonly status: Status;
}

const slugText = z
  .string()
  .trim()
  .max(120)
  .regex(/^([a-z0-9]+(?:-[a-z0-9]+)*)?$/, 'Lower-case letters, digits and single dashes, like kitchen-tools');
const nameText = z.string().trim().min(1, 'Enter a name').max(100, 'At most 100 characters');
const positionText = z
  .string()
  .trim()
  .regex(/^(\d{1,5})?$/, 'A whole number from 0 to 10000')
  .refine((s) => !s || Number(s) <= 10_000, 'A whole number from 0 to 10000');
const parentText = z.union([z.literal(''), z.uuid('Choose from the list')]);

const byOrder = (a: CategoryNode, b: CategoryNode) => a.position - b.position || a.name.localeCompare(b.name);

function findNode(nodes: readonly CategoryNode[], id: string): CategoryNode | undefined {
  for (const n of nodes) {
    if (n.id === id) return n;
    const inner = findNode(n.children, id);
    if (inner) return inner;
  }
  return undefined;
}

/** Every category but `exclude` and its subtree (a category cannot move under itself). */
function parentOptions(tree: readonly CategoryNode[], exclude?: CategoryNode) {
  return [
    { value: '', label: '— top level —' },
    ...flattenTree(tree)
      .filter(({ node }) => !exclude || !node.path.startsWith(exclude.path))
      .map(({ node, depth }) => ({ value: node.id, label: `${'\u2014 '.repeat(depth)}${node.name}` })),
  ];
}

function Tree(props: { c: Context<WebEnv>; nodes: readonly CategoryNode[]; state?: State }) {
  const csrf = props.c.get('csrf');
  const sorted = [...props.nodes].sort(byOrder);
  return (
    <ul class="admin-tree">
      {sorted.map((n, i) => {
        const err = props.state?.form === `category:${n.id}` ? props.state.errors._ : undefined;
        return (
          <li id={`cat-${n.id}`}>
            <div class="admin-tree-row">
              <a href={`/admin/categories/${n.id}`}>{n.name}</a> <code class="muted">{n.slug}</code>
              <span class="admin-tree-actions">
                {i > 0 ? (
                  <PostForm action={`/admin/categories/${n.id}/move`} csrf={csrf}>
                    <input type="hidden" name="direction" value="up" />
                    <button type="submit" class="secondary small">
                      Move<span class="visually-hidden"> {n.name}</span> up
                    </button>
                  </PostForm>
                ) : null}
                {i < sorted.length - 1 ? (
                  <PostForm action={`/admin/categories/${n.id}/move`} csrf={csrf}>
                    <input type="hidden" name="direction" value="down" />
                    <button type="submit" class="secondary small">
                      Move<span class="visually-hidden"> {n.name}</span> down
                    </button>
                  </PostForm>
                ) : null}
                <PostForm
                  action={`/admin/categories/${n.id}/delete`}
                  csrf={csrf}
                  data-confirm={`Delete the category ${n.name}?`}
                >
                  <button type="submit" class="danger small">
                    Delete<span class="visually-hidden"> {n.name}</span>
                  </button>
                </PostForm>
              </span>
            </div>
            {err ? (
              <p class="field-error">
                {n.name}: {err}
              </p>
            ) : null}
            {n.children.length > 0 ? <Tree c={props.c} nodes={n.children} state={props.state} /> : null}
          </li>
        );
      })}
    </ul>
  );
}

async function categoriesPage(c: Context<WebEnv>, state?: State, done?: string) {
  const { categories, brands } = await taxonomy(c);
  const csrf = c.get('csrf');
  const create = state?.form === 'category-new' ? state : undefined;
  const newBrand = state?.form === 'brand-new' ? state : undefined;
  return renderAdmin(c, {
    title: 'Categories and brands',
    status: state?.status,
    children: (
      <>
        <h1>Categories and brands</h1>
        <Flash
          done={done}
          error={state?.form.startsWith('category:') || state?.form.startsWith('brand:') ? state.errors._ : undefined}
        />
        <Section title="Category tree">
          {categories.length === 0 ? <p>No categories yet.</p> : <Tree c={c} nodes={categories} state={state} />}
          <p class="muted">
            Open a category to rename it, change its slug or move it under another one. Only an empty category (no
            subcategories, no products) can be deleted.
          </p>
        </Section>
        <Section title="New category">
          {create?.errors._ ? <Notice tone="error">{create.errors._}</Notice> : null}
          <PostForm action="/admin/categories" csrf={csrf} class="admin-form form-narrow" aria-label="New category">
            <Field
              label="Category name"
              name="name"
              id="nc-name"
              value={create?.raw.name}
              error={create?.errors.name}
              required
              maxlength={100}
            />
            <Field
              label="Category slug"
              name="slug"
              id="nc-slug"
              value={create?.raw.slug}
              error={create?.errors.slug}
              maxlength={120}
              hint="Made from the name when left empty"
            />
            <Select
              label="Parent"
              name="parentId"
              id="nc-parent"
              value={create?.raw.parentId ?? ''}
              options={parentOptions(categories)}
              error={create?.errors.parentId}
            />
            <Field
              label="Position"
              name="position"
              id="nc-position"
              inputmode="numeric"
              value={create?.raw.position}
              error={create?.errors.position}
              maxlength={5}
              hint="Optional; lower comes first"
            />
            <button type="submit">Create category</button>
          </PostForm>
        </Section>
        <Section title="Brands">
          {brands.length === 0 ? (
            <p>No brands yet.</p>
          ) : (
            <table class="responsive">
              <caption class="visually-hidden">Brands</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Slug</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {brands.map((b: Brand, i) => {
                  const st = state?.form === `brand:${b.id}` ? state : undefined;
                  const formId = `b-${i}`;
                  return (
                    <tr id={`brand-${b.id}`}>
                      <td data-label="Name">
                        <CellInput
                          label={`Name of brand ${b.name}`}
                          name="name"
                          id={`${formId}-name`}
                          form={formId}
                          value={st?.raw.name ?? b.name}
                          error={st?.errors.name}
                          maxlength={100}
                        />
                      </td>
                      <td data-label="Slug">
                        <CellInput
                          label={`Slug of brand ${b.name}`}
                          name="slug"
                          id={`${formId}-slug`}
                          form={formId}
                          value={st?.raw.slug ?? b.slug}
                          error={st?.errors.slug}
                          maxlength={120}
                        />
                      </td>
                      <td class="actions">
                        <PostForm action={`/admin/brands/${b.id}`} csrf={csrf} id={formId}>
                          <button type="submit" class="secondary small">
                            Save<span class="visually-hidden"> brand {b.name}</span>
                          </button>
                        </PostForm>
                        <PostForm
                          action={`/admin/brands/${b.id}/delete`}
                          csrf={csrf}
                          data-confirm={`Delete the brand ${b.name}?`}
                        >
                          <button type="submit" class="danger small">
                            Delete<span class="visually-hidden"> brand {b.name}</span>
                          </button>
                        </PostForm>
                        {st?.errors._ ? <p class="field-error">{st.errors._}</p> : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          {newBrand?.errors._ ? <Notice tone="error">{newBrand.errors._}</Notice> : null}
          <PostForm action="/admin/brands" csrf={csrf} class="inline-form" aria-label="New brand">
            <Field
              label="Brand name"
              name="name"
              id="nb-name"
              value={newBrand?.raw.name}
              error={newBrand?.errors.name}
              required
              maxlength={100}
            />
            <Field
              label="Brand slug"
              name="slug"
              id="nb-slug"
              value={newBrand?.raw.slug}
              error={newBrand?.errors.slug}
              maxlength={120}
              hint="Optional"
            />
            <button type="submit">Add brand</button>
          </PostForm>
        </Section>
      </>
    ),
  });
}

async function editCategoryPage(c: Context<WebEnv>, id: string, state?: State) {
  const { categories } = await taxonomy(c);
  const node = findNode(categories, id);
  if (!node) return notFoundPage(c, 'category');
  const raw = state?.raw ?? {};
  const errors = state?.errors ?? {};
  return renderAdmin(c, {
    title: `Category ${node.name}`,
    status: state?.status,
    section: '/admin/categories/edit',
    children: (
      <>
        <p class="breadcrumbs-admin">
          <a href="/admin/categories">Categories</a>
        </p>
        <h1>Category {node.name}</h1>
        <p class="muted">
          Path <code>{node.path}</code> · <a href={`/c/${node.slug}`}>View in the shop</a>
        </p>
        <Flash error={errors._} />
        <PostForm action={`/admin/categories/${id}`} csrf={c.get('csrf')} class="admin-form form-narrow">
          <Field label="Name" name="name" value={raw.name ?? node.name} error={errors.name} required maxlength={100} />
          <Field label="Slug" name="slug" value={raw.slug ?? node.slug} error={errors.slug} required maxlength={120} />
          <Select
            label="Parent"
            name="parentId"
            value={raw.parentId ?? node.parentId ?? ''}
            options={parentOptions(categories, node)}
            error={errors.parentId}
            hint="Its subcategories move with it"
          />
          <Field
            label="Position"
            name="position"
            inputmode="numeric"
            value={raw.position ?? String(node.position)}
            error={errors.position}
            maxlength={5}
            hint="Lower comes first among its siblings"
          />
          <button type="submit">Save category</button>
        </PostForm>
      </>
    ),
  });
}

const CategoryForm = z.object({
  name: nameText,
  slug: slugText.default(''),
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
    return categoriesPage(c, {
      form: 'category-new',
      raw: form.raw,
      errors: { ...form.errors, _: 'Please correct the highlighted fields.' },
      status: 422,
    });
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
  return categoriesPage(c, {
    form: 'category-new',
    raw: form.raw,
    errors: problemErrors(r.problem ?? { status: r.status }, catField, catGuess),
    status: pageStatus(r.status),
  });
}

const categoryId = (c: Context<WebEnv>) => parseParam(c.req.param('id'), UuidParam);

async function saveCategory(c: Context<WebEnv>) {
  const id = categoryId(c);
  if (!id) return notFoundPage(c, 'category');
  const form = await parseForm(c, CategoryForm.extend({ slug: slugText.refine((s) => s.length > 0, 'Enter a slug') }));
  if (!form.ok) {
    return editCategoryPage(c, id, {
      form: 'edit',
      raw: form.raw,
      errors: { ...form.errors, _: 'Please correct the highlighted fields.' },
      status: 422,
    });
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
  return editCategoryPage(c, id, {
    form: 'edit',
    raw: form.raw,
    errors: problemErrors(r.problem ?? { status: r.status }, catField, catGuess),
    status: pageStatus(r.status),
  });
}

async function deleteCategory(c: Context<WebEnv>) {
  const id = categoryId(c);
  if (!id) return notFoundPage(c, 'category');
  const r = await c.get('api').call(c, 'DELETE', `${CATALOG}/categories/${id}`);
  if (r.ok || r.status === 404) return c.redirect('/admin/categories?done=category-deleted', 303);
  return categoriesPage(c, {
    form: `category:${id}`,
    raw: {},
    errors: { _: failure(r) },
    status: pageStatus(r.status),
  });
}

const MoveForm = z.object({ direction: z.enum(['up', 'down']) });

/**
 * Up/down among siblings: the siblings' positions are handed out again in the new order (only
 * the ones that change are written), so equal or sparse positions still move.
 */
async function moveCategory(c: Context<WebEnv>) {
  const id = categoryId(c);
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
  return categoriesPage(c, {
    form: `category:${id}`,
    raw: {},
    errors: { _: failure(failed) },
    status: pageStatus(failed.status),
  });
}

const BrandForm = z.object({ name: nameText, slug: slugText.default('') });
const brandField = (p: string) => (p.startsWith('slug') ? 'slug' : p.startsWith('name') ? 'name' : undefined);

async function createBrand(c: Context<WebEnv>) {
  const form = await parseForm(c, BrandForm);
  if (!form.ok) {
    return categoriesPage(c, {
      form: 'brand-new',
      raw: form.raw,
      errors: { ...form.errors, _: 'Please correct the highlighted fields.' },
      status: 422,
    });
  }
  const r = await c.get('api').call(c, 'POST', `${CATALOG}/brands`, {
    json: { name: form.data.name, ...(form.data.slug ? { slug: form.data.slug } : {}) },
  });
  if (r.ok) return c.redirect('/admin/categories?done=brand-created#s-brands', 303);
  return categoriesPage(c, {
    form: 'brand-new',
    raw: form.raw,
    errors: problemErrors(r.problem ?? { status: r.status }, brandField, { slug: 'slug' }),
    status: pageStatus(r.status),
  });
}

async function saveBrand(c: Context<WebEnv>) {
  const id = categoryId(c);
  if (!id) return notFoundPage(c, 'brand');
  const form = await parseForm(c, BrandForm.extend({ slug: slugText.refine((s) => s.length > 0, 'Enter a slug') }));
  if (!form.ok) {
    return categoriesPage(c, {
      form: `brand:${id}`,
      raw: form.raw,
      errors: { ...form.errors, _: 'Please correct the highlighted fields.' },
      status: 422,
    });
  }
  const r = await c.get('api').call(c, 'PATCH', `${CATALOG}/brands/${id}`, { json: form.data });
  if (r.ok) return c.redirect(`/admin/categories?done=brand-saved#brand-${id}`, 303);
  return categoriesPage(c, {
    form: `brand:${id}`,
    raw: form.raw,
    errors: problemErrors(r.problem ?? { status: r.status }, brandField, { slug: 'slug' }),
    status: pageStatus(r.status),
  });
}

async function deleteBrand(c: Context<WebEnv>) {
  const id = categoryId(c);
  if (!id) return notFoundPage(c, 'brand');
  const r = await c.get('api').call(c, 'DELETE', `${CATALOG}/brands/${id}`);
  if (r.ok || r.status === 404) return c.redirect('/admin/categories?done=brand-deleted#s-brands', 303);
  return categoriesPage(c, { form: `brand:${id}`, raw: {}, errors: { _: failure(r) }, status: pageStatus(r.status) });
}

/** Categories (tree, create, edit/move, reorder, delete) and brands, on one page with an edit page per category. */
export function taxonomyRoutes(app: Hono<WebEnv>): void {
  app.get('/categories', (c) => categoriesPage(c, undefined, parseQuery(c, doneQuery).done));
  app.post('/categories', createCategory);
  app.get('/categories/:id', (c) => {
    const id = categoryId(c);
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
