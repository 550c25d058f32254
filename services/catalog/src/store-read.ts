import type { Queryable } from '@storefront/kit';
import { type Image, type ProductStatus, ratingSummary, type Variant } from './domain.ts';
import { VARIANTS_WITH_STOCK_JSON } from './store-products.ts';

/** The product as a shopper (or the staff console) sees it: brand and category resolved. */
export interface ProductView {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly status: ProductStatus;
  readonly brand: { id: string; slug: string; name: string } | null;
  readonly category: {
    id: string;
    slug: string;
    name: string;
    path: string;
    /** Root first, the category itself last. */
    trail: { slug: string; name: string }[];
  } | null;
  readonly attributes: Record<string, string>;
  readonly images: Image[];
  readonly variants: (Variant & { inStock: boolean })[];
  /** Some variant is in stock somewhere. */
  readonly inStock: boolean;
  readonly rating: { count: number; average: number | null };
  readonly createdAt: string;
  readonly updatedAt: string;
}

interface ViewRow {
  id: string;
  slug: string;
  name: string;
  description: string;
  status: ProductStatus;
  brand: ProductView['brand'];
  category: ProductView['category'];
  attributes: Record<string, string>;
  images: Image[];
  variants: (Variant & { inStock: boolean })[];
  rating_count: number;
  rating_sum: number;
  created_at: Date;
  updated_at: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** By id or slug; `publishedOnly` is what every public read passes. */
export async function getProductView(
  db: Queryable,
  idOrSlug: string,
  opts: { publishedOnly: boolean },
): Promise<ProductView | null> {
  const byId = UUID.test(idOrSlug);
  const { rows } = await db.query<ViewRow>(
    `SELECT p.id, p.slug, p.name, p.description, p.status, p.attributes, p.images, p.rating_count, p.rating_sum,
            p.created_at, p.updated_at,
            CASE WHEN b.id IS NULL THEN NULL ELSE json_build_object('id', b.id, 'slug', b.slug, 'name', b.name) END
              AS brand,
            CASE WHEN c.id IS NULL THEN NULL ELSE json_build_object(
              'id', c.id, 'slug', c.slug, 'name', c.name, 'path', c.path,
              'trail', (SELECT json_agg(json_build_object('slug', a.slug, 'name', a.name) ORDER BY length(a.path))
                        FROM categories a WHERE starts_with(c.path, a.path))) END AS category,
            ${VARIANTS_WITH_STOCK_JSON} AS variants
     FROM products p
     LEFT JOIN brands b ON b.id = p.brand_id
     LEFT JOIN categories c ON c.id = p.category_id
     WHERE ${byId ? 'p.id = $1::uuid' : 'p.slug = $1'} AND (NOT $2 OR p.status = 'published')`,
    [idOrSlug, opts.publishedOnly],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    description: r.description,
    status: r.status,
    brand: r.brand,
    category: r.category,
    attributes: r.attributes,
    images: r.images,
    variants: r.variants,
    inStock: r.variants.some((v) => v.inStock),
    rating: ratingSummary(r.rating_count, r.rating_sum),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}
