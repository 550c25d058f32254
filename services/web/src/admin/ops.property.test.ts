import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CUSTOMER_ID, ORDER_ID, opsApp, RETURN_ID, text } from './ops-test-kit.ts';

const GETS = [
  '/admin/inventory',
  '/admin/inventory/sku/HP-1-BLK',
  '/admin/inventory/locations',
  '/admin/inventory/locations/wh-east',
  '/admin/orders',
  `/admin/orders/${ORDER_ID}`,
  '/admin/returns',
  `/admin/returns/${RETURN_ID}`,
  '/admin/customers',
  `/admin/customers/${CUSTOMER_ID}`,
  '/admin/audit',
];
const POSTS = [
  '/admin/inventory/sku/HP-1-BLK/adjust',
  '/admin/inventory/sku/HP-1-BLK/transfer',
  '/admin/inventory/sku/HP-1-BLK/threshold',
  '/admin/inventory/locations',
  '/admin/inventory/locations/wh-east',
  `/admin/orders/${ORDER_ID}/notes`,
  `/admin/orders/${ORDER_ID}/cancel`,
  `/admin/orders/${ORDER_ID}/refund`,
  `/admin/returns/${RETURN_ID}/approve`,
  `/admin/returns/${RETURN_ID}/reject`,
  `/admin/returns/${RETURN_ID}/inspect`,
  `/admin/customers/${CUSTOMER_ID}/roles`,
  `/admin/customers/${CUSTOMER_ID}/mfa/reset`,
  `/admin/customers/${CUSTOMER_ID}/sessions/revoke`,
];
const KEYS = [
  'sku',
  'location',
  'cursor',
  'done',
  'mloc',
  'before',
  'number',
  'email',
  'status',
  'from',
  'to',
  'customer',
  'actor',
  'action',
  'target',
  'role',
  'order',
  'op',
  'key',
  'reason',
  'quantity',
  'qty',
  'amount',
  'refundAmount',
  'toLocation',
  'restockLocation',
  'lowThreshold',
  'roles',
  'body',
  'code',
  'name',
  'kind',
  'country',
  'priority',
  'pickupEnabled',
];
const value = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', '0', '-1', '1e9', '12.50', 'wh-east', 'count', 'all', '2025-13-40', 'SF-1', '<b>x</b>', '%'),
  fc.integer().map(String),
  fc.uuid(),
  fc.string({ minLength: 300, maxLength: 600 }),
);
const ROLES = fc.constantFrom('admin', 'support', 'fulfillment', 'merchandiser', 'customer').map((r) => [r]);

/** Whatever a person (or a bot) sends to an operations page, the answer is a page, never a 500. */
describe('operations pages under arbitrary input', () => {
  it('random query strings on every page never produce a 500', async () => {
    const t = await opsApp();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...GETS),
        fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 5 }),
        ROLES,
        async (path, query, roles) => {
          const res = await t.get(`${path}?${new URLSearchParams(query).toString()}`, roles);
          const body = await res.text();
          expect(res.status, `${path} ${JSON.stringify(query)}: ${text(body).slice(0, 300)}`).toBeLessThan(500);
          expect(body).toMatch(/^<!doctype html>/);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random form bodies on every form never produce a 500', async () => {
    const t = await opsApp();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...POSTS),
        fc.dictionary(fc.constantFrom(...KEYS), fc.oneof(value, fc.array(value, { maxLength: 3 })), { maxKeys: 8 }),
        ROLES,
        async (path, fields, roles) => {
          const res = await t.post(path, fields, roles);
          const body = await res.text();
          expect(res.status, `${path} ${JSON.stringify(fields)}: ${text(body).slice(0, 300)}`).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random path segments are a 404 page, not an error', async () => {
    const t = await opsApp();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('inventory/sku', 'inventory/locations', 'orders', 'returns', 'customers'),
        fc.string({ minLength: 1, maxLength: 80 }),
        async (section, segment) => {
          const res = await t.get(`/admin/${section}/${encodeURIComponent(segment)}`);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });
});
