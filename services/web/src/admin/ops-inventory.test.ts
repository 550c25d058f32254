import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hidden, json, opsApp, problem, text } from './ops-test-kit.ts';

describe('admin inventory pages', () => {
  it('lists stock per SKU and location with its state, for fulfillment staff', async () => {
    const t = await opsApp();
    const res = await t.get('/admin/inventory', ['fulfillment']);
    expect(res.status).toBe(200);
    const html = await res.text();
    const page = text(html);
    expect(page).toContain('Inventory');
    expect(page).toMatch(/HP-1-BLK East warehouse 3 0 3 2 In stock/);
    expect(page).toMatch(/HP-1-BLK SoHo store 0 0 0 1 Out of stock/);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html).toContain('<option value="store-soho">SoHo store (store-soho)</option>');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('filters by SKU and location; a malformed filter is explained inline without calling the API', async () => {
    const t = await opsApp();
    await t.get('/admin/inventory?sku=MUG-2&location=wh-east');
    const call = t.callsTo('GET', '/api/inventory/stock')[0];
    expect(call?.query.get('sku')).toBe('MUG-2');
    expect(call?.query.get('location')).toBe('wh-east');
    const before = t.callsTo('GET', '/api/inventory/stock').length;
    const bad = await t.get('/admin/inventory?sku=%3Cbad%20sku%3E');
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('aria-invalid="true"');
    expect(text(html)).toContain('A SKU is letters, digits, dot, dash or underscore');
    expect(html).not.toContain('<bad sku>');
    expect(t.callsTo('GET', '/api/inventory/stock').length).toBe(before);
  });

  it('searches by SKU prefix and shows low stock only, with a plain GET form that keeps its values', async () => {
    const t = await opsApp();
    const res = await t.get('/admin/inventory?q=hp-1&low=on', ['fulfillment']);
    expect(res.status).toBe(200);
    const html = await res.text();
    const call = t.callsTo('GET', '/api/inventory/stock')[0];
    expect(call?.query.get('q')).toBe('hp-1');
    expect(call?.query.get('low')).toBe('true');
    expect(call?.query.has('sku')).toBe(false);
    const page = text(html);
    expect(page).toMatch(/HP-1-BLK SoHo store 0 0 0 1 Out of stock/);
    expect(page).not.toContain('East warehouse 3 0 3');
    expect(page).not.toContain('MUG-2');
    expect(page).toContain('Low stock by SKU and location');
    // No JavaScript needed: a GET form with labelled fields, the search and the toggle filled back in.
    expect(html).toMatch(/<form method="get" action="\/admin\/inventory" class="ops-filters"/);
    expect(html).toContain('<label for="f-q">SKU starts with</label>');
    expect(html).toMatch(/<input id="f-q" name="q" type="search" value="hp-1"/);
    expect(html).toContain('<label for="f-low">Low stock only</label>');
    expect(html).toMatch(/<input type="checkbox" id="f-low" name="low" value="on" checked/);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);

    const all = text(await (await t.get('/admin/inventory?q=HP', ['fulfillment'])).text());
    expect(t.callsTo('GET', '/api/inventory/stock')[1]?.query.has('low')).toBe(false);
    expect(all).toMatch(/HP-1-BLK East warehouse 3 0 3 2 In stock/);
    expect(all).toMatch(/HP-1-BLK SoHo store/);
    const none = text(await (await t.get('/admin/inventory?q=MUG&low=on', ['fulfillment'])).text());
    expect(none).toContain('No stock rows match that are at or below their low-stock threshold.');
  });

  it('pages on with the search and the toggle kept; a foreign cursor starts again from the first page', async () => {
    const t = await opsApp();
    t.state.override.set('GET /api/inventory/stock', () => json(200, { items: [], nextCursor: 'HP-1-BLK@wh-east' }));
    const html = await (await t.get('/admin/inventory?q=hp&low=on&location=wh-east')).text();
    const next = html.match(/<a href="([^"]+)" rel="next">/)?.[1]?.replace(/&amp;/g, '&') ?? '';
    const url = new URL(next, 'http://x');
    expect(url.pathname).toBe('/admin/inventory');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      q: 'hp',
      low: 'on',
      location: 'wh-east',
      cursor: 'HP-1-BLK@wh-east',
    });
    await t.get(`${url.pathname}${url.search}`);
    expect(t.callsTo('GET', '/api/inventory/stock')[1]?.query.get('after')).toBe('HP-1-BLK@wh-east');
    await t.get('/admin/inventory?q=hp&cursor=a%20b%40WH');
    expect(t.callsTo('GET', '/api/inventory/stock')[2]?.query.has('after')).toBe(false);
  });

  it('explains a malformed search inline without calling the API; an odd toggle value is simply off', async () => {
    const t = await opsApp();
    const bad = await t.get('/admin/inventory?q=%25%3Cb%3E&low=on');
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toMatch(/id="f-q"[^>]*aria-invalid="true"/);
    expect(text(html)).toContain('Search by the start of a SKU: letters, digits, dot, dash or underscore');
    expect(text(html)).toContain('Please correct the filter.');
    expect(html).not.toContain('<b>');
    expect(t.callsTo('GET', '/api/inventory/stock')).toHaveLength(0);
    await t.get('/admin/inventory?q=mug&low=maybe');
    const call = t.callsTo('GET', '/api/inventory/stock')[0];
    expect(call?.query.get('q')).toBe('mug');
    expect(call?.query.has('low')).toBe(false);
  });

  it('random search and toggle values never produce a 500, and reach the API only when valid', async () => {
    const t = await opsApp();
    const value = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.constantFrom('', 'on', 'true', '1', 'hp', 'HP-1', 'a_b', '%', '\\', '<i>', 'x@y', 'HP-1-BLK@wh-east'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('q', 'low', 'sku', 'location', 'cursor'), value, { maxKeys: 5 }),
        async (query) => {
          const before = t.callsTo('GET', '/api/inventory/stock').length;
          const res = await t.get(`/admin/inventory?${new URLSearchParams(query)}`, ['fulfillment']);
          expect([200, 400]).toContain(res.status);
          const call = t.callsTo('GET', '/api/inventory/stock')[before];
          if (res.status === 400) expect(call).toBeUndefined();
          const q = call?.query.get('q');
          if (q !== null && q !== undefined) expect(q).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
          expect(['true', null, undefined]).toContain(call?.query.get('low'));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is closed to staff without the fulfillment role, and to customers', async () => {
    const t = await opsApp();
    const support = await t.get('/admin/inventory', ['support']);
    expect(support.status).toBe(403);
    expect(text(await support.text())).toContain('Inventory is for fulfillment staff');
    expect((await t.get('/admin/inventory/sku/HP-1-BLK', ['merchandiser'])).status).toBe(403);
    expect((await t.get('/admin/inventory', ['customer'])).status).toBe(403);
    const noMfa = await t.get('/admin/inventory', ['fulfillment'], false);
    expect(noMfa.status).toBe(403);
    expect(text(await noMfa.text())).toContain('Two-factor sign-in needed');
    expect(t.callsTo('GET', '/api/inventory/stock')).toHaveLength(0);
  });

  it('shows one SKU: rows, forms with a one-time operation id, and the movements ledger (escaped)', async () => {
    const t = await opsApp();
    const res = await t.get('/admin/inventory/sku/HP-1-BLK');
    expect(res.status).toBe(200);
    const html = await res.text();
    const page = text(html);
    expect(page).toContain('Stock of HP-1-BLK');
    expect(page).toContain('3 available in total');
    expect(page).toMatch(/Movements .* East warehouse -2 Transfer out transfer:abc/);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const ops = [...html.matchAll(/name="op" value="([^"]+)"/g)].map((m) => m[1]);
    expect(ops).toHaveLength(2);
    expect(ops[0]).not.toBe(ops[1]);
    for (const label of ['Location', 'Reason', 'Quantity', 'From', 'To', 'Units to move']) {
      expect(html).toMatch(new RegExp(`<label for="[\\w-]+">${label}</label>`));
    }
    expect((await t.get('/admin/inventory/sku/..%2Fetc')).status).toBe(404);
  });

  it('adjusts with a count to zero: the API gets the right body and the page redirects with a message', async () => {
    const t = await opsApp();
    const form = await (await t.get('/admin/inventory/sku/HP-1-BLK')).text();
    const op = hidden(form, 'op') ?? '';
    const res = await t.post('/admin/inventory/sku/HP-1-BLK/adjust', {
      op,
      location: 'wh-east',
      reason: 'count',
      quantity: '0',
      note: 'cycle count',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/inventory/sku/HP-1-BLK?done=adjusted');
    expect(t.callsTo('POST', '/api/inventory/adjustments')[0]?.body).toEqual({
      id: op,
      sku: 'HP-1-BLK',
      location: 'wh-east',
      reason: 'count',
      onHand: 0,
      note: 'cycle count',
    });
    const after = text(await (await t.get('/admin/inventory/sku/HP-1-BLK?done=adjusted')).text());
    expect(after).toContain('Stock adjusted.');
    expect(after).toContain('Out of stock everywhere');
  });

  it('maps each reason to the API field and refuses a quantity that does not fit the reason, inline', async () => {
    const t = await opsApp();
    const base = { op: 'op-12345678', location: 'wh-east' };
    await t.post('/admin/inventory/sku/MUG-2/adjust', { ...base, reason: 'correction', quantity: '-2' });
    await t.post('/admin/inventory/sku/MUG-2/adjust', { ...base, op: 'op-22345678', reason: 'receipt', quantity: '5' });
    const bodies = t.callsTo('POST', '/api/inventory/adjustments').map((c) => c.body);
    expect(bodies[0]).toMatchObject({ reason: 'correction', delta: -2 });
    expect(bodies[1]).toMatchObject({ reason: 'receipt', qty: 5 });

    const zero = await t.post('/admin/inventory/sku/MUG-2/adjust', { ...base, reason: 'damage', quantity: '0' });
    expect(zero.status).toBe(422);
    const html = await zero.text();
    expect(text(html)).toContain('Enter between 1 and 10,000 units.');
    expect(html).toContain('value="0"');
    const words = await t.post('/admin/inventory/sku/MUG-2/adjust', { ...base, reason: 'count', quantity: 'lots' });
    expect(text(await words.text())).toContain('Enter a whole number.');
    const noReason = await t.post('/admin/inventory/sku/MUG-2/adjust', { ...base, reason: 'magic', quantity: '1' });
    expect(text(await noReason.text())).toContain('Choose a reason.');
    expect(t.callsTo('POST', '/api/inventory/adjustments')).toHaveLength(2);
  });

  it('explains a refused adjustment (below reserved) and gives the form a new operation id', async () => {
    const t = await opsApp();
    const res = await t.post('/admin/inventory/sku/MUG-2/adjust', {
      op: 'op-12345678',
      location: 'wh-east',
      reason: 'count',
      quantity: '1',
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(text(html)).toContain('On hand cannot go below the 5 units reserved for orders at this location.');
    expect(hidden(html, 'op')).not.toBe('op-12345678');
    expect(html).toContain('role="alert"');
  });

  it('transfers, and says how many are available when the source has too few', async () => {
    const t = await opsApp();
    const short = await t.post('/admin/inventory/sku/HP-1-BLK/transfer', {
      op: 'op-12345678',
      from: 'wh-east',
      to: 'store-soho',
      qty: '5',
    });
    expect(short.status).toBe(422);
    expect(text(await short.text())).toContain('Only 3 available to transfer from East warehouse.');
    const same = await t.post('/admin/inventory/sku/HP-1-BLK/transfer', {
      op: 'op-12345678',
      from: 'wh-east',
      to: 'wh-east',
      qty: '1',
    });
    expect(text(await same.text())).toContain('Choose a different location to move to.');
    const ok = await t.post('/admin/inventory/sku/HP-1-BLK/transfer', {
      op: 'op-22345678',
      from: 'wh-east',
      to: 'store-soho',
      qty: '2',
    });
    expect(ok.status).toBe(303);
    expect(t.callsTo('POST', '/api/inventory/transfers').at(-1)?.body).toEqual({
      id: 'op-22345678',
      sku: 'HP-1-BLK',
      from: 'wh-east',
      to: 'store-soho',
      qty: 2,
    });
  });

  it('says the destination is full when the API refuses the side it adds to, not the source', async () => {
    const t = await opsApp();
    t.state.override.set('POST /api/inventory/transfers', () =>
      problem(
        409,
        'insufficient_stock',
        'HP-1-BLK at store-soho has 999999999 on hand: 2 more would exceed the limit',
        {
          side: 'to',
          location: 'store-soho',
          onHand: 999_999_999,
          requested: 2,
          limit: 1_000_000_000,
          constraint: 'stock_on_hand_bounded',
        },
      ),
    );
    const res = await t.post('/admin/inventory/sku/HP-1-BLK/transfer', {
      op: 'op-12345678',
      from: 'wh-east',
      to: 'store-soho',
      qty: '2',
    });
    expect(res.status).toBe(422);
    const page = text(await res.text());
    expect(page).toContain('SoHo store cannot take 2 more: a location holds at most 1,000,000,000 units of a SKU.');
    expect(page).not.toContain('available to transfer from');
  });

  it('sets a low-stock threshold', async () => {
    const t = await opsApp();
    const res = await t.post('/admin/inventory/sku/HP-1-BLK/threshold', { location: 'wh-east', lowThreshold: '7' });
    expect(res.status).toBe(303);
    expect(t.callsTo('PUT', '/api/inventory/stock/wh-east/HP-1-BLK/threshold')[0]?.body).toEqual({ lowThreshold: 7 });
    const bad = await t.post('/admin/inventory/sku/HP-1-BLK/threshold', { location: 'wh-east', lowThreshold: '-1' });
    expect(bad.status).toBe(422);
    const missing = await t.post('/admin/inventory/sku/MUG-2/threshold', { location: 'store-soho', lowThreshold: '1' });
    expect(text(await missing.text())).toContain('This SKU has no stock row at that location yet.');
  });

  it('refuses a form without the CSRF field before anything is called', async () => {
    const t = await opsApp();
    const res = await t.post(
      '/admin/inventory/sku/HP-1-BLK/adjust',
      { op: 'op-12345678', location: 'wh-east', reason: 'count', quantity: '0' },
      ['admin'],
      null,
    );
    expect(res.status).toBe(403);
    expect(text(await res.text())).toContain('Please try that again');
    const forged = await t.post(
      '/admin/inventory/sku/HP-1-BLK/adjust',
      { op: 'op-12345678', location: 'wh-east', reason: 'count', quantity: '0' },
      ['admin'],
      'x'.repeat(40),
    );
    expect(forged.status).toBe(403);
    expect(t.callsTo('POST', '/api/inventory/adjustments')).toHaveLength(0);
  });

  it('shows an API outage kindly, never a stack', async () => {
    const t = await opsApp();
    t.state.override.set('GET /api/inventory/stock', () => problem(500, 'internal', 'TypeError at store.ts:12:3'));
    const res = await t.get('/admin/inventory');
    expect(res.status).toBe(503);
    const page = text(await res.text());
    expect(page).toContain('Something went wrong on our side');
    expect(page).not.toContain('store.ts');
  });

  it('lists locations; admins open and edit them with inline errors, fulfillment staff only read', async () => {
    const t = await opsApp();
    const list = text(await (await t.get('/admin/inventory/locations')).text());
    expect(list).toMatch(/East warehouse wh-east Warehouse No 10/);
    expect(list).toContain('Open a location');
    const fulfillment = text(await (await t.get('/admin/inventory/locations', ['fulfillment'])).text());
    expect(fulfillment).toContain('Only administrators open or change locations.');
    expect((await t.post('/admin/inventory/locations', { code: 'x' }, ['fulfillment'])).status).toBe(403);

    const fields = {
      code: 'store-mid',
      name: 'Midtown',
      kind: 'warehouse',
      line1: '5 5th Ave',
      city: 'New York',
      postalCode: '10001',
      country: 'us',
      pickupEnabled: 'on',
    };
    const pickup = await t.post('/admin/inventory/locations', fields);
    expect(pickup.status).toBe(422);
    expect(text(await pickup.text())).toContain('Only stores offer pickup.');
    const missing = await t.post('/admin/inventory/locations', { ...fields, kind: 'store', city: '' });
    expect(text(await missing.text())).toContain('Enter the city.');
    const created = await t.post('/admin/inventory/locations', { ...fields, kind: 'store' });
    expect(created.status).toBe(303);
    expect(t.callsTo('POST', '/api/inventory/locations')[0]?.body).toMatchObject({
      code: 'store-mid',
      kind: 'store',
      pickupEnabled: true,
      address: { country: 'US', city: 'New York' },
    });
    const dup = await t.post('/admin/inventory/locations', { ...fields, kind: 'store' });
    expect(text(await dup.text())).toContain('A location with the code store-mid already exists.');

    const edit = await t.get('/admin/inventory/locations/store-soho');
    const editHtml = await edit.text();
    expect(editHtml).toContain('value="SoHo store"');
    expect(editHtml).toMatch(/id="edit-pickup"[^>]*checked/);
    const saved = await t.post('/admin/inventory/locations/store-soho', {
      name: 'SoHo',
      kind: 'store',
      line1: '9 Prince St',
      city: 'New York',
      postalCode: '10012',
      country: 'US',
    });
    expect(saved.status).toBe(303);
    expect(t.callsTo('PATCH', '/api/inventory/locations/store-soho')[0]?.body).toMatchObject({
      name: 'SoHo',
      pickupEnabled: false,
    });
    expect((await t.get('/admin/inventory/locations/nowhere')).status).toBe(404);
  });
});
