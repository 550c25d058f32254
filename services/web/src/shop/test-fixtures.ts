/** The shop's test data: ids, the product, the category tree, a search answer, stock, a checkout form. */

export const CSRF = 'shop-test-csrf-token-0123456789abcdef';
export const ORDER_ID = '0199a83f-8840-7236-b5b8-ba24de364311';
export const PAYMENT_ID = '0199a83f-8840-7236-b5b8-ba24de364399';
export const SLUG = 'aurion-pro-headphones';

export const IMG = 'data:image/svg+xml,%3Csvg%20xmlns%3D%22http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%22%2F%3E';

export const PRODUCT = {
  id: 'p-1',
  slug: SLUG,
  name: 'Aurion Pro Headphones',
  description: 'Over-ear headphones with <b>noise</b> cancelling.',
  status: 'published',
  brand: { id: 'b-1', slug: 'aurion', name: 'Aurion' },
  category: {
    id: 'c-3',
    slug: 'headphones',
    name: 'Headphones',
    path: '/electronics/audio/headphones/',
    trail: [
      { slug: 'electronics', name: 'Electronics' },
      { slug: 'audio', name: 'Audio' },
      { slug: 'headphones', name: 'Headphones' },
    ],
  },
  attributes: { color: 'Black', battery: '40 h' },
  images: [{ url: IMG, alt: 'Aurion Pro Headphones, front' }],
  variants: [
    {
      id: 'v-1',
      sku: 'AUR-1-BLK',
      options: { color: 'Black' },
      position: 0,
      prices: [{ currency: 'USD', amount: 19999, compareAt: 24999 }],
    },
    {
      id: 'v-2',
      sku: 'AUR-1-WHT',
      options: { color: 'White' },
      position: 1,
      prices: [{ currency: 'USD', amount: 19999, compareAt: null }],
    },
  ],
  rating: { count: 2, average: 4.5 },
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

export const TREE = [
  {
    id: 'c-1',
    parentId: null,
    slug: 'electronics',
    name: 'Electronics',
    path: '/electronics/',
    position: 0,
    children: [
      {
        id: 'c-2',
        parentId: 'c-1',
        slug: 'audio',
        name: 'Audio',
        path: '/electronics/audio/',
        position: 0,
        children: [
          {
            id: 'c-3',
            parentId: 'c-2',
            slug: 'headphones',
            name: 'Headphones',
            path: '/electronics/audio/headphones/',
            position: 0,
            children: [],
          },
        ],
      },
    ],
  },
];

export const ITEM = {
  id: 'p-1',
  slug: SLUG,
  name: 'Aurion Pro Headphones',
  brand: 'Aurion',
  image: IMG,
  price: { amount: 19999, currency: 'USD' },
  rating: { count: 2, average: 4.5 },
  inStock: true,
};

export function searchResult(q: string, corrected: string | null, total = 1) {
  return {
    query: { q, corrected, matched: 'all' },
    total,
    items: total
      ? [ITEM, { ...ITEM, id: 'p-2', slug: 'aurion-lite', name: 'Aurion Lite', rating: { count: 0, average: null } }]
      : [],
    nextCursor: total ? 'bmV4dA' : null,
    facets: {
      categories: total
        ? [{ slug: 'headphones', name: 'Headphones', path: '/electronics/audio/headphones/', count: 2 }]
        : [],
      brands: total ? [{ slug: 'aurion', name: 'Aurion', count: 2 }] : [],
      price: { currency: 'USD', buckets: total ? [{ min: 10000, max: 25000, count: 2 }] : [] },
      attributes: total ? [{ key: 'color', values: [{ value: 'black', count: 2 }] }] : [],
      inStock: total ? 2 : 0,
    },
  };
}

export const STOCK: Record<string, number> = { 'AUR-1-BLK': 12, 'AUR-1-WHT': 0 };

/** The address and card a checkout posts (override any field). */
export function checkoutFields(key: string, over: Record<string, string> = {}): Record<string, string> {
  return {
    idempotencyKey: key,
    email: 'ada@example.test',
    name: 'Ada Guest',
    line1: '1 Market St',
    city: 'San Francisco',
    region: 'CA',
    postalCode: '94105',
    country: 'US',
    shipping: 'standard',
    cardNumber: '4242 4242 4242 4242',
    cardExpiry: '12/39',
    cardCvc: '123',
    ...over,
  };
}
