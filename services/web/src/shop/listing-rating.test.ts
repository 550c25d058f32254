import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { searchResult } from './test-fixtures.ts';
import { shopApp } from './test-kit.ts';

/**
 * The rating filter ("4★ & up" radios with counts), the "Top rated" sort and the rating chip on
 * the category and search pages, against the fake API answering the catalog's rating facet.
 */

const RATING = [
  { min: 4, count: 7 },
  { min: 3, count: 9 },
  { min: 2, count: 10 },
  { min: 1, count: 0 },
];
/** The fake's search answer with a rating facet; `narrowed`: as the catalog counts under minRating=3. */
const rated = (narrowed = false) =>
  Response.json({
    ...searchResult('', null),
    facets: {
      ...searchResult('', null).facets,
      rating: narrowed ? RATING.map((r) => ({ ...r, count: Math.min(r.count, 9) })) : RATING,
    },
  });

async function ratedShop() {
  const t = await shopApp();
  for (const path of ['/api/catalog/products', '/api/catalog/categories/audio/products']) {
    t.state.fail.set(path, () => {
      const last = t.calls.at(-1);
      return rated(last?.query.get('minRating') === '3');
    });
  }
  return t;
}

/** The label of each rating radio: its value, checked or not, and its text without tags. */
function ratingRadios(html: string) {
  const fieldset = /<fieldset class="rating-facet">(.*?)<\/fieldset>/s.exec(html)?.[1] ?? '';
  return [...fieldset.matchAll(/<label[^>]*>(.*?)<\/label>/gs)].map((m) => {
    const input = /<input type="radio" name="minRating" value="(\d?)"( checked)?/.exec(m[1] ?? '');
    return {
      value: input?.[1],
      checked: Boolean(input?.[2]),
      text: (m[1] ?? '')
        .split(/<[^>]+>/)
        .map((x) => x.trim())
        .filter(Boolean)
        .join('|'),
    };
  });
}

describe('rating filter and sort', () => {
  it('category page: radios "N★ & up" with their counts and spoken labels, levels no result reaches left out', async () => {
    const t = await ratedShop();
    const res = await t.browser().get('/c/audio');
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('<legend>Customer rating</legend>');
    expect(ratingRadios(html)).toEqual([
      { value: '', checked: true, text: 'Any rating' },
      { value: '4', checked: false, text: '4★ &amp; up|4 stars &amp; up|(7)' },
      { value: '3', checked: false, text: '3★ &amp; up|3 stars &amp; up|(9)' },
      { value: '2', checked: false, text: '2★ &amp; up|2 stars &amp; up|(10)' },
    ]);
    // The star glyphs are hidden from screen readers, which read the words instead.
    expect(html).toMatch(
      /<span aria-hidden="true">4★ &amp; up<\/span><span class="visually-hidden">4 stars &amp; up<\/span>/,
    );
    // Inside the page's GET form, so it works without script.
    expect(html).toMatch(/<form method="get" action="\/c\/audio"[^>]*class="facet-form">.*name="minRating"/s);
  });

  it('a chosen level is passed to the catalog, checked, shown as a removable chip, with exact counts per choice', async () => {
    const t = await ratedShop();
    const html = await (await t.browser().get('/c/audio?minRating=3&brand=aurion&sort=rating')).text();
    const calls = t.callsTo('GET', '/api/catalog/categories/audio/products');
    const page = calls.find((c) => c.query.get('limit') === '24');
    expect(page?.query.get('minRating')).toBe('3');
    expect(page?.query.get('sort')).toBe('rating');
    // One extra one-item search without the rating filter gives every level's exact count.
    const unrated = calls.find((c) => c.query.get('limit') === '1' && !c.query.has('minRating'));
    expect(unrated?.query.getAll('brand')).toEqual(['aurion']);
    const radios = ratingRadios(html);
    expect(radios.find((r) => r.checked)?.value).toBe('3');
    expect(radios.find((r) => r.value === '2')?.text).toContain('(10)');
    expect(html).toContain('Rating: 3 stars &amp; up');
    expect(html).toContain('href="/c/audio?brand=aurion&amp;sort=rating"');
    expect(html).toMatch(/<option value="rating" selected[^>]*>Top rated<\/option>/);
    // Paging keeps the filter.
    expect(html).toContain('minRating=3&amp;sort=rating&amp;cursor=bmV4dA');
  });

  it('search page: a rating filter alone is a search, the sort offers Top rated next to Best match', async () => {
    const t = await ratedShop();
    const html = await (await t.browser().get('/search?minRating=4')).text();
    expect(html).toContain('<h1>All products</h1>');
    expect(t.callsTo('GET', '/api/catalog/products')[0]?.query.get('minRating')).toBe('4');
    expect(ratingRadios(html).find((r) => r.checked)?.value).toBe('4');
    const options = [...html.matchAll(/<option value="(\w+)"/g)].map((m) => m[1]);
    expect(options).toEqual(['relevance', 'rating', 'price_asc', 'price_desc', 'newest']);
  });

  it('a catalog without the rating facet shows no rating filter', async () => {
    const t = await shopApp();
    const html = await (await t.browser().get('/c/audio')).text();
    expect(html).not.toContain('name="minRating"');
    expect(html).toContain('Top rated');
  });

  it.each(['0', '5', '3.5', 'four', '-1'])(
    'minRating=%s is a 400 page, and nothing is asked of the catalog',
    async (v) => {
      const t = await ratedShop();
      const res = await t.browser().get(`/c/audio?minRating=${v}`);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('<h1>That link is not right</h1>');
      expect(t.callsTo('GET', '/api/catalog/categories/audio/products')).toHaveLength(0);
    },
  );

  it('never answers 500 to any rating, sort or cursor on either listing', async () => {
    const t = await ratedShop();
    const b = t.browser();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/c/audio', '/search', '/search?q=phone'),
        fc.array(
          fc.tuple(
            fc.constantFrom('minRating', 'sort', 'cursor', 'brand', 'price'),
            fc.oneof(fc.constantFrom('1', '4', '5', 'rating', 'relevance', ''), fc.string({ maxLength: 20 })),
          ),
          { maxLength: 4 },
        ),
        async (path, ps) => {
          const qs = new URLSearchParams(ps).toString();
          const res = await b.get(`${path}${path.includes('?') ? '&' : '?'}${qs}`);
          expect(res.status, `${path} ${qs}`).toBeLessThan(500);
        },
      ),
      { numRuns: 100 },
    );
  }, 60_000);
});
