import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { busMigrationsDir, migrate, type Queryable } from '@storefront/kit';
import { jsonOf, testDb } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCursor } from './domain-search.ts';
import { seedCatalog } from './seed/index.ts';
import { browseProducts } from './store-search.ts';
import { refreshSearchDocs } from './store-search-doc.ts';
import { migrationsDir, type TestCatalog, testCatalog } from './test-app.ts';

/**
 * The denormalised rating in search_doc (count, sum, generated average, rating facet values and
 * the browse counts) follows every review; migration 005 fills it in for rows that existed; the
 * "Top rated" browse walks its index.
 */
let t: TestCatalog;
beforeAll(async () => {
  t = await testCatalog();
  await seedCatalog(t.db, { products: 40, seed: 5 });
});
afterAll(() => t.close());

/** facet_counts as aggregating search_doc from scratch would give them (migration 002's backfill). */
const RECOUNT = `
  SELECT s.scope, f.facet, count(*)::int AS n
    FROM search_doc d
    CROSS JOIN LATERAL (SELECT 0 AS scope
                        UNION ALL
                        SELECT fv.id FROM unnest(d.facets) x JOIN facet_values fv ON fv.id = x AND fv.kind = 'category') s
    CROSS JOIN LATERAL (SELECT 0 AS facet UNION ALL SELECT unnest(d.facets)) f
   GROUP BY 1, 2 ORDER BY 1, 2`;
const kept = 'SELECT scope, facet, n FROM facet_counts WHERE n <> 0 ORDER BY 1, 2';

async function expectCountsConsistent(db: Queryable) {
  expect((await db.query(kept)).rows).toEqual((await db.query(RECOUNT)).rows);
}

const review = (slug: string, author: string, rating: number) =>
  t.app.request(`/products/${slug}/reviews`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ author, rating, body: `Rated ${rating}` }),
  });

describe('a new review', () => {
  it('moves the product in the filter, the facet, the sort and the browse counts at once, past the cache', async () => {
    const { rows } = await t.db.query<{ id: string; slug: string }>(
      `SELECT product_id AS id, slug FROM search_doc WHERE rating_count = 0 ORDER BY slug LIMIT 1`,
    );
    const target = rows[0];
    if (!target) throw new Error('the seed has no unreviewed product');
    const topFour = async () => (await jsonOf(await t.get('/products?minRating=4&limit=100'))).total as number;
    const browseFacet = async () =>
      (await jsonOf(await t.get('/products?limit=1'))).facets.rating as { min: number; count: number }[];
    const before = { four: await topFour(), facet: await browseFacet() };
    // The cache now holds both answers; the review must invalidate them.
    expect((await review(target.slug, 'Ann', 5)).status).toBe(201);
    expect(await topFour()).toBe(before.four + 1);
    expect(await browseFacet()).toEqual(before.facet.map((f) => ({ ...f, count: f.count + 1 })));
    const ids = (await jsonOf(await t.get('/products?sort=rating&minRating=4&limit=100'))).items.map(
      (i: { id: string }) => i.id,
    );
    expect(ids).toContain(target.id);
    await expectCountsConsistent(t.db);

    // A 1-star review takes the average to 3: out of "4 & up", still in "3 & up".
    expect((await review(target.slug, 'Bob', 1)).status).toBe(201);
    expect(await topFour()).toBe(before.four);
    const facet = await browseFacet();
    expect(facet.find((f) => f.min === 4)?.count).toBe(before.facet.find((f) => f.min === 4)?.count);
    expect(facet.find((f) => f.min === 3)?.count).toBe((before.facet.find((f) => f.min === 3)?.count ?? 0) + 1);
    await expectCountsConsistent(t.db);
    const row = await t.db.query<{ rating_avg: string; rating_count: number }>(
      'SELECT rating_avg::text, rating_count FROM search_doc WHERE product_id = $1',
      [target.id],
    );
    expect(row.rows[0]).toEqual({ rating_avg: '3.0000000000000000', rating_count: 2 });
  });

  it('leaves the search row as a full rebuild would make it', async () => {
    const { rows } = await t.db.query<{ slug: string }>('SELECT slug FROM search_doc ORDER BY slug DESC LIMIT 3');
    for (const [i, r] of rows.entries()) expect((await review(r.slug, `Rebuilder ${i}`, 2 + i)).status).toBe(201);
    const snapshot = 'SELECT product_id, rating_count, rating_sum, rating_avg, facets FROM search_doc ORDER BY 1';
    const synced = (await t.db.query(snapshot)).rows;
    const rebuilt = await t.db.tx(async (tx) => {
      await refreshSearchDocs(
        tx,
        synced.map((r) => r.product_id as string),
      );
      return (await tx.query(snapshot)).rows;
    });
    const sorted = (rs: Record<string, unknown>[]) =>
      rs.map((r) => ({ ...r, facets: [...(r.facets as number[])].sort((a, b) => a - b) }));
    expect(sorted(rebuilt)).toEqual(sorted(synced));
    await expectCountsConsistent(t.db);
  });
});

describe('migration 005', () => {
  it('gives search rows that existed before it their rating facets, counts and average', async () => {
    const before = await mkdtemp(join(tmpdir(), 'catalog-004-'));
    const db = testDb('cat');
    try {
      for (const f of await readdir(migrationsDir)) if (f < '005') await cp(join(migrationsDir, f), join(before, f));
      await migrate(db, [busMigrationsDir, before]);
      // The seed writes search rows through today's code, which finds no rating facet values yet.
      await seedCatalog(db, { products: 30, seed: 3 });
      const rated = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM search_doc WHERE rating_count > 0');
      expect(rated.rows[0]?.n).toBeGreaterThan(0);
      expect((await migrate(db, [busMigrationsDir, migrationsDir])).applied).toEqual(['005_rating.sql']);

      const wrong = await db.query(
        `SELECT d.product_id FROM search_doc d
          WHERE d.rating_avg <> CASE WHEN d.rating_count > 0 THEN d.rating_sum::numeric / d.rating_count ELSE 0 END
             OR ARRAY(SELECT fv.value::int FROM unnest(d.facets) x JOIN facet_values fv ON fv.id = x AND fv.kind = 'rating'
                       ORDER BY 1)
             <> ARRAY(SELECT l FROM generate_series(1, 4) l WHERE d.rating_count > 0 AND d.rating_sum >= l * d.rating_count)`,
      );
      expect(wrong.rows).toEqual([]);
      await expectCountsConsistent(db);
    } finally {
      await db.drop();
      await rm(before, { recursive: true, force: true });
    }
  });
});

describe('query plan', () => {
  it('"Top rated" browsing walks search_doc_rating from the cursor on, with no sort', async () => {
    const first = await jsonOf(await t.get('/products?sort=rating&limit=3'));
    const after = decodeCursor(first.nextCursor, 'rating');
    const plan = await t.db.tx(async (tx) => {
      // Tiny tables would make a sequential scan cheapest; forbidding it shows whether the index
      // can serve the query at all (one it cannot would still show a Seq Scan or a Sort).
      await tx.query('SET LOCAL enable_seqscan = off');
      let text = '';
      const explain: Queryable = {
        query: (async (sql: string, params?: readonly unknown[]) => {
          const r = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params ? [...params] : []);
          text = r.rows.map((x) => x['QUERY PLAN']).join('\n');
          return { ...r, rows: [] };
        }) as Queryable['query'],
      };
      await browseProducts(explain, { scope: 0, currency: 'USD', sort: 'rating', after, limit: 24 });
      return text;
    });
    // The page's LIMIT reads straight off the index (no Sort under it), from the cursor on.
    expect(plan).toMatch(/Limit [^\n]*\n\s*-> {2}Index Scan using search_doc_rating on search_doc/);
    expect(plan).toMatch(/Index Cond: \(ROW\(\(- rating_avg\), \(- rating_count\), product_id\) > ROW\(/);
    expect(plan).not.toMatch(/Seq Scan on search_doc/);
  });
});
