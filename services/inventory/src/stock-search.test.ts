import type { Queryable } from '@storefront/kit';
import { jsonOf } from '@storefront/kit/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cmp } from './domain.ts';
import { listStock } from './store-read.ts';
import { type TestInventory, testInventory } from './test-app.ts';

/** GET /stock for the admin console: SKU prefix search, low stock only, location, keyset pages — on real Postgres. */

let t: TestInventory;
const staff = { roles: ['fulfillment' as const] };
const LOCATIONS = ['store-c', 'wh-a', 'wh-b'];

interface Row {
  sku: string;
  location: string;
  onHand: number;
  reserved: number;
  lowThreshold: number;
}
/** Mixed case, `_` and `.` on purpose: the prefix is case-insensitive and `_` is not a wildcard. */
const ROWS: Row[] = [
  ['PXL-P7-128-BLK', 'wh-a', 40, 0, 5],
  ['PXL-P7-128-BLK', 'wh-b', 5, 0, 5], // at the threshold: low
  ['PXL-P7-128-BLK', 'store-c', 0, 0, 2], // out of stock: low
  ['pxl-p7-256-wht', 'wh-a', 9, 3, 5],
  ['Pxl_P7-Case', 'wh-a', 3, 3, 0], // available 0, threshold 0: low
  ['PXLAP7', 'wh-b', 100, 0, 5],
  ['PX', 'wh-a', 1, 0, 1],
  ['MUG-2', 'wh-a', 12, 0, 10],
  ['MUG-2', 'store-c', 4, 1, 1],
  ['mug.3', 'wh-b', 6, 0, 6],
  ['Z9', 'store-c', 2, 0, 5],
  ['a', 'wh-a', 7, 7, 0],
].map(([sku, location, onHand, reserved, lowThreshold]) => ({
  sku: sku as string,
  location: location as string,
  onHand: onHand as number,
  reserved: reserved as number,
  lowThreshold: lowThreshold as number,
}));

beforeAll(async () => {
  t = await testInventory();
  for (const code of LOCATIONS) await t.addLocation({ code });
  for (const r of ROWS) {
    await t.setStock(r.sku, r.location, r.onHand, r.reserved);
    await t.db.query('UPDATE stock SET low_threshold = $3 WHERE sku = $1 AND location = $2', [
      r.sku,
      r.location,
      r.lowThreshold,
    ]);
  }
});
afterAll(() => t.close());

const order = (a: Row, b: Row) =>
  cmp(a.sku.toLowerCase(), b.sku.toLowerCase()) || cmp(a.sku, b.sku) || cmp(a.location, b.location);
const key = (r: { sku: string; location: string }) => `${r.sku}@${r.location}`;

/** What GET /stock should list for these filters, in its order (the reference the API is checked against). */
function expected(f: { q?: string; low?: boolean; location?: string; sku?: string }): string[] {
  return ROWS.filter(
    (r) =>
      (!f.q || r.sku.toLowerCase().startsWith(f.q.toLowerCase())) &&
      (!f.low || r.onHand - r.reserved <= r.lowThreshold) &&
      (!f.location || r.location === f.location) &&
      (!f.sku || r.sku === f.sku),
  )
    .sort(order)
    .map(key);
}

/** Every page of a listing, following nextCursor; fails on anything but 200. */
async function all(query: Record<string, string>, limit: number): Promise<{ keys: string[]; pages: number }> {
  const keys: string[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const params = new URLSearchParams({ ...query, limit: String(limit), ...(after ? { after } : {}) });
    const res = await t.call('GET', `/stock?${params}`, { as: staff });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await jsonOf(res);
    expect(body.items.length).toBeLessThanOrEqual(limit);
    keys.push(...body.items.map(key));
    after = body.nextCursor;
    pages += 1;
    if (pages > 50) throw new Error('the cursor does not advance');
  } while (after);
  return { keys, pages };
}

describe('GET /stock search and filters', () => {
  it('q matches the start of the SKU whatever its case; `_` and `.` are literal', async () => {
    expect((await all({ q: 'pxl-p7' }, 50)).keys).toEqual([
      'PXL-P7-128-BLK@store-c',
      'PXL-P7-128-BLK@wh-a',
      'PXL-P7-128-BLK@wh-b',
      'pxl-p7-256-wht@wh-a',
    ]);
    expect((await all({ q: 'PXL_' }, 50)).keys).toEqual(['Pxl_P7-Case@wh-a']);
    expect((await all({ q: 'mug.' }, 50)).keys).toEqual(['mug.3@wh-b']);
    expect((await all({ q: 'px' }, 50)).keys).toEqual(expected({ q: 'px' }));
    expect((await all({ q: 'nothing' }, 50)).keys).toEqual([]);
  });

  it('low=true lists rows at or below their threshold, out of stock and zero thresholds included', async () => {
    const low = (await all({ low: 'true' }, 50)).keys;
    expect(low).toEqual(expected({ low: true }));
    expect(low).toEqual(
      expect.arrayContaining([
        'PXL-P7-128-BLK@wh-b',
        'PXL-P7-128-BLK@store-c',
        'Pxl_P7-Case@wh-a',
        'a@wh-a',
        'mug.3@wh-b',
      ]),
    );
    expect(low).not.toContain('PXL-P7-128-BLK@wh-a');
    expect((await all({ low: 'false' }, 50)).keys).toEqual(expected({}));
  });

  it('filters combine: prefix, low stock, location and exact SKU', async () => {
    expect((await all({ q: 'pxl', low: 'true', location: 'wh-a' }, 50)).keys).toEqual(['Pxl_P7-Case@wh-a']);
    expect((await all({ q: 'mug', location: 'store-c' }, 50)).keys).toEqual(['MUG-2@store-c']);
    expect((await all({ q: 'pxl', sku: 'PXLAP7' }, 50)).keys).toEqual(['PXLAP7@wh-b']);
    const one = await jsonOf(await t.call('GET', '/stock?q=pxl-p7-256', { as: staff }));
    expect(one.items).toEqual([
      {
        sku: 'pxl-p7-256-wht',
        location: 'wh-a',
        onHand: 9,
        reserved: 3,
        available: 6,
        lowThreshold: 5,
        lastCountedAt: null,
      },
    ]);
    expect(await jsonOf(await t.call('GET', '/stock?q=pxl-p7-256&low=true', { as: staff }))).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('pages follow the cursor to the end without repeating or skipping a row', async () => {
    const { keys, pages } = await all({ q: 'p' }, 2);
    expect(keys).toEqual(expected({ q: 'p' }));
    expect(pages).toBe(Math.ceil(keys.length / 2));
  });

  it('refuses malformed filters as a 422 problem naming the parameter, never a 500', async () => {
    for (const query of [
      'q=',
      'q=pxl%25',
      'q=pxl%20p7',
      `q=${'a'.repeat(65)}`,
      'q=%27%3B%20DROP%20TABLE%20stock',
      'low=yes',
      'low=1',
      'after=x',
      'after=PXL@WH_A',
      'location=WH-A',
      'limit=0',
    ]) {
      const res = await t.call('GET', `/stock?${query}`, { as: staff });
      expect(res.status, query).toBe(422);
      expect(res.headers.get('content-type'), query).toContain('application/problem+json');
      const body = await jsonOf(res);
      expect(body.code).toBe('validation_failed');
      expect(body.errors[0].path, query).toMatch(/^query\./);
    }
  });

  it('a prefix search and its pages are a range walk of the stock_search index, in order (no sort)', async () => {
    /** The plan of the exact SQL listStock sends, for these filters. */
    const planOf = (q: Parameters<typeof listStock>[1]) =>
      t.db.tx(async (tx) => {
        // The table is tiny: without this the planner rightly reads it whole. With it, a query the
        // index cannot serve still shows a Seq Scan or a Sort.
        await tx.query('SET LOCAL enable_seqscan = off');
        let plan = '';
        const explain: Queryable = {
          query: (async (sql: string, params?: readonly unknown[]) => {
            const r = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params ? [...params] : []);
            plan = r.rows.map((x) => x['QUERY PLAN']).join('\n');
            return { ...r, rows: [] };
          }) as Queryable['query'],
        };
        await listStock(explain, q);
        return plan;
      });
    const search = await planOf({
      location: null,
      sku: null,
      prefix: 'PXL_',
      after: { sku: 'Pxl_A', location: 'wh-a' },
      limit: 3,
    });
    expect(search).toMatch(/Index (Only )?Scan using stock_search/);
    expect(search).toMatch(/Index Cond: .*>= 'pxl_'.*< 'pxl`'.*ROW/);
    expect(search).not.toMatch(/Sort|Seq Scan/);
    // Low stock everywhere: the same ordered walk, the condition a filter along it.
    const low = await planOf({ location: null, sku: null, low: true, after: null, limit: 50 });
    expect(low).toMatch(/Index Scan using stock_search/);
    expect(low).not.toMatch(/Sort|Seq Scan/);
  });
});

describe('GET /stock under arbitrary filters (fast-check)', () => {
  const prefix = fc.oneof(
    fc.constantFrom('p', 'P', 'pxl', 'PXL-P7', 'pxl_', 'mug', 'MUG-2', 'z', 'a', 'x'),
    fc.stringMatching(/^[A-Za-z0-9._-]{1,4}$/),
  );
  it('every combination pages to exactly the rows the filters describe, in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(prefix, { nil: undefined }),
        fc.boolean(),
        fc.option(fc.constantFrom(...LOCATIONS), { nil: undefined }),
        fc.integer({ min: 1, max: 5 }),
        async (q, low, location, limit) => {
          const query: Record<string, string> = {
            ...(q ? { q } : {}),
            ...(low ? { low: 'true' } : {}),
            ...(location ? { location } : {}),
          };
          const { keys } = await all(query, limit);
          expect(keys).toEqual(expected({ q, low, location }));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('random query strings never answer 5xx: 200 or a 422 problem', async () => {
    const value = fc.oneof(
      fc.string({ maxLength: 70 }),
      fc.constantFrom('true', 'false', '', 'PXL', 'PXL-P7-128-BLK@wh-a', '%', '_', '\\', '@', '0', '-1', '999'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('q', 'low', 'location', 'sku', 'after', 'limit'), value, { maxKeys: 5 }),
        async (params) => {
          const res = await t.call('GET', `/stock?${new URLSearchParams(params)}`, { as: staff });
          expect([200, 422], `${JSON.stringify(params)} → ${res.status}`).toContain(res.status);
        },
      ),
      { numRuns: 200 },
    );
  });
});
