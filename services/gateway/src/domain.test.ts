import { describe, expect, it } from 'vitest';
import {
  cacheKeyParts,
  clientIp,
  forClass,
  ipBucket,
  isCacheableRequest,
  isCacheableResponse,
  parseApiPath,
  rateLimitHeaders,
  routeClass,
  splitUrl,
} from './domain.ts';

describe('parseApiPath', () => {
  it.each([
    ['/api/catalog/products/1', { service: 'catalog', rest: '/products/1' }],
    ['/api/catalog', { service: 'catalog', rest: '/' }],
    ['/api/catalog/', { service: 'catalog', rest: '/' }],
    ['/api/cart//x', { service: 'cart', rest: '//x' }],
    ['/api/', undefined],
    ['/api/Catalog/x', undefined],
    ['/api/..%2Fidentity/x', undefined],
    ['/api/%63atalog/x', undefined],
    ['/apix/catalog', undefined],
    ['/shop', undefined],
  ])('%s', (path, expected) => {
    expect(parseApiPath(path)).toEqual(expected);
  });
});

describe('splitUrl', () => {
  it.each([
    ['http://h/a/b?x=1', { path: '/a/b', search: '?x=1' }],
    ['http://h:8080/a', { path: '/a', search: '' }],
    ['http://h', { path: '/', search: '' }],
    ['http://h/a?x=1#frag', { path: '/a', search: '?x=1' }],
    ['http://h/a#f?x', { path: '/a', search: '' }],
    ['http://h/a%2Fb?q=%20', { path: '/a%2Fb', search: '?q=%20' }],
  ])('%s', (url, expected) => {
    expect(splitUrl(url)).toEqual(expected);
  });
});

describe('routeClass', () => {
  it.each([
    ['GET', 'catalog', 'read'],
    ['HEAD', 'identity', 'read'],
    ['OPTIONS', 'cart', 'read'],
    ['POST', 'cart', 'write'],
    ['DELETE', 'orders', 'write'],
    ['POST', 'identity', 'auth'],
    ['PUT', undefined, 'write'],
  ] as const)('%s %s → %s', (method, service, cls) => {
    expect(routeClass(method, service)).toBe(cls);
  });

  it('falls back to the default entry of a per-class table', () => {
    const table = { default: 1, write: 2 };
    expect(forClass(table, 'write')).toBe(2);
    expect(forClass(table, 'auth')).toBe(1);
  });
});

describe('clientIp', () => {
  it.each([
    ['10.0.0.9', undefined, 0, '10.0.0.9'],
    ['10.0.0.9', '1.2.3.4', 0, '10.0.0.9'],
    ['10.0.0.9', '1.2.3.4', 1, '1.2.3.4'],
    // The client wrote the left entry; our one trusted proxy appended the right one.
    ['10.0.0.9', '6.6.6.6, 1.2.3.4', 1, '1.2.3.4'],
    ['10.0.0.9', '6.6.6.6, 1.2.3.4, 10.0.0.2', 2, '1.2.3.4'],
    ['10.0.0.9', '1.2.3.4', 3, '1.2.3.4'],
    ['10.0.0.9', 'garbage, <script>', 1, '10.0.0.9'],
    ['::ffff:192.168.1.5', undefined, 0, '192.168.1.5'],
    [undefined, undefined, 0, 'unknown'],
  ] as const)('socket %s, xff %s, %i trusted → %s', (socket, xff, hops, expected) => {
    expect(clientIp(socket, xff, hops)).toBe(expected);
  });
});

describe('ipBucket', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    ['2001:db8:abcd:12:1:2:3:4', '2001:db8:abcd:12::/64'],
    ['2001:db8:abcd:12::99', '2001:db8:abcd:12::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('%s → %s', (ip, bucket) => {
    expect(ipBucket(ip)).toBe(bucket);
  });
});

describe('cache keys and eligibility', () => {
  const key = (search: string, extra: { acceptLanguage?: string; currency?: string } = {}) =>
    cacheKeyParts({ method: 'GET', path: '/api/catalog/products', search, ...extra });

  it('ignores the order of different parameters but not of repeated ones', () => {
    expect(key('?b=2&a=1')).toBe(key('?a=1&b=2'));
    expect(key('?a=1&a=2')).not.toBe(key('?a=2&a=1'));
    expect(key('?a=1')).not.toBe(key('?a=2'));
  });

  it('varies on language and currency', () => {
    expect(key('', { acceptLanguage: 'de' })).not.toBe(key('', { acceptLanguage: 'fr' }));
    expect(key('', { currency: 'EUR' })).not.toBe(key('', { currency: 'USD' }));
  });

  it.each([
    [{ method: 'GET', path: '/api/catalog/products' }, true],
    [{ method: 'HEAD', path: '/api/catalog/products' }, false],
    [{ method: 'POST', path: '/api/catalog/products' }, false],
    [{ method: 'GET', path: '/api/cart/c1' }, false],
    [{ method: 'GET', path: '/api/catalog/products', authorization: 'Bearer x' }, false],
    [{ method: 'GET', path: '/api/catalog/products', cookie: 'sid=1' }, false],
    [{ method: 'GET', path: '/api/catalog/products', cacheControl: 'no-store' }, false],
    [{ method: 'GET', path: '/api/catalog/products', adminToken: 'staff-token-1234567' }, false],
    [{ method: 'GET', path: '/api/catalog/admin/products' }, false],
    [{ method: 'GET', path: '/api/catalog/Admin' }, false],
    [{ method: 'GET', path: '/api/catalog/administrators-choice' }, true],
  ])('request %o cacheable: %s', (req, expected) => {
    expect(isCacheableRequest(req)).toBe(expected);
  });

  const ok = { status: 200, contentType: 'application/json; charset=utf-8', contentLength: '100' };
  it.each([
    [ok, true],
    [{ ...ok, contentType: 'application/problem+json' }, true],
    [{ ...ok, status: 404 }, false],
    [{ ...ok, contentType: 'text/html' }, false],
    [{ ...ok, contentLength: '2000' }, false],
    [{ ...ok, contentLength: null }, false],
    [{ ...ok, cacheControl: 'private, max-age=60' }, false],
    [{ ...ok, setCookie: true }, false],
    [{ ...ok, contentEncoding: 'gzip' }, false],
  ])('response %o cacheable: %s', (res, expected) => {
    expect(isCacheableResponse(res, 1_000)).toBe(expected);
  });
});

describe('rateLimitHeaders', () => {
  it('reports the budget, and Retry-After in whole seconds only when refused', () => {
    expect(rateLimitHeaders({ remaining: 7.6, retryAfterMs: 0 }, { rate: 2, burst: 10 })).toEqual({
      'ratelimit-limit': '10',
      'ratelimit-remaining': '7',
      'ratelimit-reset': '2',
    });
    expect(rateLimitHeaders({ remaining: 0.2, retryAfterMs: 1_400 }, { rate: 0.5, burst: 5 })).toMatchObject({
      'ratelimit-remaining': '0',
      'retry-after': '2',
    });
    expect(rateLimitHeaders({ remaining: 0.9, retryAfterMs: 100 }, { rate: 10, burst: 5 })['retry-after']).toBe('1');
  });
});
