import type { Context } from 'hono';
import { z } from 'zod';
import type { ApiProblem, ApiResult } from '../api.ts';
import type { WebEnv } from '../env.ts';
import { friendlyMessage } from '../errors.tsx';
import type { PageOptions } from '../layout.tsx';
import { parseParam } from '../validate.ts';

/** What the catalog and cart admin APIs answer (the parts the console shows). */
export interface Price {
  readonly currency: string;
  readonly amount: number;
  readonly compareAt: number | null;
}
export interface Variant {
  readonly id: string;
  readonly sku: string;
  readonly options: Record<string, string>;
  readonly position: number;
  readonly prices: readonly Price[];
}
export interface Image {
  readonly url: string;
  readonly alt: string;
}
export type ProductStatus = 'draft' | 'published' | 'archived';
export const STATUSES: readonly ProductStatus[] = ['draft', 'published', 'archived'];
export interface Product {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly status: ProductStatus;
  readonly brand: { id: string; slug: string; name: string } | null;
  readonly category: { id: string; slug: string; name: string; path: string } | null;
  readonly attributes: Record<string, string>;
  readonly images: readonly Image[];
  readonly variants: readonly Variant[];
  readonly createdAt: string;
  readonly updatedAt: string;
}
export interface ProductRow {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly status: ProductStatus;
  readonly updatedAt: string;
}
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}
export interface CategoryNode {
  readonly id: string;
  readonly parentId: string | null;
  readonly slug: string;
  readonly name: string;
  readonly path: string;
  readonly position: number;
  readonly children: readonly CategoryNode[];
}
export interface Brand {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
}
export type Effect =
  | { readonly kind: 'percentage'; readonly percentBp: number }
  | { readonly kind: 'fixed'; readonly amount: number }
  | { readonly kind: 'free_shipping' }
  | { readonly kind: 'buy_x_get_y'; readonly buy: number; readonly get: number; readonly discountBp: number };
export interface Promotion {
  readonly id: string;
  readonly code: string | null;
  readonly name: string;
  readonly effect: Effect;
  readonly currency: string | null;
  readonly minSubtotal: number | null;
  readonly productIds: readonly string[];
  readonly categoryIds: readonly string[];
  readonly customerOnly: boolean;
  readonly startsAt: string | null;
  readonly endsAt: string | null;
  readonly usageLimit: number | null;
  readonly perCustomerLimit: number | null;
  readonly usedCount: number;
  readonly active: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const CATALOG = '/api/catalog/admin';

/** The viewer holds one of these roles (admin holds them all). */
export function hasAnyRole(c: Context<WebEnv>, ...roles: string[]): boolean {
  const mine: readonly string[] = c.get('viewer')?.roles ?? [];
  return mine.includes('admin') || roles.some((r) => mine.includes(r));
}
/** Products, categories, brands and promotions: merchandiser or admin (as the catalog and cart APIs say). */
export const canMerchandise = (c: Context<WebEnv>) => hasAnyRole(c, 'merchandiser');
export const PROMOTIONS = '/api/cart/admin/promotions';

/** Route parameters, checked before any API call (a bad one is a 404 page). */
export const UuidParam = z.uuid();
export const SkuParam = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);
export const CurrencyParam = z.string().regex(/^[A-Z]{3}$/);
/** The `:id` of a product, category, brand or promotion route; undefined when it is not a uuid. */
export const idParam = (c: Context<WebEnv>) => parseParam(c.req.param('id'), UuidParam);

/** A slug field; `example` shows the shape in the message ("like blue-widget"). */
export const slugSchema = (example: string) =>
  z
    .string()
    .trim()
    .max(120)
    .regex(/^([a-z0-9]+(?:-[a-z0-9]+)*)?$/, `Lower-case letters, digits and single dashes, like ${example}`);

/** A category tree flattened in display order, with each node's depth (for selects and indented lists). */
export function flattenTree(
  nodes: readonly CategoryNode[],
  depth = 0,
  out: { node: CategoryNode; depth: number }[] = [],
) {
  for (const node of [...nodes].sort((a, b) => a.position - b.position || a.name.localeCompare(b.name))) {
    out.push({ node, depth });
    flattenTree(node.children, depth + 1, out);
  }
  return out;
}

/** A category's name indented by its depth in the tree ("— — Lamps"). */
export const indented = (name: string, depth: number) => `${'\u2014 '.repeat(depth)}${name}`;

/** The tree as select options after a first, empty choice; `keep` leaves categories out. */
export function treeOptions(
  tree: readonly CategoryNode[],
  empty: string,
  keep: (node: CategoryNode) => boolean = () => true,
) {
  return [
    { value: '', label: empty },
    ...flattenTree(tree)
      .filter(({ node }) => keep(node))
      .map(({ node, depth }) => ({ value: node.id, label: indented(node.name, depth) })),
  ];
}

/** The categories and brands every product form offers; a failure leaves the selects empty, never the page. */
export async function taxonomy(c: Context<WebEnv>): Promise<{ categories: CategoryNode[]; brands: Brand[] }> {
  const api = c.get('api');
  // Signed-in reads skip the gateway's shared cache, so a category made a moment ago is there.
  const [cats, brands] = await Promise.all([
    api.call<{ items: CategoryNode[] }>(c, 'GET', '/api/catalog/categories'),
    api.call<{ items: Brand[] }>(c, 'GET', '/api/catalog/brands'),
  ]);
  return {
    categories: cats.ok && Array.isArray(cats.body?.items) ? cats.body.items : [],
    brands: brands.ok && Array.isArray(brands.body?.items) ? brands.body.items : [],
  };
}

// ---------------------------------------------------------------------------------------------
// Money: staff type "19.99"; the API wants integer minor units.

const ZERO_DECIMAL = new Set(['JPY', 'KRW', 'VND', 'CLP', 'ISK']);
export const minorDigits = (currency: string | null | undefined) => (currency && ZERO_DECIMAL.has(currency) ? 0 : 2);

/** "19.99" in USD → 1999; undefined when it is not an amount in that currency. */
export function toMinor(text: string, currency: string): number | undefined {
  const digits = minorDigits(currency);
  const m = /^(\d{1,12})(?:\.(\d*))?$/.exec(text.trim().replace(/,/g, ''));
  if (!m) return undefined;
  const frac = m[2] ?? '';
  if (frac.length > digits) return undefined;
  const value = Number(m[1]) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(value) && value <= 100_000_000_000 ? value : undefined;
}

/** 1999 in USD → "19.99" (for an input's value). */
export function fromMinor(amount: number | null | undefined, currency: string | null | undefined): string {
  if (amount === null || amount === undefined) return '';
  const digits = minorDigits(currency);
  return digits === 0 ? String(amount) : (amount / 10 ** digits).toFixed(digits);
}

/** A money text field: empty is allowed (optional), otherwise digits with at most two decimals. */
export const moneyText = z
  .string()
  .trim()
  .max(16)
  .regex(/^(\d{1,12}(\.\d{0,2})?)?$/, 'Enter an amount like 19.99');

export const currencyText = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{3}$/, 'Use a three-letter currency code, like USD'));

// ---------------------------------------------------------------------------------------------
// "name: value" lines (variant options, product attributes).

/** "color: Black\nsize: M" → { color: 'Black', size: 'M' }; a string message when a line is wrong. */
export function parsePairs(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length > 20) return 'At most 20 lines';
  for (const line of lines) {
    const at = line.indexOf(':');
    if (at <= 0) return `Write each line as name: value ("${line.slice(0, 40)}")`;
    const key = line.slice(0, at).trim();
    const value = line.slice(at + 1).trim();
    if (!key || !value) return `Write each line as name: value ("${line.slice(0, 40)}")`;
    if (key.length > 100 || value.length > 100) return 'Names and values are at most 100 characters';
    if (key in out) return `"${key.slice(0, 40)}" appears twice`;
    out[key] = value;
  }
  return out;
}

export const pairsText = (label: string) =>
  z
    .string()
    .max(4000)
    .superRefine((s, ctx) => {
      const r = parsePairs(s);
      if (typeof r === 'string') ctx.addIssue({ code: 'custom', message: `${label}: ${r}` });
    });

export const formatPairs = (pairs: Record<string, string>) =>
  Object.entries(pairs)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');

// ---------------------------------------------------------------------------------------------
// API answers → messages next to the right field.

/**
 * A failed write's problem as form errors: each `errors[].path` (`body.variants.0.sku`) goes
 * through `map` to a form field; what maps nowhere (and a 409's detail) lands in `_`, the summary.
 * `guess` picks a field for a 409/422 without paths from words in its detail ("slug", "sku").
 */
export function problemErrors(
  p: ApiProblem,
  map: (apiPath: string) => string | undefined,
  guess: Record<string, string> = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  const loose: string[] = [];
  if (p.status === 422 || p.status === 400) {
    for (const e of p.errors ?? []) {
      const raw = (e.path ?? e.pointer ?? '').replace(/^\//, '').replace(/\//g, '.');
      const path = raw.replace(/^body\.?/, '');
      const field = path ? map(path) : undefined;
      const msg = e.message.charAt(0).toUpperCase() + e.message.slice(1);
      if (field && !out[field]) out[field] = msg;
      else loose.push(msg);
    }
  }
  if (Object.keys(out).length === 0 && loose.length === 0) {
    const detail = typeof p.detail === 'string' ? p.detail : '';
    const friendly = friendlyMessage(p);
    for (const [word, field] of Object.entries(guess)) {
      if (new RegExp(`\\b${word}\\b`, 'i').test(detail)) {
        out[field] = friendly;
        break;
      }
    }
    out._ = friendly;
  } else {
    out._ = loose.length > 0 ? loose.join(' ') : FIX_FIELDS;
  }
  return out;
}

/** The message for a failed call that has no form to go back to. */
export function failure(r: ApiResult<unknown>): string {
  return r.problem ? friendlyMessage(r.problem) : 'That did not work. Please try again.';
}

// The state a page is rendered again with after a failed form, in three cases:

/** The form's summary when fields are marked. */
export const FIX_FIELDS = 'Please correct the highlighted fields.';

/** The schema refused the form: what was typed, the messages and the summary (422, no API call). */
export function refusedForm(form: { raw: Record<string, string>; errors: Record<string, string> }) {
  return { raw: form.raw, errors: { ...form.errors, _: FIX_FIELDS }, status: 422 as const };
}

/** The API refused the write: its messages next to the fields (`problemErrors`), with the API's status. */
export function refusedWrite(
  r: { status: number; problem?: ApiProblem | undefined },
  map: (apiPath: string) => string | undefined,
  guess?: Record<string, string>,
) {
  return { errors: problemErrors(r.problem ?? { status: r.status }, map, guess), status: pageStatus(r.status) };
}

/** A call with no form to go back to failed: its message as the summary. */
export const failedCall = (r: ApiResult<unknown>) => ({ errors: { _: failure(r) }, status: pageStatus(r.status) });

// ---------------------------------------------------------------------------------------------
// Flash messages after a redirect: a fixed text per key, never text from the URL.

export const DONE: Record<string, string> = {
  'product-created': 'Product created.',
  'product-saved': 'Product details saved.',
  'product-deleted': 'Product deleted.',
  'image-added': 'Image added.',
  'image-removed': 'Image removed.',
  'variant-added': 'Variant added.',
  'variant-saved': 'Variant options saved.',
  'variant-deleted': 'Variant deleted.',
  'price-saved': 'Price saved.',
  'price-removed': 'Price removed.',
  'category-created': 'Category created.',
  'category-saved': 'Category saved.',
  'category-moved': 'Category moved.',
  'category-deleted': 'Category deleted.',
  'brand-created': 'Brand created.',
  'brand-saved': 'Brand saved.',
  'brand-deleted': 'Brand deleted.',
  'promotion-created': 'Promotion created.',
  'promotion-saved': 'Promotion saved.',
  'promotion-deactivated': 'Promotion deactivated.',
  'promotion-activated': 'Promotion activated.',
};

export const doneQuery = z.object({ done: z.string().max(40).optional() });
export const doneText = (key: string | undefined) => (key ? DONE[key] : undefined);

/** A short tail of a request id or uuid, for compact tables. */
export const shortId = (id: string) => id.slice(-8);

export type Status = NonNullable<PageOptions['status']>;
const PAGE_STATUSES = new Set<number>([400, 403, 404, 409, 422, 429, 502, 503]);
/** The page's status after a failed API write: the API's own where a page may carry it. */
export const pageStatus = (n: number): Status => (PAGE_STATUSES.has(n) ? (n as Status) : n >= 500 ? 503 : 400);
