import { jsonOf } from '@storefront/kit/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeLike, staffSearchPatterns } from './domain-admin.ts';
import { seedCatalog } from './seed/index.ts';
import { type TestCatalog, testCatalog } from './test-app.ts';

/**
 * The staff product list (GET /admin/products: q, status, categoryId, brandId, paging) and the
 * per-status counts (GET /admin/stats), over the seeded demo store plus a few hand-made drafts and
 * archived products, on real Postgres through the HTTP API.
 */
let t: TestCatalog;
interface Known {
  id: string;
  slug: string;
  name: string;
  status: string;
  brandId: string | null;
  categoryPath: string | null;
  skus: string[];
}
/** Every product as the database holds it, for reference answers. */
let all: Known[];
let categories: { id: string; path: string }[];
let brands: string[];

async function created(res: Response) {
  expect(res.status, await res.clone().text()).toBe(201);
  return jsonOf(res);
}

async function reload() {
  all = (
    await t.db.query<Known>(
      `SELECT p.id, p.slug, p.name, p.status, p.brand_id AS "brandId", c.path AS "categoryPath",
              coalesce((SELECT array_agg(v.sku) FROM variants v WHERE v.product_id = p.id), '{}') AS skus
         FROM products p LEFT JOIN categories c ON c.id = p.category_id ORDER BY p.id DESC`,
    )
  ).rows;
}

beforeAll(async () => {
  t = await testCatalog();
  await seedCatalog(t.db, { products: 250, seed: 11 });
  const cat = await created(await t.admin('POST', '/categories', { name: 'Workshop', slug: 'workshop' }));
  const brand = await created(await t.admin('POST', '/brands', { name: 'Quillbrook', slug: 'quillbrook' }));
  await created(
    await t.admin('POST', '/products', {
      name: 'Quillbrook Draft Lantern',
      slug: 'qb-lantern',
      status: 'draft',
      brandId: brand.id,
      categoryId: cat.id,
      variants: [{ sku: 'QB-LNT-01' }],
    }),
  );
  await created(
    await t.admin('POST', '/products', {
      name: 'Retired Brass Sextant 100%',
      slug: 'old-sextant',
      status: 'archived',
      variants: [{ sku: 'SXT_100' }],
    }),
  );
  await created(
    await t.admin('POST', '/products', {
      name: 'Brass Lantern Hook',
      slug: 'brass-hook',
      status: 'published',
      variants: [{ sku: 'HOOK-9', prices: [{ currency: 'USD', amount: 900 }] }],
    }),
  );
  categories = (await t.db.query<{ id: string; path: string }>('SELECT id, path FROM categories')).rows;
  brands = (await t.db.query<{ id: string }>('SELECT id FROM brands')).rows.map((r) => r.id);
  await reload();
});
afterAll(() => t.close());

interface Row {
  id: string;
  slug: string;
  name: string;
  status: string;
  updatedAt: string;
}

/** Every page of a staff list, following nextCursor. */
async function list(params: Record<string, string>, limit = 100): Promise<Row[]> {
  const out: Row[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const qs = new URLSearchParams({ ...params, limit: String(limit), ...(cursor ? { cursor } : {}) });
    const res = await t.admin('GET', `/products?${qs}`);
    expect(res.status, await res.clone().text()).toBe(200);
    const page = (await jsonOf(res)) as { items: Row[]; nextCursor: string | null };
    out.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) return out;
  }
  throw new Error('paging did not end');
}
const names = (rows: Row[]) => rows.map((r) => r.name);

/** What the list must answer, computed from `all` in JavaScript. */
function expected(f: { q?: string; status?: string; categoryId?: string; brandId?: string }): string[] {
  const words = [...new Set((f.q ?? '').toLowerCase().split(/\s+/).filter(Boolean))].slice(0, 8);
  const path = f.categoryId ? categories.find((c) => c.id === f.categoryId)?.path : undefined;
  return all
    .filter(
      (p) =>
        (!f.status || p.status === f.status) &&
        (!f.brandId || p.brandId === f.brandId) &&
        (!f.categoryId || (path !== undefined && p.categoryPath?.startsWith(path))) &&
        words.every((w) => [p.name, p.slug, ...p.skus].some((s) => s.toLowerCase().includes(w))),
    )
    .map((p) => p.id);
}

describe('staff search (q)', () => {
  it('finds drafts and archived products by name, slug or SKU, any case', async () => {
    expect(names(await list({ q: 'lantern' }))).toEqual(['Brass Lantern Hook', 'Quillbrook Draft Lantern']);
    expect(names(await list({ q: 'SEXTANT' }))).toEqual(['Retired Brass Sextant 100%']);
    expect(names(await list({ q: 'old-sext' }))).toEqual(['Retired Brass Sextant 100%']);
    expect(names(await list({ q: 'qb-lnt' }))).toEqual(['Quillbrook Draft Lantern']);
    expect(names(await list({ q: 'hook-9' }))).toEqual(['Brass Lantern Hook']);
  });

  it('needs every word, each anywhere (name, slug or SKU), in any order', async () => {
    expect(names(await list({ q: 'lantern brass' }))).toEqual(['Brass Lantern Hook']);
    expect(names(await list({ q: '  brass   LNT ' }))).toEqual([]);
    expect(names(await list({ q: 'quillbrook lnt-01' }))).toEqual(['Quillbrook Draft Lantern']);
  });

  it('matches %, _ and \\ as themselves, not as LIKE wildcards', async () => {
    expect(names(await list({ q: '100%' }))).toEqual(['Retired Brass Sextant 100%']);
    expect(names(await list({ q: 'sxt_' }))).toEqual(['Retired Brass Sextant 100%']);
    expect(await list({ q: '%' })).toHaveLength(1);
    expect(await list({ q: 'qb_lnt' })).toEqual([]);
    expect(await list({ q: '\\' })).toEqual([]);
    expect(escapeLike('a%b_c\\d')).toBe('a\\%b\\_c\\\\d');
    expect(staffSearchPatterns(' Lamp  lamp BRASS ')).toEqual(['%lamp%', '%brass%']);
    expect(staffSearchPatterns('   ')).toEqual([]);
  });

  it('combines with status, category (its subtree) and brand', async () => {
    expect(names(await list({ q: 'lantern', status: 'draft' }))).toEqual(['Quillbrook Draft Lantern']);
    expect(names(await list({ q: 'lantern', status: 'archived' }))).toEqual([]);
    const workshop = categories.find((c) => c.path === '/workshop/');
    expect(names(await list({ categoryId: workshop?.id ?? '' }))).toEqual(['Quillbrook Draft Lantern']);
    const [root] = categories.filter((c) => c.path !== '/workshop/' && c.path.split('/').length === 3);
    const under = await list({ categoryId: root?.id ?? '' });
    expect(under.length).toBeGreaterThan(0);
    expect(under.map((r) => r.id)).toEqual(expected({ categoryId: root?.id }));
    const quill = all.find((p) => p.slug === 'qb-lantern')?.brandId ?? '';
    expect(names(await list({ brandId: quill, q: 'draft' }))).toEqual(['Quillbrook Draft Lantern']);
  });

  it('answers an unknown category or brand with an empty page, not an error', async () => {
    const nobody = '0199a83f-8840-7236-b5b8-ba24de364311';
    expect(await list({ categoryId: nobody })).toEqual([]);
    expect(await list({ brandId: nobody, q: 'brass' })).toEqual([]);
  });

  it('pages a search newest first without gaps or repeats', async () => {
    const q = 'e';
    const paged = await list({ q }, 7);
    expect(paged.map((r) => r.id)).toEqual(expected({ q }));
    expect(paged.length).toBeGreaterThan(20);
    expect(new Set(paged.map((r) => r.id)).size).toBe(paged.length);
  });

  it.each([
    ['categoryId=kitchen', 'categoryId'],
    ['brandId=1', 'brandId'],
    [`q=${'x'.repeat(201)}`, 'q'],
    ['q=a%00b', 'q'],
    ['q=a%01b', 'q'],
    ['status=deleted', 'status'],
    ['limit=0', 'limit'],
    ['cursor=abc', 'cursor'],
  ])('refuses %s with a problem naming %s', async (qs, field) => {
    const res = await t.admin('GET', `/products?${qs}`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(JSON.stringify(await res.json())).toContain(field);
  });

  it('equals a reference filter for any words and filters (property)', async () => {
    const fragment = fc
      .tuple(
        fc.constantFrom(...all),
        fc.constantFrom('name', 'slug', 'sku'),
        fc.nat(),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
      )
      .map(([p, field, at, len, upper]) => {
        const s = field === 'name' ? p.name : field === 'slug' ? p.slug : (p.skus[0] ?? p.slug);
        const word = (s.split(/\s+/)[at % s.split(/\s+/).length] ?? s).slice(0, len);
        return upper ? word.toUpperCase() : word;
      });
    const ascii = fc.stringMatching(/^[a-z0-9 %_-]{0,6}$/);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fragment, ascii), { maxLength: 3 }).map((ws) => ws.join(' ')),
        fc.option(fc.constantFrom('draft', 'published', 'archived'), { nil: undefined }),
        fc.option(fc.constantFrom(...categories.map((c) => c.id)), { nil: undefined }),
        fc.option(fc.constantFrom(...brands), { nil: undefined }),
        async (q, status, categoryId, brandId) => {
          const f = {
            ...(q.trim() ? { q } : {}),
            ...(status ? { status } : {}),
            ...(categoryId ? { categoryId } : {}),
            ...(brandId ? { brandId } : {}),
          };
          const got = await list(f, 100);
          expect(
            got.map((r) => r.id),
            JSON.stringify(f),
          ).toEqual(expected(f));
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 80) },
    );
  });
});

describe('staff stats', () => {
  it('counts products in each status, following edits', async () => {
    const count = (status: string) => all.filter((p) => p.status === status).length;
    const read = async () => {
      const res = await t.admin('GET', '/stats');
      expect(res.status).toBe(200);
      return (await jsonOf(res)).products;
    };
    const before = await read();
    expect(before).toEqual({
      total: all.length,
      draft: count('draft'),
      published: count('published'),
      archived: count('archived'),
    });
    expect(before.draft).toBeGreaterThan(1);
    expect(before.archived).toBeGreaterThan(1);
    const lantern = all.find((p) => p.slug === 'qb-lantern');
    expect((await t.admin('PATCH', `/products/${lantern?.id}`, { status: 'archived' })).status).toBe(200);
    expect(await read()).toEqual({ ...before, draft: before.draft - 1, archived: before.archived + 1 });
    await t.admin('PATCH', `/products/${lantern?.id}`, { status: 'draft' });
  });

  it('is for merchandisers with MFA only', async () => {
    expect((await t.admin('GET', '/stats', undefined, null)).status).toBe(401);
    expect((await t.admin('GET', '/stats', undefined, await t.auth.customerToken())).status).toBe(403);
    const noMfa = await t.auth.staffToken(['merchandiser'], { mfa: false });
    expect((await t.admin('GET', '/stats', undefined, noMfa)).status).toBe(403);
  });
});
