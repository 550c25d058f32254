import { Currency } from '@storefront/contracts';
import { createRoute, createRouter, z } from '@storefront/kit';
import type { CatalogDeps } from './app.ts';
import { json, Sku } from './schemas.ts';

/**
 * Price and product facts for a handful of SKUs in one currency, for other services (the cart
 * prices its lines with it on every read). Published products only; a SKU that is unknown or
 * not published is left out. Served through the list cache, which every product and price event
 * invalidates.
 */
const SkusQuery = z.object({
  sku: z.union([Sku, z.array(Sku).min(1).max(100)]).describe('repeat for several: ?sku=A&sku=B (up to 100)'),
  currency: Currency,
});

const SkuOut = z.object({
  sku: z.string(),
  productId: z.string(),
  slug: z.string(),
  name: z.string(),
  /** The product's first image. */
  image: z.string().nullable(),
  /** The product's category and every ancestor, root first. */
  categoryIds: z.array(z.string()),
  /** Null when the SKU has no price in the asked currency. */
  price: z.object({ amount: z.number(), compareAt: z.number().nullable() }).nullable(),
});
type SkuInfo = z.infer<typeof SkuOut>;

interface Row {
  sku: string;
  product_id: string;
  slug: string;
  name: string;
  image: string | null;
  category_ids: string[] | null;
  amount: number | null;
  compare_at: number | null;
}

// Kept beside its route (not in store-*.ts) so this file is the whole feature.
const SQL = `
  SELECT v.sku, p.id AS product_id, p.slug, p.name, p.images -> 0 ->> 'url' AS image,
         (SELECT array_agg(a.id ORDER BY length(a.path)) FROM categories c JOIN categories a ON starts_with(c.path, a.path)
           WHERE c.id = p.category_id) AS category_ids,
         pr.amount, pr.compare_at
    FROM variants v
    JOIN products p ON p.id = v.product_id AND p.status = 'published'
    LEFT JOIN prices pr ON pr.sku = v.sku AND pr.currency = $2
   WHERE v.sku = ANY($1::text[])
   ORDER BY v.sku`;

export function skuRoutes(deps: CatalogDeps) {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/skus',
      summary: 'Product, categories and price of SKUs in a currency (for the cart)',
      request: { query: SkusQuery },
      responses: { 200: json(z.object({ items: z.array(SkuOut) }), 'One item per published SKU asked for') },
    }),
    async (c) => {
      const { sku, currency } = c.req.valid('query');
      const skus = [...new Set(Array.isArray(sku) ? sku : [sku])].sort();
      const items = await deps.cache.list(`skus:${JSON.stringify([currency, skus])}`, async () => {
        const { rows } = await deps.db.query<Row>(SQL, [skus, currency]);
        return rows.map(
          (r): SkuInfo => ({
            sku: r.sku,
            productId: r.product_id,
            slug: r.slug,
            name: r.name,
            image: r.image,
            categoryIds: r.category_ids ?? [],
            price:
              r.amount === null
                ? null
                : { amount: Number(r.amount), compareAt: r.compare_at === null ? null : Number(r.compare_at) },
          }),
        );
      });
      return c.json({ items }, 200);
    },
  );
  return app;
}
