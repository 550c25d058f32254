import { createDb } from '@storefront/kit';
import type { SearchParams } from './domain-search.ts';
import { runSearch } from './search.ts';

const db = createDb({ url: process.env.DATABASE_URL ?? '', schema: 'cat_100k' });
const base: SearchParams = {
  q: '',
  category: null,
  brands: [],
  currency: 'USD',
  minPrice: null,
  maxPrice: null,
  attrs: {},
  sort: 'relevance',
  cursor: null,
  limit: 24,
};
const p = { ...base, ...JSON.parse(process.argv[2] ?? '{}') };
const spy = {
  tx: (fn: (c: unknown) => unknown) => db.tx(fn as never),
  query: async (text: string, params: unknown[]) => {
    const t0 = performance.now();
    const r = await db.query(text, params);
    const ms = performance.now() - t0;
    const plan = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, params);
    console.log(`---- ${ms.toFixed(1)} ms: ${text.replace(/\s+/g, ' ').slice(0, 60)}`);
    console.log(plan.rows.map((x) => x['QUERY PLAN']).join('\n'));
    return r;
  },
};
await runSearch(spy as never, p);
await db.close();
