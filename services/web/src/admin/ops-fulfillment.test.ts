import { describe, expect, it } from 'vitest';
import { json, ORDER_ID, opsApp, RETURN_ID, text } from './ops-test-kit.ts';

/**
 * The warehouse (fulfillment) in the orders and returns sections, as the orders API allows it
 * (services/orders/src/access.ts): reads orders, receives and inspects returns at the rule's amount;
 * refund, cancel, notes, approve/reject and a chosen refund amount are support's and admins'.
 */
const WH = ['fulfillment'];

describe('fulfillment staff in orders and returns', () => {
  it('see Orders and Returns in the menu, next to Inventory, and nothing of support', async () => {
    const t = await opsApp();
    const html = await (await t.get('/admin/orders', WH)).text();
    const nav = html.match(/<nav class="admin-nav"[\s\S]*?<\/nav>/)?.[0] ?? '';
    const links = [...nav.matchAll(/<a href="(\/admin[^"]*)"/g)].map((m) => m[1]);
    expect(links).toEqual(['/admin', '/admin/inventory', '/admin/orders', '/admin/returns']);
    expect(nav).toMatch(/href="\/admin\/orders" aria-current="page"/);
  });

  it('search and read an order without the payments, refund, cancel or note forms', async () => {
    const t = await opsApp();
    const list = await t.get('/admin/orders?status=confirmed', WH);
    expect(list.status).toBe(200);
    expect(text(await list.text())).toMatch(/SF-0199A83F8840 .* Confirmed \$55\.00/);

    const res = await t.get(`/admin/orders/${ORDER_ID}`, WH);
    expect(res.status).toBe(200);
    const html = await res.text();
    const page = text(html);
    expect(page).toContain('Order SF-0199A83F8840 Confirmed');
    expect(page).toContain('1 Market St');
    expect(page).toContain('Shipments');
    expect(page).toContain('Internal notes');
    for (const action of ['refund', 'cancel', 'notes']) {
      expect(html).not.toContain(`action="/admin/orders/${ORDER_ID}/${action}"`);
    }
    expect(page).not.toContain('Payments');
    // Customer accounts are support's: no link that would only lead to a 403 page.
    expect(html).not.toContain('href="/admin/customers/');
    expect(t.callsTo('GET', `/api/payments/orders/${ORDER_ID}/payments`)).toHaveLength(0);

    // The same page for support keeps all of it.
    const desk = await (await t.get(`/admin/orders/${ORDER_ID}`, ['support'])).text();
    for (const action of ['refund', 'cancel', 'notes']) {
      expect(desk).toContain(`action="/admin/orders/${ORDER_ID}/${action}"`);
    }
    expect(t.callsTo('GET', `/api/payments/orders/${ORDER_ID}/payments`)).toHaveLength(1);
    expect(desk).toContain('href="/admin/customers/');
  });

  it('get a 403 page, and the API no call, when posting a refund, a cancel or a note', async () => {
    const t = await opsApp();
    const posts: [string, Record<string, string>][] = [
      ['refund', { key: 'k-12345678', reason: 'x' }],
      ['cancel', { reason: 'x' }],
      ['notes', { body: 'x' }],
    ];
    for (const [action, fields] of posts) {
      const res = await t.post(`/admin/orders/${ORDER_ID}/${action}`, fields, WH);
      expect(res.status, action).toBe(403);
      expect(text(await res.text())).toMatch(/is for support staff/);
    }
    expect(t.calls.filter((c) => c.method === 'POST')).toEqual([]);
  });

  it('see a requested return without approve or reject, and cannot post them', async () => {
    const t = await opsApp();
    const html = await (await t.get(`/admin/returns/${RETURN_ID}`, WH)).text();
    expect(text(html)).toContain('Support staff approve or reject requested returns.');
    expect(html).not.toContain(`action="/admin/returns/${RETURN_ID}/approve"`);
    expect(html).not.toContain(`action="/admin/returns/${RETURN_ID}/reject"`);
    expect((await t.post(`/admin/returns/${RETURN_ID}/approve`, { toLocation: 'wh-east' }, WH)).status).toBe(403);
    expect((await t.post(`/admin/returns/${RETURN_ID}/reject`, { reason: 'worn' }, WH)).status).toBe(403);
    expect(t.calls.filter((c) => c.method === 'POST')).toEqual([]);
  });

  it('mark a parcel received and inspect it at the rule amount, never a chosen one', async () => {
    const t = await opsApp();
    const ret = t.state.returns.find((r) => r.id === RETURN_ID) as Record<string, unknown>;
    ret.status = 'label_created';
    const html = await (await t.get(`/admin/returns/${RETURN_ID}`, WH)).text();
    expect(html).toMatch(
      new RegExp(`<form method="post" action="/admin/returns/${RETURN_ID}/receive" data-confirm="Mark this return`),
    );
    expect(html).toContain(`action="/admin/returns/${RETURN_ID}/inspect"`);
    expect(html).not.toContain('name="refundAmount"');
    expect(text(html)).toContain('The refund is the amount the return rules allow');

    t.state.override.set(`POST /api/orders/admin/returns/${RETURN_ID}/receive`, () => {
      ret.status = 'received';
      return json(200, { id: RETURN_ID, status: 'received' });
    });
    const received = await t.post(`/admin/returns/${RETURN_ID}/receive`, {}, WH);
    expect(received.status).toBe(303);
    expect(received.headers.get('location')).toBe(`/admin/returns/${RETURN_ID}?done=received`);
    const after = await (await t.get(`/admin/returns/${RETURN_ID}?done=received`, WH)).text();
    expect(text(after)).toContain('Marked as received');
    expect(after).not.toContain(`action="/admin/returns/${RETURN_ID}/receive"`);

    // A chosen amount, forged into the form, never reaches the API.
    const forged = await t.post(
      `/admin/returns/${RETURN_ID}/inspect`,
      { restockLocation: 'wh-east', refundAmount: '1' },
      WH,
    );
    expect(forged.status).toBe(403);
    expect(t.callsTo('POST', `/api/orders/admin/returns/${RETURN_ID}/inspect`)).toHaveLength(0);
    const inspected = await t.post(`/admin/returns/${RETURN_ID}/inspect`, { restockLocation: 'wh-east' }, WH);
    expect(inspected.headers.get('location')).toBe(`/admin/returns/${RETURN_ID}?done=inspected`);
    expect(t.callsTo('POST', `/api/orders/admin/returns/${RETURN_ID}/inspect`).map((c) => c.body)).toEqual([
      { restockLocation: 'wh-east' },
    ]);
  });

  it('read a refusal to receive in words', async () => {
    const t = await opsApp();
    const ret = t.state.returns.find((r) => r.id === RETURN_ID) as Record<string, unknown>;
    ret.status = 'approved';
    t.state.override.set(`POST /api/orders/admin/returns/${RETURN_ID}/receive`, () =>
      json(409, { type: 'about:blank', title: 'Conflict', status: 409, code: 'return_refused', detail: 'x' }),
    );
    const res = await t.post(`/admin/returns/${RETURN_ID}/receive`, {}, WH);
    expect(res.status).toBe(422);
    expect(text(await res.text())).toContain('This return cannot take that step in its current state.');
  });

  it('stay out of customers and the audit log', async () => {
    const t = await opsApp();
    expect((await t.get('/admin/customers', WH)).status).toBe(403);
    expect((await t.get('/admin/audit', WH)).status).toBe(403);
    expect((await t.get('/admin/orders', ['merchandiser'])).status).toBe(403);
    expect((await t.get('/admin/returns', ['merchandiser'])).status).toBe(403);
  });
});
