import { jsonOf } from '@storefront/kit/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestInventory, testInventory, type Who } from './test-app.ts';

let t: TestInventory;
let routes: { method: string; path: string }[];
beforeAll(async () => {
  t = await testInventory();
  await t.addLocation({ code: 'wh-a' });
  await t.addLocation({ code: 'store-b' });
  await t.setStock('SKU-1', 'wh-a', 50);
  await t.setStock('SKU-1', 'store-b', 5);
  const doc = await jsonOf(await t.call('GET', '/openapi.json', { as: 'anonymous' }));
  routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })),
  );
});
afterAll(() => t.close());

const PUBLIC = new Set(['GET /availability', 'GET /locations']);
const ADMIN_ONLY = new Set(['POST /locations', 'PATCH /locations/{code}']);
const SERVICE_OR_STAFF = new Set([
  'POST /reservations',
  'GET /reservations/{id}',
  'POST /reservations/{id}/commit',
  'POST /reservations/{id}/release',
  'POST /locations/{code}/pos-sync',
]);
const concrete = (path: string) =>
  path.replace('{id}', 'r-1').replace('{code}', 'wh-a').replace('{location}', 'wh-a').replace('{sku}', 'SKU-1');

describe('who may call what', () => {
  it('lists every route in one of the access classes', () => {
    const staffOnly = routes.filter(
      (r) => ![PUBLIC, ADMIN_ONLY, SERVICE_OR_STAFF].some((s) => s.has(`${r.method} ${r.path}`)),
    );
    expect(staffOnly.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /movements',
      'GET /stock',
      'POST /adjustments',
      'POST /transfers',
      'PUT /stock/{location}/{sku}/threshold',
    ]);
  });

  it('refuses anonymous callers (401), customers and staff without MFA (403), a wrong service token (403)', async () => {
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      if (PUBLIC.has(key)) continue;
      const path = concrete(r.path);
      const anonymous = await t.app.request(path, { method: r.method });
      expect(anonymous.status, `${key} anonymous`).toBe(401);
      expect(
        await t.call(r.method, path, { as: { roles: ['customer'] } }).then((x) => x.status),
        `${key} customer`,
      ).toBe(403);
      const noMfa = await t.call(r.method, path, { as: { roles: ['admin'], mfa: false } });
      expect(noMfa.status, `${key} admin without MFA`).toBe(403);
      if (ADMIN_ONLY.has(key)) {
        expect((await t.call(r.method, path, { as: { roles: ['fulfillment'] } })).status, `${key} fulfillment`).toBe(
          403,
        );
      }
      const wrong = await t.app.request(path, {
        method: r.method,
        headers: { 'x-service-token': 'wrong-token-wrong-token' },
      });
      expect(wrong.status, `${key} wrong service token`).toBe(SERVICE_OR_STAFF.has(key) ? 403 : 401);
      const junk = await t.call(r.method, path, { as: { token: 'not.a.jwt' } });
      expect(junk.status, `${key} junk token`).toBe(401);
    }
  });
});

describe('every route under arbitrary input', () => {
  const text = fc.string({ maxLength: 40 });
  const sku = fc.oneof(
    fc.constantFrom('SKU-1', 'SKU-2', 'nope'),
    fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,70}$/),
    text,
  );
  const location = fc.oneof(fc.constantFrom('wh-a', 'store-b', 'wh-zz'), text);
  const num = fc.oneof(
    fc.integer({ min: -5, max: 20 }),
    fc.constantFrom(0, 1, 2_147_483_647, 2_147_483_648, -2_147_483_649, 1e12, 0.5, Number.MAX_SAFE_INTEGER),
  );
  const when = fc.oneof(
    fc
      .date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString()),
    text,
  );
  const line = fc.record(
    {
      sku,
      qty: num,
      lineId: fc.oneof(fc.constantFrom('l1', 'l2'), text),
      type: fc.constantFrom('sale', 'count', 'x'),
      onHand: num,
      at: when,
    },
    { requiredKeys: [] },
  );
  const body = fc.oneof(
    fc.constant(undefined),
    fc.jsonValue({ maxDepth: 2 }),
    fc.constant('{"broken'),
    fc.record(
      {
        id: fc.oneof(fc.constantFrom('r-1', 'r-2', 'op-1'), text),
        lines: fc.array(line, { maxLength: 4 }),
        ttlSeconds: num,
        pickupLocation: location,
        sku,
        location,
        from: location,
        to: location,
        reason: fc.constantFrom('receipt', 'damage', 'correction', 'count', 'theft'),
        qty: num,
        delta: num,
        onHand: num,
        lowThreshold: num,
        batchId: fc.oneof(fc.constantFrom('b-1', 'b-2'), text),
        code: location,
        name: text,
        kind: fc.constantFrom('warehouse', 'store', 'moon'),
        pickupEnabled: fc.boolean(),
        priority: num,
        address: fc.oneof(
          fc.constant({ line1: '1 High St', city: 'Leeds', postalCode: 'LS1', country: 'GB' }),
          fc.dictionary(text, text, { maxKeys: 3 }),
        ),
      },
      { requiredKeys: [] },
    ),
  );
  const query = fc.option(
    fc.constantFrom(
      '?sku=SKU-1',
      '?sku=SKU-1&sku=nope',
      `?${'sku=A&'.repeat(120)}`,
      '?sku=',
      '?limit=0',
      '?limit=500&after=x@y',
      '?sku=SKU-1&before=abc',
      '?location=wh-a&after=SKU-1@wh-a',
      '?q=sku&low=true',
      '?q=%25_&low=maybe',
      '?q=SKU-&location=wh-a&low=true&after=SKU-1@wh-a',
    ),
  );
  const who = fc.constantFrom<Who>(
    'service',
    'anonymous',
    { roles: ['admin'] },
    { roles: ['fulfillment'] },
    { roles: ['customer'] },
  );

  it('never answers 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.oneof(fc.constantFrom('r-1', 'wh-a', 'SKU-1', 'store-b'), text),
        body,
        query,
        who,
        async (pick, param, b, q, as) => {
          const route = routes[pick % routes.length];
          if (!route) return;
          const path = route.path.replace(/\{[a-z]+\}/g, () => encodeURIComponent(param)) + (q ?? '');
          const withBody = b !== undefined && route.method !== 'GET';
          const res = await t.call(route.method, path, { as, ...(withBody ? { body: b } : {}) });
          if (res.status >= 500) throw new Error(`${route.method} ${path} → ${res.status} ${await res.text()}`);
        },
      ),
      { numRuns: 400 },
    );
    const { rows } = await t.db.query(
      `SELECT count(*)::int AS bad FROM stock WHERE on_hand < 0 OR reserved < 0 OR reserved > on_hand`,
    );
    expect(rows[0]?.bad).toBe(0);
  });
});
