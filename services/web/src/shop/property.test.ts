import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CSRF, ORDER_ID, SLUG, shopApp } from './test-kit.ts';

const GET_PATHS = [
  '/',
  '/c/audio',
  '/c/electronics',
  '/search',
  `/p/${SLUG}`,
  '/cart',
  '/checkout',
  '/checkout/return',
  `/orders/${ORDER_ID}`,
  `/orders/${ORDER_ID}/status`,
];
const POST_PATHS = [
  '/cart/add',
  '/cart/lines/AUR-1-BLK',
  '/cart/lines/AUR-1-BLK/remove',
  '/cart/code',
  '/cart/code/remove',
  '/cart/shipping',
  '/cart/acknowledge',
  '/checkout',
  `/p/${SLUG}/reviews`,
];
const KEYS = [
  'q',
  'brand',
  'price',
  'sort',
  'cursor',
  'inStock',
  'category',
  'attr.color',
  'attr.BAD',
  'sku',
  'done',
  'reviews',
  'paymentId',
  'redirect_status',
  'quantity',
  'code',
  'option',
  'region',
  'slug',
  'idempotencyKey',
  'email',
  'name',
  'line1',
  'city',
  'postalCode',
  'country',
  'shipping',
  'cardNumber',
  'cardExpiry',
  'cardCvc',
  'author',
  'rating',
  'body',
];
const value = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', '0', '-1', '1', '99999999999999', 'aurion', '10000-25000', 'newest', 'US-CA', '4242424242424242'),
  fc.string({ maxLength: 300, unit: 'grapheme' }),
);
const pairs = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 12 })), value), {
  maxLength: 8,
});

describe('shop routes never answer 500 to odd input', () => {
  it('random query strings on every shop page', async () => {
    const t = await shopApp();
    const b = t.browser();
    await b.post('/cart/add', { sku: 'AUR-1-BLK', quantity: '1', slug: SLUG });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...GET_PATHS), pairs, async (path, ps) => {
        const qs = new URLSearchParams(ps).toString();
        const res = await b.get(`${path}?${qs}`);
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('random form bodies on every shop form (with the CSRF field)', async () => {
    const t = await shopApp();
    const b = t.browser();
    await b.post('/cart/add', { sku: 'AUR-1-BLK', quantity: '1', slug: SLUG });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...POST_PATHS), pairs, fc.boolean(), async (path, ps, signedIn) => {
        const body = new URLSearchParams([['_csrf', CSRF], ...ps]);
        const cookie = [...b.jar].map(([k, v]) => `${k}=${v}`);
        if (signedIn) cookie.push(`sf_at=${await t.auth.customerToken('cust-p')}`);
        const res = await t.app.request(path, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie.join('; ') },
          body: body.toString(),
        });
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});
