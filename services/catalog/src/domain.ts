import { Conflict } from '@storefront/kit';

/** Catalog entities and the pure rules over them. Time and ids come in as arguments. */

export const PRODUCT_STATUSES = ['draft', 'published', 'archived'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

export interface Image {
  readonly url: string;
  readonly alt: string;
}

export interface Price {
  readonly currency: string;
  /** Integer minor units. */
  readonly amount: number;
  /** The "was" price shown struck through; always above amount. */
  readonly compareAt: number | null;
}

export interface Variant {
  readonly id: string;
  readonly sku: string;
  readonly options: Record<string, string>;
  readonly position: number;
  readonly prices: Price[];
}

export interface Product {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly brandId: string | null;
  readonly categoryId: string | null;
  readonly status: ProductStatus;
  readonly attributes: Record<string, string>;
  readonly images: Image[];
  readonly ratingCount: number;
  readonly ratingSum: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly variants: Variant[];
}

export interface Category {
  readonly id: string;
  readonly parentId: string | null;
  readonly slug: string;
  readonly name: string;
  /** Materialized path of slugs, '/home/kitchen/'. */
  readonly path: string;
  readonly position: number;
}

export interface Brand {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
}

export interface Review {
  readonly id: string;
  readonly productId: string;
  readonly author: string;
  readonly rating: number;
  readonly title: string;
  readonly body: string;
  readonly createdAt: Date;
}

/** URL-safe, lower-case ASCII; accents folded ("Café Noir" → "cafe-noir"). */
export function slugify(text: string, max = 120): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, max)
    .replace(/^-+|-+$/g, '');
  return slug || 'item';
}

export interface VariantInput {
  readonly sku: string;
  readonly options?: Record<string, string>;
  readonly prices?: readonly { currency: string; amount: number; compareAt?: number | null }[];
}

export interface ProductInput {
  readonly name: string;
  readonly slug?: string;
  readonly description?: string;
  readonly brandId?: string | null;
  readonly categoryId?: string | null;
  readonly status?: ProductStatus;
  readonly attributes?: Record<string, string>;
  readonly images?: Image[];
  readonly variants?: readonly VariantInput[];
}

export function toPrice(p: { currency: string; amount: number; compareAt?: number | null }): Price {
  if (p.compareAt != null && p.compareAt <= p.amount) {
    throw new Conflict(`compareAt (${p.compareAt}) must be above the price (${p.amount}) for ${p.currency}`);
  }
  return { currency: p.currency, amount: p.amount, compareAt: p.compareAt ?? null };
}

export function toVariant(input: VariantInput, id: string, position: number): Variant {
  const currencies = new Set<string>();
  const prices = (input.prices ?? []).map((p) => {
    if (currencies.has(p.currency)) throw new Conflict(`variant ${input.sku} lists ${p.currency} twice`);
    currencies.add(p.currency);
    return toPrice(p);
  });
  return { id, sku: input.sku, options: input.options ?? {}, position, prices };
}

/** A product can be published only when it can be bought: some variant has a price. */
export function assertPublishable(p: Pick<Product, 'status' | 'variants' | 'slug'>): void {
  if (p.status !== 'published') return;
  if (!p.variants.some((v) => v.prices.length > 0)) {
    throw new Conflict(`product ${p.slug} needs a variant with a price before it can be published`);
  }
}

export function newProduct(input: ProductInput, at: { now: Date; newId: () => string }): Product {
  const skus = new Set<string>();
  const variants = (input.variants ?? []).map((v, i) => {
    if (skus.has(v.sku)) throw new Conflict(`sku ${v.sku} appears twice`);
    skus.add(v.sku);
    return toVariant(v, at.newId(), i);
  });
  const product: Product = {
    id: at.newId(),
    slug: input.slug ?? slugify(input.name),
    name: input.name,
    description: input.description ?? '',
    brandId: input.brandId ?? null,
    categoryId: input.categoryId ?? null,
    status: input.status ?? 'draft',
    attributes: input.attributes ?? {},
    images: input.images ?? [],
    ratingCount: 0,
    ratingSum: 0,
    createdAt: at.now,
    updatedAt: at.now,
    variants,
  };
  assertPublishable(product);
  return product;
}

export type ProductPatch = Partial<
  Pick<Product, 'name' | 'slug' | 'description' | 'brandId' | 'categoryId' | 'status' | 'attributes' | 'images'>
>;

const PATCHABLE = ['name', 'slug', 'description', 'brandId', 'categoryId', 'status', 'attributes', 'images'] as const;

/** The product after a staff edit, and which fields really changed (for the event). */
export function patchProduct(before: Product, patch: ProductPatch, now: Date): { next: Product; changed: string[] } {
  const changed: string[] = [];
  let next: Product = before;
  for (const field of PATCHABLE) {
    const value = patch[field];
    if (value === undefined) continue;
    if (JSON.stringify(value) === JSON.stringify(before[field])) continue;
    next = { ...next, [field]: value };
    changed.push(field);
  }
  if (changed.length === 0) return { next: before, changed };
  next = { ...next, updatedAt: now };
  assertPublishable(next);
  return { next, changed };
}

export function categoryPath(parent: Pick<Category, 'path'> | null, slug: string): string {
  return `${parent?.path ?? '/'}${slug}/`;
}

/** Refuses to hang a category under itself or one of its descendants. */
export function assertCanMove(category: Pick<Category, 'path' | 'slug'>, newParent: Pick<Category, 'path'> | null) {
  if (newParent?.path.startsWith(category.path)) {
    throw new Conflict(`category ${category.slug} cannot move under itself or its own subcategory`);
  }
}

/** Folds case and inner whitespace so one person cannot review a product twice as "Ann" and "ann ". */
export function authorKey(author: string): string {
  return author.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

export function ratingSummary(count: number, sum: number): { count: number; average: number | null } {
  return { count, average: count === 0 ? null : Math.round((sum / count) * 100) / 100 };
}

export interface CategoryNode extends Category {
  readonly children: CategoryNode[];
}

/** Flat rows (any order) → a forest ordered by position, then name. */
export function categoryTree(rows: readonly Category[]): CategoryNode[] {
  const nodes = new Map<string, CategoryNode>(rows.map((r) => [r.id, { ...r, children: [] }]));
  const roots: CategoryNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const order = (list: CategoryNode[]) => {
    list.sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));
    for (const n of list) order(n.children);
  };
  order(roots);
  return roots;
}
