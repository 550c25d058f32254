import { describe, expect, it } from 'vitest';
import { type Access, accessFor, decide, normalizePath, type Verdict } from './policy.ts';

/** An Access as one short word for the table: public, signed-in, internal, service, or the staff roles joined with +. */
function short(a: Access): string {
  if (a.kind !== 'staff') return a.kind;
  return `${a.roles.join('+')}${a.mfa ? '+mfa' : ''}`;
}

const ANY_STAFF = 'support+merchandiser+fulfillment+admin+mfa';
const MERCH = 'merchandiser+admin+mfa';
const FULFIL = 'fulfillment+admin+mfa';

describe('accessFor', () => {
  it.each([
    // identity: sign-in and sign-up flows are public
    ['identity', 'POST', '/register', 'public'],
    ['identity', 'POST', '/login', 'public'],
    ['identity', 'POST', '/login/mfa', 'public'],
    ['identity', 'POST', '/mfa/enrol/start', 'public'],
    ['identity', 'POST', '/mfa/enrol/confirm', 'public'],
    ['identity', 'POST', '/token/refresh', 'public'],
    ['identity', 'POST', '/logout', 'public'],
    ['identity', 'POST', '/email/verify', 'public'],
    ['identity', 'POST', '/password/forgot', 'public'],
    ['identity', 'POST', '/password/reset', 'public'],
    ['identity', 'GET', '/.well-known/jwks.json', 'public'],
    // identity: the caller's own things
    ['identity', 'GET', '/me', 'signed-in'],
    ['identity', 'GET', '/sessions', 'signed-in'],
    ['identity', 'DELETE', '/sessions/0190a1b2', 'signed-in'],
    // identity: staff administration
    ['identity', 'POST', '/staff', ANY_STAFF],
    ['identity', 'PUT', '/accounts/a1/roles', ANY_STAFF],
    ['identity', 'POST', '/accounts/a1/sessions/revoke', ANY_STAFF],
    ['identity', 'POST', '/keys/rotate', ANY_STAFF],
    ['identity', 'GET', '/audit', ANY_STAFF],
    ['identity', 'GET', '/audit?cursor=x', ANY_STAFF],
    // identity: what slips through by spelling is still caught
    ['identity', 'POST', '/%73taff', ANY_STAFF],
    ['identity', 'POST', '/Staff/', ANY_STAFF],
    ['identity', 'POST', '//staff', ANY_STAFF],
    ['identity', 'GET', '/AUDIT', ANY_STAFF],
    ['identity', 'GET', '/%4De', 'signed-in'],
    ['identity', 'POST', '/loginx', 'service'],
    ['identity', 'GET', '/staffing', 'service'],
    ['identity', 'GET', '/somewhere-new', 'service'],
    // catalog
    ['catalog', 'GET', '/products', 'public'],
    ['catalog', 'HEAD', '/products/p1', 'public'],
    ['catalog', 'GET', '/', 'public'],
    ['catalog', 'GET', '/products/p1/reviews', 'public'],
    ['catalog', 'POST', '/products/p1/reviews', 'signed-in'],
    ['catalog', 'POST', '/products/p1/reviews/x', MERCH],
    ['catalog', 'POST', '/products', MERCH],
    ['catalog', 'PUT', '/variants/SKU-1/prices/USD', MERCH],
    ['catalog', 'DELETE', '/products/p1', MERCH],
    ['catalog', 'GET', '/admin/products', MERCH],
    ['catalog', 'GET', '/admin', MERCH],
    ['catalog', 'GET', '/%61dmin/products', MERCH],
    ['catalog', 'GET', '/Admin/Products', MERCH],
    ['catalog', 'GET', '/administrators-choice', 'public'],
    ['catalog', 'GET', '/admin%2Fproducts', 'public'],
    // inventory
    ['inventory', 'GET', '/availability', 'public'],
    ['inventory', 'HEAD', '/locations', 'public'],
    ['inventory', 'PATCH', '/locations/berlin', FULFIL],
    ['inventory', 'POST', '/locations', FULFIL],
    ['inventory', 'POST', '/availability', FULFIL],
    ['inventory', 'GET', '/stock', FULFIL],
    ['inventory', 'POST', '/reservations', FULFIL],
    ['inventory', 'POST', '/locations/berlin/pos-sync', FULFIL],
    // cart
    ['cart', 'POST', '/carts', 'public'],
    ['cart', 'PATCH', '/carts/c1/lines/SKU-1', 'public'],
    ['cart', 'GET', '/carts/mine', 'public'],
    ['cart', 'GET', '/promotions', MERCH],
    ['cart', 'POST', '/promotions/p1/redeem', MERCH],
    // every service: the kit's operational endpoints are not for the internet
    ['catalog', 'GET', '/metrics', 'internal'],
    ['cart', 'GET', '/readyz', 'internal'],
    ['orders', 'GET', '/healthz', 'internal'],
    ['identity', 'GET', '/Metrics/', 'internal'],
    ['inventory', 'GET', '/openapi.json', 'public'],
    // services without a table: the service decides
    ['orders', 'POST', '/checkout', 'service'],
    ['payments', 'POST', '/webhooks/stripe', 'service'],
  ] as const)('%s %s %s → %s', (service, method, path, expected) => {
    expect(short(accessFor(service, method, path.split('?')[0] ?? path))).toBe(expected);
  });

  it('treats methods case-insensitively', () => {
    expect(short(accessFor('catalog', 'post', '/products'))).toBe(MERCH);
  });
});

describe('normalizePath', () => {
  it.each([
    ['/', '/'],
    ['', '/'],
    ['/a/', '/a'],
    ['//a//b//', '/a/b'],
    ['/A/B', '/a/b'],
    ['/%73taff', '/staff'],
    ['/a%2Fb', '/a%2fb'],
    ['/%2573', '/%2573'],
    ['/%E0%A4%A', '/%e0%a4%a'],
    ['/ok%20then/%ZZ', '/ok then/%zz'],
  ])('%s → %s', (path, expected) => {
    expect(normalizePath(path)).toBe(expected);
  });
});

describe('decide', () => {
  const staff = (roles: string[], mfa: boolean): Access => ({ kind: 'staff', roles: roles as never, mfa });
  const customer = { roles: ['customer'] as const, mfa: false };
  const adminNoMfa = { roles: ['admin'] as const, mfa: false };
  const adminMfa = { roles: ['admin'] as const, mfa: true };
  it.each<[string, Access, { roles: readonly string[]; mfa: boolean } | undefined, Verdict]>([
    ['public, anonymous', { kind: 'public' }, undefined, 'allow'],
    ['service, anonymous', { kind: 'service' }, undefined, 'allow'],
    ['internal, even for an admin', { kind: 'internal' }, adminMfa, 'not-found'],
    ['signed-in, anonymous', { kind: 'signed-in' }, undefined, 'sign-in'],
    ['signed-in, customer', { kind: 'signed-in' }, customer, 'allow'],
    ['signed-in, a token with no known role', { kind: 'signed-in' }, { roles: [], mfa: false }, 'allow'],
    ['staff, anonymous', staff(['admin'], true), undefined, 'sign-in'],
    ['staff, customer', staff(['admin'], true), customer, 'wrong-role'],
    ['staff, admin without MFA', staff(['admin'], true), adminNoMfa, 'mfa-required'],
    ['staff, admin with MFA', staff(['admin'], true), adminMfa, 'allow'],
    ['staff without MFA required', staff(['admin'], false), adminNoMfa, 'allow'],
    ['staff, another staff role', staff(['merchandiser'], true), adminMfa, 'wrong-role'],
  ])('%s → %s', (_, access, caller, expected) => {
    expect(decide(access, caller as never)).toBe(expected);
  });
});
