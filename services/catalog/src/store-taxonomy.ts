import type { Queryable } from '@storefront/kit';
import type { Brand, Category } from './domain.ts';
import { translatePgError } from './store-errors.ts';

/** Categories (a tree with materialized paths) and brands. */

interface CategoryRow {
  id: string;
  parent_id: string | null;
  slug: string;
  name: string;
  path: string;
  position: number;
}

const toCategory = (r: CategoryRow): Category => ({
  id: r.id,
  parentId: r.parent_id,
  slug: r.slug,
  name: r.name,
  path: r.path,
  position: r.position,
});

export async function listCategories(db: Queryable): Promise<Category[]> {
  const { rows } = await db.query<CategoryRow>('SELECT * FROM categories ORDER BY path');
  return rows.map(toCategory);
}

export async function getCategory(
  db: Queryable,
  by: { id: string } | { slug: string },
  opts: { lock?: boolean } = {},
): Promise<Category | null> {
  const [col, value] = 'id' in by ? ['id', by.id] : ['slug', by.slug];
  const { rows } = await db.query<CategoryRow>(
    `SELECT * FROM categories WHERE ${col} = $1 ${opts.lock ? 'FOR UPDATE' : ''}`,
    [value],
  );
  return rows[0] ? toCategory(rows[0]) : null;
}

export async function insertCategory(tx: Queryable, c: Category, now: Date): Promise<void> {
  await tx
    .query(
      `INSERT INTO categories (id, parent_id, slug, name, path, position, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
      [c.id, c.parentId, c.slug, c.name, c.path, c.position, now],
    )
    .catch(translatePgError);
}

/** Saves the category and rewrites the paths of its whole subtree when its own path moved. */
export async function updateCategory(tx: Queryable, c: Category, oldPath: string, now: Date): Promise<void> {
  await tx
    .query(
      `UPDATE categories SET parent_id = $2, slug = $3, name = $4, path = $5, position = $6, updated_at = $7
       WHERE id = $1`,
      [c.id, c.parentId, c.slug, c.name, c.path, c.position, now],
    )
    .catch(translatePgError);
  if (oldPath !== c.path) {
    await tx
      .query(
        `UPDATE categories SET path = $2 || substr(path, length($1) + 1), updated_at = $3
         WHERE starts_with(path, $1) AND id <> $4`,
        [oldPath, c.path, now, c.id],
      )
      .catch(translatePgError);
  }
}

/** Whether anything still hangs off the category (children or products). */
export async function categoryInUse(db: Queryable, id: string): Promise<boolean> {
  const { rows } = await db.query<{ used: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM categories WHERE parent_id = $1)
         OR EXISTS (SELECT 1 FROM products WHERE category_id = $1) AS used`,
    [id],
  );
  return rows[0]?.used ?? false;
}

export async function deleteCategory(tx: Queryable, id: string): Promise<void> {
  await tx.query('DELETE FROM categories WHERE id = $1', [id]).catch(translatePgError);
  await tx.query(`DELETE FROM facet_values WHERE kind = 'category' AND value = $1`, [id]);
}

export async function listBrands(db: Queryable): Promise<Brand[]> {
  const { rows } = await db.query<Brand>('SELECT id, slug, name FROM brands ORDER BY name, slug');
  return rows;
}

export async function getBrand(db: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<Brand | null> {
  const { rows } = await db.query<Brand>(
    `SELECT id, slug, name FROM brands WHERE id = $1 ${opts.lock ? 'FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function insertBrand(tx: Queryable, b: Brand, now: Date): Promise<void> {
  await tx
    .query('INSERT INTO brands (id, slug, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)', [
      b.id,
      b.slug,
      b.name,
      now,
    ])
    .catch(translatePgError);
}

export async function updateBrand(tx: Queryable, b: Brand, now: Date): Promise<void> {
  await tx
    .query('UPDATE brands SET slug = $2, name = $3, updated_at = $4 WHERE id = $1', [b.id, b.slug, b.name, now])
    .catch(translatePgError);
}

export async function brandInUse(db: Queryable, id: string): Promise<boolean> {
  const { rows } = await db.query<{ used: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM products WHERE brand_id = $1) AS used',
    [id],
  );
  return rows[0]?.used ?? false;
}

export async function deleteBrand(tx: Queryable, id: string): Promise<void> {
  await tx.query('DELETE FROM brands WHERE id = $1', [id]).catch(translatePgError);
  await tx.query(`DELETE FROM facet_values WHERE kind = 'brand' AND value = $1`, [id]);
}
