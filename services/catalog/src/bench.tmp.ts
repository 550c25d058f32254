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
const cases: [string, Partial<SearchParams>][] = [
  ['q=andriod fone', { q: 'andriod fone' }],
  ['q=wireless headphones', { q: 'wireless headphones' }],
  ['q=running shoes women', { q: 'running shoes women' }],
  ['q=shoes black price_asc', { q: 'shoes', attrs: { color: ['black'] }, sort: 'price_asc' }],
  [
    'category=phones brand=pixelon 200-600',
    { category: 'phones', brands: ['pixelon'], minPrice: 20000, maxPrice: 60000 },
  ],
  ['category=headphones', { category: 'headphones' }],
  ['category=electronics newest', { category: 'electronics', sort: 'newest' }],
  ['category=electronics price_asc', { category: 'electronics', sort: 'price_asc' }],
  ['q=ergonomic (description only)', { q: 'cushioned' }],
  ['everything newest', { sort: 'newest' }],
];
for (const [name, p] of cases) {
  const times: number[] = [];
  let total = 0;
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    total = (await runSearch(db, { ...base, ...p })).total;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(40)} total ${String(total).padStart(6)}  min ${times[0]?.toFixed(1)}  median ${times[3]?.toFixed(1)} ms`,
  );
}
await db.close();
