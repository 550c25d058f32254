import { Conflict } from '@storefront/kit';
import { describe, expect, it } from 'vitest';
import {
  assertCanMove,
  authorKey,
  type Category,
  categoryPath,
  categoryTree,
  newProduct,
  patchProduct,
  ratingSummary,
  slugify,
} from './domain.ts';

const at = () => {
  let n = 0;
  return {
    now: new Date('2026-01-01T00:00:00Z'),
    newId: () => `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}`,
  };
};

describe('slugify', () => {
  it.each([
    ['Pixelon P7 Android Phone', 'pixelon-p7-android-phone'],
    ["Women's Running Shoes", 'womens-running-shoes'],
    ['Café  Noir — 250 g', 'cafe-noir-250-g'],
    ['  --Hello__World--  ', 'hello-world'],
    ['日本', 'item'],
    ['', 'item'],
  ])('%j → %j', (input, slug) => {
    expect(slugify(input)).toBe(slug);
  });

  it('cuts long names without a trailing hyphen', () => {
    expect(slugify('a '.repeat(200), 11)).toBe('a-a-a-a-a-a');
  });
});

describe('newProduct', () => {
  const priced = { sku: 'SKU-1', prices: [{ currency: 'USD', amount: 1999 }] };

  it('defaults to a draft with a slug from the name', () => {
    const p = newProduct({ name: 'Nimbus Edge Phone' }, at());
    expect(p).toMatchObject({ slug: 'nimbus-edge-phone', status: 'draft', variants: [], ratingCount: 0 });
  });

  it.each([
    ['publishing without variants', { name: 'x', status: 'published' as const }, /needs a variant with a price/],
    [
      'publishing without prices',
      { name: 'x', status: 'published' as const, variants: [{ sku: 'A' }] },
      /needs a variant with a price/,
    ],
    ['a repeated sku', { name: 'x', variants: [priced, priced] }, /appears twice/],
    [
      'a currency twice on a variant',
      {
        name: 'x',
        variants: [
          {
            sku: 'A',
            prices: [
              { currency: 'EUR', amount: 1 },
              { currency: 'EUR', amount: 2 },
            ],
          },
        ],
      },
      /EUR twice/,
    ],
    [
      'a compare-at price at or below the price',
      { name: 'x', variants: [{ sku: 'A', prices: [{ currency: 'USD', amount: 500, compareAt: 500 }] }] },
      /compareAt/,
    ],
  ])('refuses %s', (_, input, message) => {
    expect(() => newProduct(input, at())).toThrow(Conflict);
    expect(() => newProduct(input, at())).toThrow(message);
  });

  it('numbers variants and keeps prices in minor units', () => {
    const p = newProduct({ name: 'x', status: 'published', variants: [priced, { sku: 'SKU-2' }] }, at());
    expect(p.variants.map((v) => [v.sku, v.position])).toEqual([
      ['SKU-1', 0],
      ['SKU-2', 1],
    ]);
    expect(p.variants[0]?.prices).toEqual([{ currency: 'USD', amount: 1999, compareAt: null }]);
  });
});

describe('patchProduct', () => {
  const base = newProduct(
    { name: 'Lamp', variants: [{ sku: 'L1', prices: [{ currency: 'USD', amount: 100 }] }] },
    at(),
  );
  const later = new Date('2026-02-01T00:00:00Z');

  it.each([
    [{}, []],
    [{ name: 'Lamp' }, []],
    [{ name: 'Desk Lamp' }, ['name']],
    [{ status: 'published' as const, attributes: { color: 'Red' } }, ['status', 'attributes']],
    [{ brandId: null }, []],
  ])('%j changes %j', (patch, changed) => {
    const result = patchProduct(base, patch, later);
    expect(result.changed).toEqual(changed);
    expect(result.next.updatedAt).toEqual(changed.length ? later : base.updatedAt);
  });

  it('refuses to publish a product that cannot be bought', () => {
    const bare = newProduct({ name: 'Bare' }, at());
    expect(() => patchProduct(bare, { status: 'published' }, later)).toThrow(/needs a variant/);
  });
});

describe('categories', () => {
  const cat = (id: string, parentId: string | null, slug: string, path: string, position = 0): Category => ({
    id,
    parentId,
    slug,
    name: slug,
    path,
    position,
  });

  it('builds paths from the parent', () => {
    expect(categoryPath(null, 'home')).toBe('/home/');
    expect(categoryPath({ path: '/home/' }, 'kitchen')).toBe('/home/kitchen/');
  });

  it.each([
    ['/home/', '/home/kitchen/', true],
    ['/home/', '/home/', true],
    ['/home/', '/garden/', false],
    ['/home/', null, false],
    ['/home/kitchen/', '/home/', false],
  ])('moving %s under %s is refused: %s', (path, parent, refused) => {
    const move = () => assertCanMove({ path, slug: 'x' }, parent === null ? null : { path: parent });
    if (refused) expect(move).toThrow(Conflict);
    else expect(move).not.toThrow();
  });

  it('turns rows into an ordered forest', () => {
    const tree = categoryTree([
      cat('2', '1', 'kitchen', '/home/kitchen/', 1),
      cat('3', '1', 'bedding', '/home/bedding/', 0),
      cat('1', null, 'home', '/home/'),
      cat('4', null, 'fashion', '/fashion/'),
    ]);
    expect(tree.map((n) => n.slug)).toEqual(['fashion', 'home']);
    expect(tree[1]?.children.map((n) => n.slug)).toEqual(['bedding', 'kitchen']);
  });
});

describe('reviews', () => {
  it.each([
    ['Ann', 'ann'],
    ['  Ann   Lee ', 'ann lee'],
    ['ＡＮＮ', 'ann'],
  ])('author %j folds to %j', (author, key) => {
    expect(authorKey(author)).toBe(key);
  });

  it.each([
    [0, 0, null],
    [1, 5, 5],
    [3, 13, 4.33],
    [2, 9, 4.5],
  ])('%i ratings summing to %i average %s', (count, sum, average) => {
    expect(ratingSummary(count, sum)).toEqual({ count, average });
  });
});
