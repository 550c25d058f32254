import { BadRequest } from '@storefront/kit';
import { describe, expect, it } from 'vitest';
import {
  chooseCorrection,
  correctedQuery,
  decodeCursor,
  effectiveSort,
  encodeCursor,
  priceBucketBounds,
  priceBuckets,
  type SearchParams,
  searchKey,
  soundKey,
  type TermCandidate,
  termDelta,
  tokenize,
  tsqueryText,
  tsqueryTextAny,
} from './domain-search.ts';

describe('tokenize', () => {
  it.each([
    ['Andriod  Fone', ['andriod', 'fone']],
    ["women's running-shoes!", ['women', 'running', 'shoes']],
    ['a 5 5G x', ['5', '5g']],
    ["'; DROP TABLE products; --", ['drop', 'table', 'products']],
    ['wi-fi & (router) | !x:*', ['wi', 'fi', 'router']],
    ['Café crème', ['café', 'crème']],
    [
      'one two three four five six seven eight nine ten',
      ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'],
    ],
    ['\u0000\u0007', []],
  ])('%j → %j', (q, words) => {
    expect(tokenize(q)).toEqual(words);
  });

  it.each([
    ['cast i', ['cast', 'i']],
    ['cast i ', ['cast']],
    ['a', ['a']],
    ['', []],
  ])('in a search box keeps the word being typed: %j → %j', (q, words) => {
    expect(tokenize(q, { keepLast: true })).toEqual(words);
  });
});

describe('soundKey', () => {
  it.each([
    ['fone', 'phone'],
    ['andriod', 'android'],
    ['hedphones', 'headphones'],
    ['wireles', 'wireless'],
    ['runing', 'running'],
    ['snekers', 'sneakers'],
    ['laptp', 'laptop'],
    ['nife', 'knife'],
    ['skilet', 'skillet'],
  ])('%s sounds like %s', (typo, word) => {
    expect(soundKey(typo)).toBe(soundKey(word));
  });

  it.each([
    ['phone', 'laptop'],
    ['shoes', 'socks'],
    ['tent', 'tablet'],
  ])('%s does not sound like %s', (a, b) => {
    expect(soundKey(a)).not.toBe(soundKey(b));
  });
});

describe('chooseCorrection', () => {
  const c = (term: string, similarity: number, sameSound = false, docCount = 10): TermCandidate => ({
    term,
    similarity,
    sameSound,
    docCount,
  });

  it.each([
    ['no candidates', 'andriod', [], null],
    ['a close trigram match', 'andriod', [c('android', 0.33, true)], 'android'],
    ['a weak match that sounds the same', 'fone', [c('phone', 0.22, true, 500)], 'phone'],
    ['a weak match that does not sound the same', 'fone', [c('font', 0.22)], null],
    ['the commoner of two equal matches', 'fone', [c('phone', 0.22, true, 900), c('fine', 0.25, true, 3)], 'phone'],
    ['nothing when the word itself is a term', 'phone', [c('phone', 1, true), c('phones', 0.7)], null],
    ['nothing for short words', 'tv', [c('tvs', 0.5, true)], null],
    ['nothing for words with digits', '5gg', [c('5g', 0.5)], null],
    ['the most similar when sounds differ', 'hedphones', [c('headphones', 0.6, true), c('phones', 0.4)], 'headphones'],
  ])('%s', (_, word, candidates, expected) => {
    expect(chooseCorrection(word, candidates)).toBe(expected);
  });
});

describe('tsquery text', () => {
  const words = [
    { word: 'andriod', prefix: false, correction: 'android' },
    { word: 'fone', prefix: true, correction: 'phone' },
  ];

  it('requires every word, typed or corrected, the last as a prefix', () => {
    expect(tsqueryText(words)).toBe('(andriod | android) & (fone:* | phone)');
    expect(tsqueryText([{ word: 'shoes', prefix: true, correction: null }])).toBe('shoes:*');
    expect(tsqueryText([])).toBeNull();
  });

  it('falls back to any word', () => {
    expect(tsqueryTextAny(words)).toBe('andriod | android | fone:* | phone');
  });

  it('reports the corrected query only when something was corrected', () => {
    expect(correctedQuery(words)).toBe('android phone');
    expect(correctedQuery([{ word: 'phone', prefix: true, correction: null }])).toBeNull();
  });
});

describe('cursors', () => {
  const id = '0199a83f-8840-7236-b5b8-ba24de364311';

  it.each([
    { sort: 'rank' as const, key: 0.0607927, id },
    { sort: 'newest' as const, key: 1_735_689_600_123_456, id },
    { sort: 'price_asc' as const, key: 1999, id },
    { sort: 'price_desc' as const, key: null, id },
    { sort: 'rating' as const, key: ['4.3333333333333333', 3] as const, id },
    { sort: 'rating' as const, key: ['0', 0] as const, id },
  ])('round-trips %j', (cursor) => {
    expect(decodeCursor(encodeCursor(cursor), cursor.sort)).toEqual(cursor);
  });

  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  it.each([
    ['garbage', 'not-base64!!'],
    ['not JSON', Buffer.from('{').toString('base64url')],
    ['the wrong shape', b64({ a: 1 })],
    ['another sort', b64(['newest', 1, id])],
    ['a bad id', b64(['price_asc', 1, 'x'])],
    ['a null key outside price sorts', b64(['rank', null, id])],
    ['a fractional newest key', b64(['newest', 1.5, id])],
    ['a string key', b64(['price_asc', '1', id])],
  ])('refuses %s with 400', (_, text) => {
    expect(() => decodeCursor(text, 'price_asc')).toThrow(BadRequest);
  });

  // Keys Postgres could not read as the column's type (found by the property test: a 500 before).
  it.each([
    ['price_asc', 'a tiny fraction', -5e-324],
    ['price_desc', 'a fraction', 19.99],
    ['price_asc', 'an integer beyond 2^53', 2 ** 60],
    ['newest', 'a fraction', 1.5],
    ['rank', 'a subnormal', 5e-324],
    ['rank', 'a value beyond float4', 1e300],
  ] as const)('refuses a %s cursor with %s', (sort, _, key) => {
    expect(() => decodeCursor(b64([sort, key, id]), sort)).toThrow(BadRequest);
  });

  it.each([
    ['a number key', b64(['rating', 4.5, id])],
    ['a null key', b64(['rating', null, id])],
    ['an average that is not a decimal', b64(['rating', ['4.5; DROP', 2], id])],
    ['an exponent', b64(['rating', ['4e1', 2], id])],
    ['a negative count', b64(['rating', ['4.5', -1], id])],
    ['a count beyond int', b64(['rating', ['4.5', 2 ** 31], id])],
    ['a fractional count', b64(['rating', ['4.5', 1.5], id])],
    ['three parts', b64(['rating', ['4.5', 2, 3], id])],
  ])('refuses a rating cursor with %s', (_, text) => {
    expect(() => decodeCursor(text, 'rating')).toThrow(BadRequest);
  });

  it('relevance without words means newest', () => {
    expect(effectiveSort('relevance', true)).toBe('rank');
    expect(effectiveSort('relevance', false)).toBe('newest');
    expect(effectiveSort('price_desc', true)).toBe('price_desc');
    expect(effectiveSort('rating', true)).toBe('rating');
  });
});

describe('price buckets', () => {
  it('scales bounds to minor units', () => {
    expect(priceBucketBounds('USD').slice(0, 3)).toEqual([0, 1000, 2500]);
    expect(priceBucketBounds('JPY').slice(0, 3)).toEqual([0, 10, 25]);
  });

  it('labels width_bucket indexes and drops empty ones', () => {
    const bounds = [0, 1000, 2500];
    expect(
      priceBuckets(bounds, [
        { bucket: 3, count: 2 },
        { bucket: 1, count: 5 },
        { bucket: 2, count: 0 },
      ]),
    ).toEqual([
      { min: 0, max: 1000, count: 5 },
      { min: 2500, max: null, count: 2 },
    ]);
  });
});

describe('termDelta', () => {
  it('counts products per word across a change', () => {
    const delta = termDelta(
      [
        ['phone', 'black'],
        ['phone', 'blue'],
      ],
      [['phone', 'black', 'black'], ['tablet']],
    );
    expect(Object.fromEntries(delta)).toEqual({ phone: -1, blue: -1, tablet: 1 });
  });
});

describe('searchKey', () => {
  const base: SearchParams = {
    q: 'Running  Shoes',
    category: null,
    brands: ['b', 'a'],
    currency: 'USD',
    minPrice: null,
    maxPrice: null,
    attrs: { size: ['9', '8'], color: ['red'] },
    inStock: null,
    minRating: null,
    sort: 'relevance',
    cursor: null,
    limit: 24,
  };

  it('is the same for equivalent parameters and differs otherwise', () => {
    const same = { ...base, q: 'running shoes', brands: ['a', 'b'], attrs: { color: ['red'], size: ['8', '9'] } };
    expect(searchKey(same)).toBe(searchKey(base));
    expect(searchKey({ ...base, limit: 25 })).not.toBe(searchKey(base));
    expect(searchKey({ ...base, inStock: true })).not.toBe(searchKey(base));
    expect(searchKey({ ...base, inStock: false })).not.toBe(searchKey({ ...base, inStock: true }));
    expect(searchKey({ ...base, minRating: 4 })).not.toBe(searchKey(base));
    expect(searchKey({ ...base, minRating: 4 })).not.toBe(searchKey({ ...base, minRating: 3 }));
    expect(searchKey({ ...base, sort: 'rating' })).not.toBe(searchKey(base));
  });
});
