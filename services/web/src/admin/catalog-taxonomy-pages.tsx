import type { Context } from 'hono';
import type { WebEnv } from '../env.ts';
import { notFoundPage } from '../errors.tsx';
import { Field, Notice, PostForm } from '../ui.tsx';
import { type Brand, type CategoryNode, type Status, taxonomy, treeOptions } from './catalog-lib.ts';
import { ActionsHeader, Breadcrumb, CellInput, Flash, Section, Select } from './catalog-ui.tsx';
import { renderAdmin } from './shell.tsx';

/** Which form on the page failed, with what was typed and the messages. */
export interface TaxonomyState {
  readonly form: string;
  readonly raw: Record<string, string>;
  readonly errors: Record<string, string>;
  readonly status: Status;
}

export const byOrder = (a: CategoryNode, b: CategoryNode) => a.position - b.position || a.name.localeCompare(b.name);

export function findNode(nodes: readonly CategoryNode[], id: string): CategoryNode | undefined {
  for (const n of nodes) {
    if (n.id === id) return n;
    const inner = findNode(n.children, id);
    if (inner) return inner;
  }
  return undefined;
}

/** Every category but `exclude` and its subtree (a category cannot move under itself). */
const parentOptions = (tree: readonly CategoryNode[], exclude?: CategoryNode) =>
  treeOptions(tree, '— top level —', (node) => !exclude || !node.path.startsWith(exclude.path));

function MoveButton(props: { csrf: string; node: CategoryNode; direction: 'up' | 'down' }) {
  return (
    <PostForm action={`/admin/categories/${props.node.id}/move`} csrf={props.csrf}>
      <input type="hidden" name="direction" value={props.direction} />
      <button type="submit" class="secondary small">
        Move<span class="visually-hidden"> {props.node.name}</span> {props.direction}
      </button>
    </PostForm>
  );
}

function Tree(props: { c: Context<WebEnv>; nodes: readonly CategoryNode[]; state?: TaxonomyState | undefined }) {
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
                {i > 0 ? <MoveButton csrf={csrf} node={n} direction="up" /> : null}
                {i < sorted.length - 1 ? <MoveButton csrf={csrf} node={n} direction="down" /> : null}
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

/** Each brand as a row of inline inputs (rename, re-slug) with save and delete. */
function BrandTable(props: { csrf: string; brands: readonly Brand[]; state?: TaxonomyState | undefined }) {
  const { csrf, state } = props;
  return (
    <table class="responsive">
      <caption class="visually-hidden">Brands</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Slug</th>
          <ActionsHeader />
        </tr>
      </thead>
      <tbody>
        {props.brands.map((b, i) => {
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
  );
}

/** The tree, a new-category form, the brands and a new-brand form; `state` is the form that failed. */
export async function categoriesPage(c: Context<WebEnv>, state?: TaxonomyState, done?: string) {
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
          {brands.length === 0 ? <p>No brands yet.</p> : <BrandTable csrf={csrf} brands={brands} state={state} />}
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

/** One category: rename, re-slug, move under another parent, position among its siblings. */
export async function editCategoryPage(c: Context<WebEnv>, id: string, state?: TaxonomyState) {
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
        <Breadcrumb href="/admin/categories" label="Categories" />
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
