import { Currency } from '@storefront/contracts';
import { z } from '@storefront/kit';
import { PRODUCT_STATUSES } from './domain.ts';
import { SORTS } from './domain-search.ts';

/**
 * Request and response schemas of every catalog route: they validate at the edge (every string,
 * array and number bounded) and generate /openapi.json.
 */

// NUL and other control characters have no business in catalog text (and Postgres rejects NUL).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
export const text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((s) => !CONTROL.test(s), 'must not contain control characters');
const line = (min: number, max: number) => text(min, max).refine((s) => !/[\r\n\t]/.test(s), 'must be one line');

export const Slug = z
  .string()
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and single hyphens')
  .openapi({ example: 'pixelon-p7-android-phone' });
export const IdOrSlug = z
  .string()
  .max(120)
  .regex(/^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/, 'an id or a slug');
export const Uuid = z.uuid();
export const Sku = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash, underscore; up to 64')
  .openapi({ example: 'PXL-P7-128-BLK' });
export const AttrKey = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'lower-case identifier, up to 32');
const Amount = z.number().int().min(0).max(100_000_000_000).describe('integer minor units');

const attrMap = (maxKeys: number) =>
  z
    .record(AttrKey, line(1, 100))
    .refine((o) => Object.keys(o).length <= maxKeys, `at most ${maxKeys} entries`)
    .openapi({ example: { color: 'Black', storage: '128GB' } });
export const Attributes = attrMap(30);
export const Options = attrMap(5);

export const ImageIn = z.object({
  url: z
    .string()
    .max(8192)
    .regex(/^(https?:\/\/[^\s]+|data:image\/[a-z+.-]+[;,][^\s]*)$/, 'an http(s) URL or a data:image URL'),
  alt: line(0, 200).default(''),
});

export const PriceIn = z.object({
  currency: Currency,
  amount: Amount,
  compareAt: Amount.nullable().optional(),
});
export const PriceOut = z.object({ currency: z.string(), amount: z.number(), compareAt: z.number().nullable() });

export const VariantIn = z.object({
  sku: Sku,
  options: Options.optional(),
  prices: z.array(PriceIn).max(10).optional(),
});
export const VariantOut = z.object({
  id: z.string(),
  sku: z.string(),
  options: z.record(z.string(), z.string()),
  position: z.number(),
  prices: z.array(PriceOut),
  /** Inventory last reported stock available for this SKU at some location. */
  inStock: z.boolean(),
});

export const Status = z.enum(PRODUCT_STATUSES);

/** The staff product list's filters (GET /admin/products). */
export const AdminProductQuery = z.object({
  status: Status.optional(),
  q: text(0, 200).optional().describe('Words each found in the name, the slug or a SKU (case-insensitive, any status)'),
  categoryId: Uuid.optional().describe('The category and everything under it'),
  brandId: Uuid.optional(),
  cursor: Uuid.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export const AdminProductRowOut = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  status: Status,
  updatedAt: z.string(),
});
export const AdminStatsOut = z.object({
  products: z.object({
    total: z.number().int(),
    draft: z.number().int(),
    published: z.number().int(),
    archived: z.number().int(),
  }),
});

export const ProductCreate = z.object({
  name: line(1, 200),
  slug: Slug.optional(),
  description: text(0, 10_000).optional(),
  brandId: Uuid.nullable().optional(),
  categoryId: Uuid.nullable().optional(),
  status: Status.optional(),
  attributes: Attributes.optional(),
  images: z.array(ImageIn).max(10).optional(),
  variants: z.array(VariantIn).max(100).optional(),
});
export const ProductPatch = ProductCreate.omit({ variants: true }).partial();

export const ProductOut = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    status: Status,
    brand: z.object({ id: z.string(), slug: z.string(), name: z.string() }).nullable(),
    category: z
      .object({
        id: z.string(),
        slug: z.string(),
        name: z.string(),
        path: z.string(),
        trail: z.array(z.object({ slug: z.string(), name: z.string() })),
      })
      .nullable(),
    attributes: z.record(z.string(), z.string()),
    images: z.array(z.object({ url: z.string(), alt: z.string() })),
    variants: z.array(VariantOut),
    /** Some variant is in stock. */
    inStock: z.boolean(),
    rating: z.object({ count: z.number(), average: z.number().nullable() }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Product');

export const CategoryIn = z.object({
  name: line(1, 100),
  slug: Slug.optional(),
  parentId: Uuid.nullable().optional(),
  position: z.number().int().min(0).max(10_000).optional(),
});
export const CategoryPatch = CategoryIn.partial();
export const CategoryOut = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  slug: z.string(),
  name: z.string(),
  path: z.string(),
  position: z.number(),
});
type CategoryNodeOut = z.infer<typeof CategoryOut> & { children: CategoryNodeOut[] };
export const CategoryNode: z.ZodType<CategoryNodeOut> = CategoryOut.extend({
  children: z.array(z.lazy(() => CategoryNode)),
}).openapi('CategoryNode');

export const BrandIn = z.object({ name: line(1, 100), slug: Slug.optional() });
export const BrandPatch = BrandIn.partial();
export const BrandOut = z.object({ id: z.string(), slug: z.string(), name: z.string() }).openapi('Brand');

export const ReviewIn = z.object({
  /** Until identity exists, a display name; one review per name per product. */
  author: line(1, 60),
  rating: z.number().int().min(1).max(5),
  title: line(0, 120).default(''),
  body: text(1, 4000),
});
export const ReviewOut = z.object({
  id: z.string(),
  author: z.string(),
  rating: z.number(),
  title: z.string(),
  body: z.string(),
  createdAt: z.string(),
});

const MAX_ATTR_FILTERS = 10;
const ATTR_PARAM = /^attr\.([a-z][a-z0-9_]{0,31})$/;
const oneOrMany = <T extends z.ZodType>(t: T) => z.union([t, z.array(t).max(10)]);

/** Query of GET /products and GET /categories/{slug}/products; `attr.<key>=value` may repeat. */
export const SearchQuery = z
  .object({
    q: z.string().max(200).optional(),
    category: Slug.optional(),
    brand: oneOrMany(Slug).optional(),
    currency: Currency.default('USD'),
    minPrice: z.coerce.number().int().min(0).max(100_000_000_000).optional(),
    maxPrice: z.coerce.number().int().min(0).max(100_000_000_000).optional(),
    inStock: z
      .enum(['true', 'false'])
      .optional()
      .describe('true: only products in stock at some location; false: only sold-out ones'),
    minRating: z.coerce
      .number()
      .int()
      .min(1)
      .max(4)
      .optional()
      .describe('Only products whose average rating is at least this ("4 stars & up"); unreviewed ones never match'),
    sort: z
      .enum(SORTS)
      .default('relevance')
      .describe(
        'relevance (newest without words), price_asc, price_desc, newest, or rating: ' +
          'average rating, then review count, highest first',
      ),
    cursor: z
      .string()
      .max(400)
      .regex(/^[A-Za-z0-9_-]+$/)
      .optional(),
    limit: z.coerce.number().int().min(1).max(100).default(24),
  })
  .catchall(oneOrMany(line(1, 100)))
  .superRefine((o, ctx) => {
    const known = new Set([
      'q',
      'category',
      'brand',
      'currency',
      'minPrice',
      'maxPrice',
      'inStock',
      'minRating',
      'sort',
      'cursor',
      'limit',
    ]);
    const extra = Object.keys(o).filter((k) => !known.has(k));
    for (const k of extra) {
      if (!ATTR_PARAM.test(k)) ctx.addIssue({ code: 'custom', path: [k], message: 'unknown parameter' });
    }
    if (extra.length > MAX_ATTR_FILTERS) ctx.addIssue({ code: 'custom', message: 'too many attribute filters' });
    if (o.minPrice !== undefined && o.maxPrice !== undefined && o.minPrice > o.maxPrice) {
      ctx.addIssue({ code: 'custom', path: ['minPrice'], message: 'minPrice is above maxPrice' });
    }
  });
export type SearchQueryIn = z.infer<typeof SearchQuery>;

export const SearchOut = z.object({
  query: z.object({ q: z.string(), corrected: z.string().nullable(), matched: z.enum(['all', 'any']) }),
  total: z.number(),
  items: z.array(
    z.object({
      id: z.string(),
      slug: z.string(),
      name: z.string(),
      brand: z.string().nullable(),
      image: z.string().nullable(),
      price: z.object({ amount: z.number(), currency: z.string() }).nullable(),
      rating: z.object({ count: z.number(), average: z.number().nullable() }),
      /** Some variant has stock available at some location (as inventory last reported). */
      inStock: z.boolean(),
    }),
  ),
  nextCursor: z.string().nullable(),
  facets: z.object({
    categories: z.array(z.object({ slug: z.string(), name: z.string(), path: z.string(), count: z.number() })),
    brands: z.array(z.object({ slug: z.string(), name: z.string(), count: z.number() })),
    price: z.object({
      currency: z.string(),
      buckets: z.array(z.object({ min: z.number(), max: z.number().nullable(), count: z.number() })),
    }),
    attributes: z.array(
      z.object({ key: z.string(), values: z.array(z.object({ value: z.string(), count: z.number() })) }),
    ),
    /** How many of the results are in stock (every filter applied). */
    inStock: z.number(),
    /** How many of the results average at least `min` stars, for min 4, 3, 2, 1 (every filter applied). */
    rating: z.array(z.object({ min: z.number().int(), count: z.number() })),
  }),
});
export type SearchOutT = z.infer<typeof SearchOut>;

/** `attr.color=red&attr.color=blue` → { color: ['blue', 'red'] } (lower case, sorted, distinct). */
export function attrFilters(query: Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(query)) {
    const key = ATTR_PARAM.exec(k)?.[1];
    if (!key) continue;
    const values = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
    out[key] = [...new Set(values.map((x) => x.toLowerCase()))].sort();
  }
  return out;
}

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});
export const body = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});
