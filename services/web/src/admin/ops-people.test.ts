import { describe, expect, it } from 'vitest';
import { detailText } from './ops-audit.tsx';
import { CUSTOMER_ID, ORDER_ID, opsApp, problem, RETURN_ID, text } from './ops-test-kit.ts';

describe('admin returns queue', () => {
  it('lists what waits for a decision by default, and any status on request', async () => {
    const t = await opsApp();
    const res = await t.get('/admin/returns', ['support']);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(t.callsTo('GET', '/api/orders/admin/returns')[0]?.query.get('status')).toBe('requested');
    expect(text(html)).toMatch(/Review return .* SF-0199A83F8840 .* Requested 1 × HP-1-BLK \(damaged\)/);
    expect(html).toContain(`href="/admin/returns/${RETURN_ID}"`);
    expect(html).toMatch(/href="\/admin\/returns\?status=requested" aria-current="page"/);
    await t.get('/admin/returns?status=all');
    expect(t.callsTo('GET', '/api/orders/admin/returns')[1]?.query.get('status')).toBeNull();
    await t.get('/admin/returns?status=%3Cjunk%3E');
    expect(t.callsTo('GET', '/api/orders/admin/returns')[2]?.query.get('status')).toBe('requested');
    expect((await t.get('/admin/returns', ['merchandiser'])).status).toBe(403);
  });

  it('approves to a location, rejects with a reason, then inspects with a partial refund', async () => {
    const t = await opsApp();
    const page = await t.get(`/admin/returns/${RETURN_ID}`);
    expect(page.status).toBe(200);
    expect(t.callsTo('GET', `/api/orders/admin/returns/${RETURN_ID}`)).toHaveLength(1);
    expect(t.callsTo('GET', `/api/orders/orders/${ORDER_ID}/returns`)).toHaveLength(0);
    const html = await page.text();
    expect(text(html)).toMatch(/Headphones <b>Pro<\/b> \(HP-1-BLK\) 1 Damaged \$25\.00/);
    // The customer's note, escaped; the currency; the order by number.
    expect(html).toContain('The &lt;left&gt; ear is silent');
    expect(text(html)).toMatch(/Currency USD/);
    expect(html).toContain(`href="/admin/orders/${ORDER_ID}">SF-0199A83F8840</a>`);
    expect(html).not.toContain('name="order"');
    expect(text(html)).toContain('Approve return');
    expect(text(html)).toContain('Reject return');
    expect(text(html)).not.toContain('Record inspection');

    const noReason = await t.post(`/admin/returns/${RETURN_ID}/reject`, { reason: '' });
    expect(noReason.status).toBe(422);
    expect(text(await noReason.text())).toContain('Give the customer a reason.');

    const approved = await t.post(`/admin/returns/${RETURN_ID}/approve`, { toLocation: 'wh-east' });
    expect(approved.status).toBe(303);
    expect(approved.headers.get('location')).toBe(`/admin/returns/${RETURN_ID}?done=approved`);
    expect(t.callsTo('POST', `/api/orders/admin/returns/${RETURN_ID}/approve`)[0]?.body).toEqual({
      toLocation: 'wh-east',
    });
    const late = await t.post(`/admin/returns/${RETURN_ID}/reject`, { reason: 'worn' });
    expect(text(await late.text())).toContain('This return cannot take that step in its current state.');

    const inspectPage = text(await (await t.get(`/admin/returns/${RETURN_ID}?done=approved`)).text());
    expect(inspectPage).toContain('Return approved');
    expect(inspectPage).toContain('Goes back to East warehouse (wh-east)');
    expect(inspectPage).toContain('Record inspection and refund');
    const badAmount = await t.post(`/admin/returns/${RETURN_ID}/inspect`, {
      restockLocation: 'wh-east',
      refundAmount: 'ten',
    });
    expect(text(await badAmount.text())).toContain('Enter an amount such as 12.50.');
    // More than the order still has refundable (5500 − 5000 refunded): the API's limit, by the field.
    t.state.order.refunded = 5_000;
    const over = await t.post(`/admin/returns/${RETURN_ID}/inspect`, {
      restockLocation: 'wh-east',
      refundAmount: '10',
    });
    expect(over.status).toBe(422);
    expect(text(await over.text())).toContain('Only $5.00 can still be refunded on this order.');
    t.state.order.refunded = 0;
    const inspected = await t.post(`/admin/returns/${RETURN_ID}/inspect`, {
      restockLocation: 'wh-east',
      refundAmount: '10',
    });
    expect(inspected.status).toBe(303);
    expect(inspected.headers.get('location')).toBe(`/admin/returns/${RETURN_ID}?done=inspected`);
    const after = text(await (await t.get(`/admin/returns/${RETURN_ID}`)).text());
    expect(after).toContain('Refund On its way: $10.00');
    expect(after).toContain('Restock at East warehouse (wh-east)');
    expect(t.callsTo('POST', `/api/orders/admin/returns/${RETURN_ID}/inspect`)[1]?.body).toEqual({
      restockLocation: 'wh-east',
      refundAmount: 1000,
    });
  });

  it('opens a return by its id alone (old ?order= links too), and 404s an unknown one', async () => {
    const t = await opsApp();
    expect((await t.get(`/admin/returns/${RETURN_ID}`)).status).toBe(200);
    expect((await t.get(`/admin/returns/${RETURN_ID}?order=${ORDER_ID}`)).status).toBe(200);
    expect((await t.get('/admin/returns/0199a83f-0000-7236-b5b8-ba24de364311')).status).toBe(404);
    expect((await t.get('/admin/returns/nope')).status).toBe(404);
  });
});

describe('admin customers', () => {
  it('finds accounts by email prefix and role, and explains a bad search', async () => {
    const t = await opsApp();
    const res = await t.get('/admin/customers?email=ADA&role=customer', ['support']);
    expect(res.status).toBe(200);
    const page = text(await res.text());
    expect(page).toMatch(/ada@example\.test Ada Lovelace Customer Yes Off/);
    expect(page).not.toContain('boss@shop.test');
    const q = t.callsTo('GET', '/api/identity/accounts')[0]?.query;
    expect(q?.get('email')).toBe('ada');
    expect(q?.get('role')).toBe('customer');
    const bad = await t.get('/admin/customers?email=a%20b&role=king');
    expect(bad.status).toBe(400);
    const badPage = text(await bad.text());
    expect(badPage).toContain('without spaces');
    expect(badPage).toContain('Choose a role from the list.');
    expect((await t.get('/admin/customers', ['merchandiser'])).status).toBe(403);
  });

  it('shows a profile with its orders; support may end sessions but not change roles or MFA', async () => {
    const t = await opsApp();
    const res = await t.get(`/admin/customers/${CUSTOMER_ID}`, ['support']);
    expect(res.status).toBe(200);
    const page = text(await res.text());
    expect(page).toContain('ada@example.test');
    expect(page).toMatch(/Name Ada Lovelace/);
    expect(page).toMatch(/Last sign-in Mar 1, 2025/);
    expect(page).toMatch(/Live sessions 2/);
    expect(page).toContain('SF-0199A83F8840');
    expect(page).toContain('End all sessions');
    expect(page).not.toContain('Save roles');
    expect(t.callsTo('GET', '/api/orders/admin/orders')[0]?.query.get('customerId')).toBe(CUSTOMER_ID);
    expect((await t.post(`/admin/customers/${CUSTOMER_ID}/roles`, { roles: 'admin' }, ['support'])).status).toBe(403);
    const ended = await t.post(`/admin/customers/${CUSTOMER_ID}/sessions/revoke`, {}, ['support']);
    expect(ended.status).toBe(303);
    expect(ended.headers.get('location')).toBe(`/admin/customers/${CUSTOMER_ID}?done=sessions-ended`);
    expect((await t.get('/admin/customers/0199a83f-0000-7236-b5b8-ba24de364311')).status).toBe(404);
  });

  it('lets an admin change roles (at least one), and reset MFA of a staff member', async () => {
    const t = await opsApp();
    const html = await (await t.get(`/admin/customers/${CUSTOMER_ID}`)).text();
    expect(html).toMatch(/id="role-customer"[^>]*checked/);
    expect(html).toMatch(/data-confirm="Change the roles of ada@example.test\?/);
    const none = await t.post(`/admin/customers/${CUSTOMER_ID}/roles`, {});
    expect(none.status).toBe(422);
    expect(text(await none.text())).toContain('Choose at least one role.');
    const ok = await t.post(`/admin/customers/${CUSTOMER_ID}/roles`, { roles: ['customer', 'support', 'emperor'] });
    expect(ok.status).toBe(303);
    expect(t.callsTo('PUT', `/api/identity/accounts/${CUSTOMER_ID}/roles`)[0]?.body).toEqual({
      roles: ['customer', 'support'],
    });
    const boss = '0199a83f-2222-7236-b5b8-ba24de364311';
    expect(text(await (await t.get(`/admin/customers/${boss}`)).text())).toContain('Reset two-factor sign-in');
    const reset = await t.post(`/admin/customers/${boss}/mfa/reset`, {});
    expect(reset.status).toBe(303);
    expect(reset.headers.get('location')).toBe(`/admin/customers/${boss}?done=mfa-reset`);
    expect((await t.post(`/admin/customers/${boss}/mfa/reset`, {}, ['admin'], null)).status).toBe(403);
  });

  it('says so when identity refuses a role change', async () => {
    const t = await opsApp();
    t.state.override.set(`PUT /api/identity/accounts/${CUSTOMER_ID}/roles`, () =>
      problem(422, 'validation_failed', 'the last admin cannot lose the admin role', {
        errors: [{ path: 'body.roles', message: 'the last admin cannot lose the admin role' }],
      }),
    );
    const res = await t.post(`/admin/customers/${CUSTOMER_ID}/roles`, { roles: 'support' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(text(html)).toContain('Not allowed: the last admin cannot lose the admin role.');
    expect(html).toMatch(/id="role-support"[^>]*checked/);
  });
});

describe('admin audit log', () => {
  it('lists entries with readable details, links and a pager', async () => {
    const t = await opsApp();
    const res = await t.get('/admin/audit', ['support']);
    expect(res.status).toBe(200);
    const html = await res.text();
    const page = text(html);
    expect(page).toMatch(/order\.refund orders Account de364311 Order de364311 amount=5500; reason=late <delivery>/);
    expect(page).toContain('stock.adjust.count');
    expect(html).toContain('href="/admin/inventory/sku/HP-1-BLK"');
    expect(html).toContain('href="/admin/audit?cursor=YTox"');
    expect(html).not.toContain('<delivery>');
    expect(detailText({ a: [1, { b: 'c' }], long: 'x'.repeat(300) })).toMatch(/^a=1, b=c; long=x{199}…$/);
    expect(detailText({ filter: {}, gone: null, kept: 0 })).toBe('kept=0');
    expect((await t.get('/admin/audit', ['fulfillment'])).status).toBe(403);
  });

  it('filters by actor email (resolved to the account id), action, target and dates', async () => {
    const t = await opsApp();
    await t.get(
      `/admin/audit?actor=ADA%40example.test&action=order.refund&target=${ORDER_ID}&from=2025-03-01&to=2025-03-01`,
    );
    const q = t.callsTo('GET', '/api/identity/audit')[0]?.query;
    expect(q?.get('actor')).toBe(CUSTOMER_ID);
    expect(q?.get('action')).toBe('order.refund');
    expect(q?.get('target')).toBe(ORDER_ID);
    expect(q?.get('from')).toBe('2025-03-01T00:00:00.000Z');
    expect(q?.get('to')).toBe('2025-03-02T00:00:00.000Z');
    const unknown = await t.get('/admin/audit?actor=nobody%40example.test&action=drop%20table');
    expect(unknown.status).toBe(400);
    const page = text(await unknown.text());
    expect(page).toContain('No account has this email address.');
    expect(page).toContain('An action looks like order.refund');
    expect(t.callsTo('GET', '/api/identity/audit')).toHaveLength(1);
  });
});
