import { describe, expect, it } from 'vitest';
import { normalizeNumber } from './ops-orders.tsx';
import { hidden, ORDER_ID, opsApp, order, problem, text } from './ops-test-kit.ts';

describe('admin order pages', () => {
  it('searches by number, email, status and dates; the API gets what it accepts', async () => {
    const t = await opsApp();
    const res = await t.get(
      '/admin/orders?number=sf-0199a83f8840&email=ada%40example.test&status=confirmed&from=2025-03-01&to=2025-03-02',
      ['support'],
    );
    expect(res.status).toBe(200);
    const page = text(await res.text());
    expect(page).toMatch(/SF-0199A83F8840 .* ada@example\.test Confirmed \$55\.00/);
    const q = t.callsTo('GET', '/api/orders/admin/orders')[0]?.query;
    expect(q?.get('number')).toBe('SF-0199A83F8840');
    expect(q?.get('email')).toBe('ada@example.test');
    expect(q?.get('status')).toBe('confirmed');
    expect(q?.get('from')).toBe('2025-03-01T00:00:00.000Z');
    expect(q?.get('to')).toBe('2025-03-03T00:00:00.000Z');
    expect(normalizeNumber('#1a2b')).toBe('SF-1A2B');
    expect(normalizeNumber('SF-')).toBeUndefined();
  });

  it('explains a bad search inline and does not call the API', async () => {
    const t = await opsApp();
    const res = await t.get('/admin/orders?number=%25%25&email=ada&status=lost&from=2025-02-30&to=x');
    expect(res.status).toBe(400);
    const page = text(await res.text());
    expect(page).toContain('An order number looks like SF-');
    expect(page).toContain('Enter the whole email address.');
    expect(page).toContain('Choose a status from the list.');
    expect(page).toContain('Enter a date.');
    expect(t.callsTo('GET', '/api/orders/admin/orders')).toHaveLength(0);
  });

  it('is for support and fulfillment staff and admins; refunds for support and admins (ops-fulfillment.test.ts)', async () => {
    const t = await opsApp();
    expect((await t.get('/admin/orders', ['merchandiser'])).status).toBe(403);
    expect((await t.get(`/admin/orders/${ORDER_ID}`, ['merchandiser'])).status).toBe(403);
    expect(
      (await t.post(`/admin/orders/${ORDER_ID}/refund`, { key: 'k-12345678', reason: 'x' }, ['fulfillment'])).status,
    ).toBe(403);
    expect(t.callsTo('POST', `/api/orders/admin/orders/${ORDER_ID}/refund`)).toHaveLength(0);
  });

  it('shows the whole order: lines, totals, customer, address, saga, payments, refunds, tracking, notes', async () => {
    const t = await opsApp();
    const res = await t.get(`/admin/orders/${ORDER_ID}`, ['support']);
    expect(res.status).toBe(200);
    const html = await res.text();
    const page = text(html);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(page).toContain('Order SF-0199A83F8840 Confirmed');
    expect(page).toContain('Headphones <b>Pro</b>'); // escaped, shown as typed
    expect(html).not.toContain('<b>Pro</b>');
    expect(page).toMatch(/Total \$55\.00/);
    expect(page).toContain('1 Market St');
    expect(page).toMatch(/Step Done State Completed Attempts 1/);
    expect(page).toMatch(/Sandbox .* Captured \$55\.00 \$55\.00 \$0\.00 Visa •••• 4242/);
    expect(page).toContain('tracking number DC123456789');
    expect(page).toContain('Newark hub');
    expect(page).toContain('Called the <customer>');
    expect(page).toContain('Still refundable: $55.00');
    expect(html).toContain('href="/admin/customers/');
    expect(html).toContain(`href="/admin/returns/0199a83f-9999-7236-b5b8-ba24de364311?order=${ORDER_ID}"`);
    expect(html).toMatch(/data-confirm="Refund order SF-0199A83F8840\?/);
    expect((await t.get('/admin/orders/not-a-uuid')).status).toBe(404);
    expect((await t.get('/admin/orders/0199a83f-0000-7236-b5b8-ba24de364311')).status).toBe(404);
  });

  it('still shows the order when payments or tracking cannot be loaded', async () => {
    const t = await opsApp();
    t.state.override.set(`GET /api/payments/orders/${ORDER_ID}/payments`, () => problem(503, 'unavailable', 'down'));
    t.state.override.set(`GET /api/fulfillment/orders/${ORDER_ID}/shipments`, () =>
      problem(503, 'unavailable', 'down'),
    );
    const res = await t.get(`/admin/orders/${ORDER_ID}`);
    expect(res.status).toBe(200);
    const page = text(await res.text());
    expect(page).toContain('The payments could not be loaded');
    expect(page).toContain('Tracking could not be loaded right now.');
  });

  it('refunds once per form: the hidden key is the Idempotency-Key, a double submit is a replay', async () => {
    const t = await opsApp();
    const form = await (await t.get(`/admin/orders/${ORDER_ID}`)).text();
    const key = hidden(form, 'key') ?? '';
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    const first = await t.post(`/admin/orders/${ORDER_ID}/refund`, { key, amount: '12.50', reason: 'late delivery' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe(`/admin/orders/${ORDER_ID}?done=refund-requested`);
    const again = await t.post(`/admin/orders/${ORDER_ID}/refund`, { key, amount: '12.50', reason: 'late delivery' });
    expect(again.headers.get('location')).toBe(`/admin/orders/${ORDER_ID}?done=refund-replayed`);
    const calls = t.callsTo('POST', `/api/orders/admin/orders/${ORDER_ID}/refund`);
    expect(calls.map((c) => c.headers.get('idempotency-key'))).toEqual([key, key]);
    expect(calls[0]?.body).toEqual({ amount: 1250, reason: 'late delivery' });
    expect(t.state.refunds).toHaveLength(1);

    const after = await (await t.get(`/admin/orders/${ORDER_ID}?done=refund-requested`)).text();
    const page = text(after);
    expect(page).toContain('Refund requested.');
    expect(page).toMatch(/Staff Requested \$12\.50 late delivery/);
    expect(page).toContain('Still refundable: $42.50');
    expect(after).toContain('http-equiv="refresh"');
    expect(hidden(after, 'key')).not.toBe(key);
  });

  it('refunds everything left when the amount is empty', async () => {
    const t = await opsApp();
    const res = await t.post(`/admin/orders/${ORDER_ID}/refund`, {
      key: 'key-12345678',
      amount: '',
      reason: 'goodwill',
    });
    expect(res.status).toBe(303);
    expect(t.callsTo('POST', `/api/orders/admin/orders/${ORDER_ID}/refund`)[0]?.body).toEqual({ reason: 'goodwill' });
  });

  it('explains refusals: too much, nothing left, a bad amount, a missing reason', async () => {
    const t = await opsApp();
    const tooMuch = await t.post(`/admin/orders/${ORDER_ID}/refund`, {
      key: 'key-12345678',
      amount: '99',
      reason: 'x',
    });
    expect(tooMuch.status).toBe(422);
    const html = await tooMuch.text();
    expect(text(html)).toContain('Only $55.00 can still be refunded.');
    // The API said no for good: the next try is a new refund with a new key; the typed values stay.
    expect(hidden(html, 'key')).not.toBe('key-12345678');
    expect(html).toContain('value="99"');

    const bad = await t.post(`/admin/orders/${ORDER_ID}/refund`, { key: 'key-22345678', amount: '1.234', reason: 'x' });
    expect(text(await bad.text())).toContain('Enter an amount such as 12.50');
    const none = await t.post(`/admin/orders/${ORDER_ID}/refund`, { key: 'key-22345678', amount: '', reason: '  ' });
    expect(text(await none.text())).toContain('Say why you refund.');
    expect(t.callsTo('POST', `/api/orders/admin/orders/${ORDER_ID}/refund`)).toHaveLength(1);

    t.state.order = order({ refunded: 5500 });
    const left = await t.post(`/admin/orders/${ORDER_ID}/refund`, { key: 'key-32345678', reason: 'again' });
    expect(text(await left.text())).toContain('Nothing can be refunded right now');
  });

  it('keeps the key when the API did not answer, so the retry cannot refund twice', async () => {
    const t = await opsApp();
    t.state.override.set(`POST /api/orders/admin/orders/${ORDER_ID}/refund`, () => problem(503, 'unavailable', 'busy'));
    const res = await t.post(`/admin/orders/${ORDER_ID}/refund`, { key: 'key-12345678', reason: 'late' });
    const html = await res.text();
    expect(text(html)).toContain('Something went wrong on our side');
    expect(hidden(html, 'key')).toBe('key-12345678');
  });

  it('cancels with a reason, and says why when it cannot', async () => {
    const t = await opsApp();
    const empty = await t.post(`/admin/orders/${ORDER_ID}/cancel`, { reason: '' });
    expect(empty.status).toBe(422);
    expect(text(await empty.text())).toContain('Say why the order is cancelled.');
    const ok = await t.post(`/admin/orders/${ORDER_ID}/cancel`, { reason: 'customer asked' });
    expect(ok.status).toBe(303);
    expect(t.callsTo('POST', `/api/orders/admin/orders/${ORDER_ID}/cancel`)[0]?.body).toEqual({
      reason: 'customer asked',
    });
    t.state.order = order({ status: 'shipped' });
    const page = text(await (await t.get(`/admin/orders/${ORDER_ID}`)).text());
    expect(page).toContain('A parcel has left: use a return instead.');
    const late = await t.post(`/admin/orders/${ORDER_ID}/cancel`, { reason: 'too late' });
    expect(text(await late.text())).toContain('This order can no longer be cancelled');
  });

  it('adds an internal note', async () => {
    const t = await opsApp();
    const res = await t.post(`/admin/orders/${ORDER_ID}/notes`, { body: 'Parcel <left> at the door' });
    expect(res.status).toBe(303);
    const page = text(await (await t.get(`/admin/orders/${ORDER_ID}?done=note-added`)).text());
    expect(page).toContain('Note added.');
    expect(page).toContain('Parcel <left> at the door');
    const empty = await t.post(`/admin/orders/${ORDER_ID}/notes`, { body: '' });
    expect(text(await empty.text())).toContain('Write the note.');
  });

  it('turns a failing order API into a kind page', async () => {
    const t = await opsApp();
    t.state.override.set(`GET /api/orders/admin/orders/${ORDER_ID}`, () =>
      problem(500, 'internal', 'boom at x.ts:1:1'),
    );
    const res = await t.get(`/admin/orders/${ORDER_ID}`);
    expect(res.status).toBe(503);
    expect(text(await res.text())).not.toContain('x.ts');
    t.state.override.set('GET /api/orders/admin/orders', () => problem(403, 'mfa_required', 'need mfa'));
    const list = await t.get('/admin/orders');
    expect(list.status).toBe(403);
  });
});
