import type { Queryable } from '@storefront/kit';
import { authorKey, type Review } from './domain.ts';

/** Reviews, and the rating summary on the product row that reads show. */

interface ReviewRow {
  id: string;
  product_id: string;
  author: string;
  rating: number;
  title: string;
  body: string;
  created_at: Date;
}

const toReview = (r: ReviewRow): Review => ({
  id: r.id,
  productId: r.product_id,
  author: r.author,
  rating: r.rating,
  title: r.title,
  body: r.body,
  createdAt: r.created_at,
});

/** False when this author already reviewed the product (one review per author per product). */
export async function insertReview(tx: Queryable, r: Review): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO reviews (id, product_id, author, author_key, rating, title, body, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (product_id, author_key) DO NOTHING`,
    [r.id, r.productId, r.author, authorKey(r.author), r.rating, r.title, r.body, r.createdAt],
  );
  return (rowCount ?? 0) > 0;
}

/** Adds one rating to the product's summary; returns the new totals. */
export async function addRating(tx: Queryable, productId: string, rating: number) {
  const { rows } = await tx.query<{ rating_count: number; rating_sum: number }>(
    `UPDATE products SET rating_count = rating_count + 1, rating_sum = rating_sum + $2
     WHERE id = $1 RETURNING rating_count, rating_sum`,
    [productId, rating],
  );
  return { count: rows[0]?.rating_count ?? 0, sum: rows[0]?.rating_sum ?? 0 };
}

/** Newest first; ids are time-ordered (UUIDv7), so the id alone is the keyset. */
export async function listReviews(
  db: Queryable,
  productId: string,
  opts: { after: string | null; limit: number },
): Promise<Review[]> {
  const { rows } = await db.query<ReviewRow>(
    `SELECT id, product_id, author, rating, title, body, created_at FROM reviews
     WHERE product_id = $1 AND ($2::uuid IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
    [productId, opts.after, opts.limit],
  );
  return rows.map(toReview);
}

/** The published product a shopper may review, by id or slug. */
export async function findPublishedProductId(
  db: Queryable,
  idOrSlug: string,
): Promise<{ id: string; slug: string } | null> {
  const byId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrSlug);
  const { rows } = await db.query<{ id: string; slug: string }>(
    `SELECT id, slug FROM products WHERE ${byId ? 'id = $1::uuid' : 'slug = $1'} AND status = 'published'`,
    [idOrSlug],
  );
  return rows[0] ?? null;
}
