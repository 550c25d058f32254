import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { ApiError } from '../api.ts';
import type { WebEnv } from '../env.ts';
import { notFoundPage } from '../errors.tsx';
import { Main, renderPage } from '../layout.tsx';
import { formatMoney, Notice } from '../ui.tsx';
import { BadInput, parseParam } from '../validate.ts';
import { Breadcrumbs, ProductGrid } from './components.tsx';
import type { CategoryNode, SearchResult } from './types.ts';

/**
 * Category and search pages: one listing with facets as a plain GET form (checkboxes and radios,
 * applied by a button; shop.js applies them on change), sort, keyset pagination (`cursor`), and
 * the active filters as links that remove them. Everything is in the URL, so it works without
 * script and every state can be shared.
 */

const Slug = z
  .string()
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
const SORTS = ['relevance', 'price_asc', 'price_desc', 'newest'] as const;
const SORT_LABEL: Record<(typeof SORTS)[number], string> = {
  relevance: 'Best match',
  newest: 'Newest',
  price_asc: 'Price: low to high',
  price_desc: 'Price: high to low',
};
const ATTR_KEY = /^[a-z][a-z0-9_]{0,31}$/;
const PAGE_SIZE = 24;

const ListingQuery = z
  .object({
    q: z.string().trim().max(200, 'the search is too long').optional(),
    category: Slug.optional(),
    brand: z.array(Slug).max(10, 'at most 10 brands').default([]),
    price: z
      .string()
      .regex(/^\d{1,12}-\d{0,12}$/, 'not a price range')
      .optional(),
    inStock: z.enum(['1', 'true']).optional(),
    sort: z.enum(SORTS).optional(),
    cursor: z
      .string()
      .max(400)
      .regex(/^[A-Za-z0-9_-]+$/, 'not a page link')
      .optional(),
    attrs: z
      .record(z.string().regex(ATTR_KEY), z.array(z.string().min(1).max(100)).max(10))
      .refine((a) => Object.keys(a).length <= 10, 'at most 10 attribute filters'),
  })
  .superRefine((q, ctx) => {
    if (!q.price) return;
    const [min, max] = q.price.split('-');
    if (max && Number(min) > Number(max))
      ctx.addIssue({ code: 'custom', path: ['price'], message: 'not a price range' });
  });
type Listing = z.infer<typeof ListingQuery>;

/** The query string (repeated keys kept) through the schema; unknown keys are ignored. */
export function parseListing(c: Context<WebEnv>): Listing {
  const url = new URL(c.req.url);
  const raw: Record<string, unknown> = { brand: [], attrs: {} };
  const attrs = raw.attrs as Record<string, string[]>;
  for (const [k, v] of url.searchParams) {
    if (v === '') continue;
    if (k === 'brand') (raw.brand as string[]).push(v);
    else if (k.startsWith('attr.')) {
      const key = k.slice(5);
      if (!ATTR_KEY.test(key)) continue;
      attrs[key] = [...(attrs[key] ?? []), v];
    } else if (['q', 'category', 'price', 'inStock', 'sort', 'cursor'].includes(k)) raw[k] = v;
  }
  const r = ListingQuery.safeParse(raw);
  if (!r.success) {
    throw new BadInput(r.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)));
  }
  return r.data;
}

/**
 * The catalog counts facets over the filtered results, its own filter included, so once a brand is
 * chosen the other brands vanish. To let a shopper add a second brand (or colour), a one-item
 * search without the brand and attribute filters brings the other values; they are offered
 * without a count (the exact count would need one search per facet).
 */
async function withBroadFacets(
  c: Context<WebEnv>,
  path: string,
  q: Listing,
): Promise<[SearchResult, SearchResult | undefined]> {
  const disjunctive = q.brand.length > 0 || Object.keys(q.attrs).length > 0;
  return Promise.all([
    search(c, path, q),
    disjunctive
      ? search(c, path, { ...q, brand: [], attrs: {}, cursor: undefined }, 1).catch(() => undefined)
      : Promise.resolve(undefined),
  ]);
}

/** The listing as URL parameters (for links), without `cursor` unless given. */
function params(
  q: Listing,
  over: Partial<Record<'q' | 'category' | 'price' | 'inStock' | 'sort' | 'cursor', string | undefined>> = {},
) {
  const p = new URLSearchParams();
  const put = (k: string, v: string | undefined) => {
    if (v) p.append(k, v);
  };
  const pick = <K extends keyof typeof over>(k: K, v: string | undefined) => (k in over ? over[k] : v);
  put('q', pick('q', q.q));
  put('category', pick('category', q.category));
  for (const b of q.brand) p.append('brand', b);
  put('price', pick('price', q.price));
  for (const [k, vs] of Object.entries(q.attrs)) for (const v of vs) p.append(`attr.${k}`, v);
  put('inStock', pick('inStock', q.inStock ? '1' : undefined));
  put('sort', pick('sort', q.sort));
  put('cursor', over.cursor);
  return p;
}

function href(path: string, p: URLSearchParams): string {
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

function without(q: Listing, what: { brand?: string; attr?: [string, string] }): Listing {
  return {
    ...q,
    brand: q.brand.filter((b) => b !== what.brand),
    attrs: Object.fromEntries(
      Object.entries(q.attrs)
        .map(([k, vs]) => [k, vs.filter((v) => !(what.attr && what.attr[0] === k && what.attr[1] === v))] as const)
        .filter(([, vs]) => vs.length > 0),
    ),
  };
}

function priceLabel(min: number, max: number | null, currency: string): string {
  const f = (n: number) => formatMoney({ amount: n, currency }).replace(/\.00$/, '');
  if (max === null) return `${f(min)} and up`;
  if (min === 0) return `Under ${f(max)}`;
  return `${f(min)} – ${f(max)}`;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

async function search(c: Context<WebEnv>, path: string, q: Listing, limit = PAGE_SIZE): Promise<SearchResult> {
  const [min, max] = q.price ? q.price.split('-') : [];
  const query: Record<string, string | number | readonly string[] | undefined> = {
    q: q.q,
    category: path.startsWith('/api/catalog/products') ? q.category : undefined,
    brand: q.brand,
    minPrice: min || undefined,
    maxPrice: max || undefined,
    inStock: q.inStock ? 'true' : undefined,
    // Browsing without words: newest first unless asked otherwise.
    sort: q.sort ?? (q.q ? undefined : 'newest'),
    cursor: q.cursor,
    limit,
    currency: c.get('config').SHOP_CURRENCY,
  };
  for (const [k, vs] of Object.entries(q.attrs)) query[`attr.${k}`] = vs;
  const r = await c.get('api').call<SearchResult>(c, 'GET', path, { query, credentials: false });
  if (r.problem) throw new ApiError(r.problem);
  return r.body;
}

function Facets(props: {
  path: string;
  q: Listing;
  result: SearchResult;
  broad: SearchResult | undefined;
  search: boolean;
}) {
  const { q, result, path } = props;
  const f = result.facets;
  const currency = f.price.currency;
  const brands: { slug: string; name: string; count: number | undefined }[] = [...f.brands];
  for (const b of props.broad?.facets.brands ?? []) {
    if (!brands.some((x) => x.slug === b.slug)) brands.push({ slug: b.slug, name: b.name, count: undefined });
  }
  for (const b of q.brand) if (!brands.some((x) => x.slug === b)) brands.push({ slug: b, name: b, count: undefined });
  const attrFacets = [...f.attributes];
  for (const a of props.broad?.facets.attributes ?? []) {
    if (!attrFacets.some((x) => x.key === a.key)) attrFacets.push({ key: a.key, values: [] });
  }
  const attrs = attrFacets.slice(0, 6).map((a) => {
    const values = a.values.slice(0, 10).map((v) => v.value);
    const broad = props.broad?.facets.attributes.find((x) => x.key === a.key)?.values ?? [];
    for (const v of broad) if (values.length < 10 && !values.includes(v.value)) values.push(v.value);
    for (const v of q.attrs[a.key] ?? []) if (!values.includes(v)) values.unshift(v);
    return { key: a.key, values: values.map((v) => ({ value: v, count: a.values.find((x) => x.value === v)?.count })) };
  });
  const inStockSupported = typeof f.inStock === 'number';
  return (
    <aside class="facets" aria-labelledby="filters-title">
      <h2 id="filters-title">Filters</h2>
      {props.search && f.categories.length > 0 ? (
        <nav aria-label="Categories in the results">
          <h3>Category</h3>
          <ul>
            {q.category ? (
              <li>
                <a href={href(path, params(q, { category: undefined }))}>All categories</a>
              </li>
            ) : null}
            {f.categories.slice(0, 12).map((cat) => (
              <li>
                {cat.slug === q.category ? (
                  <strong aria-current="true">{cat.name}</strong>
                ) : (
                  <a href={href(path, params(q, { category: cat.slug }))}>{cat.name}</a>
                )}{' '}
                <span class="muted">({cat.count})</span>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <form method="get" action={path} data-autosubmit class="facet-form">
        {q.q ? <input type="hidden" name="q" value={q.q} /> : null}
        {props.search && q.category ? <input type="hidden" name="category" value={q.category} /> : null}
        {q.sort ? <input type="hidden" name="sort" value={q.sort} /> : null}
        {inStockSupported || q.inStock ? (
          <fieldset>
            <legend>Availability</legend>
            <label class="inline-choice block">
              <input type="checkbox" name="inStock" value="1" checked={Boolean(q.inStock)} /> In stock only
              {inStockSupported ? <span class="muted"> ({f.inStock})</span> : null}
            </label>
          </fieldset>
        ) : null}
        {brands.length > 0 ? (
          <fieldset>
            <legend>Brand</legend>
            {brands.slice(0, 15).map((b) => (
              <label class="inline-choice block">
                <input type="checkbox" name="brand" value={b.slug} checked={q.brand.includes(b.slug)} /> {b.name}{' '}
                {b.count !== undefined ? <span class="muted">({b.count})</span> : null}
              </label>
            ))}
          </fieldset>
        ) : null}
        {f.price.buckets.length > 0 || q.price ? (
          <fieldset>
            <legend>Price</legend>
            <label class="inline-choice block">
              <input type="radio" name="price" value="" checked={!q.price} /> Any price
            </label>
            {f.price.buckets.map((b) => {
              const value = `${b.min}-${b.max ?? ''}`;
              return (
                <label class="inline-choice block">
                  <input type="radio" name="price" value={value} checked={q.price === value} />{' '}
                  {priceLabel(b.min, b.max, currency)} <span class="muted">({b.count})</span>
                </label>
              );
            })}
            {q.price && !f.price.buckets.some((b) => `${b.min}-${b.max ?? ''}` === q.price) ? (
              <label class="inline-choice block">
                <input type="radio" name="price" value={q.price} checked /> {(() => {
                  const [min, max] = q.price.split('-');
                  return priceLabel(Number(min), max ? Number(max) : null, currency);
                })()}
              </label>
            ) : null}
          </fieldset>
        ) : null}
        {attrs.map((a) => (
          <fieldset>
            <legend>{cap(a.key)}</legend>
            {a.values.map((v) => (
              <label class="inline-choice block">
                <input
                  type="checkbox"
                  name={`attr.${a.key}`}
                  value={v.value}
                  checked={(q.attrs[a.key] ?? []).includes(v.value)}
                />{' '}
                {cap(v.value)} {v.count !== undefined ? <span class="muted">({v.count})</span> : null}
              </label>
            ))}
          </fieldset>
        ))}
        <button type="submit" class="secondary">
          Apply filters
        </button>
      </form>
    </aside>
  );
}

function ActiveFilters(props: { path: string; q: Listing; result: SearchResult }) {
  const { q, path, result } = props;
  const chips: { label: string; href: string }[] = [];
  for (const b of q.brand) {
    const name = result.facets.brands.find((x) => x.slug === b)?.name ?? b;
    chips.push({ label: `Brand: ${name}`, href: href(path, params(without(q, { brand: b }))) });
  }
  if (q.price) {
    const [min, max] = q.price.split('-');
    chips.push({
      label: `Price: ${priceLabel(Number(min), max ? Number(max) : null, result.facets.price.currency)}`,
      href: href(path, params(q, { price: undefined })),
    });
  }
  for (const [k, vs] of Object.entries(q.attrs)) {
    for (const v of vs)
      chips.push({ label: `${cap(k)}: ${cap(v)}`, href: href(path, params(without(q, { attr: [k, v] }))) });
  }
  if (q.inStock) chips.push({ label: 'In stock only', href: href(path, params(q, { inStock: undefined })) });
  if (chips.length === 0) return null;
  const clear = new URLSearchParams();
  if (q.q) clear.set('q', q.q);
  return (
    <div class="active-filters">
      <span class="visually-hidden" id="active-filters-title">
        Active filters
      </span>
      <ul aria-labelledby="active-filters-title">
        {chips.map((chip) => (
          <li>
            <a class="chip" href={chip.href}>
              {chip.label} <span aria-hidden="true">✕</span>
              <span class="visually-hidden"> (remove)</span>
            </a>
          </li>
        ))}
        <li>
          <a href={href(path, clear)}>Clear all filters</a>
        </li>
      </ul>
    </div>
  );
}

function SortForm(props: { path: string; q: Listing; search: boolean }) {
  const { q } = props;
  const keep = params(q, { sort: undefined });
  return (
    <form method="get" action={props.path} data-autosubmit class="sort-form inline-form">
      {[...keep.entries()].map(([k, v]) => (
        <input type="hidden" name={k} value={v} />
      ))}
      <label for="f-sort">Sort by</label>
      <select id="f-sort" name="sort">
        {SORTS.filter((s) => props.search || q.q || s !== 'relevance').map((s) => (
          <option value={s} selected={(q.sort ?? (props.search || q.q ? 'relevance' : 'newest')) === s}>
            {SORT_LABEL[s]}
          </option>
        ))}
      </select>
      <button type="submit" class="secondary">
        Sort
      </button>
    </form>
  );
}

function Results(props: {
  path: string;
  q: Listing;
  result: SearchResult;
  broad: SearchResult | undefined;
  search: boolean;
  label: string;
}) {
  const { q, result, path } = props;
  const shown = result.items.length;
  return (
    <div class="listing">
      <Facets path={path} q={q} result={result} broad={props.broad} search={props.search} />
      <section aria-labelledby="results-title">
        <h2 id="results-title" class="visually-hidden">
          {props.label}
        </h2>
        <div class="toolbar">
          <p class="muted" role="status">
            {result.total === 1 ? '1 product' : `${result.total.toLocaleString('en-US')} products`}
            {q.cursor ? ' (more results)' : ''}
          </p>
          <a class="filters-link" href="#filters-title">
            Filters
          </a>
          <SortForm path={path} q={q} search={props.search} />
        </div>
        <ActiveFilters path={path} q={q} result={result} />
        {shown > 0 ? <ProductGrid items={result.items} label={props.label} /> : null}
        <nav class="pager" aria-label="Pages">
          {q.cursor ? <a href={href(path, params(q))}>← First page</a> : null}
          {q.cursor && result.nextCursor ? ' · ' : null}
          {result.nextCursor ? (
            <a href={href(path, params(q, { cursor: result.nextCursor }))} rel="next">
              More results →
            </a>
          ) : null}
        </nav>
      </section>
    </div>
  );
}

/** Every category by slug, with its parent, from the tree. */
function index(tree: readonly CategoryNode[]) {
  const bySlug = new Map<string, { node: CategoryNode; parent: string | undefined }>();
  const walk = (nodes: readonly CategoryNode[], parent: string | undefined) => {
    for (const n of nodes) {
      bySlug.set(n.slug, { node: n, parent });
      walk(n.children ?? [], n.slug);
    }
  };
  walk(tree, undefined);
  return bySlug;
}

async function categoryTree(c: Context<WebEnv>): Promise<CategoryNode[]> {
  const r = await c.get('api').call<{ items: CategoryNode[] }>(c, 'GET', '/api/catalog/categories', {
    credentials: false,
  });
  if (r.problem) throw new ApiError(r.problem);
  return r.body.items ?? [];
}

export function listingRoutes(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  app.get('/c/:slug', async (c) => {
    const slug = parseParam(c.req.param('slug'), Slug);
    if (!slug) return notFoundPage(c, 'category');
    const q = parseListing(c);
    const path = `/c/${slug}`;
    // An unknown category is the API's 404, which the error handler turns into the 404 page.
    const [tree, [result, broad]] = await Promise.all([
      categoryTree(c),
      withBroadFacets(c, `/api/catalog/categories/${slug}/products`, q),
    ]);
    const cats = index(tree);
    const here = cats.get(slug);
    if (!here) return notFoundPage(c, 'category');
    const trail: { name: string; href: string }[] = [];
    for (let at: string | undefined = slug; at; at = cats.get(at)?.parent) {
      const n = cats.get(at)?.node;
      if (n) trail.unshift({ name: n.name, href: `/c/${n.slug}` });
    }
    const counts = new Map(result.facets.categories.map((x) => [x.slug, x.count]));
    const children = here.node.children ?? [];
    return renderPage(c, {
      title: here.node.name,
      description: `${here.node.name}: ${result.total} products`,
      scripts: ['shop.js'],
      children: (
        <Main class="listing-page">
          <Breadcrumbs trail={trail} />
          <h1>{here.node.name}</h1>
          {children.length > 0 ? (
            <nav class="subcategories" aria-label={`Categories in ${here.node.name}`}>
              <ul>
                {children.map((ch) => (
                  <li>
                    <a class="chip" href={`/c/${ch.slug}`}>
                      {ch.name}
                      {counts.has(ch.slug) ? <span class="muted"> ({counts.get(ch.slug)})</span> : null}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
          {result.total === 0 ? (
            <Notice tone="info">
              Nothing matches these filters. <a href={path}>Show everything in {here.node.name}</a>.
            </Notice>
          ) : null}
          <Results
            path={path}
            q={q}
            result={result}
            broad={broad}
            search={false}
            label={`Products in ${here.node.name}`}
          />
        </Main>
      ),
    });
  });

  app.get('/search', async (c) => {
    const q = parseListing(c);
    const path = '/search';
    const filtered = Boolean(
      q.q || q.category || q.brand.length || q.price || q.inStock || Object.keys(q.attrs).length,
    );
    if (!filtered) {
      const tree = await categoryTree(c).catch(() => []);
      return renderPage(c, {
        title: 'Search',
        children: (
          <Main class="listing-page">
            <h1>Search the shop</h1>
            <search>
              <form method="get" action="/search" class="inline-form big-search">
                <div class="field">
                  <label for="f-q">What are you looking for?</label>
                  <input id="f-q" name="q" type="search" maxlength={200} />
                </div>
                <button type="submit">Search</button>
              </form>
            </search>
            {tree.length ? (
              <>
                <h2>Or browse a category</h2>
                <ul class="category-links">
                  {tree.map((t) => (
                    <li>
                      <a href={`/c/${t.slug}`}>{t.name}</a>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </Main>
        ),
      });
    }
    const [result, broad] = await withBroadFacets(c, '/api/catalog/products', q);
    let suggestions: string[] = [];
    if (result.total === 0 && q.q) {
      const s = await c.get('api').call<{ terms: string[] }>(c, 'GET', '/api/catalog/suggest', {
        query: { q: q.q.slice(0, 100), limit: 5 },
        credentials: false,
      });
      suggestions = s.ok ? (s.body.terms ?? []).filter((t) => t.toLowerCase() !== q.q?.toLowerCase()) : [];
    }
    const title = q.q ? `Results for “${q.q}”` : 'All products';
    const corrected = result.query.corrected;
    return renderPage(c, {
      title: q.q ? `${q.q} – search` : 'Products',
      scripts: ['shop.js'],
      children: (
        <Main class="listing-page">
          <h1>{title}</h1>
          {corrected && corrected !== q.q ? (
            <Notice tone="info">
              Did you mean <a href={`/search?q=${encodeURIComponent(corrected)}`}>{corrected}</a>? We included results
              for “{corrected}”.
            </Notice>
          ) : null}
          {result.query.matched === 'any' && result.total > 0 ? (
            <Notice tone="info">No product matches every word, so these match some of them.</Notice>
          ) : null}
          {result.total === 0 ? (
            <div class="empty-state">
              <p>
                <strong>We found nothing{q.q ? ` for “${q.q}”` : ''}.</strong>
              </p>
              <ul>
                <li>Check the spelling, or use fewer or more general words.</li>
                {q.brand.length || q.price || q.inStock || Object.keys(q.attrs).length ? (
                  <li>
                    <a href={href(path, new URLSearchParams(q.q ? { q: q.q } : {}))}>Search again without filters</a>.
                  </li>
                ) : null}
                {suggestions.length ? (
                  <li>
                    Try:{' '}
                    {suggestions.map((s, i) => (
                      <>
                        {i > 0 ? ', ' : ''}
                        <a href={`/search?q=${encodeURIComponent(s)}`}>{s}</a>
                      </>
                    ))}
                  </li>
                ) : null}
                <li>
                  Browse <a href="/">our categories</a>.
                </li>
              </ul>
            </div>
          ) : (
            <Results path={path} q={q} result={result} broad={broad} search label={title} />
          )}
        </Main>
      ),
    });
  });

  return app;
}
